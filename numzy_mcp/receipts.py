"""The receipt domain model: what extraction produces, rules read and the adapters return.

Money is ``Decimal`` plus an ISO 4217 currency; never float. Every extracted field may carry a
confidence in [0, 1] and the indices of the OCR lines it was read from, so an explanation can point
at the printed text.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, field_validator

# Decimals travel as strings in JSON so no precision is lost on the way to a client.
DecimalStr = Annotated[Decimal, PlainSerializer(lambda v: str(v), return_type=str, when_used="json")]

CATEGORIES = (
    "meals",
    "lodging",
    "transport",
    "airfare",
    "fuel",
    "groceries",
    "office_supplies",
    "electronics",
    "alcohol",
    "subscriptions",
    "events",
    "other",
)
Category = Literal[
    "meals",
    "lodging",
    "transport",
    "airfare",
    "fuel",
    "groceries",
    "office_supplies",
    "electronics",
    "alcohol",
    "subscriptions",
    "events",
    "other",
]
PaymentMethod = Literal["card", "cash", "other"]
ReceiptKind = Literal["purchase", "refund"]


class Money(BaseModel):
    """An amount in a currency."""

    model_config = ConfigDict(frozen=True)

    amount: DecimalStr
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD, EUR, MYR.")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class LineItem(BaseModel):
    """One purchased line as printed."""

    description: str
    quantity: DecimalStr | None = None
    unit_price: DecimalStr | None = None
    amount: DecimalStr | None = None


_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class OcrLine(BaseModel):
    """One line of recognised text with its box (x0, y0, x1, y1 in page pixels) and confidence."""

    text: str
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    confidence: float = 1.0
    page: int = 0

    @field_validator("text")
    @classmethod
    def _printable(cls, value: str) -> str:
        """Control characters (NUL and the like, found in some PDF text layers) are not text."""
        return _CONTROL.sub("", value) if _CONTROL.search(value) else value


class OcrResult(BaseModel):
    """The OCR output of one document, stored so re-parsing never needs a second OCR pass."""

    engine: str
    lines: list[OcrLine] = Field(default_factory=list)
    width: int = 0
    height: int = 0
    pages: int = 1
    text_layer: bool = Field(default=False, description="True when the text came from a PDF text layer, not OCR.")
    seconds: float = 0.0

    def text(self) -> str:
        """All lines joined with newlines, in reading order."""
        return "\n".join(line.text for line in self.lines)


LocalTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "Local wall-clock time as printed on the receipt (HH:MM:SS), without a time zone.",
        }
    ),
]
"""A receipt's printed time. JSON Schema's ``format: time`` demands a UTC offset (RFC 3339), which a
receipt never prints, so strict MCP clients refused every result that carried a time."""


class ExtractedFields(BaseModel):
    """Structured fields read from one receipt. Every field is optional: extraction may miss it."""

    merchant: str | None = None
    address: str | None = None
    date: dt.date | None = None
    time: LocalTime | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code.")
    subtotal: DecimalStr | None = None
    tax: DecimalStr | None = None
    tax_rate: DecimalStr | None = Field(default=None, description="Percent, e.g. 6 for 6 %.")
    tip: DecimalStr | None = None
    total: DecimalStr | None = None
    items: list[LineItem] = Field(default_factory=list)
    payment_method: PaymentMethod | None = None
    card_last4: str | None = None
    category: Category | None = None
    kind: ReceiptKind = "purchase"
    country: str | None = Field(default=None, description="ISO 3166 alpha-2, when the receipt reveals it.")
    confidence: dict[str, float] = Field(default_factory=dict, description="Field name → confidence in [0, 1].")
    sources: dict[str, list[int]] = Field(default_factory=dict, description="Field name → OCR line indices.")
    raw: dict[str, str] = Field(default_factory=dict, description="Field name → the text as printed.")
    date_ambiguous: bool = Field(default=False, description="True when day/month order could not be decided.")

    @field_validator("currency")
    @classmethod
    def _upper_currency(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    def money(self, field: Literal["subtotal", "tax", "tip", "total"]) -> Money | None:
        """The named amount with this receipt's currency, or None when either is missing."""
        amount: Decimal | None = getattr(self, field)
        if amount is None or not self.currency:
            return None
        return Money(amount=amount, currency=self.currency)


class ReceiptStatus(StrEnum):
    """Where a receipt is in its processing."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class Progress(BaseModel):
    """The current stage of processing and how far along it is."""

    stage: str = "queued"
    percent: int = Field(default=0, ge=0, le=100)


class ReceiptError(BaseModel):
    """Why processing failed: a stable code and a message."""

    code: str
    message: str
