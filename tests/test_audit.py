import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.audit import AuditReport, Decision, audit, decide
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import Action, Finding, MissingSpec, Outcome, Rule, RuleContext, ThresholdSpec, default_rules


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


NOW = dt.datetime(2024, 6, 10, 9, 0, tzinfo=dt.UTC)
CTX = RuleContext(team_currency="USD", now=NOW)


def finding(outcome: Outcome, action: Action = "flag", name: str = "R") -> Finding:
    return Finding(
        rule_id=name.lower(), rule_name=name, outcome=outcome, severity="medium", action=action, message="m."
    )


@pytest.mark.parametrize(
    ("findings", "decision"),
    [
        ([], "approved"),
        ([finding("pass"), finding("skipped")], "approved"),
        ([finding("pass", action="reject"), finding("skipped", action="reject")], "approved"),
        ([finding("flag", action="flag")], "needs_review"),
        ([finding("flag", action="review")], "needs_review"),
        ([finding("error")], "needs_review"),
        ([finding("error", action="reject")], "needs_review"),
        ([finding("flag", action="reject")], "rejected"),
        ([finding("flag", action="review"), finding("error"), finding("flag", action="reject")], "rejected"),
    ],
)
def test_decision_policy(findings: list[Finding], decision: Decision) -> None:
    assert decide(findings) == decision


def defaults() -> list[Rule]:
    return [Rule.from_draft(draft, rule_id=f"d{n}") for n, draft in enumerate(default_rules("USD"))]


def test_audit_approves_a_small_weekday_receipt() -> None:
    fields = make_fields(total=Decimal("12.00"), currency="USD", date=dt.date(2024, 6, 5))
    report = audit("rc1", defaults(), fields, CTX)
    assert report.decision == "approved"
    assert report.rules_evaluated == 3
    assert report.summary == "Approved: 3 of 3 rules passed."
    assert report.created_at == NOW
    assert report.receipt_id == "rc1"


def test_audit_sends_a_large_weekend_receipt_to_review_naming_the_rules() -> None:
    fields = make_fields(total=Decimal("62.40"), currency="USD", date=dt.date(2024, 6, 8))
    report = audit("rc2", defaults(), fields, CTX)
    assert report.decision == "needs_review"
    assert report.summary == "Needs review: 2 rules fired (“Large total” and “Weekend purchase”)."
    assert [f.outcome for f in report.findings] == ["flag", "flag", "pass"]


def test_audit_rejects_when_a_reject_rule_fires() -> None:
    rules = [*defaults(), Rule(id="x", name="Over 1000", action="reject", spec=ThresholdSpec(value=Decimal(1000)))]
    fields = make_fields(total=Decimal(5000), currency="USD", date=dt.date(2024, 6, 5))
    report = audit("rc3", rules, fields, CTX)
    assert report.decision == "rejected"
    assert "“Over 1000”" in report.summary


def test_audit_counts_only_enabled_rules_and_mentions_skips() -> None:
    rules = [*defaults(), Rule(id="off", name="Off", enabled=False, spec=MissingSpec(fields=["merchant"]))]
    fields = make_fields(total=Decimal(10), currency="EUR", date=dt.date(2024, 6, 5))
    report = audit("rc4", rules, fields, CTX)
    assert report.rules_evaluated == 3
    assert report.decision == "approved"
    assert report.summary == "Approved: 2 of 3 rules passed and 1 was skipped."


def test_audit_with_no_rules_approves_and_says_so() -> None:
    report = audit("rc5", [], make_fields(), CTX)
    assert (report.decision, report.summary) == ("approved", "Approved: no rules are enabled.")


def test_audit_report_round_trips_through_json() -> None:
    report = audit("rc6", defaults(), make_fields(), CTX)
    assert AuditReport.model_validate_json(report.model_dump_json()) == report
    assert report.decision == "needs_review"
