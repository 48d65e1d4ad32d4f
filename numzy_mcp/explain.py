"""Explain an audit decision from its findings: rule → fields → values → text. Deterministic, no LLM.

The explanation is built only from the stored ``AuditReport`` (and, when given, the receipt's
``ExtractedFields`` for a one-line receipt header and low-confidence warnings), so the same report
always explains the same way. An LLM may later rephrase ``text``; it must not be needed to produce it.
"""

from __future__ import annotations

from typing import assert_never

from pydantic import BaseModel, Field

from numzy_mcp.audit import AuditReport, Decision
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import Finding
from numzy_mcp.rules.fields import format_amount

LOW_CONFIDENCE = 0.8
"""Fields read with a confidence below this are called out in the explanation."""


class Explanation(BaseModel):
    """Why a receipt got its decision, for a person or an agent."""

    receipt_id: str
    decision: Decision
    headline: str = Field(description="One sentence: the decision and the rules behind it.")
    reasons: list[str] = Field(description="One sentence or two per rule that fired, failed or was skipped.")
    passed: list[str] = Field(description="Names of the rules that passed.")
    text: str = Field(description="The whole explanation as Markdown.")


def _rank(finding: Finding) -> int:
    if finding.outcome == "flag":
        return {"reject": 0, "review": 1, "flag": 2}[finding.action]
    return {"error": 3, "skipped": 4}.get(finding.outcome, 5)


def _reads(finding: Finding) -> str:
    if not finding.fields:
        return ""
    shown = [f"{read.field} = {read.value if read.value is not None else 'missing'}" for read in finding.fields]
    return f" Read: {', '.join(shown)}."


def _confidence_notes(finding: Finding, fields: ExtractedFields | None) -> str:
    if fields is None:
        return ""
    notes = [
        f" The {read.field} was read with {fields.confidence[read.field]:.0%} confidence; check it on the receipt image."
        for read in finding.fields
        if read.value is not None and fields.confidence.get(read.field, 1.0) < LOW_CONFIDENCE
    ]
    return "".join(notes)


def reason(finding: Finding, fields: ExtractedFields | None = None) -> str:
    """One reason naming the rule, what it did, the sentence it wrote, and the fields and values it read."""
    name = f"“{finding.rule_name}”"
    message = finding.message.removeprefix("Skipped: ")
    message = message[:1].upper() + message[1:]
    match finding.outcome:
        case "flag":
            verb = {"reject": "rejects the receipt", "review": "asks for a review", "flag": "flagged the receipt"}
            head = f"{name} {verb[finding.action]} ({finding.severity} severity)"
        case "error":
            head = f"{name} could not run"
        case "skipped":
            head = f"{name} was skipped"
        case "pass":
            head = f"{name} passed"
        case _ as unreachable:
            assert_never(unreachable)
    return f"{head}: {message}{_reads(finding)}{_confidence_notes(finding, fields)}"


def _receipt_line(fields: ExtractedFields) -> str:
    parts: list[str] = []
    if fields.merchant:
        parts.append(fields.merchant)
    if fields.date:
        when = f"{fields.date:%A} {fields.date.isoformat()}"
        parts.append(f"{when} {fields.time:%H:%M}" if fields.time else when)
    if fields.total is not None:
        parts.append(f"total {format_amount(fields.total, fields.currency)}")
    if fields.category:
        parts.append(f"category {fields.category}")
    return f"Receipt: {', '.join(parts)}." if parts else "Receipt: no merchant, date or total was read."


def _next_step(decision: Decision) -> str:
    match decision:
        case "approved":
            return "Next step: nothing; the receipt can be filed as it is."
        case "needs_review":
            return "Next step: a person should check the points above, then approve or reject the receipt."
        case "rejected":
            return "Next step: the expense cannot be approved as submitted; tell the submitter which rule it broke."
        case _ as unreachable:
            assert_never(unreachable)


def explain(report: AuditReport, fields: ExtractedFields | None = None) -> Explanation:
    """Explain ``report`` in words.

    Args:
        report: the audit to explain.
        fields: the receipt's fields, for a receipt header and low-confidence warnings (optional).

    Returns:
        The explanation; the same inputs always give the same text.
    """
    notable = sorted((f for f in report.findings if f.outcome != "pass"), key=_rank)
    reasons = [reason(finding, fields) for finding in notable]
    passed = [finding.rule_name for finding in report.findings if finding.outcome == "pass"]
    lines = [f"**{report.summary}**", ""]
    if fields is not None:
        lines += [_receipt_line(fields), ""]
    if reasons:
        lines += ["Why:", *[f"- {text}" for text in reasons], ""]
    if passed:
        lines += [f"Passed ({len(passed)}): {', '.join(passed)}.", ""]
    lines.append(_next_step(report.decision))
    return Explanation(
        receipt_id=report.receipt_id,
        decision=report.decision,
        headline=report.summary,
        reasons=reasons,
        passed=passed,
        text="\n".join(lines),
    )
