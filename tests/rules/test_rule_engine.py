import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import (
    AllSpec,
    CategorySpec,
    KeywordSpec,
    MissingSpec,
    NotSpec,
    Rule,
    RuleContext,
    RuleSpec,
    ThresholdSpec,
    TimeSpec,
    default_rules,
    describe_spec,
    evaluate,
    parse_rule_draft,
    reads_history,
)
from numzy_mcp.rules.conditions import HourRange


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext(team_currency="USD")
SATURDAY = dt.date(2024, 6, 8)
WEDNESDAY = dt.date(2024, 6, 5)


def defaults(currency: str = "USD") -> list[Rule]:
    return [Rule.from_draft(draft, rule_id=f"default-{n}") for n, draft in enumerate(default_rules(currency))]


def outcomes(fields: ExtractedFields) -> dict[str, str]:
    return {finding.rule_name: finding.outcome for finding in evaluate(defaults(), fields, CTX)}


def test_default_rules_are_large_total_weekend_and_missing_fields() -> None:
    drafts = default_rules("usd")
    assert [(d.name, d.action) for d in drafts] == [
        ("Large total", "flag"),
        ("Weekend purchase", "flag"),
        ("Missing total or date", "review"),
    ]
    assert drafts[0].spec == ThresholdSpec(field="total", operator=">", value=Decimal(50), currency="USD")


def test_default_rules_pass_a_small_weekday_receipt() -> None:
    fields = make_fields(total=Decimal("12.50"), currency="USD", date=WEDNESDAY)
    assert outcomes(fields) == {"Large total": "pass", "Weekend purchase": "pass", "Missing total or date": "pass"}


def test_default_rules_flag_a_large_weekend_receipt() -> None:
    fields = make_fields(total=Decimal("62.40"), currency="USD", date=SATURDAY)
    assert outcomes(fields) == {"Large total": "flag", "Weekend purchase": "flag", "Missing total or date": "pass"}


def test_default_rules_flag_missing_total_and_skip_what_they_cannot_check() -> None:
    fields = make_fields(currency="USD", date=WEDNESDAY)
    assert outcomes(fields) == {"Large total": "skipped", "Weekend purchase": "pass", "Missing total or date": "flag"}
    assert outcomes(make_fields()) == {
        "Large total": "skipped",
        "Weekend purchase": "skipped",
        "Missing total or date": "flag",
    }


def test_large_total_applies_only_in_the_team_currency() -> None:
    fields = make_fields(total=Decimal(900), currency="EUR", date=WEDNESDAY)
    assert outcomes(fields)["Large total"] == "skipped"
    eur = {f.rule_name: f.outcome for f in evaluate(defaults("EUR"), fields, CTX)}
    assert eur["Large total"] == "flag"


def test_default_large_total_threshold_can_be_changed() -> None:
    spec = default_rules("USD", large_total=Decimal(200))[0].spec
    assert isinstance(spec, ThresholdSpec)
    assert spec.value == Decimal(200)


def test_default_rules_refuse_a_currency_that_is_not_a_code() -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        default_rules("dollars")


def test_finding_carries_rule_envelope_fields_read_and_one_sentence() -> None:
    rule = Rule(
        id="r9",
        name="Big",
        severity="high",
        action="reject",
        version=3,
        spec=ThresholdSpec(value=Decimal(50), currency="USD"),
    )
    [finding] = evaluate([rule], make_fields(total=Decimal("62.4"), currency="USD"), CTX)
    assert (finding.rule_id, finding.rule_name, finding.rule_version) == ("r9", "Big", 3)
    assert (finding.outcome, finding.severity, finding.action) == ("flag", "high", "reject")
    assert finding.message == "Total 62.40 USD is over the limit of 50.00 USD."
    assert [(read.field, read.value) for read in finding.fields] == [("total", "62.40"), ("currency", "USD")]


def test_skipped_finding_says_why() -> None:
    rule = Rule(id="w", name="Weekend", spec=TimeSpec(weekdays=["sunday"]))
    [finding] = evaluate([rule], make_fields(), CTX)
    assert finding.outcome == "skipped"
    assert finding.message == "Skipped: the receipt has no date."


def test_evaluate_runs_enabled_rules_in_order() -> None:
    rules = [
        Rule(id="a", name="A", spec=MissingSpec(fields=["tip"])),
        Rule(id="b", name="B", enabled=False, spec=MissingSpec(fields=["tip"])),
        Rule(id="c", name="C", spec=KeywordSpec(words=["x"])),
    ]
    assert [f.rule_id for f in evaluate(rules, make_fields(), CTX)] == ["a", "c"]


class ExplodingSpec(ThresholdSpec):
    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> object:  # type: ignore[override]
        raise RuntimeError("boom")


def test_exception_inside_a_rule_becomes_an_error_finding_and_later_rules_still_run() -> None:
    broken = Rule.model_construct(
        id="bad",
        name="Broken",
        enabled=True,
        severity="medium",
        action="flag",
        version=1,
        spec=ExplodingSpec(value=Decimal(1)),
    )
    fine = Rule(id="ok", name="Fine", spec=MissingSpec(fields=["total"]))
    findings = evaluate([broken, fine], make_fields(), CTX)
    assert [(f.rule_id, f.outcome) for f in findings] == [("bad", "error"), ("ok", "flag")]
    assert "RuntimeError: boom" in findings[0].message
    assert findings[0].message.endswith(".")


@pytest.mark.parametrize(
    ("spec", "sentence"),
    [
        (
            ThresholdSpec(value=Decimal(50), currency="USD"),
            "Flags receipts whose total is over the limit of 50.00 USD.",
        ),
        (TimeSpec(weekdays=["saturday", "sunday"]), "Flags receipts made on Saturday or Sunday."),
        (TimeSpec(hours=[HourRange(start=22, end=5)]), "Flags receipts made at 22:00–05:59."),
        (MissingSpec(fields=["total", "date"]), "Flags receipts missing a total or date."),
        (KeywordSpec(words=["uber", "lyft"]), 'Flags receipts whose merchant or items mention "uber" or "lyft".'),
        (KeywordSpec(words=["casino"], field="merchant"), 'Flags receipts whose merchant name mentions "casino".'),
        (CategorySpec(categories=["alcohol", "events"]), "Flags receipts whose category is alcohol or events."),
        (CategorySpec(operator="not_in", categories=["meals"]), "Flags receipts whose category is not meals."),
        (
            AllSpec(rules=[ThresholdSpec(value=Decimal(100)), NotSpec(rule=CategorySpec(categories=["meals"]))]),
            "Flags receipts whose total is over the limit of 100.00 and whose category is not meals.",
        ),
    ],
)
def test_describe_spec_gives_one_plain_english_sentence(spec: RuleSpec, sentence: str) -> None:
    assert describe_spec(spec) == sentence


@pytest.mark.parametrize(
    ("spec", "reads"),
    [
        ({"type": "duplicate"}, True),
        ({"type": "threshold", "field": "total", "operator": ">", "value": 5}, False),
        (
            {
                "type": "all",
                "rules": [
                    {"type": "missing", "fields": ["total"]},
                    {"type": "not", "rule": {"type": "frequency", "max_count": 2, "period": "day"}},
                ],
            },
            True,
        ),
        ({"type": "any", "rules": [{"type": "missing", "fields": ["date"]}]}, False),
    ],
)
def test_reads_history_finds_history_rules_at_any_depth(spec: dict[str, Any], reads: bool) -> None:
    draft = parse_rule_draft({"name": "r", "spec": spec})
    assert reads_history(draft.spec) is reads
