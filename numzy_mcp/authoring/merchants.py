"""Merchants, keywords, quoted phrases and concepts.

Merchants: "from Amazon", "at Starbucks or Dunkin", "at 'Joe's Diner'", "Acme receipts" (a capitalised
name the grammar does not otherwise know, right before receipts / purchases). Keywords: "mentioning
'casino'", "whose items mention "bar" or "pub"", "merchants containing 'casino'", a quoted phrase on its
own. Concepts (built-in word lists): alcohol, tobacco, gift cards, gambling, adult entertainment.
Merchant names and keywords match whole words, case-insensitively (``numzy_mcp.rules.keyword``).
"""

from __future__ import annotations

from functools import cache
from typing import cast

from numzy_mcp.authoring.pieces import Cond, Hit
from numzy_mcp.authoring.tokens import PhraseTable, Sentence, phrases
from numzy_mcp.rules import KeywordSpec
from numzy_mcp.rules.concepts import ConceptName
from numzy_mcp.rules.leaf_field import MatchMode
from numzy_mcp.rules.leaf_text import KeywordField

CONCEPTS: PhraseTable[str] = PhraseTable(
    phrases(
        ("alcohol", (
            "alcohol", "alcoholic drinks", "alcoholic beverages", "alcoholic", "booze", "liquor", "alcohol purchases",
        )),
        ("tobacco", (
            "tobacco", "cigarettes", "cigarette", "cigars", "smoking", "vapes", "vaping", "nicotine", "smokes",
            "tobacco products",
        )),
        ("gift_cards", (
            "gift card", "gift cards", "giftcard", "giftcards", "gift certificate", "gift certificates",
            "gift voucher", "gift vouchers", "vouchers", "prepaid cards", "gift_cards",
        )),
        ("gambling", ("gambling", "betting", "bets", "lottery", "lottery tickets", "casinos")),
        ("adult_entertainment", (
            "adult entertainment", "strip club", "strip clubs", "adult_entertainment",
        )),
    )
)  # fmt: skip
_LIST = (",", "or", "and", "/", "&", "nor")


def concepts(sentence: Sentence, index: int) -> Hit | None:
    """Concepts named on their own: "with alcohol", "tobacco purchases", "alcohol or tobacco"."""
    found = CONCEPTS.match(sentence, index)
    if found is None:
        return None
    end, chosen = found[0], [found[1]]
    while sentence.norm(end) in _LIST:
        more = CONCEPTS.match(sentence, sentence.skip(end, _LIST))
        if more is None:
            break
        end = more[0]
        chosen.append(more[1])
    names = cast("list[ConceptName]", list(dict.fromkeys(chosen)))
    return Hit(end, (Cond(KeywordSpec(field="merchant_or_items", concepts=names)),))


_WHERE: PhraseTable[KeywordField] = PhraseTable(
    cast(
        "dict[str, KeywordField]",
        phrases(
            ("merchant_or_items", ("merchant or items", "merchant or item", "merchant and items", "merchant or items")),
            ("merchant", (
                "merchant", "merchants", "merchant name", "merchant names", "vendor", "vendors", "vendor name",
                "store name", "stores", "store", "merchant's name", "whose merchant name", "merchants whose name",
                "merchants with names", "merchant whose name",
            )),
            ("items", ("items", "item descriptions", "line items", "item", "item description", "item names")),
            ("raw_text", ("receipt text", "text", "ocr text", "raw text", "the receipt text")),
            ("all_text", ("merchant , items or receipt text", "merchant, items or receipt text", "anywhere")),
        ),
    )
)  # fmt: skip
_VERBS = PhraseTable(
    dict.fromkeys(
        ("mention", "mentions", "mentioning", "contain", "contains", "containing", "include", "includes",
         "including", "say", "says", "saying", "with the word", "with the words", "with the phrase",
         "that mention", "that contain", "that include", "that say", "matching", "like", "with names containing",
         "whose name contains", "whose names contain", "named", "called", "with the name"),
        True,
    )
)  # fmt: skip


@cache
def _known_words() -> frozenset[str]:
    """Words the grammar knows: they end a merchant name or a bare keyword."""
    from numzy_mcp.authoring import checks, connectives, fields, quantities, timeexpr

    tables = (
        connectives.ACTIONS, quantities.COMPARATORS, quantities.CURRENCY_WORDS, fields.MENTIONS,
        fields.CATEGORY_WORDS, fields.MISSABLE, timeexpr.DAYS, CONCEPTS, checks.KEYWORD_TABLES[0],
        checks.KEYWORD_TABLES[1], checks.KEYWORD_TABLES[2], _VERBS,
    )  # fmt: skip
    words: set[str] = {*connectives.FILLERS, *connectives.JUDGEMENTS}
    for table in tables:
        words |= table.first_words()
    words |= {
        "and", "or", "unless", "except", "not", "non", "over", "under", "above", "below", "between", "after",
        "before", "since", "until", "during", "per", "same", "night", "nights", "holiday", "holidays", "public",
        "with", "without", "missing", "no", "whose", "where", "than", "more", "less", "at", "from", "in", "on",
        "cash", "card", "merchant", "merchants", "vendor", "store", "midnight", "noon", "pm", "am",
    }  # fmt: skip
    return frozenset(words)


