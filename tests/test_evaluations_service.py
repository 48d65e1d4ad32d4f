"""Evaluations through the service, the CLI and MCP: scored, stored, refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastmcp import Client

from numzy_mcp.cli import main
from numzy_mcp.errors import Forbidden, InvalidInput, NotFound, Unsupported
from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp
from tests.conftest import FIXTURES

SROIE = FIXTURES / "sroie"


async def test_an_evaluation_is_scored_stored_and_readable_again(service: NumzyService) -> None:
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    run = await service.run_evaluation("local", SROIE, limit=2, progress=progress)

    assert run.report.documents == 2
    assert run.report.kind == "sroie"
    assert {f.field for f in run.report.fields} >= {"merchant", "date", "total"}
    assert "SROIE task 3" in run.markdown
    again = await service.get_evaluation("local", run.id)
    assert again.report == run.report
    with pytest.raises(NotFound):
        await service.get_evaluation("other", run.id)


async def test_evaluation_refusals_say_what_is_wrong(service: NumzyService, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        await service.run_evaluation("local", tmp_path / "missing")
    with pytest.raises(InvalidInput):
        await service.run_evaluation("local", tmp_path)  # a folder, but no dataset layout
    with pytest.raises(InvalidInput):
        await service.run_evaluation("local", SROIE, limit=0)
    with pytest.raises(Unsupported):
        await service.run_evaluation("local", SROIE, extractor="llm")


async def test_evaluation_roots_confine_the_folders(service: NumzyService, tmp_path: Path) -> None:
    confined = service.settings.model_copy(update={"evaluation_roots": [tmp_path]})
    service.settings = confined
    with pytest.raises(Forbidden):
        await service.run_evaluation("local", SROIE)


async def test_run_evaluation_tool_reports_progress(service: NumzyService) -> None:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with Client(build_mcp(service, allow_local_paths=True)) as client:  # stdio: the client is local
        result = await client.call_tool(
            "run_evaluation", {"dataset": str(SROIE), "limit": 2}, progress_handler=on_progress
        )
    assert result.structured_content is not None
    assert result.structured_content["report"]["documents"] == 2
    assert seen[-1] == 2


async def test_run_evaluation_over_http_reads_no_folder_unless_roots_are_configured(service: NumzyService) -> None:
    async with Client(build_mcp(service)) as client:  # as over HTTP: the caller is remote
        refused = await client.call_tool_mcp("run_evaluation", {"dataset": str(SROIE), "limit": 1})
    assert refused.is_error
    assert "NUMZY_EVALUATION_ROOTS" in " ".join(getattr(block, "text", "") for block in refused.content)


@pytest.mark.slow
def test_numzy_eval_prints_the_report_and_writes_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMZY_DATABASE_URL", raising=False)
    report = tmp_path / "report.md"

    code = main(["--data-dir", str(tmp_path), "eval", str(SROIE), "--limit", "1", "--report", str(report)])

    out = capsys.readouterr()
    assert code == 0
    assert "| total | 100.0 % |" in out.out
    assert report.read_text(encoding="utf-8") in out.out
    assert "1/1" in out.err
