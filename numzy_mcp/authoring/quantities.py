"""Quantities and comparisons: ``$1,000``, ``200 EUR``, ``two hundred dollars``, ``1.5k``, ``20%``, ``over``.

A quantity is a number (digits, ``1k`` / ``1.5k``, or words: "two hundred and fifty") with an
optional currency before or after it ($, €, £, ¥, ISO codes such as USD, or words: dollars, bucks,
euros, pounds, yen) or a percent sign. ``$`` and ``¥`` stay symbols here: the compiler resolves them
against the team's currency (``$`` is CAD for a CAD team, else USD).

Comparisons follow the corpus conventions: "over / above / more than" are strict (>), "at least /
or more" inclusive (>=), "under / below / less than" strict (<), "at most / up to / no more than"
inclusive (<=), "between X and Y" includes both ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from numzy_mcp.authoring.pieces import Comparison, FieldMention, Hit, Note, Unit
from numzy_mcp.authoring.tokens import PhraseTable, Sentence
from numzy_mcp.rules.conditions import Operator

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"thousand": 1000, "million": 1_000_000}
_SIMPLE = _UNITS | _TENS

CURRENCY_CODES = frozenset(
    [
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "CHF",
        "CAD",
        "AUD",
        "NZD",
        "CNY",
        "HKD",
        "SGD",
        "SEK",
        "NOK",
        "DKK",
        "INR",
        "MXN",
        "BRL",
        "ZAR",
        "KRW",
        "PLN",
        "CZK",
        "HUF",
        "TRY",
        "ILS",
        "AED",
        "THB",
        "MYR",
        "IDR",
        "PHP",
        "TWD",
        "SAR",
        "QAR",
        "RON",
        "BGN",
        "ISK",
        "ARS",
        "CLP",
        "COP",
        "PEN",
        "VND",
        "EGP",
        "NGN",
        "KES",
    ]
)
"""ISO 4217 codes recognised in sentences (upper case; the lower-case safe ones below too)."""
_LOWER_SAFE = frozenset({"usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "nzd", "cny", "hkd", "sgd", "sek", "inr"})
_SYMBOLS = {"$": "$", "€": "EUR", "£": "GBP", "¥": "¥"}
CURRENCY_WORDS = PhraseTable(
    {
        "dollars": "$", "dollar": "$", "bucks": "$", "buck": "$", "us dollars": "USD", "us dollar": "USD",
        "canadian dollars": "CAD", "australian dollars": "AUD", "euros": "EUR", "euro": "EUR",
        "pounds": "GBP", "pound": "GBP", "quid": "GBP", "sterling": "GBP", "yen": "JPY", "francs": "CHF",
        "swiss francs": "CHF", "rupees": "INR", "yuan": "CNY", "renminbi": "CNY",
        "ringgit": "MYR", "ringgits": "MYR", "rm": "MYR", "rupiah": "IDR", "rp": "IDR", "baht": "THB",
        "singapore dollars": "SGD", "hong kong dollars": "HKD", "new zealand dollars": "NZD", "dirhams": "AED",
        "dirham": "AED", "riyals": "SAR", "riyal": "SAR", "zloty": "PLN", "rand": "ZAR", "pesos": "MXN",
    }
)  # fmt: skip
DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD"})

COMPARATORS: PhraseTable[Operator] = PhraseTable(
    {
        "over": ">", "above": ">", "more than": ">", "greater than": ">", "higher than": ">", "larger than": ">",
        "bigger than": ">", "exceeding": ">", "exceeds": ">", "exceed": ">", "in excess of": ">", "> ": ">",
        "upwards of": ">", "at least": ">=", "no less than": ">=", "not less than": ">=", "a minimum of": ">=",
        "minimum of": ">=", "> =": ">=", "under": "<", "below": "<", "less than": "<", "lower than": "<",
        "smaller than": "<", "fewer than": "<", "beneath": "<", "<": "<", "at most": "<=", "no more than": "<=",
        "not more than": "<=", "up to": "<=", "a maximum of": "<=", "maximum of": "<=", "< =": "<=",
        "exactly": "==", "equal to": "==", "equals": "==", "of exactly": "==", "=": "==",
        "not exactly": "!=", "not equal to": "!=", "different from": "!=",
    }
)  # fmt: skip
_POSTFIX: PhraseTable[Operator] = PhraseTable(
    {
        "or more": ">=", "or above": ">=", "or higher": ">=", "and above": ">=", "and up": ">=", "or over": ">=",
        "+": ">=", "or less": "<=", "or under": "<=", "or below": "<=", "or lower": "<=", "and below": "<=",
        "and under": "<=", "or fewer": "<=",
    }
)  # fmt: skip
_PERCENT = PhraseTable({"%": True, "percent": True, "per cent": True, "pct": True})
_BASES = PhraseTable(
    {
        "total": "total", "the total": "total", "total amount": "total", "the total amount": "total",
        "the bill": "total", "bill": "total", "the amount": "total", "subtotal": "subtotal",
        "the subtotal": "subtotal", "the sub total": "subtotal", "the pre-tax amount": "subtotal",
        "pre tax amount": "subtotal", "the pre tax amount": "subtotal", "the net amount": "subtotal",
    }
)  # fmt: skip
ITEM_NOUNS = PhraseTable({"items": True, "item": True, "line items": True, "lines": True, "products": True})
EVENT_NOUNS = PhraseTable(
    {
        "receipts": True, "purchases": True, "expenses": True, "transactions": True, "times": True,
        "visits": True, "charges": True, "orders": True, "payments": True,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number read at a position, with its currency (or "$" / "¥" to resolve) or percent sign."""

    end: int
    value: Decimal
    currency: str | None = None
    percent: bool = False


