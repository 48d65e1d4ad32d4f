"""The grammar pieces on sentences that are not in the corpus: paraphrases, other amounts, days, merchants."""

from typing import Any

import pytest
from pydantic import TypeAdapter

from numzy_mcp.authoring import compile_rule
from numzy_mcp.rules import RuleDraft, RuleSpec

SPEC: TypeAdapter[RuleSpec] = TypeAdapter(RuleSpec)


class Spec:
    """Compares equal to a compiled spec when the expected JSON validates to the same spec."""

    def __init__(self, result: RuleSpec) -> None:
        self.result = result

    def __eq__(self, expected: object) -> bool:
        return self.result == SPEC.validate_python(expected)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return self.result.model_dump_json(exclude_defaults=True)


def spec_of(text: str, **options: Any) -> Spec:
    result = compile_rule(text, **options)
    assert result.draft is not None, result.refusal
    assert result.unrecognized == [], result.unrecognized
    return Spec(result.draft.spec)


def draft_of(text: str) -> RuleDraft:
    result = compile_rule(text)
    assert result.draft is not None, result.refusal
    return result.draft


def total(operator: str, value: str, currency: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "threshold", "operator": operator, "value": value}
    return spec | ({"currency": currency} if currency else {})


def all_of(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"type": "all", "rules": list(rules)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flag expenses above €250", total(">", "250", "EUR")),
        ("Flag anything over £1,200.50", total(">", "1200.50", "GBP")),
        ("Flag receipts over ¥5000", total(">", "5000", "JPY")),
        ("Flag receipts over 300 CHF", total(">", "300", "CHF")),
        ("Flag receipts over USD 75", total(">", "75", "USD")),
        ("Flag anything more than 80 bucks", total(">", "80", "USD")),
        ("Flag purchases above forty euros", total(">", "40", "EUR")),
        ("Flag purchases over two hundred and fifty pounds", total(">", "250", "GBP")),
        ("Flag anything over a thousand dollars", total(">", "1000", "USD")),
        ("Flag anything over 2.5k", total(">", "2500", None)),
        ("Flag receipts of 500 dollars or more", total(">=", "500", "USD")),
        ("Flag receipts of no more than $3", total("<=", "3", "USD")),
        ("Flag receipts below 2 EUR", total("<", "2", "EUR")),
        ("Flag totals of exactly $100", total("==", "100", "USD")),
    ],
)
def test_amounts_and_comparatives_compile_to_a_total_threshold(text: str, expected: dict[str, Any]) -> None:
    assert spec_of(text) == expected


def test_between_includes_both_ends_and_takes_the_currency_of_either_amount() -> None:
    assert spec_of("Flag receipts between 100 and 300 EUR") == all_of(
        total("<=", "300", "EUR"), total(">=", "100", "EUR")
    )


def test_an_amount_without_currency_takes_the_team_currency_and_a_dollar_sign_follows_a_dollar_team() -> None:
    assert spec_of("Flag anything over 100", default_currency="EUR") == total(">", "100", "EUR")
    assert spec_of("Flag anything over $100", default_currency="CAD") == total(">", "100", "CAD")
    assert spec_of("Flag anything over $100", default_currency="EUR") == total(">", "100", "USD")


def test_in_a_currency_after_an_amount_limits_the_amount_to_that_currency() -> None:
    assert spec_of("Flag receipts over 100 in EUR") == total(">", "100", "EUR")
    assert spec_of("Flag EUR receipts") == {"type": "currency", "currencies": ["EUR"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Flag receipts in a currency other than EUR",
            {"type": "currency", "operator": "not_in", "currencies": ["EUR"]},
        ),
        ("Flag non-GBP receipts", {"type": "currency", "operator": "not_in", "currencies": ["GBP"]}),
        ("Flag receipts in EUR or GBP", {"type": "currency", "currencies": ["EUR", "GBP"]}),
    ],
)
def test_currency_phrases(text: str, expected: dict[str, Any]) -> None:
    assert spec_of(text) == expected


