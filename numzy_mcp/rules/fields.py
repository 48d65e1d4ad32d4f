"""The receipt fields rules may read: their kinds, how to read them, and how to show their values.

Every value a rule reads is reported as a string (``FieldRead``) so a finding is JSON-friendly and an
explanation can quote it. Money is shown with at least two decimals ("62.40"), never through float.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead

FieldKind = Literal["money", "number", "text", "date", "time", "items"]

FIELD_KINDS: dict[str, FieldKind] = {
    "merchant": "text",
    "address": "text",
    "date": "date",
    "time": "time",
    "currency": "text",
    "subtotal": "money",
    "tax": "money",
    "tax_rate": "number",
    "tip": "money",
    "total": "money",
    "items": "items",
    "payment_method": "text",
    "card_last4": "text",
    "category": "text",
    "kind": "text",
    "country": "text",
}
"""Every field a rule may read, by kind. The kind decides which operators a comparison allows."""

NUMERIC_FIELDS = tuple(name for name, kind in FIELD_KINDS.items() if kind in ("money", "number"))

FieldValue = str | Decimal | dt.date | dt.time | list[str] | None

_LABELS = {"tax_rate": "tax rate", "payment_method": "payment method", "card_last4": "card number ending"}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def label(field: str) -> str:
    """The field name as a person would write it (``tax_rate`` → ``tax rate``)."""
    return _LABELS.get(field, field)


def read(receipt: ExtractedFields, field: str) -> FieldValue:
    """The value of ``field`` on ``receipt``; None when missing (an empty item list counts as missing).

    Raises:
        KeyError: ``field`` is not one of ``FIELD_KINDS`` (validation keeps this from happening).
    """
    if field not in FIELD_KINDS:
        raise KeyError(f"unknown receipt field {field!r}; known fields: {', '.join(FIELD_KINDS)}")
    if field == "items":
        descriptions = [item.description for item in receipt.items if item.description.strip()]
        return descriptions or None
    value: object = getattr(receipt, field)
    if value is None or isinstance(value, str | Decimal | dt.date | dt.time):
        return value if value != "" else None
    return str(value)


def format_amount(amount: Decimal, currency: str | None = None) -> str:
    """An amount with at least two decimals and its currency when known: ``62.40 USD``."""
    text = f"{amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else str(amount)
    return f"{text} {currency}" if currency else text


def show(field: str, value: FieldValue) -> str | None:
    """``value`` as the string a finding reports (None stays None)."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, Decimal):
        return format_amount(value) if FIELD_KINDS.get(field) == "money" else str(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def field_read(receipt: ExtractedFields, field: str) -> FieldRead:
    """A ``FieldRead`` of ``field`` on ``receipt``."""
    return FieldRead(field=field, value=show(field, read(receipt, field)))


def normalise_currency(currency: str) -> str:
    """``currency`` upper-cased, once checked to be a 3-letter ISO 4217 code.

    Raises:
        ValueError: it is not three letters.
    """
    if not re.fullmatch(r"[A-Za-z]{3}", currency.strip()):
        raise ValueError(f"currency must be a 3-letter ISO 4217 code such as USD or EUR, got {currency!r}")
    return currency.strip().upper()


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
