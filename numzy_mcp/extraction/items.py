"""Line items: the priced lines between the header and the first total, with quantity and unit price.

Handles "2 @ 2.57 BANANAS 5.14", "1 CAESAR SALAD 11.20", "Salade 4,98 €", "Schrauben 4x40 11,73 A",
"BENTO BOX ¥807", refund lines ("CHEDDAR -14.13") and SROIE's two-line items ("Milo (B)" then
"2 x 2.80 5.60 SR").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.amounts import Amount, find_amounts
from numzy_mcp.extraction.dates import find_dates, find_times
from numzy_mcp.receipts import LineItem

__all__ = ["ItemLine", "find_items", "items_total"]

_NOT_ITEM: Final = re.compile(
    r"TOTAL|TOTAI|(?<![A-Z])[IL1|]OTA[LI1]\b|SUB\s?-?\s?TTL|\bSTTL\b|\bTAX\b|\bVAT\b|\bMWST|\bTVA\b|\bGST\b|\bSST\b|\bCASH\b|CHANGE|TENDER|\bPAID\b|"
    r"\bVISA\b|MASTER|\bCARD\b|KARTE|\bTIPS?\b|GRATUITY|\bAMOUNT\b|\bAMT\b|BALANCE|ROUNDING|\bSUMME\b|BEZAHLT|"
    r"\bITEMS?\b|\bQTY\b|\bCB\b|CONTACT|\bDONT\b|\bGEG\b|\bGEG\.|\bDATE\b|\bTIME\b|\bTEL\b|SERVER|SUGGEST|\bDUE\b|"
    r"\bNETTO\b|\bBRUTTO\b|\bHT\b|\bTTC\b|\bPAYMENT\b|\bAUTH|APPROVED|\bREFUND\b|\bRETURN\b|JUMLAH|DISCOUNT|合計|"
    r"\bINCL|\bEXCL|\bDEPOSIT|\bPOINTS?\b|\bSAVING|\bNET\b|\bINVOICE\b|\bRECEIPT\b|\bCHECK\b|\bTABLE\b|\bGUESTS?\b",
    re.IGNORECASE,
)
_QTY_PREFIX: Final = re.compile(r"^\s*(?P<q>\d{1,3})\s?(?:[@xX×*]\s?(?=\d)|\s+(?=[^\d\s]))")
_QTY_TIMES: Final = re.compile(r"(?<![\w.,])(?P<q>\d{1,3}(?:[.,]\d{1,3})?)\s?[@xX×*]\s?$")
_TRAILER: Final = re.compile(r"^[\s€$£¥*]*(?:[A-Z]{1,2}|[A-Z]\d?)?[\s*]*$")
_OCR_ZERO: Final = re.compile(r"(?<=[A-Z])0(?=[A-Z])|(?<=[A-Z]{2})0\b")


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One line item and the OCR lines it was read from."""

    item: LineItem
    lines: list[int]


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _clean_description(text: str) -> str:
    text = re.sub(r"\s*[@xX×*]\s*$", "", text)
    text = re.sub(
        r"(?:\s|^)(?:[€$£¥]|RM|MYR|EUR|USD|GBP|CHF|JPY|SGD|IDR|Rp\.?|KWD|KD|BHD|BD|OMR|RO|S\$|US\$|Fr\.?)\s*$", "", text
    )
    text = " ".join(text.split()).strip(" :-*·.")
    return _OCR_ZERO.sub("O", text)


def _is_meta(text: str) -> bool:
    return bool(_NOT_ITEM.search(text) or find_dates(text) or find_times(text) or "%" in text)


def _priced(text: str, amounts: list[Amount]) -> bool:
    """The line ends with its last amount (allowing a tax code such as "A", "SR" or a currency mark)."""
    return bool(amounts) and bool(_TRAILER.match(text[amounts[-1].end :]))


def _item_from(description: str, text: str, amounts: list[Amount], name: str | None = None) -> LineItem | None:
    amount = amounts[-1].value
    quantity: Decimal | None = None
    unit: Decimal | None = None
    prefix = _QTY_PREFIX.match(description)
    if prefix:
        quantity = Decimal(prefix["q"])
        description = description[prefix.end() :]
        if len(amounts) >= 2 and "@" in text[: amounts[0].start] + text[prefix.start() : prefix.end()]:
            unit = amounts[0].value
            description = text[amounts[0].end : amounts[-1].start]
    if len(amounts) >= 2 and unit is None:
        times = _QTY_TIMES.search(text[: amounts[-2].start])
        if times:
            quantity = Decimal(times["q"].replace(",", "."))
            unit = amounts[-2].value
            description = text[: times.start()] if _letters(text[: times.start()]) >= 2 else description
    description = _clean_description(name if name is not None else description)
    if _letters(description) < 2:
        return None
    if quantity is not None and unit is None and quantity:
        unit = (amount / quantity).quantize(Decimal("0.01")) if quantity != 1 else amount
    return LineItem(description=description, quantity=quantity, unit_price=unit, amount=amount)


def find_items(
    texts: list[str], *, start: int = 0, end: int | None = None, no_minor_units: bool = False, decimals: int = 2
) -> list[ItemLine]:
    """Read the line items printed between ``start`` and ``end`` (the first total or subtotal line).

    Args:
        texts: Line texts in reading order.
        start: First line after the header.
        end: The line where the totals block starts; the whole receipt when None.
        no_minor_units: The currency has no minor units (yen, rupiah).
        decimals: 3 for three-decimal currencies (KWD, BHD, OMR).

    Returns:
        The items in printed order.
    """
    stop = len(texts) if end is None else end
    found: list[ItemLine] = []
    pending: int | None = None  # a description line waiting for its "2 x 2.80 5.60" line
    for index in range(start, stop):
        text = texts[index]
        if _is_meta(text):
            pending = None
            continue
        amounts = find_amounts(text, no_minor_units=no_minor_units, decimals=decimals)
        if not amounts:
            pending = index if _letters(text) >= 3 else pending
            continue
        if not _priced(text, amounts):
            continue
        description = text[: amounts[-1].start]
        lines = [index]
        name: str | None = None
        if _letters(text[: amounts[0].start]) < 2 and pending is not None:
            name = texts[pending]
            lines = [pending, index]
        pending = None
        item = _item_from(description, text, amounts, name)
        if item is not None:
            found.append(ItemLine(item, lines))
    return found


def items_total(items: list[ItemLine]) -> Decimal:
    """The sum of the item amounts.

    Args:
        items: Items from :func:`find_items`.

    Returns:
        The sum (0 when there are none).
    """
    return sum((i.item.amount or Decimal(0) for i in items), Decimal(0))
