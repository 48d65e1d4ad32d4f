import datetime as dt

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.rules import RuleContext, TimeSpec, parse_rule_draft
from numzy_mcp.rules.conditions import HourRange
from tests.rules.helpers import make_fields

CTX = RuleContext()


@pytest.mark.parametrize(
    ("day", "fires"), [(dt.date(2024, 12, 24), True), (dt.date(2025, 1, 5), True), (dt.date(2025, 1, 6), False)]
)
def test_date_range_includes_both_ends(day: dt.date, fires: bool) -> None:
    spec = TimeSpec.model_validate({"dates": [{"start": "2024-12-20", "end": "2025-01-05"}]})
    assert spec.check(make_fields(date=day), CTX).matched is fires


def test_open_ended_date_range() -> None:
    spec = TimeSpec.model_validate({"dates": [{"start": "2025-01-01"}]})
    assert spec.check(make_fields(date=dt.date(2030, 1, 1)), CTX).matched is True
    assert spec.check(make_fields(date=dt.date(2024, 12, 31)), CTX).matched is False


@pytest.mark.parametrize(
    ("day", "country", "fires"),
    [
        (dt.date(2024, 7, 4), "US", True),
        (dt.date(2024, 7, 4), "GB", False),
        (dt.date(2024, 8, 31), "MY", True),
        (dt.date(2024, 12, 25), "de", True),
        (dt.date(2024, 6, 5), "US", False),
    ],
)
def test_public_holidays_are_those_of_the_receipts_country(day: dt.date, country: str, fires: bool) -> None:
    check = TimeSpec(public_holiday=True).check(make_fields(date=day, country=country), CTX)
    assert check.matched is fires


def test_holiday_finding_names_the_holiday() -> None:
    check = TimeSpec(public_holiday=True).check(make_fields(date=dt.date(2024, 7, 4), country="US"), CTX)
    assert check.detail == "2024-07-04 is a public holiday in US (Independence Day)"


@pytest.mark.parametrize("country", [None, "ZZ"])
def test_holiday_rule_skips_without_a_known_country(country: str | None) -> None:
    check = TimeSpec(public_holiday=True).check(make_fields(date=dt.date(2024, 7, 4), country=country), CTX)
    assert check.matched is None


@pytest.mark.parametrize(("submitted", "fires"), [(dt.date(2024, 7, 31), True), (dt.date(2024, 7, 30), False)])
def test_receipt_age_counts_days_from_purchase_to_submission(submitted: dt.date, fires: bool) -> None:
    ctx = RuleContext(submitted_at=dt.datetime.combine(submitted, dt.time(9), dt.UTC))
    check = TimeSpec(submitted_after_days=30).check(make_fields(date=dt.date(2024, 6, 30)), ctx)
    assert check.matched is fires


def test_receipt_age_skips_without_a_submission_time() -> None:
    assert TimeSpec(submitted_after_days=30).check(make_fields(date=dt.date(2024, 6, 30)), CTX).matched is None


@pytest.mark.parametrize(
    ("group", "day", "fires"), [("weekends", 8, True), ("weekends", 5, False), ("weekdays", 5, True)]
)
def test_weekday_groups_expand_to_days(group: str, day: int, fires: bool) -> None:
    spec = TimeSpec.model_validate({"weekdays": [group]})
    assert spec.check(make_fields(date=dt.date(2024, 6, day)), CTX).matched is fires


def test_late_night_weekend_window_across_midnight() -> None:
    spec = TimeSpec(weekdays=["saturday"], hours=[HourRange(start=22, end=3)])
    assert spec.check(make_fields(date=dt.date(2024, 6, 8), time=dt.time(1, 30)), CTX).matched is True
    assert spec.check(make_fields(date=dt.date(2024, 6, 8), time=dt.time(12)), CTX).matched is False


@pytest.mark.parametrize(
    ("spec", "hint"),
    [
        ({"type": "time", "dates": [{"start": "2025-02-01", "end": "2025-01-01"}]}, "is after end"),
        ({"type": "time", "dates": [{}]}, "needs start, end or both"),
        ({"type": "time", "submitted_after_days": -1}, "greater than or equal to 0"),
    ],
)
def test_bad_calendar_rules_are_refused(spec: dict[str, object], hint: str) -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": spec})
    assert hint in refused.value.message
