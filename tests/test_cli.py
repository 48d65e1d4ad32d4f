"""The `numzy` command line: process prints one JSON document per receipt; migrate prepares the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from numzy_mcp.cli import main
from tests.conftest import SroieReceipt


@pytest.mark.slow
def test_process_prints_one_json_per_file_and_fails_on_a_refused_one(
    tmp_path: Path, sroie: list[SroieReceipt], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)
    not_a_receipt = tmp_path / "notes.txt"
    not_a_receipt.write_text("not a receipt")

    code = main(["--data-dir", str(tmp_path / "data"), "process", str(sroie[0].path), str(not_a_receipt)])

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert len(lines) == 2
    done, refused = lines
    assert done["status"] == "completed"
    assert done["fields"]["raw"]["total"] == sroie[0].total
    assert done["decision"] in {"approved", "needs_review", "rejected"}
    assert done["explanation"]
    assert {f["rule_name"] for f in done["findings"]} >= {"Large total", "Weekend purchase"}
    assert refused["status"] == "refused"
    assert refused["error"]["code"] == "unsupported"


def test_migrate_creates_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)

    assert main(["--data-dir", str(tmp_path), "migrate"]) == 0
    assert (tmp_path / "numzy.db").is_file()
    assert "up to date" in capsys.readouterr().out


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


PROBE = {
    "merchant": "Joe's Diner",
    "date": "2024-03-16",
    "time": "21:15",
    "currency": "USD",
    "total": 120.0,
    "subtotal": 100.0,
    "tax": 8.0,
    "tip": 12.0,
    "category": "meals",
    "payment_method": "card",
    "country": "US",
    "items": [],
    "submitted_at": "2024-03-18",
}


def test_rules_try_prints_the_finding_of_one_rule_on_one_probe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = write_json(
        tmp_path / "rule.json",
        {"name": "Big weekend", "spec": {"type": "all", "rules": [
            {"type": "threshold", "field": "total", "operator": ">", "value": 100, "currency": "USD"},
            {"type": "time", "weekdays": ["saturday", "sunday"]},
        ]}},
    )  # fmt: skip
    fired = write_json(tmp_path / "weekend.json", PROBE)
    quiet = write_json(tmp_path / "weekday.json", {**PROBE, "date": "2024-03-13"})

    assert main(["rules", "try", str(rule), str(fired)]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "flag"
    assert main(["rules", "try", str(rule), str(quiet)]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "pass"


def test_rules_try_with_history_finds_a_duplicate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule = write_json(tmp_path / "rule.json", {"name": "Dup", "spec": {"type": "duplicate", "by": ["content"]}})
    receipt = write_json(tmp_path / "r.json", PROBE)
    history = write_json(tmp_path / "h.json", [PROBE])

    assert main(["rules", "try", str(rule), str(receipt), "--history", str(history)]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "flag"


def test_rules_try_refuses_a_bad_rule_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule = write_json(tmp_path / "rule.json", {"name": "Bad", "spec": {"type": "threshold", "field": "nope"}})
    receipt = write_json(tmp_path / "r.json", PROBE)

    assert main(["rules", "try", str(rule), str(receipt)]) == 2
    assert "rule_invalid" in capsys.readouterr().err


def test_data_dir_may_follow_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)

    assert main(["migrate", "--data-dir", str(tmp_path / "after")]) == 0
    assert (tmp_path / "after" / "numzy.db").is_file()


def test_data_dir_may_follow_a_subcommand_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)
    data_dir = tmp_path / "keys"

    assert main(["keys", "create", "--name", "ci", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["keys", "list", "--data-dir", str(data_dir)]) == 0
    assert "\tci\t" in capsys.readouterr().out
    assert (data_dir / "numzy.db").is_file()


def test_process_reports_a_missing_file_as_not_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)
    missing = tmp_path / "nowhere.jpg"

    code = main(["--data-dir", str(tmp_path / "data"), "process", str(missing)])

    (refused,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert refused["error"]["code"] == "not_found"
    assert str(missing) in refused["error"]["message"]

    assert main(["--data-dir", str(tmp_path / "data"), "process", str(tmp_path)]) == 1
    (folder,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "is a folder" in folder["error"]["message"]