def number_words(sentence: Sentence, index: int) -> tuple[int, Decimal] | None:
    """``(end, value)`` of number words at ``index`` ("two hundred and fifty", "a thousand"), or None."""
    total = current = 0
    seen = False
    i = index
    while i < len(sentence):
        word = sentence.norm(i)
        if word in _SIMPLE:
            current += _SIMPLE[word]
        elif word == "hundred" and (seen or current):
            current = (current or 1) * 100
        elif word in _SCALES and (seen or current):
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word == "a" and sentence.norm(i + 1) in ("hundred", "thousand", "million"):
            current = 1
        elif word in ("and", "-") and seen and sentence.norm(i + 1) in _SIMPLE:
            pass
        else:
            break
        seen = True
        i += 1
    return (i, Decimal(total + current)) if seen else None


def _code(sentence: Sentence, index: int) -> str | None:
    token = sentence.tokens[index] if index < len(sentence) else None
    if token is None or token.kind != "word":
        return None
    if token.text.upper() in CURRENCY_CODES and (token.text.isupper() or token.norm in _LOWER_SAFE):
        return token.text.upper()
    return None


def currency_at(sentence: Sentence, index: int) -> tuple[int, str] | None:
    """``(end, currency)`` of a currency symbol, code or word at ``index``, or None."""
    if sentence.kind(index) == "symbol":
        return index + 1, _SYMBOLS[sentence.norm(index)]
    code = _code(sentence, index)
    if code is not None:
        return index + 1, code
    return CURRENCY_WORDS.match(sentence, index)


def quantity(sentence: Sentence, index: int) -> Quantity | None:
    """The quantity at ``index`` ("$1,000", "200 EUR", "two hundred dollars", "20%"), or None."""
    currency: str | None = None
    before = currency_at(sentence, index)
    if before is not None and sentence.kind(before[0]) == "number":
        index, currency = before
    token = sentence.tokens[index] if index < len(sentence) else None
    if token is not None and token.kind == "number" and token.number is not None:
        end, value = index + 1, token.number
    else:
        found = number_words(sentence, index)
        if found is None:
            return None
        end, value = found
    if sentence.norm(end) == "k" and value < 1000:
        end, value = end + 1, value * 1000
    percent = _PERCENT.match(sentence, end)
    if percent is not None and currency is None:
        return Quantity(percent[0], value, None, True)
    after = currency_at(sentence, end)
    if after is not None and currency is None:
        end, currency = after
    return Quantity(end, value, currency)


def _unit(found: Quantity, item_count: bool) -> Unit:
    if found.percent:
        return "percent"
    return "count" if item_count else "money"


def _finish(sentence: Sentence, start: int, operator: Operator, found: Quantity) -> Hit:
    """The comparison of ``found`` with what follows it: a percentage base, item nouns, counted events."""
    end = found.end
    items = ITEM_NOUNS.match(sentence, end)
    if items is not None and not found.percent and found.currency is None:
        return Hit(items[0], (FieldMention("item_count"), Comparison(operator, found.value, None, "count")))
    events = EVENT_NOUNS.match(sentence, end)
    if events is not None and not found.percent and found.currency is None:
        text = sentence.span_text(start, events[0])
        return Hit(events[0], (Note(f"{text} (a count of receipts needs a period and a merchant, e.g. "
                                    f"'more than 3 receipts from the same merchant in one day')"),))  # fmt: skip
    base: str | None = None
    base_text = ""
    if found.percent and sentence.norm(end) == "of":
        matched = _BASES.match(sentence, end + 1)
        if matched is not None:
            base, base_text = matched[1], sentence.span_text(end, matched[0])
            end = matched[0]
    return Hit(end, (Comparison(operator, found.value, found.currency, _unit(found, False), None, base, base_text),))


def comparison(sentence: Sentence, index: int) -> Hit | None:
    """A comparison at ``index``: "over $100", "at least 500", "between 1k and 5k", "50 or more"."""
    if sentence.norm(index) in ("between", "from"):
        low = quantity(sentence, index + 1)
        if low is not None and sentence.norm(low.end) in ("and", "to", "-"):
            high = quantity(sentence, low.end + 1)
            if high is not None and low.percent == high.percent:
                currency = low.currency or high.currency
                unit = _unit(low, False)
                items = ITEM_NOUNS.match(sentence, high.end)
                if items is not None and unit == "money" and currency is None:
                    found = Comparison(">=", low.value, None, "count", high.value)
                    return Hit(items[0], (FieldMention("item_count"), found))
                return Hit(high.end, (Comparison(">=", low.value, currency, unit, high.value),))
        return None
    matched = COMPARATORS.match(sentence, index)
    if matched is not None:
        found = quantity(sentence, matched[0])
        return None if found is None else _finish(sentence, index, matched[1], found)
    found = quantity(sentence, index)
    if found is not None:
        postfix = _POSTFIX.match(sentence, found.end)
        if postfix is not None:
            moved = Quantity(postfix[0], found.value, found.currency, found.percent)
            return _finish(sentence, index, postfix[1], moved)
    return None


def resolve_currency(currency: str | None, default: str | None) -> str | None:
    """A quantity's currency as an ISO code: "$" and "¥" follow the team's currency when it is one of theirs."""
    if currency == "$":
        return default if default in DOLLAR_CURRENCIES else "USD"
    if currency == "¥":
        return default if default in ("JPY", "CNY") else "JPY"
    return currency if currency is not None else default
