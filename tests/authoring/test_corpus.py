import json
from pathlib import Path
from typing import Any

import pytest

from numzy_mcp.authoring import load_corpus, render_text, run_corpus
from numzy_mcp.errors import InvalidInput

CORPUS = Path(__file__).parents[1] / "fixtures" / "nl-rules" / "dev.json"


def entry(text: str, probes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": "t-1", "text": text, "kind": "rule", "action": None, "probes": probes} | extra


RECEIPT: dict[str, Any] = {
    "merchant": "Corner Store",
    "date": "2026-03-21",
    "time": "12:00",
    "currency": "USD",
    "total": 150.0,
    "subtotal": 147.0,
    "tax": 3.0,
    "tip": 0.0,
    "category": "other",
    "payment_method": "card",
    "country": "US",
    "items": [{"description": "General goods", "quantity": 1, "unit_price": 147.0, "amount": 147.0}],
    "submitted_at": "2026-03-25",
}


async def test_the_whole_acceptance_corpus_passes() -> None:
    report = await run_corpus(load_corpus(CORPUS))
    failing = [entry for entry in report.entries if not entry.passed]
    assert not failing, render_text(report)
    assert (report.pass_rate, len(report.entries), report.probes, report.probes_failed) == (1.0, 39, 99, 0)


def test_the_fixture_is_a_verbatim_copy_of_the_shared_corpus() -> None:
    shared = Path(__file__).parents[3] / "shared" / "corpora" / "nl-rules" / "dev.json"
    if not shared.exists():
        pytest.skip("the shared corpus is not checked out next to the repository")
    assert json.loads(shared.read_text()) == json.loads(CORPUS.read_text())


async def test_a_probe_with_the_wrong_expectation_is_reported_with_expected_and_got() -> None:
    report = await run_corpus([entry("Flag receipts over $100", [{"receipt": RECEIPT, "expect": "pass"}])])
    (outcome,) = report.entries
    assert not outcome.passed
    assert [(f.index, f.expected, f.got) for f in outcome.failures] == [(0, "pass", "flag")]
    assert report.pass_rate == 0.0
    text = render_text(report)
    assert "FAIL t-1 'Flag receipts over $100'" in text
    assert "probe 0: expected pass, got flag" in text
    assert text.endswith("0/1 sentences passed (0.0%); 0/1 probes as expected")


async def test_a_wrong_action_fails_the_sentence_even_when_every_probe_matches() -> None:
    report = await run_corpus([entry("Reject receipts over $100", [{"receipt": RECEIPT, "expect": "flag"}])])
    assert report.entries[0].problem == "action reject, expected flag"
    assert report.passed == 0


async def test_an_unsupported_sentence_passes_only_when_refused() -> None:
    refused = await run_corpus([entry("Flag receipts that look dodgy", [], kind="unsupported")])
    compiled = await run_corpus([entry("Flag receipts over $100", [], kind="unsupported")])
    assert refused.entries[0].passed and refused.entries[0].refusal
    assert not compiled.entries[0].passed
    assert compiled.entries[0].problem == "compiled to a rule, but the sentence has no checkable condition"


async def test_a_refused_rule_sentence_fails_every_probe() -> None:
    report = await run_corpus([entry("Do what we said", [{"receipt": RECEIPT, "expect": "flag"}])])
    (outcome,) = report.entries
    assert outcome.problem is not None and outcome.problem.startswith("refused: ")
    assert [f.got for f in outcome.failures] == ["no rule"]


async def test_history_reaches_cross_receipt_rules() -> None:
    probe = {"receipt": RECEIPT, "expect": "flag", "history": [RECEIPT | {"id": "earlier"}]}
    report = await run_corpus([entry("Flag duplicate receipts", [probe])])
    assert report.entries[0].passed


def test_a_file_that_is_not_a_corpus_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": "not a list"}')
    with pytest.raises(InvalidInput, match="must hold a JSON list"):
        load_corpus(path)
    path.write_text('[{"id": "x"}]')
    with pytest.raises(InvalidInput, match="is not an nl-rules corpus"):
        load_corpus(path)
