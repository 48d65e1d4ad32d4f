"""Rule use cases: list, get, create, update (a new version), enable/disable, delete, dry-run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from numzy_mcp.errors import InvalidInput
from numzy_mcp.rules import Rule, RuleDraft, parse_rule_draft
from numzy_mcp.rules.dry_run import DryRunResult, context_factory, dry_run_async
from numzy_mcp.service.base import ServiceBase
from numzy_mcp.storage.repositories import RuleRepo
from numzy_mcp.views_build import rule_from_row

MAX_DRY_RUN_RECEIPTS = 20_000


class RuleUseCases(ServiceBase):
    """The team's audit rules."""

    async def list_rules(self, team_id: str, *, enabled_only: bool = False) -> list[Rule]:
        """The team's rules in evaluation order."""
        await self._ensure_team(team_id)
        async with self._sessions() as session:
            return [rule_from_row(row) for row in await RuleRepo(session, team_id).list(enabled_only=enabled_only)]

    async def get_rule(self, team_id: str, rule_id: str) -> Rule:
        """One rule.

        Raises:
            NotFound: no such rule in the team.
        """
        async with self._sessions() as session:
            return rule_from_row(await RuleRepo(session, team_id).get(rule_id))

    async def create_rule(self, team_id: str, draft: RuleDraft | dict[str, Any] | str) -> Rule:
        """Validate and store a new rule.

        Raises:
            RuleInvalid: the configuration is refused; the message names the field and what is allowed.
        """
        draft = draft if isinstance(draft, RuleDraft) else parse_rule_draft(draft)
        await self._ensure_team(team_id)
        now = self._clock()
        async with self._sessions.begin() as session:
            row = self._rule_row(team_id, draft, now)
            await RuleRepo(session, team_id).add(row)
            return rule_from_row(row)

    async def update_rule(self, team_id: str, rule_id: str, draft: RuleDraft | dict[str, Any] | str) -> Rule:
        """Replace a rule's name, severity, action, enabled flag and spec; the version goes up by one.

        Findings keep the version they ran with, so past audits stay explainable.

        Raises:
            NotFound: no such rule.
            RuleInvalid: the new configuration is refused.
        """
        draft = draft if isinstance(draft, RuleDraft) else parse_rule_draft(draft)
        async with self._sessions.begin() as session:
            row = await RuleRepo(session, team_id).get(rule_id)
            row.name, row.enabled, row.severity, row.action = draft.name, draft.enabled, draft.severity, draft.action
            row.spec = draft.model_dump(mode="json")["spec"]
            row.version += 1
            row.updated_at = self._clock()
            return rule_from_row(row)

    async def set_rule_enabled(self, team_id: str, rule_id: str, enabled: bool) -> Rule:
        """Enable or disable a rule (no new version: what it checks is unchanged).

        Raises:
            NotFound: no such rule.
        """
        async with self._sessions.begin() as session:
            row = await RuleRepo(session, team_id).get(rule_id)
            row.enabled = enabled
            row.updated_at = self._clock()
            return rule_from_row(row)

    async def delete_rule(self, team_id: str, rule_id: str) -> None:
        """Delete a rule; stored audits keep their findings.

        Raises:
            NotFound: no such rule.
        """
        async with self._sessions.begin() as session:
            await RuleRepo(session, team_id).delete(rule_id)

    async def dry_run_rule(
        self, team_id: str, rule: Rule | RuleDraft | dict[str, Any] | str, *, since: dt.date | None = None
    ) -> DryRunResult:
        """Run a rule or a draft over the team's stored receipts and report what it would flag; stores nothing.

        Args:
            team_id: the caller's team.
            rule: a stored rule, a draft, or the JSON a client sent (validated like a save).
            since: only receipts uploaded on or after this date.

        Raises:
            RuleInvalid: the draft is refused.
            InvalidInput: ``since`` is in the future.
        """
        checked: Rule | RuleDraft = rule if isinstance(rule, Rule | RuleDraft) else parse_rule_draft(rule)
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since is not None else None
        if start is not None and start > self._clock():
            raise InvalidInput(f"since={since} is in the future; no receipt can match.")
        await self._ensure_team(team_id)
        async with self._sessions() as session:
            receipts = await self._historic_receipts(session, team_id, since=start)
            base = await self._rule_context(session, team_id)
        return await dry_run_async(checked, receipts[-MAX_DRY_RUN_RECEIPTS:], context_factory(base))
