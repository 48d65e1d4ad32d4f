"""Mask payment card numbers so that only their last four digits are ever stored or shown.

A run of digits is taken for a card number (PAN) when all of these hold:

- it is printed the way cards are printed: one unbroken run, or groups split by one kind of
  separator (space or dash) with a first group of four ("4111 1111 1111 1111", "3782-822463-10005");
- it has 13 to 19 digits and is not part of a longer run of digits;
- its first digit is 1-7, the ISO/IEC 7812 industries that issue payment cards (airlines, travel
  and entertainment, banking, merchandising, petroleum); 0, 8 and 9 start invoice numbers, telecom
  and national identifiers, and most Malaysian, Indonesian and Thai barcodes (955, 899, 885);
- it passes the Luhn check that every such card number carries;
- an unbroken run of 13 or 14 digits that also passes the GS1 check is read as a product barcode
  (EAN-13 / GTIN-14) and kept.

The trade-off: about one reference number or barcode in ten passes the Luhn check by chance, and
that one is shown with only its last four digits. We accept this because a lost reference number
costs little while a stored card number is a PCI DSS breach. The other way round, a card number the
OCR misread by one digit fails the Luhn check (Luhn catches every single-digit error) and is kept as
read; the misread number is not the card's number, but it is close to it. About one 13- or
14-digit card number in ten also passes the GS1 check and is kept; those lengths are rare (old Visa,
Diners Club).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from numzy_mcp.receipts import ExtractedFields, OcrResult

__all__ = ["CardNumber", "find_card_numbers", "mask_card_numbers", "mask_fields", "mask_ocr"]

_MASK: Final = "*"
_SOLID: Final = re.compile(r"(?<!\d)[1-7]\d{12,18}(?!\d)")
# The first group has four digits; later groups 3-6 digits, all split by the same separator.
_GROUPED: Final = re.compile(r"(?<!\d)[1-7]\d{3}(?P<sep>[ -])\d{3,6}(?:(?P=sep)\d{3,6}){1,3}(?!\d)")


@dataclass(frozen=True, slots=True)
class CardNumber:
    """A card number found in a text."""

    start: int
    """Index of its first character (a digit)."""
    end: int
    """Index after its last digit."""
    last4: str
    """The last four digits."""


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _gs1(digits: str) -> bool:
    body = digits[:-1]
    total = sum(int(char) * (3 if position % 2 == 0 else 1) for position, char in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == int(digits[-1])


def _is_card(digits: str, *, solid: bool) -> bool:
    if not 13 <= len(digits) <= 19 or not _luhn(digits):
        return False
    return not (solid and len(digits) in (13, 14) and _gs1(digits))


def find_card_numbers(text: str) -> list[CardNumber]:
    """Find the card numbers printed in full in ``text``.

    Args:
        text: Any text, e.g. one OCR line.

    Returns:
        The card numbers in the order they appear (see the module docstring for what counts).
    """
    found: list[CardNumber] = []
    for match in _GROUPED.finditer(text):
        groups = re.split(r"[ -]", match.group())
        # a longer grouped run may be the card followed by another number: try the longest prefix first
        for count in range(len(groups), 2, -1):
            digits = "".join(groups[:count])
            if _is_card(digits, solid=False):
                end = match.start() + sum(len(g) for g in groups[:count]) + count - 1
                found.append(CardNumber(match.start(), end, digits[-4:]))
                break
    for match in _SOLID.finditer(text):
        inside = any(card.start <= match.start() < card.end for card in found)
        if not inside and _is_card(match.group(), solid=True):
            found.append(CardNumber(match.start(), match.end(), match.group()[-4:]))
    return sorted(found, key=lambda card: card.start)


def mask_card_numbers(text: str) -> str:
    """Replace every digit of each card number in ``text`` except the last four with ``*``.

    Separators stay where they were, so the text keeps its length and layout:
    "VISA 4111 1111 1111 1111" becomes "VISA **** **** **** 1111".

    Args:
        text: Any text, e.g. one OCR line or a whole receipt.

    Returns:
        The text with card numbers masked; the same string when it holds none.
    """
    cards = find_card_numbers(text)
    if not cards:
        return text
    chars = list(text)
    for card in cards:
        digit_positions = [i for i in range(card.start, card.end) if chars[i].isdigit()]
        for i in digit_positions[:-4]:
            chars[i] = _MASK
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
