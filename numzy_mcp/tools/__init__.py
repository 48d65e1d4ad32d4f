"""MCP adapter: ``build_mcp(service)`` returns a FastMCP server whose tools call one service method each."""

from __future__ import annotations

from collections.abc import Callable

from fastmcp import FastMCP

from numzy_mcp.service import NumzyService, Principal
from numzy_mcp.tools import audit, evaluation, prompts, receipts, resources, rules, usage
from numzy_mcp.tools.auth import current_principal
from numzy_mcp.tools.errors import ArgumentErrors

INSTRUCTIONS = """\
Numzy turns receipt images and PDFs into audited expense records.
Typical flow: upload_receipt (it waits for extraction and audit and returns the fields, findings and
decision) → explain_receipt for the reasons in plain words → audit_receipt after the team's rules
change. upload_receipts takes a batch. list_receipts pages through the team's receipts, newest first;
search_receipts finds them by merchant or printed text; get_receipt reads one (also as the resource
receipt://{id}, with the original file at receipt://{id}/file). delete_receipt asks the user first.
The prompts audit_receipt, explain_decision, write_rule and monthly_spend_review are editable per team
(list_prompt_templates, get_prompt_template, update_prompt_template). get_usage counts this month's work.
Amounts are decimal strings with an ISO currency; dates are ISO (YYYY-MM-DD).
"""


def build_mcp(
    service: NumzyService,
    *,
    team: Callable[[], str] | None = None,
    allow_local_paths: bool = False,
) -> FastMCP:
    """A fresh MCP server over ``service``.

    Over HTTP (mounted by ``numzy_mcp.api.create_app``) the caller's team and scopes come from the
    request's API key; over stdio and in memory the caller is the local owner with every scope.

    Args:
        service: the use-case layer.
        team: the local owner's team when no API key is involved; default ``settings.default_team``.
        allow_local_paths: let ``upload_receipt`` read files by path (stdio only: the client is on this machine).
    """
    default_team = service.settings.default_team

    def local_owner() -> Principal:
        return Principal.local_owner(team() if team is not None else default_team)

    def current_team() -> str:
        return current_principal(local_owner).team_id

    mcp = FastMCP(
        "numzy",
        instructions=INSTRUCTIONS,
        version=service_version(),
        mask_error_details=True,
        list_page_size=100,
    )
    mcp.add_middleware(ArgumentErrors())
    receipts.register(mcp, service, current_team, allow_local_paths=allow_local_paths)
    audit.register(mcp, service, current_team)
    rules.register(mcp, service, current_team)
    evaluation.register(mcp, service, current_team, local=allow_local_paths)
    usage.register(mcp, service, current_team)
    prompts.register(mcp, service, current_team)
    resources.register(mcp, service, current_team)
    return mcp


def service_version() -> str:
    """The installed Numzy version."""
    from numzy_mcp import __version__

    return __version__
