import datetime as dt

import pytest

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import RuleContext, TimeSpec
from numzy_mcp.rules.conditions import HourRange


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()
SATURDAY = dt.date(2024, 6, 8)
WEDNESDAY = dt.date(2024, 6, 5)


@pytest.mark.parametrize(
    ("date", "fires"), [(SATURDAY, True), (SATURDAY + dt.timedelta(days=1), True), (WEDNESDAY, False)]
)
def test_weekday_rule_fires_only_on_listed_days(date: dt.date, fires: bool) -> None:
    spec = TimeSpec(weekdays=["saturday", "sunday"])
    assert spec.check(make_fields(date=date), CTX).matched is fires


@pytest.mark.parametrize(
    ("hour", "fires"), [(21, False), (22, True), (23, True), (0, True), (5, True), (6, False), (12, False)]
)
def test_hour_range_wraps_past_midnight_with_both_ends_included(hour: int, fires: bool) -> None:
    spec = TimeSpec(hours=[HourRange(start=22, end=5)])
    assert spec.check(make_fields(time=dt.time(hour, 30)), CTX).matched is fires


def test_weekdays_and_hours_must_both_hold() -> None:
    spec = TimeSpec(weekdays=["saturday"], hours=[HourRange(start=9, end=17)])
    assert spec.check(make_fields(date=SATURDAY, time=dt.time(10)), CTX).matched is True
    assert spec.check(make_fields(date=SATURDAY, time=dt.time(20)), CTX).matched is False
    assert spec.check(make_fields(date=WEDNESDAY, time=dt.time(10)), CTX).matched is False


def test_weekday_rule_skips_receipt_without_date() -> None:
    check = TimeSpec(weekdays=["sunday"]).check(make_fields(time=dt.time(10)), CTX)
    assert check.matched is None
    assert check.detail == "the receipt has no date"


def test_known_wrong_day_decides_even_when_time_is_missing() -> None:
    spec = TimeSpec(weekdays=["saturday"], hours=[HourRange(start=9, end=17)])
    assert spec.check(make_fields(date=WEDNESDAY), CTX).matched is False


def test_weekday_names_are_case_insensitive_and_finding_names_the_day() -> None:
    spec = TimeSpec.model_validate({"weekdays": ["Sunday", "SATURDAY"]})
    assert spec.weekdays == ["saturday", "sunday"]
    check = spec.check(make_fields(date=WEDNESDAY), CTX)
    assert check.sentence() == "The purchase was on Wednesday 2024-06-05, not on Saturday or Sunday."
    assert [(read.field, read.value) for read in check.reads] == [("date", "2024-06-05")]
