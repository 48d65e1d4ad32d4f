"""Rule use cases: list, create, delete."""

from __future__ import annotations

from typing import Any

from numzy_mcp.rules import Rule, RuleDraft, parse_rule_draft
from numzy_mcp.service.base import ServiceBase
from numzy_mcp.storage.repositories import RuleRepo
from numzy_mcp.views_build import rule_from_row


class RuleUseCases(ServiceBase):
    """The team's audit rules."""

    # ---- rules -----------------------------------------------------------------------------------

    async def list_rules(self, team_id: str) -> list[Rule]:
        """The team's rules in evaluation order."""
        await self._ensure_team(team_id)
        async with self._sessions() as session:
            return [rule_from_row(row) for row in await RuleRepo(session, team_id).list()]

    async def create_rule(self, team_id: str, draft: RuleDraft | dict[str, Any]) -> Rule:
        """Validate and store a new rule.

        Raises:
            RuleInvalid: the configuration is refused; the message names the field.
        """
        draft = draft if isinstance(draft, RuleDraft) else parse_rule_draft(draft)
        await self._ensure_team(team_id)
        now = self._clock()
        async with self._sessions.begin() as session:
            row = self._rule_row(team_id, draft, now)
            await RuleRepo(session, team_id).add(row)
            return rule_from_row(row)

    async def delete_rule(self, team_id: str, rule_id: str) -> None:
        """Delete a rule.

        Raises:
            NotFound: no such rule.
        """
        async with self._sessions.begin() as session:
            await RuleRepo(session, team_id).delete(rule_id)
