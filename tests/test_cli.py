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
