"""Rule use cases: list, get, create, update (a new version), enable/disable, delete, dry-run."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from typing import Any

from numzy_mcp.errors import Conflict, InvalidInput
from numzy_mcp.rules import Rule, RuleDraft, parse_rule_draft
from numzy_mcp.rules.dry_run import DryRunResult, as_rule, context_factory, dry_run_async, dry_run_many
from numzy_mcp.rules.engine import is_async
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
            Conflict: an enabled rule of the team already checks the same thing with the same action
                (saving the same sentence twice would double every finding).
        """
        draft = draft if isinstance(draft, RuleDraft) else parse_rule_draft(draft)
        await self._ensure_team(team_id)
        now = self._clock()
        async with self._rule_writes, self._sessions.begin() as session:
            repo = RuleRepo(session, team_id)
            if draft.enabled:
                await _refuse_copy(repo, draft)
            row = self._rule_row(team_id, draft, now)
            await repo.add(row)
            return rule_from_row(row)

    async def update_rule(self, team_id: str, rule_id: str, draft: RuleDraft | dict[str, Any] | str) -> Rule:
        """Replace a rule's name, severity, action, enabled flag and spec; the version goes up by one.

        Findings keep the version they ran with, so past audits stay explainable.

        Raises:
            NotFound: no such rule.
            RuleInvalid: the new configuration is refused.
            Conflict: it would become a copy of another enabled rule.
        """
        draft = draft if isinstance(draft, RuleDraft) else parse_rule_draft(draft)
        async with self._rule_writes, self._sessions.begin() as session:
            repo = RuleRepo(session, team_id)
            row = await repo.get(rule_id)
            if draft.enabled:
                await _refuse_copy(repo, draft, besides=rule_id)
            row.name, row.enabled, row.severity, row.action = draft.name, draft.enabled, draft.severity, draft.action
            row.spec = draft.model_dump(mode="json")["spec"]
            row.version += 1
            row.updated_at = self._clock()
            return rule_from_row(row)

    async def set_rule_enabled(self, team_id: str, rule_id: str, enabled: bool) -> Rule:
        """Enable or disable a rule (no new version: what it checks is unchanged).

        Raises:
            NotFound: no such rule.
            Conflict: enabling it would run a copy of another enabled rule.
        """
        async with self._rule_writes, self._sessions.begin() as session:
            repo = RuleRepo(session, team_id)
            row = await repo.get(rule_id)
            if enabled and not row.enabled:
                await _refuse_copy(repo, rule_from_row(row), besides=rule_id)
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
        return (await self.dry_run_rules(team_id, [rule], since=since))[0]

    async def test_rule(
        self,
        team_id: str,
        *,
        draft: RuleDraft | dict[str, Any] | None = None,
        rule_id: str | None = None,
        since: dt.date | None = None,
    ) -> DryRunResult:
        """Dry-run either a draft or a stored rule (exactly one) over the team's past receipts.

        Raises:
            InvalidInput: neither or both were given, or ``since`` is in the future.
            NotFound: no rule has ``rule_id`` in the team.
            RuleInvalid: the draft is refused.
        """
        if (draft is None) == (rule_id is None):
            raise InvalidInput("Give exactly one of rule (a draft) or rule_id.")
        target: Rule | RuleDraft | dict[str, Any] = (
            draft if draft is not None else await self.get_rule(team_id, str(rule_id))
        )
        return await self.dry_run_rule(team_id, target, since=since)

    async def dry_run_rules(
        self, team_id: str, rules: Sequence[Rule | RuleDraft | dict[str, Any] | str], *, since: dt.date | None = None
    ) -> list[DryRunResult]:
        """``dry_run_rule`` for several rules (e.g. a whole rule set) with one read of the receipts.

        Declarative rules share one pass over the receipts, off the event loop; Python and LLM rules
        run one by one through the sandbox or the model.

        Raises:
            RuleInvalid: a draft is refused.
            InvalidInput: ``since`` is in the future.
        """
        checked = [as_rule(rule) if not isinstance(rule, Rule) else rule for rule in rules]
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since is not None else None
        if start is not None and start > self._clock():
            raise InvalidInput(f"since={since} is in the future; no receipt can match.")
        await self._ensure_team(team_id)
        async with self._sessions() as session:
            receipts = (await self._historic_receipts(session, team_id, since=start))[-MAX_DRY_RUN_RECEIPTS:]
            base = await self._rule_context(session, team_id)
        factory = context_factory(base)
        declarative = [rule for rule in checked if not is_async(rule.spec)]
        together = await asyncio.to_thread(dry_run_many, declarative, receipts, factory)
        results = {id(rule): result for rule, result in zip(declarative, together, strict=True)}
        for rule in checked:
            if id(rule) not in results:
                results[id(rule)] = await dry_run_async(rule, receipts, factory)
        return [results[id(rule)] for rule in checked]


async def _refuse_copy(repo: RuleRepo, draft: RuleDraft, *, besides: str | None = None) -> None:
    """Refuse an enabled rule that another enabled rule already is: the same check, same action.

    Specs are compared as validated values, so "100" and "100.00" are one limit.
    """
    for other in await repo.list(enabled_only=True):
        if other.id == besides or other.action != draft.action:
            continue
        if rule_from_row(other).spec == draft.spec:
            raise Conflict(
                f"Rule {other.id} ({other.name!r}) already {other.action}s exactly these receipts. "
                "Change that rule (update_rule / PUT /audit_rules/{id}) instead of adding a copy, "
                "or save this one with enabled=false."
            )