def test_a_foreign_currency_is_any_but_the_team_currency() -> None:
    assert spec_of("Flag expenses in a foreign currency", default_currency="GBP") == {
        "type": "currency",
        "operator": "not_in",
        "currencies": ["GBP"],
    }
    refused = compile_rule("Flag expenses in a foreign currency")
    assert refused.draft is None and "team's own" in (refused.refusal or "")


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("Flag restaurant bills over $10", ["meals"]),
        ("Flag lodging above $10", ["lodging"]),
        ("Flag accommodation over $10", ["lodging"]),
        ("Flag Lyft rides over $10", ["transport"]),
        ("Flag cab fares over $10", ["transport"]),
        ("Flag petrol over $10", ["fuel"]),
        ("Flag flights over $10", ["airfare"]),
        ("Flag stationery over $10", ["office_supplies"]),
        ("Flag breakfast or lunch over $10", ["meals"]),
        ("Flag hotels or flights over $10", ["lodging", "airfare"]),
    ],
)
def test_category_synonyms(text: str, categories: list[str]) -> None:
    assert spec_of(text) == all_of({"type": "category", "categories": categories}, total(">", "10", "USD"))


def test_alcohol_is_a_category_only_next_to_the_word_category() -> None:
    assert spec_of("Flag receipts in the alcohol category") == {"type": "category", "categories": ["alcohol"]}
    assert spec_of("Flag alcohol") == {"type": "keyword", "concepts": ["alcohol"]}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Flag receipts from Walmart", ["walmart"]),
        ("Flag receipts at Costco or Sam's Club", ["costco", "sam's club"]),
        ("Flag purchases at 'Joe's Diner'", ["joe's diner"]),
        ("Flag receipts at The Home Depot", ["home depot"]),
        ("Flag Netflix receipts", ["netflix"]),
        ('Flag receipts from merchants named "acme" or "globex"', ["acme", "globex"]),
    ],
)
def test_merchant_names(text: str, words: list[str]) -> None:
    assert spec_of(text) == {"type": "keyword", "field": "merchant", "words": words}


def test_keywords_quoted_phrases_and_concepts() -> None:
    assert spec_of("Flag receipts mentioning 'massage' or 'spa'") == {"type": "keyword", "words": ["massage", "spa"]}
    assert spec_of("Flag receipts whose items mention 'beer' and 'wine'") == {
        "type": "keyword",
        "field": "items",
        "words": ["beer", "wine"],
        "match": "all",
    }
    assert spec_of("Flag receipts with 'minibar'") == {"type": "keyword", "words": ["minibar"]}
    assert spec_of("Reject cigarettes or booze") == {"type": "keyword", "concepts": ["tobacco", "alcohol"]}


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Flag purchases on Saturdays", {"weekdays": ["saturday"]}),
        ("Flag sat/sun purchases", {"weekdays": ["saturday", "sunday"]}),
        ("Flag purchases on Monday through Wednesday", {"weekdays": ["monday", "tuesday", "wednesday"]}),
        ("Flag purchases on business days", {"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"]}),
        ("Flag purchases after 8:00 pm", {"hours": [{"start": 20, "end": 23}]}),
        ("Flag purchases after 21:00", {"hours": [{"start": 21, "end": 23}]}),
        ("Flag purchases before 7am", {"hours": [{"start": 0, "end": 6}]}),
        ("Flag purchases between 11pm and 4am", {"hours": [{"start": 23, "end": 3}]}),
        ("Flag purchases after 11pm and before 5am", {"hours": [{"start": 23, "end": 4}]}),
        ("Flag purchases late at night", {"hours": [{"start": 22, "end": 5}]}),
        ("Flag purchases outside business hours", {"hours": [{"start": 18, "end": 8}]}),
        ("Flag expenses on bank holidays", {"public_holiday": True}),
        ("Flag receipts more than 2 weeks old", {"submitted_after_days": 14}),
        ("Flag receipts older than 60 days", {"submitted_after_days": 60}),
        ("Flag receipts at least 30 days old", {"submitted_after_days": 29}),
        ("Flag receipts dated before 2025-01-01", {"dates": [{"end": "2024-12-31"}]}),
        ("Flag receipts in 2024", {"dates": [{"start": "2024-01-01", "end": "2024-12-31"}]}),
        ("Flag Sunday purchases after 6pm", {"weekdays": ["sunday"], "hours": [{"start": 18, "end": 23}]}),
    ],
)
def test_time_expressions(text: str, time: dict[str, Any]) -> None:
    assert spec_of(text) == {"type": "time"} | time


