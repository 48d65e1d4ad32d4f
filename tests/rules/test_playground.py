import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from numzy_mcp.errors import InvalidInput, RuleInvalid
from numzy_mcp.rules.playground import probe_to_fields, try_rule, try_rule_async

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "nl-rules" / "dev.json"
PROBE: dict[str, Any] = {
    "merchant": "Corner Store", "date": "2026-03-21", "time": "12:00", "currency": "USD", "total": 150.0,
    "subtotal": 147.0, "tax": 3.0, "tip": 0.0, "category": "other", "payment_method": "card", "country": "US",
    "items": [{"description": "General goods", "quantity": 1, "unit_price": 147.0, "amount": 147.0}],
    "submitted_at": "2026-03-25", "_weekday": "Saturday",
}  # fmt: skip

# Hand-written rules for sentences of the nl-rules corpus: every probe must get its expected verdict.
CORPUS_RULES: dict[str, dict[str, Any]] = {
    "dev-001": {"type": "all", "rules": [{"type": "threshold", "value": 100, "currency": "USD"},
                                         {"type": "time", "weekdays": ["weekends"]}]},
    "dev-004": {"type": "keyword", "field": "all_text", "concepts": ["alcohol"]},
    "dev-006": {"type": "keyword", "field": "merchant", "words": ["amazon"]},
    "dev-007": {"type": "time", "hours": [{"start": 22, "end": 23}]},
    "dev-008": {"type": "missing", "fields": ["tax"]},
    "dev-011": {"type": "all", "rules": [{"type": "payment_method", "methods": ["cash"]},
                                         {"type": "threshold", "value": 25, "currency": "USD"}]},
    "dev-015": {"type": "keyword", "field": "all_text", "concepts": ["gift_cards"]},
    "dev-016": {"type": "duplicate"},
    "dev-017": {"type": "frequency", "max_count": 3, "period": "day"},
    "dev-018": {"type": "time", "public_holiday": True},
    "dev-019": {"type": "time", "submitted_after_days": 90},
    "dev-020": {"type": "threshold", "field": "tip_percent", "operator": ">", "value": 20},
    "dev-021": {"type": "currency", "operator": "not_in", "currencies": ["USD"]},
    "dev-022": {"type": "threshold", "field": "item_amount", "operator": ">", "value": 200, "currency": "USD"},
    "dev-023": {"type": "integrity", "tolerance": "0.01"},
    "dev-026": {"type": "keyword", "field": "merchant", "words": ["casino"]},
    "dev-032": {"type": "keyword", "field": "all_text", "concepts": ["tobacco"]},
    "dev-034": {"type": "missing", "fields": ["merchant"]},
    "dev-036": {"type": "threshold", "field": "tax_percent", "operator": ">", "value": 15},
}  # fmt: skip


def corpus_cases() -> list[Any]:
    if not CORPUS.exists():
        return []
    entries = {entry["id"]: entry for entry in json.loads(CORPUS.read_text())}
    return [
        pytest.param(spec, probe, id=f"{entry_id}-probe{n}")
        for entry_id, spec in CORPUS_RULES.items()
        for n, probe in enumerate(entries[entry_id]["probes"])
    ]


@pytest.mark.skipif(not CORPUS.exists(), reason="shared/corpora/nl-rules is not next to the work tree")
@pytest.mark.parametrize(("spec", "probe"), corpus_cases())
def test_hand_written_rules_give_the_corpus_verdicts(spec: dict[str, Any], probe: dict[str, Any]) -> None:
    finding = try_rule({"name": "corpus", "spec": spec}, probe["receipt"], probe.get("history"))
    assert finding.outcome == probe["expect"], finding.message


def test_probe_converts_to_fields_submission_time_and_country() -> None:
    fields, submitted_at, country = probe_to_fields(PROBE)
    assert fields.total == Decimal("150.0")
    assert fields.time == dt.time(12)
    assert fields.items[0].amount == Decimal("147.0")
    assert fields.kind == "purchase"
    assert submitted_at == dt.datetime(2026, 3, 25, tzinfo=dt.UTC)
    assert country == "US"


def test_negative_total_is_a_refund() -> None:
    fields, _, _ = probe_to_fields({**PROBE, "total": -20})
    assert fields.kind == "refund"


def test_try_rule_accepts_json_text_and_returns_the_finding() -> None:
    rule = json.dumps({"name": "Big", "spec": {"type": "threshold", "value": 100}})
    finding = try_rule(rule, json.dumps(PROBE))
    assert (finding.rule_name, finding.outcome, finding.rule_version) == ("Big", "flag", 1)


def test_history_feeds_cross_receipt_rules() -> None:
    rule = {"name": "Dup", "spec": {"type": "duplicate"}}
    assert try_rule(rule, PROBE, [PROBE]).outcome == "flag"
    assert try_rule(rule, PROBE, []).outcome == "pass"


async def test_try_rule_async_runs_inside_an_event_loop() -> None:
    finding = await try_rule_async({"name": "x", "spec": {"type": "time", "weekdays": ["saturday"]}}, PROBE)
    assert finding.outcome == "flag"


@pytest.mark.parametrize(
    ("receipt", "error"),
    [
        ({**PROBE, "total": "lots"}, InvalidInput),
        ({**PROBE, "date": "21/03/2026"}, InvalidInput),
        ("[1]", InvalidInput),
    ],
)
def test_malformed_receipts_are_refused(receipt: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        try_rule({"name": "x", "spec": {"type": "threshold", "value": 1}}, receipt)


def test_invalid_rule_is_refused() -> None:
    with pytest.raises(RuleInvalid):
        try_rule({"name": "x", "spec": {"type": "threshold", "value": "x"}}, PROBE)
