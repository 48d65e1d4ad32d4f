"""How a receipt was paid: card (with the last four digits), cash, or another method."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from numzy_mcp.receipts import ExtractedFields

__all__ = ["set_payment"]

_CARD: Final = re.compile(
    r"\bVISA\b|MASTER\s?CARD|\bMASTER\b|\bAMEX\b|AMERICAN\s?EXPRESS|\bDEBIT\b|\bCREDIT\b|\bCARD\b|\bEC[-\s]?KARTE|"
    r"\bGIROCARD\b|\bCB|CARTE\s?BANCAIRE|\bMAESTRO\b|CONTACTLESS|\bPAYWAVE\b|\bKARTE\b|SANS\s?CONTACT",
    re.IGNORECASE,
)
_CASH_PAY: Final = re.compile(
    r"\bCASH\b|\bBAR\b|\bBARGELD\b|ESP[EÈ]CES|\bTUNAI\b|\bGEGEBEN\b|\b現金\b|現金", re.IGNORECASE
)
_LAST4: Final = re.compile(r"(?:[*Xx•#]{2,}[\s*Xx•-]*)(\d{4})(?!\d)")


def set_payment(fields: ExtractedFields, texts: list[str], change: Decimal | None) -> None:
    """Set ``payment_method`` (and ``card_last4``) from the receipt's lines.

    Args:
        fields: The fields being filled in.
        texts: Line texts in reading order.
        change: The change given, if read: a card word on a receipt that also gives change is a
            loyalty or card-number line, and the payment was cash.
    """
    joined = "\n".join(texts)
    card, cash = _CARD.search(joined), _CASH_PAY.search(joined)
    if card and (not cash or change in (None, 0)):
        fields.payment_method = "card"
        fields.confidence["payment_method"] = 0.6
        fields.sources["payment_method"] = [joined[: card.start()].count("\n")]
        last4 = _LAST4.search(joined)
        if last4:
            fields.card_last4 = last4.group(1)
    elif cash:
        fields.payment_method = "cash"
        fields.confidence["payment_method"] = 0.6
        fields.sources["payment_method"] = [joined[: cash.start()].count("\n")]
