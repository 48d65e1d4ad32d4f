import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import AllSpec, AnySpec, CategorySpec, NotSpec, RuleContext, ThresholdSpec, TimeSpec


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()
BIG = ThresholdSpec(value=Decimal(100))
WEEKEND = TimeSpec(weekdays=["saturday", "sunday"])
ALCOHOL = CategorySpec(categories=["alcohol"])
SATURDAY = dt.date(2024, 6, 8)
MONDAY = dt.date(2024, 6, 3)


@pytest.mark.parametrize(
    ("total", "date", "all_fires", "any_fires"),
    [
        ("150", SATURDAY, True, True),
        ("150", MONDAY, False, True),
        ("20", SATURDAY, False, True),
        ("20", MONDAY, False, False),
    ],
)
def test_all_and_any_combine_sub_rules(total: str, date: dt.date, all_fires: bool, any_fires: bool) -> None:
    fields = make_fields(total=Decimal(total), date=date)
    assert AllSpec(rules=[BIG, WEEKEND]).check(fields, CTX).matched is all_fires
    assert AnySpec(rules=[BIG, WEEKEND]).check(fields, CTX).matched is any_fires


def test_not_inverts_its_sub_rule() -> None:
    spec = NotSpec(rule=WEEKEND)
    assert spec.check(make_fields(date=MONDAY), CTX).matched is True
    assert spec.check(make_fields(date=SATURDAY), CTX).matched is False


def test_nested_composite_big_weekday_spend_unless_meals_or_alcohol() -> None:
    spec = AllSpec(rules=[BIG, NotSpec(rule=AnySpec(rules=[WEEKEND, ALCOHOL]))])
    weekday_big = make_fields(total=Decimal(150), date=MONDAY, category="meals")
    assert spec.check(weekday_big, CTX).matched is True
    assert spec.check(weekday_big.model_copy(update={"category": "alcohol"}), CTX).matched is False
    assert spec.check(weekday_big.model_copy(update={"date": SATURDAY}), CTX).matched is False


def test_composite_is_skipped_when_an_undecided_sub_rule_could_change_the_answer() -> None:
    fields = make_fields(total=Decimal(150))
    assert AllSpec(rules=[BIG, WEEKEND]).check(fields, CTX).matched is None
    assert NotSpec(rule=WEEKEND).check(fields, CTX).matched is None


def test_composite_is_decided_when_a_known_sub_rule_settles_it() -> None:
    fields = make_fields(total=Decimal(20))
    assert AllSpec(rules=[BIG, WEEKEND]).check(fields, CTX).matched is False
    assert AnySpec(rules=[ThresholdSpec(value=Decimal(10)), WEEKEND]).check(fields, CTX).matched is True


def test_composite_reports_every_field_its_sub_rules_read_once() -> None:
    check = AllSpec(rules=[BIG, ThresholdSpec(value=Decimal(1)), WEEKEND]).check(
        make_fields(total=Decimal(150), date=SATURDAY), CTX
    )
    assert [read.field for read in check.reads] == ["total", "date"]
    assert check.detail.startswith("Total 150.00 is over the limit of 100.00")
