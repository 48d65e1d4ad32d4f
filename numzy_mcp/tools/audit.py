"""MCP tools for audits and explanations."""

from __future__ import annotations

from collections.abc import Callable

from fastmcp import FastMCP
from mcp.types import ToolAnnotations

from numzy_mcp.audit import AuditReport
from numzy_mcp.explain import Explanation
from numzy_mcp.service import NumzyService
from numzy_mcp.tools.errors import numzy_tool
from numzy_mcp.tools.receipts import ReceiptId


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """Add the audit tools to ``mcp``."""

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True))
    async def audit_receipt(receipt_id: ReceiptId) -> AuditReport:
        """Check a processed receipt against the team's enabled rules now; returns findings and the decision."""
        return await service.audit_receipt(team(), receipt_id)

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def explain_receipt(receipt_id: ReceiptId) -> Explanation:
        """Explain a receipt's decision in plain words: which rule fired, on which fields and values."""
        return await service.explain_receipt(team(), receipt_id)
