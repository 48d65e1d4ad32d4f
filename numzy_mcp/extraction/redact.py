"""Mask payment card numbers so that only their last four digits are ever stored or shown.

The text is read as runs of digit groups: digits of any script (fullwidth "５５５５" too) split by
single separators of one kind, spaces, dashes (hyphen, en dash, ...) or dots. Every window of
whole groups in such a run is tried, not only the first ("TERM 2024 4111 1111 1111 1111"). A window
is taken for a card number (PAN) when all of these hold:

- it is printed the way cards are printed: one unbroken run of digits, or groups of at least four
  digits, the last of at least three, split by separators of one kind ("4111 1111 1111 1111",
  "3782-822463-10005", "4111.1111.1111.1111", "41111111 1111 1111");
- it has 13 to 19 digits, and an unbroken run is not part of a longer run of digits;
- its first digit is 1-7, the ISO/IEC 7812 industries that issue payment cards (airlines, travel
  and entertainment, banking, merchandising, petroleum); 0, 8 and 9 start invoice numbers, telecom
  and national identifiers, and most Malaysian, Indonesian and Thai barcodes (955, 899, 885);
- it passes the Luhn check that every such card number carries;
- an unbroken run of 13 or 14 digits that also passes the GS1 check is read as a product barcode
  (EAN-13 / GTIN-14) and kept.

Amounts ("1.234.567,00", "12 345.60"), dates and phone prefixes split off groups of one to three digits
before their last, so they never form a window. The trade-off: about one reference number or barcode in ten passes the
Luhn check by chance, and that one is shown with only its last four digits. We accept this because a
lost reference number costs little while a stored card number is a PCI DSS breach. The other way
round, a card number the OCR misread by one digit fails the Luhn check (Luhn catches every
single-digit error) and is kept as read; the misread number is not the card's number, but it is
close to it. About one 13- or 14-digit card number in ten also passes the GS1 check and is kept;
those lengths are rare (old Visa, Diners Club).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from numzy_mcp.receipts import ExtractedFields, OcrResult

__all__ = ["CardNumber", "find_card_numbers", "mask_card_numbers", "mask_fields", "mask_ocr"]

_MASK: Final = "*"
_DIGITS: Final = re.compile(r"\d+")  # \d is any Unicode decimal digit in a str pattern
_SEPARATORS: Final = {
    **dict.fromkeys(" \u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000", "space"),
    **dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d", "dash"),
    **dict.fromkeys(".\u2024\uff0e", "dot"),
}
_DOUBLED: Final = str.maketrans("0123456789", "0246813579")  # a digit doubled, its two digits summed


@dataclass(frozen=True, slots=True)
class CardNumber:
    """A card number found in a text."""

    start: int
    """Index of its first character (a digit)."""
    end: int
    """Index after its last digit."""
    last4: str
    """The last four digits (ASCII)."""


@dataclass(frozen=True, slots=True)
class _Window:
    start: int
    end: int
    keep_from: int
    """Index of the first of the last four digits."""
    last4: str


def _luhn(digits: str) -> bool:
    return (sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_DOUBLED)))) % 10 == 0


def _gs1(digits: str) -> bool:
    body = digits[:-1]
    total = sum(int(char) * (3 if position % 2 == 0 else 1) for position, char in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == int(digits[-1])


def _is_card(digits: str, *, solid: bool) -> bool:
    if not 13 <= len(digits) <= 19 or digits[0] not in "1234567" or not _luhn(digits):
        return False
    return not (solid and len(digits) in (13, 14) and _gs1(digits))


def _ascii(digits: str) -> str:
    """``digits`` (any script) in ASCII; a run longer than any card number only keeps its length."""
    if digits.isascii():
        return digits
    if len(digits) > 19:
        return "0" * len(digits)
    return str(int(digits)).zfill(len(digits))  # int() reads every Unicode decimal digit


def _groups(text: str) -> tuple[list[int], list[int], list[str], list[str | None]]:
    """The digit groups of ``text``: starts, ends, digits in ASCII, and the kind of separator after each."""
    starts: list[int] = []
    ends: list[int] = []
    digits: list[str] = []
    for match in _DIGITS.finditer(text):
        raw = match.group()
        starts.append(match.start())
        ends.append(match.end())
        digits.append(_ascii(raw))
    following = [*starts[1:], -1][: len(ends)]  # the last group has no group after it
    kinds = [
        _SEPARATORS.get(text[end]) if start - end == 1 else None for end, start in zip(ends, following, strict=True)
    ]
    return starts, ends, digits, kinds


def _windows(text: str) -> list[_Window]:
    """Every window of whole digit groups that reads as a card number, in order of start."""
    starts, ends, digits, kinds = _groups(text)
    found: list[_Window] = []
    for first, group in enumerate(digits):
        if group[0] not in "1234567":
            continue
        if len(group) >= 13 and _is_card(group, solid=True):
            found.append(_Window(starts[first], ends[first], ends[first] - 4, group[-4:]))
        run = group
        last = first
        # grouped windows: every group but the last has four digits or more, all split by one kind of separator
        while len(digits[last]) >= 4 and len(run) < 19 and kinds[last] is not None and kinds[last] == kinds[first]:
            last += 1
            run += digits[last]
            size = len(digits[last])
            if size >= 3 and len(run) >= 13 and _is_card(run, solid=False):
                # "6212 3456 7890 1234 567": the last four digits may start in the group before
                keep_from = ends[last] - 4 if size >= 4 else ends[last - 1] - (4 - size)
                found.append(_Window(starts[first], ends[last], keep_from, run[-4:]))
    return found


def _select(windows: list[_Window]) -> list[_Window]:
    """The leftmost, then longest, windows that do not overlap."""
    chosen: list[_Window] = []
    for window in sorted(windows, key=lambda w: (w.start, -w.end)):
        if not chosen or window.start >= chosen[-1].end:
            chosen.append(window)
    return chosen


def find_card_numbers(text: str) -> list[CardNumber]:
    """Find the card numbers printed in full in ``text``.

    Where two readings overlap ("4111 1111 1111 1111 0000" could be read twice), the leftmost, then
    longest, is reported.

    Args:
        text: Any text, e.g. one OCR line.

    Returns:
        The card numbers in the order they appear (see the module docstring for what counts).
    """
    return [CardNumber(w.start, w.end, w.last4) for w in _select(_windows(text))]


def mask_card_numbers(text: str) -> str:
    """Replace every digit of each card number in ``text`` except the last four with ``*``.

    Separators stay where they were, so the text keeps its length and layout:
    "VISA 4111 1111 1111 1111" becomes "VISA **** **** **** 1111". Where readings overlap, every
    digit that any of them would hide is hidden, except the last four digits of the cards that
    :func:`find_card_numbers` reports, so no reading is left in full.

    Args:
        text: Any text, e.g. one OCR line or a whole receipt.

    Returns:
        The text with card numbers masked; the same string when it holds none.
    """
    windows = _windows(text)
    if not windows:
        return text
    chars = list(text)
    for window in windows:
        for i in range(window.start, window.keep_from):
            if chars[i].isdecimal():
                chars[i] = _MASK
    for window in _select(windows):
        chars[window.keep_from : window.end] = text[window.keep_from : window.end]
    return "".join(chars)


def mask_ocr(ocr: OcrResult) -> OcrResult:
    """Mask card numbers in every line of an OCR result.

    Args:
        ocr: The OCR result as read.

    Returns:
        ``ocr`` itself when no line holds a card number, else a copy with those lines masked.
    """
    masked = [mask_card_numbers(line.text) for line in ocr.lines]
    if all(new is line.text for new, line in zip(masked, ocr.lines, strict=True)):
        return ocr
    lines = [
        line if new is line.text else line.model_copy(update={"text": new})
        for new, line in zip(masked, ocr.lines, strict=True)
    ]
    return ocr.model_copy(update={"lines": lines})


def mask_fields(fields: ExtractedFields) -> ExtractedFields:
    """Mask card numbers in the text fields of an extraction (for extractors that read the image).

    Masks the merchant, the address, item descriptions and the printed ``raw`` texts, and keeps only
    the last four digits of ``card_last4``.

    Args:
        fields: The extracted fields.

    Returns:
        A copy with card numbers masked (``fields`` itself when nothing changed).
    """
    update: dict[str, object] = {}
    for name in ("merchant", "address"):
        value: str | None = getattr(fields, name)
        if value is not None and (masked := mask_card_numbers(value)) is not value:
            update[name] = masked
    raw = {key: mask_card_numbers(value) for key, value in fields.raw.items()}
    if any(raw[key] is not value for key, value in fields.raw.items()):
        update["raw"] = raw
    items = [
        item if (masked := mask_card_numbers(item.description)) is item.description
        else item.model_copy(update={"description": masked})
        for item in fields.items
    ]  # fmt: skip
    if any(new is not old for new, old in zip(items, fields.items, strict=True)):
        update["items"] = items
    if fields.card_last4 is not None:
        digits = re.sub(r"\D", "", fields.card_last4)
        last4 = digits[-4:] if len(digits) >= 4 else None
        if last4 != fields.card_last4:
            update["card_last4"] = last4
    return fields.model_copy(update=update) if update else fields
