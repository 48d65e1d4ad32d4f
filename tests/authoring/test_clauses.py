"""A sentence asking for several actions is never one rule whose conditions are joined by "and"."""

import pytest

from numzy_mcp.authoring import compile_rule
from numzy_mcp.rules import AnySpec


def test_a_reject_and_a_review_in_one_sentence_are_refused_naming_both_rules() -> None:
    result = compile_rule("Reject anything from Harbor Grill and review tips above 15%")
    assert result.draft is None and result.description == ""
    assert result.clauses == ["Reject anything from Harbor Grill", "Review tips above 15%"]
    assert result.refusal == (
        "This sentence has 2 actions (reject, review) and a rule has one, so it is not compiled as one rule: give "
        'each rule its own sentence. "Reject anything from Harbor Grill" rejects receipts from merchants named '
        '"harbor grill"; "Review tips above 15%" sends to review receipts whose tip is over 15% of the subtotal.'
    )


@pytest.mark.parametrize(
    ("text", "actions", "clauses"),
    [
        ("Flag meals over $50 and reject alcohol", "flag, reject", ["Flag meals over $50", "Reject alcohol"]),
        ("Flag receipts over $500, reject casinos", "flag, reject", ["Flag receipts over $500", "Reject casinos"]),
        ("Reject alcohol; review tips above 20%", "reject, review", ["Reject alcohol", "Review tips above 20%"]),
        ("Reject alcohol. Review tips above 20%.", "reject, review", ["Reject alcohol", "Review tips above 20%"]),
        ("Reject alcohol or review tips above 20%", "reject, review", ["Reject alcohol", "Review tips above 20%"]),
        ("Flag taxis over $50 but review flights", "flag, review", ["Flag taxis over $50", "Review flights"]),
        (
            "Alcohol is not allowed and tips above 20% need review",
            "reject, review",
            ["Alcohol is not allowed", "Tips above 20% need review"],
        ),
        (
            "Reject alcohol, flag tips over 20% and review hotels",
            "reject, flag, review",
            ["Reject alcohol", "Flag tips over 20%", "Review hotels"],
        ),
    ],
)
def test_every_way_of_joining_two_actions_is_refused_with_one_sentence_per_rule(
    text: str, actions: str, clauses: list[str]
) -> None:
    result = compile_rule(text)
    assert result.draft is None
    assert result.clauses == clauses
    assert result.refusal is not None
    assert result.refusal.startswith(f"This sentence has {len(clauses)} actions ({actions}) and a rule has one")


def test_approving_some_receipts_and_reviewing_others_says_approving_needs_no_rule() -> None:
    result = compile_rule("Approve meals under $20 but review meals over $100")
    assert result.draft is None
    assert result.clauses == ["Approve meals under $20", "Review meals over $100"]
    assert result.refusal is not None
    assert result.refusal.startswith("This sentence has 2 actions (approve, review)")
    assert '"Approve meals under $20" needs no rule (receipts no rule fires on are approved)' in result.refusal


@pytest.mark.parametrize("text", ["Approve meals under $20", "Auto-approve taxis under $15", "Allow meals under $20"])
def test_a_sentence_that_only_approves_is_refused_rather_than_flagging_what_it_lets_through(text: str) -> None:
    result = compile_rule(text)
    assert result.draft is None
    assert result.refusal is not None
    assert "lets receipts through, and a rule cannot" in result.refusal
    assert '"unless"' in result.refusal


def test_the_same_action_twice_is_one_rule_firing_on_either_condition() -> None:
    result = compile_rule("Reject receipts over $500 and reject receipts from casinos")
    assert result.draft is not None and result.clauses == []
    assert result.draft.action == "reject" and isinstance(result.draft.spec, AnySpec)
    assert result.description == (
        "Rejects receipts whose total is over 500 USD, or whose merchant or items mention gambling."
    )