@cache
def _structural_words() -> frozenset[str]:
    """Words that end a name even when capitalised ("Over", "On", "And", day names)."""
    from numzy_mcp.authoring import connectives, quantities, timeexpr

    words = set(connectives.FILLERS) | quantities.COMPARATORS.first_words() | timeexpr.DAYS.first_words()
    return frozenset(words | {"and", "or", "unless", "except", "not", "non", "between", "after", "before"})


_BRANDS = frozenset({"uber", "lyft", "airbnb"})


def _name(sentence: Sentence, index: int, *, bare: bool) -> tuple[int, str] | None:
    """A quoted phrase, or 1–4 words the grammar does not know ("Whole Foods", "Amazon")."""
    if sentence.kind(index) == "quoted":
        return index + 1, sentence.norm(index)
    known, structural = _known_words(), _structural_words()
    end = index
    while end < len(sentence) and end - index < 4 and sentence.kind(end) == "word":
        word = sentence.norm(end)
        capitalised_name = sentence.is_capitalised(end) and word not in structural and not bare
        if word in known and not capitalised_name and not (word in _BRANDS and end == index):
            break
        end += 1
        if bare:
            break
    if end == index:
        return None
    return end, sentence.span_text(index, end).lower()


def _names(sentence: Sentence, index: int, *, bare: bool) -> tuple[int, list[str], MatchMode] | None:
    mode: MatchMode = "any"
    if sentence.norm(index) == "all" and sentence.norm(index + 1) == "of":
        mode, index = "all", index + 2
    found = _name(sentence, index, bare=bare)
    if found is None:
        return None
    end, chosen = found[0], [found[1]]
    while sentence.norm(end) in _LIST:
        more = _name(sentence, sentence.skip(end, _LIST), bare=bare)
        if more is None:
            break
        end = more[0]
        chosen.append(more[1])
    return end, list(dict.fromkeys(chosen)), mode


_FROM = PhraseTable(
    dict.fromkeys(
        ("from", "at", "bought at", "purchased at", "made at", "paid to", "spent at", "from merchant",
         "from merchants", "at merchant", "from the merchant", "at the merchant", "from vendor", "from the store",
         "at the store", "from a merchant named", "from merchants named", "at a merchant named", "from stores"),
        True,
    )
)  # fmt: skip


def merchants(sentence: Sentence, index: int) -> Hit | None:
    """Merchants: "from Amazon", "at Starbucks or Dunkin", "from 'Joe's Diner'"."""
    lead = _FROM.match(sentence, index)
    if lead is None:
        return None
    start = sentence.skip(lead[0], ("named", "called"))
    if sentence.norm(start) == "the" and sentence.is_capitalised(start + 1):
        start += 1
    found = _names(sentence, start, bare=False)
    if found is None:
        return None
    end, names, _ = found
    return Hit(end, (Cond(KeywordSpec(field="merchant", words=names)),))


_ORDER_NOUNS = frozenset({"receipts", "receipt", "purchases", "purchase", "orders", "order", "expenses", "charges"})


def named_merchant(sentence: Sentence, index: int) -> Hit | None:
    """A capitalised unknown name right before "receipts" / "purchases": "Acme receipts"."""
    if not sentence.is_capitalised(index) or index == 0:
        return None
    found = _name(sentence, index, bare=False)
    if found is None or sentence.norm(found[0]) not in _ORDER_NOUNS:
        return None
    return Hit(found[0], (Cond(KeywordSpec(field="merchant", words=[found[1]])),))


def keywords(sentence: Sentence, index: int) -> Hit | None:
    """Words to look for: "mentioning 'casino'", "whose items mention "bar" or alcohol"."""
    where = _WHERE.match(sentence, index)
    field: KeywordField = "merchant_or_items"
    start = index
    if where is not None:
        field, start = where[1], sentence.skip(where[0], ("is", "are"))
    verb = _VERBS.match(sentence, start)
    if verb is None:
        return None
    start = verb[0]
    if sentence.norm(start) == "all" and sentence.norm(start + 1) == "of":
        return _terms(sentence, start + 2, field, "all")
    return _terms(sentence, start, field, None)


def _terms(sentence: Sentence, index: int, field: KeywordField, mode: MatchMode | None) -> Hit | None:
    words: list[str] = []
    names: list[str] = []
    end = index
    separator = ""
    while True:
        start = sentence.skip(end, _LIST) if words or names else end
        if (words or names) and start == end:
            break
        concept = CONCEPTS.match(sentence, start)
        found = None if concept is not None else _name(sentence, start, bare=sentence.kind(start) != "quoted")
        if concept is None and found is None:
            break
        if words or names:
            separator = separator or sentence.norm(end)
        if concept is not None:
            names.append(concept[1])
            end = concept[0]
        elif found is not None:
            words.append(found[1])
            end = found[0]
    if not words and not names:
        return None
    chosen: MatchMode = mode or ("all" if separator == "and" else "any")
    spec = KeywordSpec(
        field=field,
        words=list(dict.fromkeys(words)),
        concepts=cast("list[ConceptName]", list(dict.fromkeys(names))),
        match=chosen,
    )
    return Hit(end, (Cond(spec),))


def quoted(sentence: Sentence, index: int) -> Hit | None:
    """A quoted phrase on its own: look for it in the merchant name and items."""
    if sentence.kind(index) != "quoted":
        return None
    found = _names(sentence, index, bare=True)
    if found is None:
        return None
    end, words, _ = found
    return Hit(end, (Cond(KeywordSpec(field="merchant_or_items", words=words)),))
