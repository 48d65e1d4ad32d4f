"""Dry-run: run a rule (or a draft) over stored receipts and report what it would flag, storing nothing.

``dry_run`` is pure: the caller loads the receipts (oldest first) and says how to build each
receipt's ``RuleContext`` (``ctx_factory``); ``context_factory`` gives the usual one, where each
receipt's history is the receipts before it, so a duplicate is flagged once (on the later copy), as
an audit at upload would. ``dry_run`` is synchronous (declarative rules); ``dry_run_async`` runs
every rule type.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from numzy_mcp.receipts import DecimalStr
from numzy_mcp.rules.base import Finding, HistoricReceipt, RuleContext
from numzy_mcp.rules.engine import evaluate_rule, evaluate_rule_async
from numzy_mcp.rules.history_index import HistoryIndex
from numzy_mcp.rules.spec import Rule, RuleDraft, parse_rule_draft

CtxFactory = Callable[[HistoricReceipt, Sequence[HistoricReceipt]], RuleContext]
"""Builds the context of one receipt from the receipt and the history it may see."""

MAX_MATCHES = 1000


class DryRunMatch(BaseModel):
    """One receipt the rule would flag."""

    receipt_id: str
    merchant: str | None = None
    date: dt.date | None = None
    total: DecimalStr | None = None
    currency: str | None = None
    message: str


class DryRunResult(BaseModel):
    """What a rule would do over a set of receipts."""

    rule_name: str
    evaluated: int = Field(description="Receipts the rule ran on.")
    count: int = Field(description="Receipts the rule would flag.")
    matches: list[DryRunMatch] = Field(description=f"The flagged receipts, oldest first (at most {MAX_MATCHES}).")
    truncated: bool = Field(default=False, description="True when more receipts matched than are listed.")
    total_by_currency: dict[str, DecimalStr] = Field(description="Sum of the flagged totals per currency.")
    outcomes: dict[str, int] = Field(description="How many findings of each outcome (flag, pass, error, skipped).")
    errors: list[str] = Field(default_factory=list, description="The first few error messages, if any.")


def as_rule(rule_or_draft: Rule | RuleDraft | dict[str, Any] | str) -> Rule:
    """A ``Rule`` from a stored rule, a draft, or the JSON a client sent.

    Raises:
        RuleInvalid: the draft is refused (the message names the field).
    """
    if isinstance(rule_or_draft, Rule):
        return rule_or_draft
    draft = rule_or_draft if isinstance(rule_or_draft, RuleDraft) else parse_rule_draft(rule_or_draft)
    return Rule.from_draft(draft, rule_id="draft")


def context_factory(base: RuleContext) -> CtxFactory:
    """The usual ``ctx_factory``: ``base`` with the receipt's id, hash, submission time and history."""

    def build(receipt: HistoricReceipt, history: Sequence[HistoricReceipt]) -> RuleContext:
        return dataclasses.replace(
            base,
            receipt_id=receipt.receipt_id,
            sha256=receipt.sha256,
            submitted_at=receipt.submitted_at,
            history=history,
        )

    return build


class _Tally:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.matches: list[DryRunMatch] = []
        self.count = 0
        self.totals: dict[str, Decimal] = {}
        self.outcomes: dict[str, int] = {}
        self.errors: list[str] = []

    def add(self, receipt: HistoricReceipt, finding: Finding) -> None:
        self.outcomes[finding.outcome] = self.outcomes.get(finding.outcome, 0) + 1
        if finding.outcome == "error" and len(self.errors) < 5:
            self.errors.append(f"{receipt.receipt_id}: {finding.message}")
        if finding.outcome != "flag":
            return
        fields = receipt.fields
        self.count += 1
        if fields.total is not None:
            currency = fields.currency or "XXX"
            self.totals[currency] = self.totals.get(currency, Decimal(0)) + fields.total
        if len(self.matches) < MAX_MATCHES:
            self.matches.append(
                DryRunMatch(
                    receipt_id=receipt.receipt_id, merchant=fields.merchant, date=fields.date, total=fields.total,
                    currency=fields.currency, message=finding.message,
                )
            )  # fmt: skip

    def result(self, evaluated: int) -> DryRunResult:
        return DryRunResult(
            rule_name=self.rule.name,
            evaluated=evaluated,
            count=self.count,
            matches=self.matches,
            truncated=self.count > len(self.matches),
            total_by_currency=self.totals,
            outcomes=dict(self.outcomes),
            errors=self.errors,
        )


def dry_run(
    rule_or_draft: Rule | RuleDraft | dict[str, Any] | str,
    receipts: Sequence[HistoricReceipt],
    ctx_factory: CtxFactory,
) -> DryRunResult:
    """Run one rule over ``receipts`` (oldest first) synchronously and report its matches.

    Args:
        rule_or_draft: a stored rule, a draft, or its JSON (validated like a save; the rule is run
            even when disabled).
        receipts: the receipts to run over, oldest first; receipt *i* sees receipts before it as history.
        ctx_factory: builds each receipt's context (see ``context_factory``).

    Returns:
        The matches with receipt ids and amounts, their count and their total per currency.

    Raises:
        RuleInvalid: the draft is refused.
    """
    rule = as_rule(rule_or_draft)
    index = HistoryIndex(receipts)
    tally = _Tally(rule)
    for position, receipt in enumerate(index.receipts):
        ctx = ctx_factory(receipt, index.view(position))
        tally.add(receipt, evaluate_rule(rule, receipt.fields, ctx))
    return tally.result(len(index.receipts))


def dry_run_many(
    rules: Sequence[Rule | RuleDraft | dict[str, Any] | str],
    receipts: Sequence[HistoricReceipt],
    ctx_factory: CtxFactory,
) -> list[DryRunResult]:
    """``dry_run`` of several rules in one pass over ``receipts`` (one context per receipt), synchronously.

    Raises:
        RuleInvalid: a draft is refused.
    """
    parsed = [as_rule(rule) for rule in rules]
    index = HistoryIndex(receipts)
    tallies = [_Tally(rule) for rule in parsed]
    for position, receipt in enumerate(index.receipts):
        ctx = ctx_factory(receipt, index.view(position))
        for tally in tallies:
            tally.add(receipt, evaluate_rule(tally.rule, receipt.fields, ctx))
    return [tally.result(len(index.receipts)) for tally in tallies]


async def dry_run_async(
    rule_or_draft: Rule | RuleDraft | dict[str, Any] | str,
    receipts: Sequence[HistoricReceipt],
    ctx_factory: CtxFactory,
) -> DryRunResult:
    """``dry_run`` for every rule type (Python rules in the sandbox, LLM rules through the model)."""
    rule = as_rule(rule_or_draft)
    index = HistoryIndex(receipts)
    tally = _Tally(rule)
    for position, receipt in enumerate(index.receipts):
        ctx = ctx_factory(receipt, index.view(position))
        tally.add(receipt, await evaluate_rule_async(rule, receipt.fields, ctx))
    return tally.result(len(index.receipts))
