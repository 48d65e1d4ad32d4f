"""Run rules against a receipt, the rules every new team starts with, and rule specs in English.

``evaluate_async`` runs the enabled rules in order (``python`` and ``llm`` rules concurrently, out of
process); ``evaluate`` is the synchronous path for declarative rules. Each rule gives exactly one
``Finding``: ``flag`` when its spec holds, ``pass`` when it does not, ``skipped`` when a field it
needs is missing or the rule is not allowed to run here (the ``missing`` rule type never skips), and
``error`` when the rule itself failed. An error never stops the other rules. A finding's action is
the rule's, except that an LLM rule may ask for review instead and never rejects.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from decimal import Decimal

from numzy_mcp.errors import SandboxRefused
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.anomaly import AnomalySpec
from numzy_mcp.rules.base import Finding, Outcome, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.composite import AllSpec, AnySpec, NotSpec
from numzy_mcp.rules.fields import normalise_currency
from numzy_mcp.rules.history import DuplicateSpec, FrequencySpec, SplitSpec
from numzy_mcp.rules.llm_judge import LlmJudgeFailed, LlmSpec
from numzy_mcp.rules.missing import MissingSpec
from numzy_mcp.rules.python_rule import PythonSpec
from numzy_mcp.rules.spec import Rule, RuleDraft, RuleSpec
from numzy_mcp.rules.threshold import ThresholdSpec
from numzy_mcp.rules.timing import TimeSpec

logger = logging.getLogger(__name__)


def _outcome(check: Check) -> Outcome:
    if check.matched is None:
        return "skipped"
    return "flag" if check.matched else "pass"


def _message(outcome: Outcome, check: Check) -> str:
    sentence = check.sentence()
    if outcome == "skipped":
        return f"Skipped: {sentence[0].lower()}{sentence[1:]}"
    return sentence


def _finding(rule: Rule, outcome: Outcome, message: str, check: Check | None = None) -> Finding:
    action = rule.action if check is None or check.action is None else check.action
    if isinstance(rule.spec, LlmSpec) and (outcome == "error" or action == "reject"):
        action = "review"  # an LLM rule can only flag or ask for review
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        rule_version=rule.version,
        outcome=outcome,
        severity=rule.severity,
        action=action,
        fields=list(check.reads) if check else [],
        message=message,
    )


def _from_check(rule: Rule, check: Check) -> Finding:
    outcome = _outcome(check)
    return _finding(rule, outcome, _message(outcome, check), check)


def _from_error(rule: Rule, error: Exception) -> Finding:
    logger.warning("rule %s (%s) failed: %s: %s", rule.id, rule.name, type(error).__name__, error)
    if isinstance(error, LlmJudgeFailed):
        message = f"The LLM rule gave no usable verdict ({error}); a person should review the receipt."
    elif isinstance(error, SandboxRefused):
        message = f"The Python rule was stopped by the sandbox ({error}); fix or disable the rule."
    else:
        message = (
            f"The rule could not be checked ({type(error).__name__}: {error}); "
            "fix or disable the rule, then audit the receipt again."
        )
    return _finding(rule, "error", message)


def is_async(spec: RuleSpec) -> bool:
    """True for rule types that run out of process (``python``, ``llm``) and need ``evaluate_async``."""
    return isinstance(spec, PythonSpec | LlmSpec)


HISTORY_SPECS = (DuplicateSpec, SplitSpec, FrequencySpec, AnomalySpec)
"""Rule types that read the team's past receipts (``RuleContext.history``)."""


def reads_history(spec: RuleSpec) -> bool:
    """True when the rule, or any rule nested in a composite, reads the team's past receipts."""
    if isinstance(spec, HISTORY_SPECS):
        return True
    if isinstance(spec, AllSpec | AnySpec):
        return any(reads_history(child) for child in spec.rules)
    if isinstance(spec, NotSpec):
        return reads_history(spec.rule)
    return False


