"""Sentences without a checkable condition are refused with a message naming what is missing."""

import pytest

from numzy_mcp.authoring import compile_rule


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Flag receipts that look fishy", '"fishy" is a judgement'),
        ("Reject inappropriate expenses", '"inappropriate" is a judgement'),
        ("Make our spending better", '"better" is a judgement'),
        ("Flag unusual stuff", '"unusual" is a judgement'),
    ],
)
def test_a_judgement_alone_is_refused_and_named(text: str, named: str) -> None:
    result = compile_rule(text)
    assert result.draft is None and result.description == ""
    assert result.refusal is not None
    assert result.refusal.startswith(named)
    assert "an amount" in result.refusal and "LLM-judged rule" in result.refusal


def test_an_action_without_a_condition_is_refused_saying_which_receipts_is_missing() -> None:
    result = compile_rule("Reject receipts")
    assert result.refusal is not None
    assert result.refusal.startswith("The sentence says what to do (reject) but not which receipts")


@pytest.mark.parametrize("text", ["Sort out the expenses", "Please handle the quarterly thing", "", "   ", "!!!"])
def test_a_sentence_with_no_condition_at_all_is_refused_listing_what_a_condition_can_be(text: str) -> None:
    result = compile_rule(text)
    assert result.draft is None
    assert result.refusal is not None
    assert result.refusal.startswith("No checkable condition found")
    assert "missing field" in result.refusal


def test_the_parts_not_understood_come_back_with_the_refusal() -> None:
    result = compile_rule("Do the thing we talked about")
    assert result.unrecognized == ["thing we talked about"]


def test_a_comparison_with_no_amount_is_not_guessed() -> None:
    result = compile_rule("Flag receipts over")
    assert result.draft is None
    assert result.unrecognized == ["over"]


def test_a_refusal_mentions_what_was_understood_but_not_checkable() -> None:
    result = compile_rule("Flag more than 3 receipts per week")
    assert result.refusal is not None
    assert "understood but not checkable: more than 3 receipts per week" in result.refusal
