"""Round trip: for every rule the compiler produces, compiling its description gives the same rule.

Sentences are generated from the grammar pieces (amounts in every currency form and comparative,
categories by synonym, merchants, days, hours, holidays, ages, dates, keywords, concepts, payment,
currency, missing fields, item counts and prices, tip and tax percentages, duplicates, frequency,
sums, refunds, round totals), joined by "and" / "or" / "unless" under any action. The compiled spec
is compared field by field with the spec compiled from its description.
"""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from numzy_mcp.authoring import compile_rule

integers = st.integers(min_value=1, max_value=9999)
decimals = st.builds(lambda whole, cents: f"{whole}.{cents:02d}", st.integers(1, 999), st.integers(1, 99))
numbers = st.one_of(integers.map(str), decimals, integers.map(lambda n: f"{n:,}"))


@st.composite
def amounts(draw: st.DrawFn) -> str:
    value = draw(numbers)
    form = draw(st.sampled_from(["${}", "{} USD", "{} dollars", "€{}", "{} EUR", "{} euros", "£{}", "{} GBP",
                                 "{} CHF", "{}", "{} bucks", "JPY {}"]))  # fmt: skip
    return form.format(value)


comparatives = st.sampled_from(
    ["over", "above", "more than", "greater than", "at least", "under", "below", "less than", "at most",
     "no more than", "exactly"]
)  # fmt: skip
categories = st.sampled_from(
    ["meals", "dinners", "restaurant bills", "hotel stays", "lodging", "taxi rides", "Uber rides", "flights",
     "fuel", "groceries", "office supplies", "electronics", "subscriptions", "conference tickets"]
)  # fmt: skip
merchants = st.sampled_from(["Amazon", "Starbucks", "Whole Foods", "Delta", "Acme Corp", "'Joe's Diner'"])
days = st.sampled_from(
    ["on weekends", "on a weekday", "on Sundays", "on Friday or Saturday", "on sat/sun", "on Monday through Wednesday",
     "on Tuesdays"]
)  # fmt: skip
clock = st.integers(1, 11)
hours = st.one_of(
    clock.map(lambda h: f"after {h} pm"),
    clock.map(lambda h: f"before {h}am"),
    st.tuples(clock, clock).map(lambda hs: f"between {hs[0]}pm and {hs[1]}am"),
    st.sampled_from(["at night", "after midnight", "outside business hours"]),
)
simple = st.sampled_from(
    ["on public holidays", "older than 90 days", "more than 3 weeks old", "without a tax amount",
     "missing the merchant name or date", "duplicate receipts", "refunds", "round amounts", "multiples of 50",
     "where the total doesn't match the sum of the items", "with alcohol", "mentioning 'casino' or 'spa'",
     "that mention gift cards", "paid in cash", "paid by card", "not in USD", "in EUR or GBP",
     "dated before 2025-06-01", "in 2024", "more than 3 receipts from the same merchant in one day",
     "more than 5 purchases per week at the same store", "with more than 10 items", "with at least 4 items",
     "where the tip is more than 20% of the subtotal", "where tax is over 15% of the total"]
)  # fmt: skip


@st.composite
def conditions(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["amount", "between", "category", "merchant", "days", "hours", "simple", "item",
                                 "field"]))  # fmt: skip
    match kind:
        case "amount":
            return f"{draw(comparatives)} {draw(amounts())}"
        case "between":
            low, high = sorted(draw(st.tuples(integers, integers)))
            return f"between {low} and {high} EUR"
        case "category":
            return draw(categories)
        case "merchant":
            return f"from {draw(merchants)}"
        case "days":
            return draw(days)
        case "hours":
            return draw(hours)
        case "item":
            return f"where any item costs {draw(comparatives)} {draw(amounts())}"
        case "field":
            return f"where the {draw(st.sampled_from(['tip', 'tax', 'subtotal']))} is {draw(comparatives)} {draw(amounts())}"
        case _:
            return draw(simple)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    parts = draw(st.lists(conditions(), min_size=1, max_size=3))
    joiners = [draw(st.sampled_from([" and ", " ", " or ", ", or "])) for _ in parts[1:]]
    body = parts[0] + "".join(joiner + part for joiner, part in zip(joiners, parts[1:], strict=True))
    if draw(st.booleans()):
        body += f" unless {draw(st.sampled_from(['it is a weekend', 'from Amazon', 'paid by card', 'on a holiday', 'meals']))}"
    lead, tail = draw(st.sampled_from([("Flag receipts", ""), ("Reject receipts", ""), ("Block purchases", ""),
                                       ("Receipts", " need review"), ("Alert me about expenses", ""),
                                       ("Don't allow purchases", "")]))  # fmt: skip
    return f"{lead} {body}{tail}"


@settings(max_examples=400, deadline=None)
@given(sentences(), st.sampled_from([None, "USD", "EUR", "CAD"]))
def test_compiling_the_description_of_a_compiled_rule_gives_the_same_rule(text: str, currency: str | None) -> None:
    first = compile_rule(text, default_currency=currency)
    assume(first.draft is not None)
    assert first.draft is not None
    second = compile_rule(first.description, default_currency=currency)
    assert second.draft is not None, (text, first.description, second.refusal)
    assert second.unrecognized == [], (text, first.description)
    assert second.draft.action == first.draft.action, (text, first.description)
    assert second.draft.spec == first.draft.spec, (text, first.description, second.description)
    assert second.description == first.description


def test_every_generated_sentence_kind_compiles_without_leftovers() -> None:
    """The generator only uses grammar the compiler knows, so a failing round trip is a real bug."""
    for text in ["Flag receipts on sat/sun between 10pm and 5am", "Receipts from 'Joe's Diner' need review",
                 "Flag conference tickets over JPY 5,000 unless it is a weekend"]:  # fmt: skip
        result = compile_rule(text)
        assert result.draft is not None and result.unrecognized == [], (text, result.unrecognized)
