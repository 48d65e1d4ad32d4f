import datetime as dt
from decimal import Decimal

from numzy_mcp.audit import AuditReport, audit
from numzy_mcp.explain import explain
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import CategorySpec, Finding, Rule, RuleContext, default_rules


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext(team_currency="USD", now=dt.datetime(2024, 6, 10, tzinfo=dt.UTC))
WEEKEND_LUNCH = make_fields(
    merchant="Corner Cafe",
    date=dt.date(2024, 6, 8),
    time=dt.time(13, 5),
    total=Decimal("62.40"),
    currency="USD",
    category="meals",
)


def rules() -> list[Rule]:
    return [Rule.from_draft(draft, rule_id=f"d{n}") for n, draft in enumerate(default_rules("USD"))]


def test_explanation_names_rule_field_and_value_for_each_flag() -> None:
    explanation = explain(audit("rc1", rules(), WEEKEND_LUNCH, CTX))
    assert explanation.decision == "needs_review"
    assert explanation.reasons == [
        (
            "“Large total” flagged the receipt (medium severity): Total 62.40 USD is over the limit of 50.00 USD. "
            "Read: total = 62.40, currency = USD."
        ),
        (
            "“Weekend purchase” flagged the receipt (low severity): The purchase was on Saturday 2024-06-08. "
            "Read: date = 2024-06-08."
        ),
    ]
    assert explanation.passed == ["Missing total or date"]


def test_explanation_text_is_readable_markdown_with_receipt_line_and_next_step() -> None:
    explanation = explain(audit("rc1", rules(), WEEKEND_LUNCH, CTX), WEEKEND_LUNCH)
    assert explanation.text.splitlines()[0] == "**Needs review: 2 rules fired (“Large total” and “Weekend purchase”).**"
    assert "Receipt: Corner Cafe, Saturday 2024-06-08 13:05, total 62.40 USD, category meals." in explanation.text
    assert "- “Large total” flagged the receipt" in explanation.text
    assert "Passed (1): Missing total or date." in explanation.text
    assert explanation.text.endswith("then approve or reject the receipt.")


def test_explanation_puts_rejecting_rule_first_then_errors_then_skips() -> None:
    report = AuditReport(
        receipt_id="rc2",
        decision="rejected",
        findings=[
            Finding(
                rule_id="s",
                rule_name="Skipper",
                outcome="skipped",
                severity="low",
                action="flag",
                message="Skipped: the receipt has no date.",
            ),
            Finding(
                rule_id="e",
                rule_name="Broken",
                outcome="error",
                severity="low",
                action="flag",
                message="The rule could not be checked.",
            ),
            Finding(
                rule_id="r",
                rule_name="No alcohol",
                outcome="flag",
                severity="high",
                action="reject",
                message="Category alcohol is alcohol.",
            ),
        ],
        rules_evaluated=3,
        created_at=CTX.now,
        summary="Rejected: “No alcohol” fired, and it rejects such receipts.",
    )
    reasons = explain(report).reasons
    assert [reason.split(" ", 2)[0:2] for reason in reasons] == [
        ["“No", "alcohol”"],
        ["“Broken”", "could"],
        ["“Skipper”", "was"],
    ]
    assert reasons[0].startswith("“No alcohol” rejects the receipt (high severity): Category alcohol is alcohol.")
    assert reasons[2] == "“Skipper” was skipped: The receipt has no date."
    assert "cannot be approved" in explain(report).text


def test_explanation_warns_about_low_confidence_values() -> None:
    fields = WEEKEND_LUNCH.model_copy(update={"confidence": {"total": 0.55, "date": 0.99}})
    reasons = explain(audit("rc3", rules(), fields, CTX), fields).reasons
    assert reasons[0].endswith("The total was read with 55% confidence; check it on the receipt image.")
    assert "confidence" not in reasons[1]


def test_approved_explanation_lists_passed_rules_and_no_reasons() -> None:
    fields = make_fields(total=Decimal(10), currency="USD", date=dt.date(2024, 6, 5), category="meals")
    extra = Rule(id="c", name="No alcohol", action="reject", spec=CategorySpec(categories=["alcohol"]))
    explanation = explain(audit("rc4", [*rules(), extra], fields, CTX))
    assert explanation.decision == "approved"
    assert explanation.reasons == []
    assert explanation.passed == ["Large total", "Weekend purchase", "Missing total or date", "No alcohol"]
    assert "nothing; the receipt can be filed" in explanation.text


def test_explanation_is_deterministic() -> None:
    report = audit("rc5", rules(), WEEKEND_LUNCH, CTX)
    assert explain(report, WEEKEND_LUNCH) == explain(report, WEEKEND_LUNCH)
