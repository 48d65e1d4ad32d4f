"""Audit a receipt: run the team's rules and roll their findings up into one decision.

Decision policy, applied to the findings of the enabled rules:

1. ``rejected`` when any finding with outcome ``flag`` has action ``reject``;
2. else ``needs_review`` when any rule fired (outcome ``flag``, whatever its action) or any rule
   failed to run (outcome ``error``: an unchecked rule must not approve a receipt silently);
3. otherwise ``approved``. ``pass`` and ``skipped`` findings never block a receipt; a rule that
   must fire on missing fields is written with the ``missing`` rule type, which never skips.

A finding can only make the decision stricter: no finding lowers another, so an LLM rule (which may
only flag or ask for review, see ``numzy_mcp.rules.llm_judge``) can never approve a receipt or clear
what a deterministic rule found. ``audit_async`` runs every rule type; ``audit`` is the synchronous
path for declarative rules (a ``python`` or ``llm`` rule gives an ``error`` finding there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, assert_never

from pydantic import BaseModel, Field

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import Finding, Rule, RuleContext, evaluate, evaluate_async

Decision = Literal["approved", "needs_review", "rejected"]


class AuditReport(BaseModel):
    """The outcome of auditing one receipt: the decision, every finding, and a one-sentence summary."""

    receipt_id: str
    decision: Decision
    findings: list[Finding] = Field(default_factory=list)
    rules_evaluated: int = Field(description="How many enabled rules ran (one finding each).")
    created_at: dt.datetime
    summary: str = Field(description="One sentence stating the decision and why.")


def decide(findings: Sequence[Finding]) -> Decision:
    """The decision the findings call for (see the module docstring for the policy)."""
    fired = [finding for finding in findings if finding.outcome == "flag"]
    if any(finding.action == "reject" for finding in fired):
        return "rejected"
    if fired or any(finding.outcome == "error" for finding in findings):
        return "needs_review"
    return "approved"


def _names(findings: Sequence[Finding]) -> str:
    quoted = [f"“{finding.rule_name}”" for finding in findings]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summarize(decision: Decision, findings: Sequence[Finding]) -> str:
    """One sentence stating ``decision`` and the rules behind it."""
    fired = [finding for finding in findings if finding.outcome == "flag"]
    errors = [finding for finding in findings if finding.outcome == "error"]
    skipped = [finding for finding in findings if finding.outcome == "skipped"]
    match decision:
        case "rejected":
            rejecting = [finding for finding in fired if finding.action == "reject"]
            return f"Rejected: {_names(rejecting)} fired, and {'it rejects' if len(rejecting) == 1 else 'they reject'} such receipts."
        case "needs_review":
            parts: list[str] = []
            if fired:
                parts.append(f"{_count(len(fired), 'rule')} fired ({_names(fired)})")
            if errors:
                parts.append(f"{_count(len(errors), 'rule')} could not run ({_names(errors)})")
            return f"Needs review: {' and '.join(parts)}."
        case "approved":
            if not findings:
                return "Approved: no rules are enabled."
            passed = len(findings) - len(skipped)
            text = f"Approved: {passed} of {_count(len(findings), 'rule')} passed"
            if skipped:
                text += f" and {len(skipped)} {'was' if len(skipped) == 1 else 'were'} skipped"
            return text + "."
        case _ as unreachable:
            assert_never(unreachable)


def audit(receipt_id: str, rules: Sequence[Rule], fields: ExtractedFields, ctx: RuleContext) -> AuditReport:
    """Run the enabled ``rules`` on a receipt's ``fields`` and decide (synchronously; declarative rules).

    Args:
        receipt_id: the receipt audited.
        rules: the team's rules, in order; disabled ones are left out.
        fields: the receipt's extracted fields.
        ctx: what rules may know beyond the receipt; ``ctx.now`` stamps the report.

    Returns:
        The report. Never raises because of a rule: a failing rule is an ``error`` finding.
    """
    return _report(receipt_id, evaluate(rules, fields, ctx), ctx)


async def audit_async(receipt_id: str, rules: Sequence[Rule], fields: ExtractedFields, ctx: RuleContext) -> AuditReport:
    """``audit`` for every rule type: Python rules in the sandbox and LLM rules through the model.

    Args:
        receipt_id: the receipt audited.
        rules: the team's rules, in order; disabled ones are left out.
        fields: the receipt's extracted fields.
        ctx: what rules may know and use (``allow_python``, ``sandbox``, ``llm_model``, history, …).

    Returns:
        The report. Never raises because of a rule.
    """
    return _report(receipt_id, await evaluate_async(rules, fields, ctx), ctx)


def _report(receipt_id: str, findings: list[Finding], ctx: RuleContext) -> AuditReport:
    decision = decide(findings)
    return AuditReport(
        receipt_id=receipt_id,
        decision=decision,
        findings=findings,
        rules_evaluated=len(findings),
        created_at=ctx.now,
        summary=summarize(decision, findings),
    )
