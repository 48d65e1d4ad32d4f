"""MCP tools for audit rules: list, create, update, delete, dry-run."""

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastmcp import FastMCP
from mcp.types import ToolAnnotations
from pydantic import Field

from numzy_mcp.rules import Rule, RuleDraft
from numzy_mcp.rules.dry_run import DryRunResult
from numzy_mcp.service import NumzyService, RuleDraftPreview
from numzy_mcp.tools.errors import numzy_tool

RuleId = Annotated[str, Field(description="Rule id (rul_…) from list_rules or create_rule.")]


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """Add the rule tools to ``mcp``."""

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def list_rules(
        enabled_only: Annotated[bool, Field(description="Only rules that run on new receipts.")] = False,
    ) -> list[Rule]:
        """List the team's audit rules in the order they run, with their specs, actions and versions."""
        return await service.list_rules(team(), enabled_only=enabled_only)

    @numzy_tool(
        mcp,
        scopes=("rules:write",),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False),
    )
    async def create_rule(
        rule: Annotated[RuleDraft, Field(description="The rule: name, severity, action and a spec of one rule type.")],
    ) -> Rule:
        """Create an audit rule from a structured spec; it runs on every new receipt. Try it first with test_rule."""
        return await service.create_rule(team(), rule)

    @numzy_tool(
        mcp,
        scopes=("rules:write",),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True),
    )
    async def update_rule(
        rule_id: RuleId,
        rule: Annotated[RuleDraft, Field(description="The whole new rule (name, severity, action, enabled, spec).")],
    ) -> Rule:
        """Replace a rule; its version goes up by one and past findings keep the version they ran with."""
        return await service.update_rule(team(), rule_id, rule)

    @numzy_tool(
        mcp,
        scopes=("rules:write",),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True),
    )
    async def delete_rule(rule_id: RuleId) -> str:
        """Delete an audit rule for good (to pause it instead, update it with enabled=false)."""
        await service.delete_rule(team(), rule_id)
        return f"Deleted rule {rule_id}."

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def create_rule_from_text(
        text: Annotated[str, Field(description="One policy sentence, e.g. 'Flag receipts over $100 on weekends'.")],
        since: Annotated[
            dt.date | None, Field(description="Dry-run over receipts uploaded since (YYYY-MM-DD).")
        ] = None,
    ) -> RuleDraftPreview:
        """Write an audit rule from a plain-English sentence; returns a DRAFT that is not active yet.

        The draft comes with its meaning in plain words, the parts of the sentence not understood, and what
        it would have flagged in past receipts. Show the description to the user; if they agree, call
        activate_rule with the draft.
        """
        return await service.rule_from_text(team(), text, since=since)

    @numzy_tool(
        mcp,
        scopes=("rules:write",),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False),
    )
    async def activate_rule(
        draft: Annotated[RuleDraft, Field(description="The draft from create_rule_from_text (or written by hand).")],
    ) -> Rule:
        """Make a draft rule live: from now on it audits every new receipt (and any re-audited one)."""
        return await service.activate_rule(team(), draft)

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def test_rule(
        rule: Annotated[RuleDraft | None, Field(description="A draft rule to try (not saved).")] = None,
        rule_id: Annotated[str | None, Field(description="Or the id of a stored rule.")] = None,
        since: Annotated[dt.date | None, Field(description="Only receipts uploaded on or after (YYYY-MM-DD).")] = None,
    ) -> DryRunResult:
        """Dry-run a rule over the team's past receipts: which it would flag, how many, for how much. Saves nothing."""
        return await service.test_rule(team(), draft=rule, rule_id=rule_id, since=since)
