"""Undo OCR slips inside a street address: misread letters, digits read as letters, stray marks.

An address is mostly made of a small vocabulary (street and building words, states, towns; see
:mod:`address_words`) plus numbers, so a word that is *almost* one of those words, by the shapes an
OCR engine confuses, is that word. Two levels, so that real names elsewhere are never rewritten:

* in any address, only slips no real word has: a digit or symbol inside a word ("LOND0N", "Sr!",
  "J1n", "L.UMPUR") and stray quote marks;
* in an address that reads as Malaysian (a state, "JALAN", "TAMAN", ...; not Indonesian), also letter
  shapes ("TAMAR DESA" → "TAMAN DESA", "MSLAYSIA", "CFF" → "OFF"), letters inside postcodes and house
  numbers ("4017D SHAH ALAM", "NO 29O"), postcodes glued to the town ("42100KLANG"), and a full stop
  after a whole word or a house number, which there is a comma whose tail faded ("1851-B. JALAN").

A word is changed only when exactly one vocabulary word is within the budget for its length, and
words the vocabulary already holds are never touched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Final

from numzy_mcp.extraction.address_words import ADDRESS_WORDS, MALAYSIAN_ADDRESS_WORDS

__all__ = ["correct_address", "correct_word", "reads_as_malaysian"]

_CONFUSABLE: Final[frozenset[frozenset[str]]] = frozenset(
    frozenset(pair)
    for pair in (
        "O0", "OD", "OQ", "OC", "OG", "OU", "D0", "Q0", "CG", "CE", "I1", "IL", "I!", "I|", "IJ", "IT", "L1",
        "L|", "S5", "S$", "B8", "B3", "EF", "EO", "RN", "UV", "NH", "NM", "A4", "Z2", "G6",
    )
)  # fmt: skip
"""Character pairs a receipt OCR mixes up by shape; swapping one costs half a plain substitution."""

_NOT_LETTERS: Final = frozenset("0123456789!|$")


def _by_length(words: frozenset[str]) -> dict[int, tuple[str, ...]]:
    groups: defaultdict[int, list[str]] = defaultdict(list)
    for word in sorted(words):
        groups[len(word)].append(word)
    return {length: tuple(group) for length, group in groups.items()}


_ANY_BY_LENGTH: Final = _by_length(ADDRESS_WORDS)
_MY_BY_LENGTH: Final = _by_length(MALAYSIAN_ADDRESS_WORDS)

# Maximal runs of word characters and inner full stops; linear, and only runs with a letter are words.
_TOKEN: Final = re.compile(r"(?<![A-Za-z0-9!|$])[A-Za-z0-9!|$]+(?:\.[A-Za-z0-9!|$]+)*")
_STRAY_MARKS: Final = re.compile(r"[\"“”„`~]")
_MALAYSIAN: Final = re.compile(
    r"\b(?:MALAYSIA|SELANGOR|JOHOR|KEDAH|KELANTAN|MELAKA|NEGERI\s?SEMBILAN|PAHANG|PENANG|PULAU\s?PINANG|PERAK|"
    r"PERLIS|SABAH|SARAWAK|TERENGGANU|LABUAN|PUTRAJAYA|KUALA\s?LUMPUR|JALAN|JLN|TAMAN|TMN|LORONG|PERSIARAN|"
    r"KAWASAN|SEKSYEN|WISMA|MENARA|BANGUNAN|KOMPLEKS|LEBUH|LEBUHRAYA|BANDAR|KAMPUNG|PETALING|SHAH\s?ALAM|KLANG|"
    r"SUBANG|PUCHONG|CHERAS|KAJANG|AMPANG|DAMANSARA|IPOH|SEREMBAN|KUANTAN|KUCHING|KOTA\s?KINABALU)\b",
    re.IGNORECASE,
)
_INDONESIAN: Final = re.compile(
    r"\b(?:INDONESIA|JAKARTA|BALI|SURABAYA|BANDUNG|MEDAN\s?KOTA|JL\.|KEC\.|KEL\.|KAB\.|RT|RW|NPWP)", re.IGNORECASE
)
_WEB: Final = re.compile(r"@|\bWWW\b|https?:|\.(?:COM|NET|ORG|MY|SG)\b", re.IGNORECASE)
_POSTCODE_SLIP: Final = re.compile(r"(?<![A-Za-z0-9#/-])(\d{4}[ODQ]|\d{3}[ODQ]\d|\d{2}[ODQ]\d{2})(?=\s[A-Za-z]{3})")
_NUMBERED: Final = re.compile(r"\b(?:LOT|NO|UNIT|BLOCK|BLK|BLOK|PT|SUITE)\.?\s*$", re.IGNORECASE)
_HOUSE_NO_O: Final = re.compile(r"(\bNO\.?\s?\d{1,3})O(?![A-Za-z0-9])", re.IGNORECASE)
_GLUED_POSTCODE: Final = re.compile(r"(?<![A-Za-z0-9-])(\d{5})(?=[A-Za-z]{3}|[A-Za-z]\.[A-Za-z])")
_ABBREVIATION: Final = re.compile(
    r"^(?:BLVD|BLDG|APTS|DEPT|JLN|TMN|LRG|SEK|PERIND|DATO|DATUK|HJ|TKT|BT|SG|KPG|KG|CRES|TERR|UNIV|CORP|INTL|"
    r"DIST|PROV|SECT|KOMP|JEND|PROF|CAPT|PRES|CALIF|MONT)$|STR$|^NO\d",
    re.IGNORECASE,
)
_ROMAN: Final = re.compile(r"^(?:II|III|IV|VI|VII|VIII|IX|XI|XII)$", re.IGNORECASE)  # "WISMA UOA II."
_FULL_STOP_INSIDE: Final = re.compile(r"(?<=\S)\.(?=\s?[A-Za-z0-9])")
_HOUSE_NO: Final = re.compile(r"^(?:AO|N0|NQ)(?=\s?[.:,]?\s?\d)", re.IGNORECASE)
_LEADING_MARK: Final = frozenset({"JLN", "JALAN", "TMN", "TAMAN", "LOT", "LRG", "LORONG"})


def reads_as_malaysian(text: str) -> bool:
    """True when an address names a Malaysian state or uses Malay street words, and is not Indonesian."""
    return bool(_MALAYSIAN.search(text)) and not _INDONESIAN.search(text)


def _budget(length: int) -> float:
    if length <= 4:
        return 0.5
    return 1.0 if length <= 6 else 1.5


def _cost(read: str, word: str, budget: float, *, letters: bool) -> float:
    """Shape slips cost 0.5; with ``letters`` off, only digit or symbol slips count at all.

    A plain letter costs 1.0, and only inside words of eight letters or more and never first: a short
    word one plain letter away from a vocabulary word is usually another word ("BINTANG", "BUNTING").
    A four-letter word may only lose a letter shape when it has no vowel ("CFF"), since real short
    words have one ("ALAN" is a name, not "ALAM").
    """
    total = 0.0
    for index, (a, b) in enumerate(zip(read, word, strict=True)):
        if a == b:
            continue
        shape = frozenset((a, b)) in _CONFUSABLE
        digit_or_symbol = a in _NOT_LETTERS or b in _NOT_LETTERS
        if shape and (digit_or_symbol or (letters and (len(read) > 4 or not any(ch in "AEIOU" for ch in read)))):
            total += 0.5
        elif letters and len(read) >= 8 and index > 0:
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


def correct_word(read: str, *, malaysian: bool = True) -> str:
    """The vocabulary word ``read`` was most likely printed as, or ``read`` unchanged.

    Args:
        read: One word as the OCR read it (letters, maybe digits, '!' or a '.' inside).
        malaysian: Also correct letter-shape slips toward Malaysian address words; when False only
            digit and symbol slips are undone.

    Returns:
        The corrected word in the case it was read in, when exactly one vocabulary word is within
        the budget for its length; otherwise the word unchanged.
    """
    upper = read.upper()
    vocabulary = MALAYSIAN_ADDRESS_WORDS if malaysian else ADDRESS_WORDS
    if not upper or upper in ADDRESS_WORDS or sum(ch.isalpha() for ch in upper) < 0.6 * len(upper):
        return read
    cleaned = upper.replace(".", "").replace("!", "I").replace("|", "I")
    if cleaned in vocabulary and sum(ch.isalpha() for ch in cleaned) >= 3:
        return _same_case(read, cleaned)  # "L.UMPUR", "SR!"
    if malaysian and read.isupper() and upper[0] in "O0Q" and upper[1:] in _LEADING_MARK:
        return read[1:]  # "OJLN": a mark before the word read as a round letter
    if "." in upper or len(upper) < 3:
        return read
    budget = _budget(len(upper))
    pool = (_MY_BY_LENGTH if malaysian else _ANY_BY_LENGTH).get(len(upper), ())
    scored = sorted((_cost(upper, word, budget, letters=malaysian), word) for word in pool)
    if not scored or scored[0][0] > budget or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return read
    return _same_case(read, scored[0][1])


def _comma(text: str, match: re.Match[str]) -> str:
    """A comma for a full stop read after a whole word or a house number inside a Malaysian address.

    There a full stop follows abbreviations ("NO.", "P.T.", "JLN."); after a whole word, a house
    number or a building's Roman numeral the printed mark is a comma whose tail faded ("1851-B. JALAN",
    "PETALING.57000", "WISMA UOA II. NO 21").
    """
    before = text[max(0, match.start() - 40) : match.start()]
    word = before.rsplit(maxsplit=1)[-1].rsplit(".", 1)[-1].rsplit(",", 1)[-1] if before.strip() else ""
    after = text[match.end() : match.end() + 3].lstrip()[:1]
    if _ROMAN.match(word) and text[match.end() : match.end() + 1] == " " and after.isalnum():
        return ","  # "WISMA UOA II. NO 21": a building's number ends a part of the address
    if not word or _ABBREVIATION.search(word) or not re.search(r"[AEIOUaeiou\d]", word):
        return "."  # "JLN.", "PKWY.", "NO1.": abbreviations
    whole_word = sum(ch.isalpha() for ch in word) >= 4 and word.isalpha()
    number = any(ch.isdigit() for ch in word) and len(word) >= 2 and after.isalpha()
    return "," if whole_word or number else "."


def _fix_postcode(text: str, match: re.Match[str]) -> str:
    if _NUMBERED.search(text[max(0, match.start() - 8) : match.start()]):
        return match.group(0)  # "LOT 1234D JALAN": a lot number, not a postcode
    return re.sub(r"[ODQ]", "0", match.group(0))


def correct_address(text: str) -> str:
    """Correct OCR slips in an address line (or several joined).

    Args:
        text: The address as read.

    Returns:
        The address with slips repaired (see the module docstring) and stray quote marks removed;
        everything else as read.
    """
    text = " ".join(_STRAY_MARKS.sub("", text).split())
    malaysian = reads_as_malaysian(text)
    if malaysian:
        text = _HOUSE_NO.sub(lambda m: "No" if m.group(0)[1].islower() else "NO", text)
        text = _POSTCODE_SLIP.sub(lambda m: _fix_postcode(text, m), text)  # "4017D SHAH ALAM"
        text = _HOUSE_NO_O.sub(r"\g<1>0", text)  # "NO 29O,"
        text = _GLUED_POSTCODE.sub(r"\g<1> ", text)  # "42100KLANG", "47800P.JAYA"
        if not _WEB.search(text):
            text = _FULL_STOP_INSIDE.sub(lambda m: _comma(text, m), text)

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        return correct_word(token, malaysian=malaysian) if any(ch.isalpha() for ch in token) else token

    return _TOKEN.sub(fix, text)
