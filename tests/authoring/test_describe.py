"""Every rule type gets one clear English sentence."""

from typing import Any

import pytest
from pydantic import TypeAdapter

from numzy_mcp.authoring import describe
from numzy_mcp.rules import RuleDraft, RuleSpec

SPEC: TypeAdapter[RuleSpec] = TypeAdapter(RuleSpec)


def said(spec: dict[str, Any], action: str | None = None) -> str:
    parsed = SPEC.validate_python(spec)
    if action is None:
        return describe(parsed)
    return describe(RuleDraft(name="r", action=action, spec=parsed))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "sentence"),
    [
        ({"type": "threshold", "value": "1000", "currency": "USD"}, "Flags receipts whose total is over 1,000 USD."),
        ({"type": "threshold", "field": "tax", "operator": "<=", "value": "2.5"}, "Flags receipts whose tax is at most 2.5."),
        ({"type": "threshold", "operator": "<", "value": "0"}, "Flags receipts that are refunds (negative total)."),
        ({"type": "threshold", "field": "item_count", "operator": ">", "value": 5}, "Flags receipts with more than 5 items."),
        ({"type": "threshold", "field": "item_count", "operator": "==", "value": 5}, "Flags receipts whose number of items is exactly 5."),
        ({"type": "threshold", "field": "tip_percent", "value": 20}, "Flags receipts whose tip is over 20% of the subtotal."),
        ({"type": "threshold", "field": "tax_percent", "operator": ">=", "value": 15}, "Flags receipts whose tax is at least 15% of the total."),
        ({"type": "threshold", "field": "item_amount", "value": 200, "currency": "EUR"}, "Flags receipts with an item priced over 200 EUR."),
        ({"type": "keyword", "field": "merchant", "words": ["amazon", "ebay"]}, 'Flags receipts from merchants named "amazon" or "ebay".'),
        ({"type": "keyword", "words": ["spa"], "concepts": ["alcohol"], "match": "all"}, 'Flags receipts whose merchant or items mention "spa" and alcohol.'),
        ({"type": "keyword", "field": "raw_text", "concepts": ["gift_cards"]}, "Flags receipts whose receipt text mentions gift cards."),
        ({"type": "category", "categories": ["meals", "office_supplies"]}, "Flags receipts whose category is meals or office supplies."),
        ({"type": "category", "operator": "not_in", "categories": ["meals", "lodging"]}, "Flags receipts whose category is neither meals nor lodging."),
        ({"type": "payment_method", "methods": ["cash"]}, "Flags receipts whose payment method is cash."),
        ({"type": "currency", "operator": "not_in", "currencies": ["USD"]}, "Flags receipts whose currency is not USD."),
        ({"type": "time", "weekdays": ["weekends"], "hours": [{"start": 22, "end": 5}]}, "Flags receipts made on a weekend and between 22:00 and 05:59."),
        ({"type": "time", "weekdays": ["monday", "friday"]}, "Flags receipts made on Monday or Friday."),
        ({"type": "time", "dates": [{"start": "2026-01-01"}], "public_holiday": True}, "Flags receipts made on or after 2026-01-01 and on a public holiday."),
        ({"type": "time", "submitted_after_days": 90}, "Flags receipts submitted more than 90 days after the purchase."),
        ({"type": "missing", "fields": ["merchant", "date"]}, "Flags receipts missing the merchant name or the date."),
        ({"type": "missing", "fields": ["tax", "tip"], "match": "all"}, "Flags receipts missing all of the tax amount and the tip amount."),
        ({"type": "pattern", "field": "raw_text", "pattern": "gift\\s*card"}, "Flags receipts whose receipt text matches the pattern /gift\\s*card/."),
        ({"type": "integrity"}, "Flags receipts whose amounts do not add up to the total."),
        ({"type": "integrity", "tolerance": "1", "required": ["date"]}, "Flags receipts whose amounts do not add up to the total (tolerance 1) or missing the date."),
        ({"type": "duplicate"}, "Flags receipts that duplicate an earlier receipt (same merchant, date and total, or same file)."),
        ({"type": "duplicate", "by": ["image"]}, "Flags receipts that duplicate an earlier receipt (same file)."),
        ({"type": "split", "limit": "100", "currency": "USD"}, "Flags receipts that split a purchase over 100 USD into same-day receipts at one merchant."),
        ({"type": "frequency", "max_count": 3, "period": "week"}, "Flags receipts making more than 3 purchases at the same merchant in one week."),
        ({"type": "round_amount"}, "Flags receipts whose total is a whole amount."),
        ({"type": "round_amount", "multiple": 10, "min_total": 50}, "Flags receipts whose total is a round multiple of 10 (totals over 50 only)."),
        ({"type": "anomaly"}, "Flags receipts whose total is unusual for the merchant (robust z-score over 3.5, after 5 past receipts)."),
        ({"type": "python", "source": "receipt.total > 10"}, "Flags receipts for which the Python rule `receipt.total > 10` returns True."),
        ({"type": "llm", "criterion": "Is this personal?"}, "Flags receipts that a model judges to meet: “Is this personal?”."),
        ({"type": "not", "rule": {"type": "time", "weekdays": ["weekdays"]}}, "Flags receipts unless made on a weekday."),
        (
            {"type": "all", "rules": [{"type": "threshold", "operator": ">=", "value": 1}, {"type": "threshold", "operator": "<=", "value": 9}]},
            "Flags receipts whose total is between 1 and 9.",
        ),
        (
            {"type": "any", "rules": [{"type": "all", "rules": [{"type": "category", "categories": ["meals"]}, {"type": "threshold", "value": 80}]}, {"type": "duplicate"}]},
            "Flags receipts whose category is meals and whose total is over 80, or that duplicate an earlier receipt (same merchant, date and total, or same file).",
        ),
        (
            {"type": "all", "rules": [{"type": "threshold", "value": 5}, {"type": "not", "rule": {"type": "any", "rules": [{"type": "duplicate"}, {"type": "round_amount"}]}}]},
            "Flags receipts whose total is over 5, unless that duplicate an earlier receipt (same merchant, date and total, or same file) or whose total is a whole amount.",
        ),
    ],
)  # fmt: skip
def test_every_rule_type_reads_as_one_sentence(spec: dict[str, Any], sentence: str) -> None:
    assert said(spec) == sentence


@pytest.mark.parametrize(
    ("action", "start"),
    [("flag", "Flags receipts"), ("review", "Sends to review receipts"), ("reject", "Rejects receipts")],
)
def test_the_action_picks_the_verb(action: str, start: str) -> None:
    assert said({"type": "duplicate"}, action).startswith(f"{start} that duplicate")


def test_a_nested_negation_inside_an_alternative_reads_not() -> None:
    spec = {"type": "any", "rules": [{"type": "not", "rule": {"type": "duplicate"}}, {"type": "round_amount"}]}
    assert said(spec) == (
        "Flags receipts not that duplicate an earlier receipt (same merchant, date and total, or same file), "
        "or whose total is a whole amount."
    )
