"""Field phrases: receipt amounts, categories and their synonyms, payment method, currency, missing fields.

Amounts: "the tip", "tax", "the subtotal", "totals", "a single item" (any item's amount), "the number
of items". Categories: meals (dining, lunch, restaurants, …), lodging (hotel, accommodation), transport
(taxi, rides, Uber, Lyft, trains), airfare (flights), fuel (gas, petrol), groceries, office supplies,
electronics, subscriptions, events; "alcohol" and "other" are categories only next to the word
"category" (elsewhere "alcohol" is the keyword concept). Payment: cash, card. Currency: "in EUR",
"not in USD", "non-USD", "in a foreign currency". Missing: "without a tax amount", "missing merchant
name", "no date", "where the total is missing".
"""

from __future__ import annotations

from typing import cast

from numzy_mcp.authoring.pieces import ComparedField, Cond, CurrencyScope, FieldMention, Hit
from numzy_mcp.authoring.quantities import currency_at
from numzy_mcp.authoring.tokens import PhraseTable, Sentence, phrases
from numzy_mcp.receipts import Category, PaymentMethod
from numzy_mcp.rules import CategorySpec, CurrencySpec, MissingSpec, PaymentMethodSpec

MENTIONS: PhraseTable[ComparedField] = PhraseTable(
    cast(
        "dict[str, ComparedField]",
        phrases(
            ("tip", ("tip", "tips", "the tip", "gratuity", "gratuities", "tip amount")),
            ("tax", ("tax", "taxes", "vat", "sales tax", "tax amount", "gst", "the tax")),
            ("tax_rate", ("tax rate", "vat rate", "the tax rate")),
            ("subtotal", ("subtotal", "subtotals", "sub total", "sub - total", "pre - tax amount", "net amount")),
            ("total", ("total", "totals", "total amount", "grand total", "amount", "amounts", "the total")),
            ("item", (
                "item", "items", "single item", "any item", "an item", "line item", "line items", "item price",
                "item prices", "unit price", "item amount", "item amounts", "individual item", "any single item",
                "one item", "a single item", "any one item", "single line item",
            )),
            ("item_count", ("number of items", "item count", "items count", "number of line items")),
        ),
    )
)  # fmt: skip


def field_mention(sentence: Sentence, index: int) -> Hit | None:
    """An amount the next comparison applies to: "the tip", "tax", "a single item"."""
    found = MENTIONS.match(sentence, index)
    return None if found is None else Hit(found[0], (FieldMention(found[1]),))


CATEGORY_WORDS: PhraseTable[str] = PhraseTable(
    phrases(
        ("meals", (
            "meal", "meals", "dining", "dinner", "dinners", "lunch", "lunches", "breakfast", "breakfasts", "brunch",
            "restaurant", "restaurants", "food", "catering", "business meals", "client dinners", "cafe", "cafes",
            "coffee", "coffees", "eating out", "dine", "diner",
        )),
        ("lodging", (
            "lodging", "hotel", "hotels", "motel", "motels", "accommodation", "accommodations", "hotel stays",
            "hotel stay", "airbnb", "inn", "lodgings",
        )),
        ("transport", (
            "transport", "transportation", "taxi", "taxis", "cab", "cabs", "ride", "rides", "rideshare",
            "ride share", "ride - share", "uber", "lyft", "train", "trains", "bus", "buses", "car rental",
            "car rentals", "parking", "tolls", "taxi rides", "ground transport",
        )),
        ("airfare", ("airfare", "airfares", "flight", "flights", "plane tickets", "air travel", "airline tickets")),
        ("fuel", ("fuel", "gas", "gasoline", "petrol", "diesel", "refuelling", "refueling")),
        ("groceries", ("grocery", "groceries", "supermarket", "supermarkets")),
        ("office_supplies", (
            "office supplies", "office supply", "stationery", "office equipment", "office_supplies",
        )),
        ("electronics", ("electronics", "laptop", "laptops", "computer", "computers", "gadgets", "electronic")),
        ("subscriptions", ("subscription", "subscriptions", "saas")),
        ("events", ("event", "events", "conference", "conferences", "event tickets")),
        ("alcohol", ("alcohol",)),
        ("other", ("other",)),
    )
)  # fmt: skip
_CONTEXT_ONLY = frozenset({"alcohol", "other"})
_LIST = (",", "or", "and", "/", "&", "nor")
_ARTICLES = ("a", "an", "the", "any")