def evaluate_rule(rule: Rule, receipt: ExtractedFields, ctx: RuleContext) -> Finding:
    """One rule's finding on ``receipt``, synchronously; an exception becomes an ``error`` finding.

    ``python`` and ``llm`` rules cannot run on this path: they give an ``error`` finding (so the
    receipt goes to review) telling the caller to use ``evaluate_rule_async``.
    """
    spec = rule.spec
    if isinstance(spec, PythonSpec | LlmSpec):
        return _finding(rule, "error", f"{spec.type} rules run only in the asynchronous engine (evaluate_async).")
    try:
        check = spec.check(receipt, ctx)
    except Exception as error:  # noqa: BLE001 - a broken rule must never break the audit
        return _from_error(rule, error)
    return _from_check(rule, check)


async def evaluate_rule_async(rule: Rule, receipt: ExtractedFields, ctx: RuleContext) -> Finding:
    """One rule's finding on ``receipt``, any rule type; an exception becomes an ``error`` finding."""
    spec = rule.spec
    if not isinstance(spec, PythonSpec | LlmSpec):
        return evaluate_rule(rule, receipt, ctx)
    try:
        check = await spec.acheck(receipt, ctx)
    except Exception as error:  # noqa: BLE001 - sandbox, model and network failures are findings too
        return _from_error(rule, error)
    return _from_check(rule, check)


def evaluate(rules: Sequence[Rule], receipt: ExtractedFields, ctx: RuleContext) -> list[Finding]:
    """The findings of the enabled ``rules`` on ``receipt``, in rule order, synchronously.

    The fast path for declarative rules (benchmarks, dry-runs of declarative drafts). A ``python`` or
    ``llm`` rule gives an ``error`` finding here; use ``evaluate_async`` to run them.

    Args:
        rules: the team's rules; disabled ones are left out.
        receipt: the extracted fields to check.
        ctx: what rules may know beyond the receipt (team currency, now, history).

    Returns:
        One finding per enabled rule. Never raises because of a rule.
    """
    return [evaluate_rule(rule, receipt, ctx) for rule in rules if rule.enabled]


async def evaluate_async(rules: Sequence[Rule], receipt: ExtractedFields, ctx: RuleContext) -> list[Finding]:
    """The findings of the enabled ``rules`` on ``receipt``, in rule order, every rule type.

    Declarative rules run in process; ``python`` rules (sandbox workers) and ``llm`` rules (the model)
    run concurrently. Never raises because of a rule.
    """
    enabled = [rule for rule in rules if rule.enabled]
    return list(await asyncio.gather(*(evaluate_rule_async(rule, receipt, ctx) for rule in enabled)))


def default_rules(currency: str, large_total: Decimal = Decimal(50)) -> list[RuleDraft]:
    """The rules a new team starts with.

    Args:
        currency: the team's ISO 4217 currency; the large-total rule applies only to receipts in it.
        large_total: totals above this amount are flagged.

    Returns:
        "Large total" (flag), "Weekend purchase" (flag) and "Missing total or date" (review).

    Raises:
        ValueError: ``currency`` is not a 3-letter code.
    """
    currency = normalise_currency(currency)
    return [
        RuleDraft(
            name="Large total",
            severity="medium",
            action="flag",
            spec=ThresholdSpec(field="total", operator=">", value=large_total, currency=currency),
        ),
        RuleDraft(
            name="Weekend purchase",
            severity="low",
            action="flag",
            spec=TimeSpec(weekdays=["saturday", "sunday"]),
        ),
        RuleDraft(
            name="Missing total or date",
            severity="medium",
            action="review",
            spec=MissingSpec(fields=["total", "date"]),
        ),
    ]


def describe_spec(spec: RuleSpec) -> str:
    """One plain-English sentence saying what ``spec`` flags: "Flags receipts whose total is over 50.00 USD."."""
    return f"Flags receipts {spec.describe()}."
