"""MCP tool to measure an extractor on a labelled dataset folder."""

from collections.abc import Callable
from typing import Annotated, Literal

from fastmcp import Context, FastMCP
from mcp.types import ToolAnnotations
from pydantic import Field

from numzy_mcp.errors import Forbidden
from numzy_mcp.service import EvaluationRun, NumzyService
from numzy_mcp.tools.errors import numzy_tool


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str], *, local: bool) -> None:
    """Add ``run_evaluation`` to ``mcp``.

    Args:
        mcp: the server.
        service: the use-case layer.
        team: the caller's team.
        local: the client runs on this machine (stdio). Otherwise the tool reads only folders under
            ``NUMZY_EVALUATION_ROOTS``, and nothing when none is configured: a remote tenant must not be
            able to read the server's folders.
    """

    @numzy_tool(
        mcp,
        scopes=("rules:write",),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False),
    )
    async def run_evaluation(
        ctx: Context,
        dataset: Annotated[str, Field(description="Server-side path of a labelled dataset folder (e.g. sroie-dev).")],
        extractor: Annotated[
            Literal["offline", "llm"], Field(description="offline: bundled OCR; llm: the configured model (costs).")
        ] = "offline",
        limit: Annotated[int | None, Field(ge=1, le=10_000, description="Only the first N documents.")] = None,
    ) -> EvaluationRun:
        """Score an extractor against labelled receipts: per-field accuracy, SROIE task-3 F1, latency, cost.

        Long: reports progress per document; cancel the call to stop it. The run is stored.
        """

        async def progress(done: int, total: int) -> None:
            await ctx.report_progress(done, total, f"{done}/{total} documents")

        if not local and not service.settings.evaluation_roots:
            raise Forbidden(
                "run_evaluation over HTTP reads only folders listed in NUMZY_EVALUATION_ROOTS, and none is set. "
                "Run `numzy eval DATASET_DIR` on the server instead, or ask its operator to set the roots."
            )
        return await service.run_evaluation(team(), dataset, extractor=extractor, limit=limit, progress=progress)