def _in_category_context(sentence: Sentence, index: int, end: int) -> bool:
    before = {sentence.norm(index - offset) for offset in range(1, 4)}
    return bool(before & {"category", "categories"}) or sentence.norm(end) in ("category", "categories")


def categories(sentence: Sentence, index: int) -> Hit | None:
    """Categories and their synonyms, as a list: "meals", "hotel or lodging", "taxi rides"."""
    found = CATEGORY_WORDS.match(sentence, index)
    if found is None or (found[1] in _CONTEXT_ONLY and not _in_category_context(sentence, index, found[0])):
        return None
    end, chosen = found[0], [found[1]]
    while sentence.norm(end) in _LIST:
        start = sentence.skip(sentence.skip(end, _LIST), _ARTICLES)
        more = CATEGORY_WORDS.match(sentence, start)
        if more is None or (more[1] in _CONTEXT_ONLY and not _in_category_context(sentence, start, more[0])):
            break
        end = more[0]
        chosen.append(more[1])
    listed = cast("list[Category]", list(dict.fromkeys(chosen)))
    return Hit(end, (Cond(CategorySpec(categories=listed)),))


_METHODS: PhraseTable[str] = PhraseTable(
    phrases(
        ("cash", ("cash", "in cash", "by cash", "with cash", "paid in cash", "paid cash", "paid by cash")),
        ("card", (
            "card", "cards", "by card", "with a card", "paid by card", "credit card", "credit cards", "debit card",
            "debit cards", "corporate card", "company card", "paid by credit card", "paid with a credit card",
            "paid with a card", "with a credit card", "by credit card",
        )),
    )
)  # fmt: skip


def payment(sentence: Sentence, index: int) -> Hit | None:
    """Payment method: "cash payments", "paid by card", "cash or card"."""
    found = _METHODS.match(sentence, index)
    if found is None:
        return None
    end, chosen = found[0], [found[1]]
    while sentence.norm(end) in _LIST:
        more = _METHODS.match(sentence, sentence.skip(end, _LIST))
        if more is None:
            break
        end = more[0]
        chosen.append(more[1])
    methods = cast("list[PaymentMethod]", list(dict.fromkeys(chosen)))
    return Hit(end, (Cond(PaymentMethodSpec(methods=methods)),))


_FOREIGN = PhraseTable(
    dict.fromkeys(("foreign currency", "foreign currencies", "a foreign currency", "in a foreign currency"), True)
)
_CURRENCY_LEAD = PhraseTable(
    dict.fromkeys(("in", "paid in", "in currency", "in currencies", "currency", "currencies", "denominated in"), True)
)


def _currency_list(sentence: Sentence, index: int) -> tuple[int, list[str]] | None:
    found = currency_at(sentence, index)
    if found is None or sentence.kind(found[0]) == "number":
        return None
    end, chosen = found[0], [found[1]]
    while sentence.norm(end) in _LIST:
        more = currency_at(sentence, sentence.skip(end, _LIST))
        if more is None:
            break
        end = more[0]
        chosen.append(more[1])
    return end, list(dict.fromkeys("USD" if code == "$" else "JPY" if code == "¥" else code for code in chosen))