def test_a_clause_that_is_not_a_rule_is_named_with_the_reason() -> None:
    result = compile_rule("Reject alcohol and reject weird tips")
    assert result.draft is None
    assert result.refusal is not None
    assert result.refusal.startswith("This sentence has 2 clauses and not every one is a rule yet:")
    assert '"Reject weird tips" is not a rule yet ("weird" is a judgement' in result.refusal


def test_a_second_action_without_a_condition_of_its_own_is_reported_not_silently_dropped() -> None:
    result = compile_rule("Reject receipts over $100 and review them")
    assert result.draft is not None and result.draft.action == "reject"
    assert result.unrecognized == ["review (a rule has one action; this one is reject)"]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Flag receipts over $100 and on weekends", "flag"),
        ("Flag receipts over $50 that require approval when on weekends", "review"),
        ("Reject alcohol and tobacco", "reject"),
        ("Don't allow alcohol and tobacco", "reject"),
        ("Flag receipts over $100 for review", "review"),
        ("Flag receipts over $100 and send them for review", "review"),
        ("Flag meals over $50 and tips over 20% for review", "review"),
        ("Receipts over $100 should be reviewed and flagged", "review"),
        ("Flag and reject receipts over $100", "reject"),
        ("Flag receipts over $500 or under $1", "flag"),
        ("Flag meals over $50 and approve the rest", "flag"),
        ("Reject receipts from Report Cafe", "reject"),
    ],
)
def test_and_between_conditions_or_around_one_action_still_makes_one_rule(text: str, action: str) -> None:
    result = compile_rule(text)
    assert result.draft is not None, result.refusal
    assert result.draft.action == action
    assert result.clauses == []


def test_but_splits_like_and_and_never_becomes_part_of_a_merchant_name() -> None:
    result = compile_rule("Reject anything from Harbor Grill but review tips above 15%")
    assert result.draft is None
    assert result.clauses == ["Reject anything from Harbor Grill", "Review tips above 15%"]
    assert result.refusal is not None
    assert 'merchants named "harbor grill";' in result.refusal


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Reject receipts over $5000 then review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 & review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 - review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 — review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 and/or review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 while reviewing receipts over $500", "Reviewing receipts over $500"),
        ("Reject receipts over $5000, otherwise review receipts over $500", "Review receipts over $500"),
        ("Reject receipts over $5000 (review receipts over $500)", "Review receipts over $500"),
        ("Reject receipts over $5000 if over $500 review them", "If over $500 review them"),
    ],
)
def test_a_second_action_with_its_own_condition_splits_whatever_joins_it(text: str, second: str) -> None:
    result = compile_rule(text)
    assert result.draft is None, result.description
    assert result.clauses == ["Reject receipts over $5000", second]
    assert result.refusal is not None
    assert result.refusal.startswith("This sentence has 2 actions (reject, review) and a rule has one")


def test_conditions_before_each_action_split_without_a_comma() -> None:
    result = compile_rule("If a receipt is over $5000 reject it if it is over $500 review it")
    assert result.draft is None
    assert result.clauses == ["If a receipt is over $5000 reject it", "If it is over $500 review it"]


def test_an_action_with_its_own_if_clause_is_never_folded_into_the_other_rule() -> None:
    result = compile_rule("Flag if over $100 and reject if from a casino")
    assert result.draft is None
    assert result.clauses == ["Flag if over $100", "Reject if from a casino"]
    assert result.refusal is not None
    assert result.refusal.startswith("This sentence has 2 actions (flag, reject)")
    assert '"Reject if from a casino" is not a rule yet' in result.refusal


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Flag receipts over $100 for review on weekends", "review"),
        ("Alcohol should be rejected when over $100", "reject"),
        ("Review meals over $50 when on weekends", "review"),
        ("Flag receipts over $100 on weekends when the tip is over 20%", "flag"),
        ("Reject receipts from Review Cafe over $50", "reject"),
        ("Flag receipts from Block Party over $50", "flag"),
    ],
)
def test_one_action_with_conditions_after_it_stays_one_rule(text: str, action: str) -> None:
    result = compile_rule(text)
    assert result.draft is not None, result.refusal
    assert result.draft.action == action
    assert result.clauses == []
