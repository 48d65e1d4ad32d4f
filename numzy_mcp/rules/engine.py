"""Run rules against a receipt, the rules every new team starts with, and rule specs in English.

``evaluate`` runs the enabled rules in order. Each rule gives exactly one ``Finding``: ``flag`` when
its spec holds, ``pass`` when it does not, ``skipped`` when a field it needs is missing (the
``missing`` rule type never skips), and ``error`` when the rule itself raised. An error never stops
the other rules.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import Finding, Outcome, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import normalise_currency
from numzy_mcp.rules.missing import MissingSpec
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
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        rule_version=rule.version,
        outcome=outcome,
        severity=rule.severity,
        action=rule.action,
        fields=list(check.reads) if check else [],
        message=message,
    )


def evaluate_rule(rule: Rule, receipt: ExtractedFields, ctx: RuleContext) -> Finding:
    """One rule's finding on ``receipt``; an exception inside the rule becomes an ``error`` finding."""
    try:
        check = rule.spec.check(receipt, ctx)
    except Exception as error:  # a broken rule must never break the audit
        logger.warning("rule %s (%s) failed", rule.id, rule.name, exc_info=True)
        message = (
            f"The rule could not be checked ({type(error).__name__}: {error}); "
            "fix or disable the rule, then audit the receipt again."
        )
        return _finding(rule, "error", message)
    outcome = _outcome(check)
    return _finding(rule, outcome, _message(outcome, check), check)


def evaluate(rules: Sequence[Rule], receipt: ExtractedFields, ctx: RuleContext) -> list[Finding]:
    """The findings of the enabled ``rules`` on ``receipt``, in rule order.

    Args:
        rules: the team's rules; disabled ones are left out.
        receipt: the extracted fields to check.
        ctx: what rules may know beyond the receipt (team currency, now, history).

    Returns:
        One finding per enabled rule. Never raises because of a rule.
    """
    return [evaluate_rule(rule, receipt, ctx) for rule in rules if rule.enabled]


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
