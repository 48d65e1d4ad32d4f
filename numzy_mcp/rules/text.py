"""Text helpers rules share: accent- and case-insensitive folding, and whole-word search.

``fold("Café  CRÈME")`` is ``"cafe creme"``: NFKD-decomposed, combining marks dropped, case-folded,
whitespace collapsed. Keyword rules fold both the receipt text and the words they look for, so
"creme" finds "Crème" and "STRASSE" finds "Straße".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

RAW_TEXT_SHOWN = 200
"""How many characters of the raw OCR text a finding quotes."""


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` without accents, case-folded, with runs of whitespace made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


@lru_cache(maxsize=4096)
def word_pattern(word: str) -> re.Pattern[str]:
    """A compiled whole-word pattern for ``word`` (folded), matching any whitespace between its parts.

    Only literal words reach it (escaped), so the standard ``re`` engine cannot backtrack badly.
    """
    body = r"\s+".join(re.escape(part) for part in fold(word).split())
    return re.compile(rf"(?<!\w){body}(?!\w)")


def contains_word(folded_haystack: str, word: str) -> bool:
    """True when ``word`` appears as a whole word in ``folded_haystack`` (already ``fold``-ed)."""
    return word_pattern(word).search(folded_haystack) is not None


def shorten(text: str, limit: int = RAW_TEXT_SHOWN) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
