import time

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.receipts import LineItem
from numzy_mcp.rules import PatternSpec, RuleContext, parse_rule_draft
from numzy_mcp.rules.pattern import MAX_PATTERN, MAX_SUBJECT
from tests.rules.helpers import make_fields


def test_pattern_matches_the_raw_text() -> None:
    spec = PatternSpec(pattern=r"gift\s*card")
    check = spec.check(make_fields(), RuleContext(raw_text="1x GIFTCARD 50.00"))
    assert check.matched is True
    assert check.detail == r'the receipt text matches /gift\s*card/ at "GIFTCARD"'
    assert spec.check(make_fields(), RuleContext(raw_text="1x coffee")).matched is False


def test_pattern_on_items_and_merchant() -> None:
    fields = make_fields(merchant="Shell 0042", items=[LineItem(description="INV-2024-0001")])
    assert PatternSpec(field="items", pattern=r"^INV-\d{4}-\d{4}$").check(fields, RuleContext()).matched is True
    assert PatternSpec(field="merchant", pattern=r"^shell\b").check(fields, RuleContext()).matched is True
    assert (
        PatternSpec(field="merchant", pattern=r"^shell\b", ignore_case=False).check(fields, RuleContext()).matched
        is False
    )


def test_pattern_rule_skips_without_text() -> None:
    assert PatternSpec(pattern="x").check(make_fields(), RuleContext()).matched is None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a)\1", "invalid escape sequence"),
        (r"total(?=\d)", "invalid perl operator"),
        (r"(?<=x)y", "invalid perl operator"),
        (r"a{2000}", "invalid repetition size"),
        (r"a++", "bad repetition operator"),
        ("(unclosed", "missing )"),
    ],
)
def test_re2_refuses_backtracking_features_at_save_time_with_its_reason(pattern: str, reason: str) -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": {"type": "pattern", "pattern": pattern}})
    assert "- spec.pattern: " in refused.value.message
    assert "RE2 refused the pattern" in refused.value.message
    assert reason in refused.value.message


def test_overlong_pattern_is_refused() -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": {"type": "pattern", "pattern": "a" * (MAX_PATTERN + 1)}})
    assert f"at most {MAX_PATTERN}" in refused.value.message


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"^(\s*\S+\s*)*TOTAL$", r"(\w+\s*)+:\s*\d+", r"(.*a){20}"])
def test_catastrophic_patterns_run_in_linear_time(pattern: str) -> None:
    spec = PatternSpec(pattern=pattern)
    subject = "a" * 5000 + "!" + " " * 5000
    started = time.perf_counter()
    spec.check(make_fields(), RuleContext(raw_text=subject))
    assert time.perf_counter() - started < 2.0  # backtracking engines take minutes here


def test_subject_is_capped_and_the_finding_says_so() -> None:
    check = PatternSpec(pattern="NEEDLE").check(make_fields(), RuleContext(raw_text="x" * MAX_SUBJECT + "NEEDLE"))
    assert check.matched is False
    assert f"only its first {MAX_SUBJECT} characters" in check.detail


def test_digit_class_is_ascii_only_as_documented() -> None:
    ctx = RuleContext(raw_text="total ١٢٣")  # Arabic-Indic digits
    assert PatternSpec(pattern=r"\d+").check(make_fields(), ctx).matched is False
    assert PatternSpec(pattern=r"\p{Nd}+").check(make_fields(), ctx).matched is True
    assert PatternSpec(pattern=r"CAFÉ").check(make_fields(), RuleContext(raw_text="café")).matched is True
