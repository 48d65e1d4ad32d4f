"""Plain-English rule use cases: a sentence becomes a draft shown back in English and dry-run; activation saves it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from numzy_mcp.authoring import compile_rule, compile_with_llm, describe
from numzy_mcp.errors import InvalidInput, RuleInvalid
from numzy_mcp.rules import Rule, RuleDraft, parse_rule_draft
from numzy_mcp.rules.dry_run import DryRunResult
from numzy_mcp.service.rules import RuleUseCases

MAX_SENTENCE = 1000


class RuleDraftPreview(BaseModel):
    """A rule written from a sentence, not yet active: what it checks, what was not understood, what it would flag."""

    text: str = Field(description="The sentence as given.")
    draft: RuleDraft = Field(description="The compiled rule; pass it to activate_rule to make it live.")
    description: str = Field(description="The rule in plain English, generated from the rule itself.")
    unrecognized: list[str] = Field(description="Parts of the sentence the compiler did not use.")
    compiled_by: Literal["offline", "llm"] = Field(description="Which path wrote the rule.")
    dry_run: DryRunResult = Field(description="What the rule would have flagged among the team's past receipts.")


class AuthoringUseCases(RuleUseCases):
    """Rules from plain English."""

    async def rule_from_text(self, team_id: str, text: str, *, since: dt.date | None = None) -> RuleDraftPreview:
        """Compile a sentence into a draft rule, describe it back and dry-run it; nothing is saved.

        The offline compiler runs first; when it refuses and a model is configured, the LLM writes the rule.

        Raises:
            InvalidInput: an empty or overlong sentence.
            RuleInvalid: no checkable condition in the sentence; the message says what is missing.
        """
        sentence = " ".join(text.split())
        if not sentence or len(sentence) > MAX_SENTENCE:
            raise InvalidInput(f"Give one sentence of 1 to {MAX_SENTENCE} characters, e.g. 'Flag receipts over $100'.")
        await self._ensure_team(team_id)
        async with self._sessions() as session:
            currency = await self._team_currency(session, team_id)
        result = compile_rule(sentence, default_currency=currency)
        compiled_by: Literal["offline", "llm"] = "offline"
        if result.draft is None and not result.clauses and self._llm_model is not None:
            result = await compile_with_llm(sentence, self._llm_model)
            compiled_by = "llm"
        if result.draft is None:
            raise RuleInvalid(result.refusal or "No checkable condition was found in the sentence.")
        dry = await self.dry_run_rule(team_id, result.draft, since=since)
        return RuleDraftPreview(
            text=sentence,
            draft=result.draft,
            description=result.description or describe(result.draft),
            unrecognized=result.unrecognized,
            compiled_by=compiled_by,
            dry_run=dry,
        )

    async def activate_rule(self, team_id: str, draft: RuleDraft | dict[str, Any]) -> Rule:
        """Save a draft (from ``rule_from_text`` or written by hand) as an enabled rule.

        Raises:
            RuleInvalid: the draft is refused.
        """
        checked = draft if isinstance(draft, RuleDraft) else parse_rule_draft(draft)
        return await self.create_rule(team_id, checked.model_copy(update={"enabled": True}))
