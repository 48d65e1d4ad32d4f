"""Built-in keyword concept lists a keyword rule can name instead of spelling out words.

JSON: ``{"type": "keyword", "concepts": ["alcohol", "gambling"]}``. A concept matches when any of its
words appears (whole word, case- and accent-insensitive). A team extends a concept with its own words
through ``RuleContext.concepts`` (``{"alcohol": ["sake", "soju"]}``); the built-in words always stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

ConceptName = Literal["alcohol", "tobacco", "gift_cards", "gambling", "adult_entertainment"]

BUILTIN_CONCEPTS: dict[str, tuple[str, ...]] = {
    "alcohol": (
        "alcohol", "beer", "lager", "ale", "ipa", "stout", "cider", "wine", "red wine", "white wine", "rose wine",
        "prosecco", "champagne", "cava", "spirits", "liquor", "liqueur", "whisky", "whiskey", "bourbon", "scotch",
        "vodka", "gin", "rum", "tequila", "mezcal", "brandy", "cognac", "sake", "soju", "cocktail", "margarita",
        "mojito", "martini", "sangria", "bar tab", "pub", "brewery", "winery", "off licence", "liquor store",
    ),
    "tobacco": (
        "tobacco", "cigarette", "cigarettes", "cigar", "cigars", "cigarillo", "vape", "vaping", "e-cigarette",
        "e-liquid", "snus", "rolling papers", "hookah", "shisha", "nicotine", "marlboro", "camel", "juul",
    ),
    "gift_cards": (
        "gift card", "gift cards", "giftcard", "gift certificate", "gift voucher", "prepaid card", "itunes card",
        "google play card", "amazon gift", "steam card", "voucher card", "store credit",
    ),
    "gambling": (
        "casino", "betting", "bet", "bookmaker", "bookie", "lottery", "lotto", "scratch card", "scratchcard",
        "poker", "blackjack", "roulette", "slot machine", "slots", "sportsbook", "wager", "keno", "bingo",
    ),
    "adult_entertainment": (
        "strip club", "gentlemen's club", "gentlemens club", "adult entertainment", "adult club", "lap dance",
        "cabaret club", "peep show", "sex shop", "adult store", "escort", "burlesque",
    ),
}  # fmt: skip
"""The built-in words of each concept (compared after folding, so accents and case do not matter)."""

CONCEPT_NAMES: tuple[str, ...] = tuple(BUILTIN_CONCEPTS)


def concept_words(name: str, extensions: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The words of concept ``name``: the built-in ones plus the team's additions, each once."""
    words = [*BUILTIN_CONCEPTS[name], *(word for word in extensions.get(name, ()) if word.strip())]
    return tuple(dict.fromkeys(words))
