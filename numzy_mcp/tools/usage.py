"""The ``get_usage`` tool."""

from collections.abc import Callable

from fastmcp import FastMCP
from mcp.types import ToolAnnotations

from numzy_mcp.service import NumzyService
from numzy_mcp.service.usage import Usage
from numzy_mcp.tools.errors import numzy_tool


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """Add the usage tool to ``mcp``."""

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def get_usage() -> Usage:
        """Count receipts uploaded this month by status (UTC calendar month), all receipts, rules and active API keys."""
        return await service.get_usage(team())
