"""REST routes for audit rules: CRUD, enable/disable, dry-run."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field

from numzy_mcp.api.deps import ServiceDep, TeamDep
from numzy_mcp.rules import Rule, RuleDraft
from numzy_mcp.rules.dry_run import DryRunResult
from numzy_mcp.service import RuleDraftPreview

router = APIRouter(prefix="/audit_rules", tags=["rules"])

RuleBody = Annotated[
    dict[str, Any],
    Body(
        description="A rule draft: name, enabled, severity, action and spec (see the RuleDraft schema).",
        openapi_examples={
            "large total": {
                "value": {
                    "name": "Large total",
                    "action": "flag",
                    "spec": {"type": "threshold", "field": "total", "operator": ">", "value": "100"},
                }
            }
        },
    ),
]


class DryRunRequest(BaseModel):
    """What to dry-run: a draft, or the id of a stored rule."""

    rule: dict[str, Any] | None = Field(default=None, description="A rule draft, as for POST /audit_rules.")
    rule_id: str | None = Field(default=None, description="A stored rule's id.")
    since: dt.date | None = Field(default=None, description="Only receipts uploaded on or after this date.")


@router.get("")
async def list_rules(service: ServiceDep, team: TeamDep) -> list[Rule]:
    """The team's rules in evaluation order."""
    return await service.list_rules(team)


@router.post("", status_code=201)
async def create_rule(body: RuleBody, service: ServiceDep, team: TeamDep) -> Rule:
    """Create a rule; a refused configuration is 422 ``rule_invalid`` naming the field and what is allowed."""
    return await service.create_rule(team, body)


@router.post("/dry_run")
async def dry_run(body: DryRunRequest, service: ServiceDep, team: TeamDep) -> DryRunResult:
    """Run a draft or a stored rule over the team's receipts; report the matches; store nothing."""
    return await service.test_rule(team, draft=body.rule, rule_id=body.rule_id, since=body.since)


class FromTextRequest(BaseModel):
    """A policy sentence to turn into a draft rule."""

    text: str = Field(description="e.g. 'Flag receipts over $100 on weekends'.")
    since: dt.date | None = Field(default=None, description="Dry-run over receipts uploaded on or after this date.")


@router.post("/from_text")
async def rule_from_text(body: FromTextRequest, service: ServiceDep, team: TeamDep) -> RuleDraftPreview:
    """Compile a sentence into a draft: the rule, its English, what was not understood, a dry-run. Saves nothing.

    Activate it with ``POST /audit_rules`` (body: the returned ``draft``). A sentence with no checkable
    condition is 422 ``rule_invalid`` saying what is missing.
    """
    return await service.rule_from_text(team, body.text, since=body.since)


@router.get("/{rule_id}")
async def get_rule(rule_id: str, service: ServiceDep, team: TeamDep) -> Rule:
    """One rule."""
    return await service.get_rule(team, rule_id)


@router.put("/{rule_id}")
async def update_rule(rule_id: str, body: RuleBody, service: ServiceDep, team: TeamDep) -> Rule:
    """Replace a rule; its version goes up by one."""
    return await service.update_rule(team, rule_id, body)


@router.post("/{rule_id}/enable")
async def enable_rule(rule_id: str, service: ServiceDep, team: TeamDep) -> Rule:
    """Enable a rule."""
    return await service.set_rule_enabled(team, rule_id, True)


@router.post("/{rule_id}/disable")
async def disable_rule(rule_id: str, service: ServiceDep, team: TeamDep) -> Rule:
    """Disable a rule (kept, not evaluated)."""
    return await service.set_rule_enabled(team, rule_id, False)


@router.delete("/{rule_id}", status_code=204)
async def delete_rule(rule_id: str, service: ServiceDep, team: TeamDep) -> Response:
    """Delete a rule."""
    await service.delete_rule(team, rule_id)
    return Response(status_code=204)


__all__ = ["RuleDraft", "router"]
