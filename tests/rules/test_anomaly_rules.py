import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.rules import AnomalySpec, RuleContext
from tests.rules.helpers import make_fields, past

TOTALS = ["10.00", "12.00", "11.00", "13.00", "9.00", "12.50", "10.50"]
HISTORY = [past(f"h{n}", total=t, date=dt.date(2024, 5, n + 1), category="meals") for n, t in enumerate(TOTALS)]


def receipt(total: str, merchant: str = "Cafe Nero"):
    return make_fields(merchant=merchant, total=Decimal(total), currency="USD", category="meals")


@pytest.mark.parametrize(("total", "fires"), [("95.00", True), ("12.00", False), ("0.50", True)])
def test_robust_z_score_flags_totals_far_from_the_merchants_median(total: str, fires: bool) -> None:
    check = AnomalySpec().check(receipt(total), RuleContext(history=HISTORY))
    assert check.matched is fires


def test_finding_states_the_baseline() -> None:
    check = AnomalySpec().check(receipt("95.00"), RuleContext(history=HISTORY))
    assert check.detail.startswith("total 95.00 USD vs median 11.00 USD, MAD 1.00 over 7 past receipts: robust z ")


@pytest.mark.parametrize(("total", "fires"), [("30.00", True), ("13.00", False)])
def test_iqr_fence_by_category(total: str, fires: bool) -> None:
    spec = AnomalySpec(by="category", method="iqr", threshold=1.5)
    check = spec.check(receipt(total, merchant="Somewhere new"), RuleContext(history=HISTORY))
    assert check.matched is fires
    assert "Q1 10.25 USD, Q3 12.25 USD over 7 past receipts" in check.detail


def test_no_finding_while_history_is_too_short() -> None:
    check = AnomalySpec(min_history=10).check(receipt("500.00"), RuleContext(history=HISTORY))
    assert check.matched is None
    assert check.detail == "the history has 7 past totals for this merchant, fewer than 10"


def test_other_currencies_and_refunds_are_not_part_of_the_baseline() -> None:
    noise = [past("x", total="-500", kind="refund"), past("y", total="999", currency="EUR")]
    history = [*HISTORY[:5], *noise]
    check = AnomalySpec().check(receipt("12.00"), RuleContext(history=history))
    assert check.matched is False
    assert "over 5 past receipts" in check.detail