def test_minutes_are_reported_because_time_rules_compare_whole_hours() -> None:
    result = compile_rule("Flag purchases after 9:30 pm")
    assert result.draft is not None
    assert result.unrecognized == ["the minutes in 'after 9:30 pm' (time rules compare whole hours)"]


def test_nights_without_hours_are_reported_and_with_hours_are_filler() -> None:
    assert compile_rule("Flag Friday nights").unrecognized == ["nights"]
    assert compile_rule("Flag Friday nights after 10pm").unrecognized == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flag receipts where the tip exceeds 18%", {"field": "tip_percent", "operator": ">", "value": "18"}),
        ("Flag tax over 12 percent of the total", {"field": "tax_percent", "operator": ">", "value": "12"}),
        ("Flag receipts with a tip over $30", {"field": "tip", "operator": ">", "value": "30", "currency": "USD"}),
        (
            "Flag receipts whose subtotal is under 5 EUR",
            {"field": "subtotal", "operator": "<", "value": "5", "currency": "EUR"},
        ),
        ("Flag receipts with fewer than 2 items", {"field": "item_count", "operator": "<", "value": "2"}),
        ("Flag receipts with 12 or more line items", {"field": "item_count", "operator": ">=", "value": "12"}),
        (
            "Flag receipts where any item costs over €99",
            {"field": "item_amount", "operator": ">", "value": "99", "currency": "EUR"},
        ),
        ("Flag receipts with a tax rate above 21%", {"field": "tax_rate", "operator": ">", "value": "21"}),
    ],
)
def test_field_phrases_choose_the_amount_compared(text: str, expected: dict[str, Any]) -> None:
    assert spec_of(text) == {"type": "threshold"} | expected


def test_a_percentage_of_the_wrong_base_is_reported() -> None:
    result = compile_rule("Flag receipts where the tip is over 20% of the total")
    assert result.unrecognized == ["of the total (a tip percentage is of the subtotal)"]


def test_a_percentage_of_nothing_known_is_not_compiled() -> None:
    result = compile_rule("Flag receipts over 20%")
    assert result.draft is None
    assert result.unrecognized == ["over 20% (a percentage of what? tip and tax percentages can be checked)"]


@pytest.mark.parametrize(
    ("text", "fields", "match"),
    [
        ("Flag receipts with no date", ["date"], "any"),
        ("Flag receipts lacking a merchant name or an address", ["merchant", "address"], "any"),
        ("Flag receipts where the total is missing", ["total"], "any"),
        ("Flag receipts missing both the date and the time", ["date", "time"], "all"),
        ("Flag receipts without line items", ["items"], "any"),
    ],
)
def test_missing_fields(text: str, fields: list[str], match: str) -> None:
    expected: dict[str, Any] = {"type": "missing", "fields": fields} | ({"match": "all"} if match == "all" else {})
    assert spec_of(text) == expected


def test_payment_methods() -> None:
    assert spec_of("Flag anything paid in cash") == {"type": "payment_method", "methods": ["cash"]}
    assert spec_of("Reject credit card payments") == {"type": "payment_method", "methods": ["card"]}
    assert spec_of("Flag receipts not paid by card") == {
        "type": "payment_method",
        "operator": "not_in",
        "methods": ["card"],
    }