def currency(sentence: Sentence, index: int) -> Hit | None:
    """Currency of the receipt: "in EUR", "EUR or GBP", "in a foreign currency"."""
    foreign = _FOREIGN.match(sentence, index)
    if foreign is not None:
        return Hit(foreign[0], (CurrencyScope("", foreign=True),))
    lead = _CURRENCY_LEAD.match(sentence, index)
    start = lead[0] if lead is not None else index
    found = _currency_list(sentence, start)
    if found is None:
        return None
    end, codes = found
    if len(codes) == 1:
        return Hit(end, (CurrencyScope(codes[0]),))
    return Hit(end, (Cond(CurrencySpec(currencies=codes)),))


MISSABLE: PhraseTable[str] = PhraseTable(
    phrases(
        ("merchant", (
            "merchant", "merchant name", "vendor", "vendor name", "store name", "merchant's name", "name",
            "merchants", "business name",
        )),
        ("date", ("date", "purchase date", "receipt date", "transaction date", "dates")),
        ("time", ("time", "purchase time", "time of purchase")),
        ("total", ("total", "total amount", "grand total", "amount", "totals")),
        ("tax", ("tax", "tax amount", "taxes", "vat", "vat amount", "sales tax")),
        ("tip", ("tip", "tip amount")),
        ("subtotal", ("subtotal", "sub total")),
        ("currency", ("currency",)),
        ("category", ("category",)),
        ("payment_method", ("payment method", "payment type")),
        ("address", ("address", "merchant address", "store address")),
        ("items", ("items", "line items", "item list", "itemization", "itemized list", "item details", "item lines")),
        ("country", ("country",)),
        ("card_last4", ("card number", "card digits", "last four digits", "card number ending")),
        ("tax_rate", ("tax rate", "vat rate")),
    )
)  # fmt: skip
_MISSING_LEAD = PhraseTable(
    dict.fromkeys(
        ("without", "missing", "no", "lacking", "lacks", "lack", "with no", "that lack", "has no", "have no",
         "doesn't have", "don't have", "do not have", "does not have", "without any", "with a missing",
         "with missing", "absent"),
        True,
    )
)  # fmt: skip
_MISSING_AFTER = PhraseTable(
    dict.fromkeys(
        ("is missing", "are missing", "missing", "is blank", "is empty", "are blank", "is absent",
         "is not present", "isn't present", "not found", "was not found", "is not on the receipt"),
        True,
    )
)  # fmt: skip


def _missable_list(sentence: Sentence, index: int) -> tuple[int, list[str], bool] | None:
    every = False
    if sentence.norm(index) == "both":
        every, index = True, index + 1
    elif sentence.norm(index) == "all" and sentence.norm(index + 1) == "of":
        every, index = True, index + 2
    elif sentence.norm(index) == "every" and sentence.norm(index + 2) == "of":
        every, index = True, index + 3
    found = MISSABLE.match(sentence, sentence.skip(index, _ARTICLES))
    if found is None:
        return None
    end, chosen = found[0], [found[1]]
    while sentence.norm(end) in _LIST:
        more = MISSABLE.match(sentence, sentence.skip(sentence.skip(end, _LIST), _ARTICLES))
        if more is None:
            break
        end = more[0]
        chosen.append(more[1])
    return end, list(dict.fromkeys(chosen)), every


def missing(sentence: Sentence, index: int) -> Hit | None:
    """Missing fields: "without a tax amount", "missing merchant name", "where the date is missing"."""
    lead = _MISSING_LEAD.match(sentence, index)
    if lead is not None:
        found = _missable_list(sentence, lead[0])
        if found is None:
            return None
        end, fields, every = found
        return Hit(end, (Cond(MissingSpec(fields=fields, match="all" if every else "any")),))
    found = _missable_list(sentence, index)
    if found is None:
        return None
    after = _MISSING_AFTER.match(sentence, found[0])
    if after is None:
        return None
    return Hit(after[0], (Cond(MissingSpec(fields=found[1], match="all" if found[2] else "any")),))
