"""MCP adapter: ``build_mcp(service)`` returns a FastMCP server whose tools call one service method each."""

from __future__ import annotations

from collections.abc import Callable

from fastmcp import FastMCP

from numzy_mcp.service import NumzyService
from numzy_mcp.tools import audit, receipts

INSTRUCTIONS = """\
Numzy turns receipt images and PDFs into audited expense records.
Typical flow: upload_receipt (it waits for extraction and audit and returns the fields, findings and
decision) → explain_receipt for the reasons in plain words → audit_receipt after the team's rules
change. list_receipts pages through the team's receipts, newest first; get_receipt reads one.
Amounts are decimal strings with an ISO currency; dates are ISO (YYYY-MM-DD).
"""


def build_mcp(
    service: NumzyService,
    *,
    team: Callable[[], str] | None = None,
    allow_local_paths: bool = False,
) -> FastMCP:
    """A fresh MCP server over ``service``.

    Args:
        service: the use-case layer.
        team: returns the caller's team for the current request; default: the local owner's team.
        allow_local_paths: let ``upload_receipt`` read files by path (stdio only: the client is on this machine).
    """
    default_team = service.settings.default_team
    current_team = team or (lambda: default_team)
    mcp = FastMCP(
        "numzy",
        instructions=INSTRUCTIONS,
        version=service_version(),
        mask_error_details=True,
        list_page_size=100,
    )
    receipts.register(mcp, service, current_team, allow_local_paths=allow_local_paths)
    audit.register(mcp, service, current_team)
    return mcp


def service_version() -> str:
    """The installed Numzy version."""
    from numzy_mcp import __version__

    return __version__
