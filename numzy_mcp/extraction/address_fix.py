"""Undo OCR slips inside a street address: misread letters, digits read as letters, stray marks.

An address is mostly made of a small vocabulary (street and building words, states, towns; see
:mod:`address_words`) plus numbers, so a word that is *almost* one of those words, by the shapes an
OCR engine confuses, is that word: "TAMAR DESA" → "TAMAN DESA", "MSLAYSIA" → "MALAYSIA",
"L.UMPUR" → "LUMPUR", "SR!" → "SRI". Words that are not close to exactly one vocabulary word (street
and shop names) are never touched, and neither are words the vocabulary already holds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Final

from numzy_mcp.extraction.address_words import ADDRESS_WORDS

__all__ = ["correct_address", "correct_word"]

_CONFUSABLE: Final[frozenset[frozenset[str]]] = frozenset(
    frozenset(pair)
    for pair in (
        "O0", "OD", "OQ", "OC", "OG", "OU", "D0", "Q0", "CG", "CE", "I1", "IL", "I!", "I|", "IJ", "IT", "L1",
        "L|", "S5", "S$", "B8", "B3", "EF", "EO", "RN", "UV", "NH", "NM", "A4", "Z2", "G6",
    )
)  # fmt: skip
"""Character pairs a receipt OCR mixes up by shape; swapping one costs half a plain substitution."""

_BY_LENGTH: Final[dict[int, tuple[str, ...]]] = {}
_groups: defaultdict[int, list[str]] = defaultdict(list)
for _word in sorted(ADDRESS_WORDS):
    _groups[len(_word)].append(_word)
_BY_LENGTH.update({length: tuple(words) for length, words in _groups.items()})

_TOKEN: Final = re.compile(r"[A-Za-z0-9!|$]*[A-Za-z](?:[A-Za-z0-9!|$.]*[A-Za-z0-9!|$])?")
_STRAY_MARKS: Final = re.compile(r"[\"“”„`~]")
_POSTCODE: Final = re.compile(r"(?<![A-Za-z0-9-])\d[0-9ODQ]{4}(?![A-Za-z0-9-])")
_NUMBER_THEN_O: Final = re.compile(r"(?<![A-Za-z0-9])(\d{2,})O(?![A-Za-z0-9])")
_GLUED_POSTCODE: Final = re.compile(r"(?<![A-Za-z0-9-])(\d{5})(?=[A-Za-z])")
_ABBREVIATION: Final = re.compile(r"(?:BLVD|BLDG|APTS|DEPT|STR|JLN|TMN|LRG|SEK)$|^NO\d", re.IGNORECASE)
_FULL_STOP_INSIDE: Final = re.compile(r"(?<=\S)\.(?=\s?[A-Za-z0-9])")
_HOUSE_NO: Final = re.compile(r"^(?:AO|MO|HO|WO|N0|NQ)(?=\s?[.:,]?\s?\d)", re.IGNORECASE)


def _budget(length: int) -> float:
    """How much misreading a word of this length may carry: shape slips only below seven letters."""
    if length <= 4:
        return 0.5
    return 1.0 if length <= 6 else 1.5


def _cost(read: str, word: str, budget: float) -> float:
    """Shape slips cost 0.5; any other letter 1.0, and only inside words of seven letters or more.

    A short word one plain letter away from a vocabulary word is usually another word ("JAPAN" is
    not "JALAN", "BINTANG" is not "LINTANG"), so only shapes an OCR really confuses count there.
    """
    total = 0.0
    for index, (a, b) in enumerate(zip(read, word, strict=True)):
        if a != b:
            if frozenset((a, b)) in _CONFUSABLE:
                total += 0.5
            elif len(read) >= 7 and index > 0:
                total += 1.0
            else:
                return budget + 1.0
            if total > budget:
                break
    return total


def _same_case(read: str, word: str) -> str:
    letters = [ch for ch in read if ch.isalpha()]
    if letters and all(ch.islower() for ch in letters):
        return word.lower()
    if letters and letters[0].isupper() and any(ch.islower() for ch in letters[1:]):
        return word.capitalize()
    return word


def correct_word(read: str) -> str:
    """The vocabulary word ``read`` was most likely printed as, or ``read`` unchanged.

    Args:
        read: One word as the OCR read it (letters, maybe digits, '!' or a '.' inside).

    Returns:
        The corrected word in the case it was read in, when exactly one vocabulary word is within
        the budget for its length; otherwise the word unchanged.
    """
    upper = read.upper()
    if upper in ADDRESS_WORDS or sum(ch.isalpha() for ch in upper) < 0.6 * len(upper):
        return read
    cleaned = upper.replace(".", "").replace("!", "I").replace("|", "I")
    if cleaned in ADDRESS_WORDS and sum(ch.isalpha() for ch in cleaned) >= 3:
        return _same_case(read, cleaned)  # "L.UMPUR", "SR!"
    if upper[0] in "O0QC" and upper[1:] in ADDRESS_WORDS and len(upper) >= 4:
        return read[1:]  # "OJLN": a mark before the word read as a round letter
    if "." in upper or len(upper) < 3:
        return read
    budget = _budget(len(upper))
    scored = sorted((_cost(upper, word, budget), word) for word in _BY_LENGTH.get(len(upper), ()))
    if not scored or scored[0][0] > budget or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return read
    return _same_case(read, scored[0][1])


def _fix_postcode(match: re.Match[str]) -> str:
    text = match.group(0)
    return re.sub(r"[ODQ]", "0", text) if sum(not ch.isdigit() for ch in text) == 1 else text


def _comma(text: str, match: re.Match[str]) -> str:
    """A comma for a full stop the OCR read after a whole word or a number inside an address.

    Inside an address a full stop follows abbreviations ("NO.", "P.T.", "JLN."); after a whole word
    or a house number the printed mark is a comma whose tail faded ("1851-B. JALAN", "PETALING.57000").
    """
    word = text[: match.start()].rsplit(maxsplit=1)[-1].rsplit(".", 1)[-1].rsplit(",", 1)[-1]
    if _ABBREVIATION.search(word) or not re.search(r"[AEIOUaeiou\d]", word):
        return "."  # "JLN.", "PKWY.", "Hauptstr.", "NO1.": abbreviations
    whole_word = sum(ch.isalpha() for ch in word) >= 4 and word.isalpha()
    number = any(ch.isdigit() for ch in word) and len(word) >= 2 and text[match.end() :].lstrip()[:1].isalpha()
    return "," if whole_word or number else "."


def correct_address(text: str) -> str:
    """Correct OCR slips in an address line (or several joined).

    Args:
        text: The address as read.

    Returns:
        The address with vocabulary words, postcodes and house numbers repaired and stray quote
        marks removed; everything else as read.
    """
    text = " ".join(_STRAY_MARKS.sub("", text).split())
    text = _HOUSE_NO.sub(lambda m: "No" if m.group(0)[1].islower() else "NO", text)
    text = _POSTCODE.sub(_fix_postcode, text)  # "4017D SHAH ALAM"
    text = _NUMBER_THEN_O.sub(r"\g<1>0", text)  # "NO 29O,"
    text = _GLUED_POSTCODE.sub(r"\g<1> ", text)  # "42100KLANG"
    text = _FULL_STOP_INSIDE.sub(lambda m: _comma(text, m), text)
    return _TOKEN.sub(lambda m: correct_word(m.group(0)), text)