def test_cross_receipt_and_whole_receipt_checks() -> None:
    assert spec_of("Flag receipts submitted twice") == {"type": "duplicate"}
    assert spec_of("Flag duplicates (same file)") == {"type": "duplicate", "by": ["image"]}
    assert spec_of("Flag more than 5 purchases per week at the same store") == {
        "type": "frequency",
        "max_count": 5,
        "period": "week",
    }
    assert spec_of("Flag purchases at one merchant more than twice a day") == {"type": "frequency", "max_count": 2}
    assert compile_rule("Flag receipts from the same merchant").unrecognized == ["from the same merchant"]
    assert spec_of("Flag receipts whose amounts don't add up") == {"type": "integrity"}
    assert spec_of("Flag returns") == total("<", "0")
    assert spec_of("Flag round totals") == {"type": "round_amount"}
    assert spec_of("Flag totals that are multiples of 50") == {"type": "round_amount", "multiple": "50"}


def test_a_count_of_receipts_without_a_merchant_is_explained_not_guessed() -> None:
    result = compile_rule("Flag more than 10 receipts per day")
    assert result.draft is None
    assert "frequency rules count purchases at one merchant" in result.unrecognized[0]


def test_exceptions_become_negations_with_flipped_lists() -> None:
    assert spec_of("Flag hotel stays over $400 unless it's a weekend") == all_of(
        {"type": "category", "categories": ["lodging"]},
        total(">", "400", "USD"),
        {"type": "not", "rule": {"type": "time", "weekdays": ["saturday", "sunday"]}},
    )
    assert spec_of("Flag everything except meals") == {
        "type": "category",
        "operator": "not_in",
        "categories": ["meals"],
    }
    assert spec_of("Flag meals over $60 except at Starbucks") == all_of(
        {"type": "category", "categories": ["meals"]},
        total(">", "60", "USD"),
        {"type": "not", "rule": {"type": "keyword", "field": "merchant", "words": ["starbucks"]}},
    )


def test_or_joins_lists_of_one_family_and_separates_alternatives_otherwise() -> None:
    assert spec_of("Flag receipts over $500 or under $1") == {
        "type": "any",
        "rules": [total(">", "500", "USD"), total("<", "1", "USD")],
    }
    assert spec_of("Flag dinners over $80 or hotels over $300") == {
        "type": "any",
        "rules": [
            all_of({"type": "category", "categories": ["meals"]}, total(">", "80", "USD")),
            all_of({"type": "category", "categories": ["lodging"]}, total(">", "300", "USD")),
        ],
    }


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Deny taxi rides over $200", "reject"),
        ("Hotel bills over $500 are not allowed", "reject"),
        ("Prohibit gambling", "reject"),
        ("Receipts missing a date need review", "review"),
        ("Meals over $100 require approval", "review"),
        ("Send airfare over $900 for review", "review"),
        ("Alert me about cash payments", "flag"),
        ("Cash payments over $50", "flag"),
    ],
)
def test_actions(text: str, action: str) -> None:
    assert draft_of(text).action == action


def test_a_reject_rule_is_high_severity_and_named_after_the_sentence() -> None:
    draft = draft_of("Reject   anything over $10,000")
    assert (draft.severity, draft.name) == ("high", "Reject anything over $10,000")


def test_words_not_understood_are_returned_next_to_the_rule() -> None:
    result = compile_rule("Flag receipts over $100 from the marketing team")
    assert result.draft is not None
    assert result.unrecognized == ["marketing"]


def test_the_description_is_generated_from_the_rule_not_echoed() -> None:
    result = compile_rule("flag anything over 1k")
    assert result.description == "Flags receipts whose total is over 1,000."


@pytest.mark.parametrize("lead", ["From now on,", "Going forward,", "Starting today", "Effective immediately,"])
def test_when_the_rule_starts_is_not_a_condition_and_never_a_merchant(lead: str) -> None:
    plain = spec_of("flag meals over 100 ringgit on weekends").result
    assert spec_of(f"{lead} flag meals over 100 ringgit on weekends").result == plain


def test_a_merchant_whose_name_starts_with_now_is_still_a_merchant() -> None:
    result = compile_rule("Flag receipts from Now Coffee over $5")
    assert result.draft is not None
    assert '"now coffee"' in result.description
