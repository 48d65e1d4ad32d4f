import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.audit import audit, audit_async
from numzy_mcp.errors import RuleInvalid
from numzy_mcp.receipts import LineItem
from numzy_mcp.rules import RuleContext, evaluate_rule_async
from numzy_mcp.rules.sandbox import SandboxPool
from tests.rules.helpers import make_fields, make_rule

FIELDS = make_fields(
    merchant="Cafe Nero",
    date=dt.date(2024, 6, 8),
    total=Decimal("62.40"),
    currency="USD",
    items=[LineItem(description="Wine", amount=Decimal("12.40"))],
)
WEEKEND_OVER_50 = {"type": "python", "source": "receipt.total > 50 and receipt.date.weekday() >= 5"}


async def test_python_rule_flags_through_the_sandbox_when_allowed(sandbox: SandboxPool) -> None:
    finding = await evaluate_rule_async(
        make_rule(WEEKEND_OVER_50), FIELDS, RuleContext(allow_python=True, sandbox=sandbox)
    )
    assert (finding.outcome, finding.message) == ("flag", "The Python rule returned True.")
    passing = FIELDS.model_copy(update={"total": Decimal(10)})
    finding = await evaluate_rule_async(
        make_rule(WEEKEND_OVER_50), passing, RuleContext(allow_python=True, sandbox=sandbox)
    )
    assert finding.outcome == "pass"


async def test_python_rule_is_skipped_when_the_server_disallows_it(sandbox: SandboxPool) -> None:
    finding = await evaluate_rule_async(make_rule(WEEKEND_OVER_50), FIELDS, RuleContext(sandbox=sandbox))
    assert finding.outcome == "skipped"
    assert finding.message.startswith("Skipped: this server does not allow Python rules")


def test_allowing_python_is_not_a_field_of_the_rule() -> None:
    with pytest.raises(RuleInvalid) as refused:
        make_rule({**WEEKEND_OVER_50, "allow_python": True})
    assert "spec.python.allow_python" in refused.value.message


async def test_text_result_becomes_the_findings_sentence(sandbox: SandboxPool) -> None:
    rule = make_rule({"type": "python", "mode": "block", "source": "result = 'Wine on a ' + receipt.date.isoformat()"})
    finding = await evaluate_rule_async(rule, FIELDS, RuleContext(allow_python=True, sandbox=sandbox))
    assert (finding.outcome, finding.message) == ("flag", "Wine on a 2024-06-08.")


async def test_a_rule_stopped_by_the_sandbox_is_an_error_finding_that_needs_review(sandbox: SandboxPool) -> None:
    rule = make_rule({"type": "python", "source": "len('a' * 10**10) > 0"}, action="reject")
    report = await audit_async("rc1", [rule], FIELDS, RuleContext(allow_python=True, sandbox=sandbox))
    assert report.decision == "needs_review"
    [finding] = report.findings
    assert finding.outcome == "error"
    assert "memory" in finding.message
    assert "Traceback" not in finding.message


async def test_allowed_python_without_a_pool_is_an_error() -> None:
    finding = await evaluate_rule_async(make_rule(WEEKEND_OVER_50), FIELDS, RuleContext(allow_python=True))
    assert finding.outcome == "error"


def test_the_synchronous_audit_reports_python_rules_as_errors_not_passes() -> None:
    report = audit("rc1", [make_rule(WEEKEND_OVER_50)], FIELDS, RuleContext(allow_python=True))
    assert report.findings[0].outcome == "error"
    assert report.decision == "needs_review"


def test_python_rules_cannot_be_nested_in_composites() -> None:
    with pytest.raises(RuleInvalid) as refused:
        make_rule({"type": "any", "rules": [WEEKEND_OVER_50]})
    assert "python rules cannot be nested" in refused.value.message
