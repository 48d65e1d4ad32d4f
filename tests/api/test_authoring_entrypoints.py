"""Rules from plain English through REST, MCP and the CLI: draft, English back, dry-run, activation."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from numzy_mcp.cli import main
from numzy_mcp.service import NumzyService
from tests.conftest import FIXTURES
from tests.images import image_bytes

SENTENCE = "Flag receipts over 10 ringgit"


async def test_a_sentence_becomes_a_described_dry_run_draft_and_nothing_is_saved(service: NumzyService) -> None:
    await service.upload("local", image_bytes(seed=1), "a.png")
    await service.wait_idle()
    before = await service.list_rules("local")

    preview = await service.rule_from_text("local", "Flag receipts over 10 MYR")

    assert preview.compiled_by == "offline"
    assert preview.draft.spec.type == "threshold"
    assert "10" in preview.description
    assert preview.description != preview.text
    assert preview.dry_run.count == 1
    assert await service.list_rules("local") == before
    rule = await service.activate_rule("local", preview.draft)
    assert rule.enabled is True
    assert len(await service.list_rules("local")) == len(before) + 1


async def test_a_sentence_with_no_checkable_condition_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/audit_rules/from_text", json={"text": "Flag anything that looks suspicious"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "rule_invalid"
    assert "suspicious" in response.json()["error"]["message"]


async def test_from_text_over_rest_returns_a_draft_then_post_activates_it(client: httpx.AsyncClient) -> None:
    preview = await client.post("/audit_rules/from_text", json={"text": "Reject receipts over $500 on weekends"})
    assert preview.status_code == 200
    body = preview.json()
    assert body["draft"]["action"] == "reject"
    assert body["description"]

    created = await client.post("/audit_rules", json=body["draft"])
    assert created.status_code == 201
    assert created.json()["spec"] == body["draft"]["spec"]


def test_rules_add_prints_the_rule_back_and_activates_with_yes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)

    assert main(["--data-dir", str(tmp_path), "rules", "add", "Flag receipts over $100 on weekends", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Rule: " in out
    assert "100" in out
    assert "Activated rule rul_" in out


def test_rules_corpus_passes_the_acceptance_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "corpus", str(FIXTURES / "nl-rules" / "dev.json")]) == 0
    assert "100" in capsys.readouterr().out


def test_rules_corpus_exits_non_zero_below_100_percent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        '[{"id": "x-1", "text": "Flag receipts over $100", "kind": "rule", "action": null, "probes": ['
        '{"receipt": {"merchant": "A", "date": "2024-03-13", "time": null, "currency": "USD", "total": 50,'
        ' "subtotal": null, "tax": null, "tip": null, "category": "meals", "payment_method": "card",'
        ' "country": "US", "items": [], "submitted_at": "2024-03-14"}, "expect": "flag"}]}]',
        encoding="utf-8",
    )

    assert main(["rules", "corpus", str(wrong)]) == 1
    assert "expected" in capsys.readouterr().out.lower()


def test_rules_add_does_not_activate_a_rule_it_only_partly_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)

    code = main(["--data-dir", str(tmp_path), "rules", "add", "Flag receipts over $100 with zorgblat", "--yes"])

    out = capsys.readouterr().out
    assert code == 1
    assert "Not understood" in out
    assert "Activated" not in out


async def test_ringgit_and_rm_amounts_compile_to_myr_rules(service: NumzyService) -> None:
    await service.upload("local", image_bytes(seed=2), "a.png")  # a Wednesday receipt of 11.50 MYR
    await service.wait_idle()

    for sentence in ("Flag receipts over 10 ringgit", "Flag receipts over RM10"):
        preview = await service.rule_from_text("local", sentence)
        assert preview.unrecognized == []
        assert preview.draft.model_dump(mode="json")["spec"]["currency"] == "MYR"
        assert preview.dry_run.count == 1
