import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.rules import DuplicateSpec, FrequencySpec, RoundAmountSpec, RuleContext, SplitSpec
from numzy_mcp.rules.history_index import HistoryIndex
from tests.rules.helpers import make_fields, past

DAY = dt.date(2024, 6, 5)


def receipt(merchant: str = "Cafe Nero", total: str = "12.50", day: dt.date = DAY, **values: object):
    return make_fields(merchant=merchant, date=day, total=Decimal(total), currency="USD", **values)


def test_same_merchant_date_and_total_is_a_duplicate() -> None:
    ctx = RuleContext(receipt_id="new", history=[past("old", merchant="CAFÉ  NERO")])
    check = DuplicateSpec().check(receipt(), ctx)
    assert check.matched is True
    assert check.detail == "it repeats old: same merchant, date and total (12.50 USD)"


@pytest.mark.parametrize(
    "other",
    [
        past("old", total="12.51"),
        past("old", date=DAY + dt.timedelta(days=1)),
        past("old", merchant="Starbucks"),
        past("new"),  # the receipt itself, re-audited
    ],
)
def test_different_receipts_and_the_receipt_itself_are_not_duplicates(other: object) -> None:
    ctx = RuleContext(receipt_id="new", history=[other])  # type: ignore[list-item]
    assert DuplicateSpec().check(receipt(), ctx).matched is False


def test_a_refund_never_pairs_with_its_purchase() -> None:
    purchase = past("buy", total="12.50")
    refund_of_same_amount = receipt(kind="refund")
    assert DuplicateSpec().check(refund_of_same_amount, RuleContext(history=[purchase])).matched is False
    refund = past("refund", total="-12.50", kind="refund")
    assert DuplicateSpec().check(receipt(), RuleContext(history=[refund])).matched is False


def test_same_file_hash_is_a_duplicate_even_with_other_fields() -> None:
    ctx = RuleContext(receipt_id="new", sha256="abc", history=[past("old", merchant="X", total="1", sha256="abc")])
    check = DuplicateSpec(by=["image"]).check(receipt(), ctx)
    assert check.matched is True
    assert check.detail == "the same file was already submitted as old"
    assert DuplicateSpec(by=["content"]).check(receipt(), ctx).matched is False


def test_split_purchase_fires_when_same_day_receipts_together_pass_the_limit() -> None:
    history = [past("a", total="60.00"), past("b", total="30.00", date=DAY - dt.timedelta(days=1))]
    spec = SplitSpec(limit=Decimal(100))
    check = spec.check(receipt(total="55.00"), RuleContext(history=history))
    assert check.matched is True
    assert check.detail == "same-day purchases at this merchant (a and this one) come to 115.00 USD, over 100.00 USD"
    assert spec.check(receipt(total="35.00"), RuleContext(history=history)).matched is False
    assert spec.check(receipt(total="150.00"), RuleContext(history=history)).matched is False


@pytest.mark.parametrize(("period", "count", "fires"), [("day", 2, False), ("week", 2, True), ("month", 3, True)])
def test_frequency_counts_purchases_per_merchant_per_period(period: str, count: int, fires: bool) -> None:
    history = [
        past("a", date=DAY),  # Wednesday
        past("b", date=DAY - dt.timedelta(days=2)),  # Monday, same ISO week
        past("c", date=DAY - dt.timedelta(days=4)),  # previous week, same month
        past("d", merchant="Other", date=DAY),
    ]
    spec = FrequencySpec.model_validate({"max_count": count, "period": period})
    assert spec.check(receipt(), RuleContext(history=history)).matched is fires


@pytest.mark.parametrize(("total", "fires"), [("100.00", True), ("250", True), ("99.99", False), ("40.00", False)])
def test_round_amounts_fire_on_multiples_above_the_minimum(total: str, fires: bool) -> None:
    spec = RoundAmountSpec(multiple=Decimal(10), min_total=Decimal(50))
    assert spec.check(receipt(total=total), RuleContext()).matched is fires


def test_history_index_gives_each_receipt_only_earlier_receipts() -> None:
    index = HistoryIndex([past("a"), past("b"), past("c", merchant="Other")])
    view = index.view(1)
    assert len(view) == 1
    assert [h.receipt_id for h in view.with_merchant("cafe nero")] == ["a"]
    ctx = RuleContext(receipt_id="b", history=view)
    assert DuplicateSpec().check(receipt(), ctx).matched is True
    assert DuplicateSpec().check(receipt(), RuleContext(receipt_id="a", history=index.view(0))).matched is False
