import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.rules import HistoricReceipt, RuleContext
from numzy_mcp.rules.dry_run import context_factory, dry_run, dry_run_async
from tests.rules.helpers import make_fields, past

RECEIPTS = [
    past("r1", total="120.00"),
    past("r2", total="30.00"),
    past("r3", total="120.00"),  # same merchant, date and total as r1
    HistoricReceipt("r4", make_fields(merchant="Hotel", total=Decimal(300), currency="EUR", date=dt.date(2024, 6, 6))),
]
FACTORY = context_factory(RuleContext())


def test_dry_run_reports_matches_count_and_totals_per_currency() -> None:
    result = dry_run({"name": "Over 100", "spec": {"type": "threshold", "value": 100}}, RECEIPTS, FACTORY)
    assert [m.receipt_id for m in result.matches] == ["r1", "r3", "r4"]
    assert result.count == 3
    assert result.total_by_currency == {"USD": Decimal(240), "EUR": Decimal(300)}
    assert result.outcomes == {"flag": 3, "pass": 1}
    assert result.evaluated == 4


def test_each_receipt_sees_only_earlier_receipts_so_a_duplicate_is_flagged_once() -> None:
    result = dry_run({"name": "Dup", "spec": {"type": "duplicate"}}, RECEIPTS, FACTORY)
    assert [m.receipt_id for m in result.matches] == ["r3"]
    assert result.matches[0].message == "It repeats r1: same merchant, date and total (120.00 USD)."


def test_dry_run_of_a_rule_matching_nothing() -> None:
    result = dry_run({"name": "Huge", "spec": {"type": "threshold", "value": 10_000}}, RECEIPTS, FACTORY)
    assert (result.count, result.matches, result.total_by_currency) == (0, [], {})


def test_dry_run_refuses_an_invalid_draft() -> None:
    with pytest.raises(RuleInvalid):
        dry_run({"name": "Bad", "spec": {"type": "threshold", "value": "x"}}, RECEIPTS, FACTORY)


def test_dry_run_uses_the_callers_context_factory() -> None:
    def factory(receipt: HistoricReceipt, history: object) -> RuleContext:
        return dataclasses.replace(RuleContext(), raw_text=f"receipt {receipt.receipt_id}")

    result = dry_run({"name": "r2", "spec": {"type": "pattern", "pattern": r"receipt r2$"}}, RECEIPTS, factory)
    assert [m.receipt_id for m in result.matches] == ["r2"]


async def test_async_dry_run_gives_the_same_result() -> None:
    draft = {"name": "Over 100", "spec": {"type": "threshold", "value": 100}}
    assert await dry_run_async(draft, RECEIPTS, FACTORY) == dry_run(draft, RECEIPTS, FACTORY)
