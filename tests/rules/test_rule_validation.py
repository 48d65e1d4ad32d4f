from decimal import Decimal
from typing import Any

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.rules import AllSpec, KeywordSpec, NotSpec, Rule, RuleDraft, ThresholdSpec, TimeSpec, parse_rule_draft


def draft(spec: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    return {"name": "Test rule", **envelope, "spec": spec}


@pytest.mark.parametrize(
    ("data", "location", "hint"),
    [
        (draft({"type": "threshold", "field": "totl", "value": 50}), "spec.threshold.field", "subtotal, tax"),
        (draft({"type": "threshold", "field": "merchant", "value": 50}), "spec.threshold.field", "cannot be compared"),
        (draft({"type": "threshold", "field": "total", "value": "fifty"}), "spec.threshold.value", "valid decimal"),
        (draft({"type": "threshold", "field": "total", "value": "NaN"}), "spec.threshold.value", "finite"),
        (draft({"type": "threshold", "operator": "=>", "value": 1}), "spec.threshold.operator", "'>='"),
        (draft({"type": "threshold", "value": 1, "currency": "dollars"}), "spec.threshold.currency", "ISO 4217"),
        (draft({"type": "keyword", "words": []}), "spec.keyword", "needs words"),
        (draft({"type": "keyword", "words": ["ok", "  "]}), "spec.keyword.words", "empty"),
        (draft({"type": "time", "hours": [{"start": 22, "end": 24}]}), "spec.time.hours[0].end", "23"),
        (draft({"type": "time", "hours": [{"start": -1, "end": 5}]}), "spec.time.hours[0].start", "0"),
        (draft({"type": "time", "weekdays": ["sat"]}), "spec.time.weekdays[0]", "'saturday'"),
        (draft({"type": "time"}), "spec.time", "weekdays"),
        (draft({"type": "category", "categories": ["food"]}), "spec.category.categories[0]", "'meals'"),
        (draft({"type": "category", "categories": []}), "spec.category.categories", "at least one of"),
        (draft({"type": "missing", "fields": ["totl"]}), "spec.missing.fields", "known fields"),
        (
            draft({"type": "all", "rules": [{"type": "keyword", "words": []}]}),
            "spec.all.rules[0].keyword",
            "concepts",
        ),
        (draft({"type": "all", "rules": []}), "spec.all.rules", "at least 1"),
        (draft({"type": "regex", "pattern": "x"}), "spec", "'threshold'"),
        (draft({"type": "keyword", "words": ["x"], "feild": "merchant"}), "spec.keyword.feild", "not permitted"),
        (draft({"type": "keyword", "words": ["x"]}, action="block"), "action", "'reject'"),
        ({"name": "  ", "spec": {"type": "keyword", "words": ["x"]}}, "name", "at least one letter or digit"),
    ],
)
def test_bad_configuration_is_refused_naming_the_field_and_what_is_allowed(
    data: dict[str, Any], location: str, hint: str
) -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft(data)
    assert refused.value.code == "rule_invalid"
    assert f"- {location}: " in refused.value.message
    assert hint in refused.value.message


def test_refusal_lists_every_problem() -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "", "spec": {"type": "threshold", "field": "totl", "value": "x"}})
    assert refused.value.message.startswith("The rule was refused (3 problems):")


def test_parse_rule_draft_accepts_json_text_and_value_as_number_or_string() -> None:
    from_text = parse_rule_draft('{"name": "Big", "spec": {"type": "threshold", "value": 50}}')
    from_dict = parse_rule_draft({"name": "Big", "spec": {"type": "threshold", "value": "50"}})
    assert from_text == from_dict
    assert isinstance(from_text.spec, ThresholdSpec)
    assert from_text.spec.value == Decimal(50)


def test_parse_rule_draft_refuses_malformed_json() -> None:
    with pytest.raises(RuleInvalid):
        parse_rule_draft("{not json")


def test_rule_round_trips_through_json_keeping_the_discriminated_types() -> None:
    rule = Rule(
        id="r1",
        name="Weekday rides over 30",
        severity="high",
        action="review",
        version=2,
        spec=AllSpec(
            rules=[
                ThresholdSpec(value=Decimal("30.5"), currency="USD"),
                KeywordSpec(words=["uber"]),
                NotSpec(rule=TimeSpec(weekdays=["saturday", "sunday"])),
            ]
        ),
    )
    text = rule.model_dump_json()
    again = Rule.model_validate_json(text)
    assert again == rule
    assert isinstance(again.spec, AllSpec)
    assert [type(spec) for spec in again.spec.rules] == [ThresholdSpec, KeywordSpec, NotSpec]
    assert '"value":"30.5"' in text


def test_rule_from_draft_adds_id_and_version() -> None:
    rule = Rule.from_draft(RuleDraft(name="K", spec=KeywordSpec(words=["x"])), rule_id="k1", version=4)
    assert (rule.id, rule.version, rule.name) == ("k1", 4, "K")
