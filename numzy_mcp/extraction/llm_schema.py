"""What a model must answer when it reads a receipt, and how that answer becomes ``ExtractedFields``.

:class:`LlmReceipt` is the model's output type. It reuses the domain's own types (``Category``,
``PaymentMethod``, ``ReceiptKind``, ``LocalTime``, ``LineItem``) and adds the constraints stored money
needs: ISO 4217 currency (the pattern of :class:`~numzy_mcp.receipts.Money`), finite decimal amounts that
fit the database (18 digits, 4 places), a tax rate in percent, ``card_last4`` as four digits and an ISO
3166 country. An answer that breaks them is sent back to the model to fix (pydantic-ai retries), never
stored. The model may also say which numbered OCR lines each field came from and how sure it is; line
numbers outside the document are dropped, confidences are bounded to [0, 1].
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Final

from pydantic import BaseModel, BeforeValidator, Field

from numzy_mcp.receipts import Category, ExtractedFields, LineItem, LocalTime, OcrLine, PaymentMethod, ReceiptKind

__all__ = [
    "DEFAULT_CONFIDENCE",
    "SOURCE_FIELDS",
    "LlmLineItem",
    "LlmReceipt",
    "number_lines",
]

DEFAULT_CONFIDENCE: Final = 0.8
"""Confidence of a field the model filled without saying how sure it was."""
SOURCE_FIELDS: Final = (
    "merchant", "address", "date", "time", "currency", "subtotal", "tax", "tax_rate", "tip", "total",
    "items", "payment_method", "card_last4", "category", "kind", "country",
)  # fmt: skip
"""The fields that can carry a confidence and source lines."""
_NON_DIGIT: Final = re.compile(r"\D")


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


def _last_four_digits(value: object) -> object:
    """``'**** 4242'`` or a full card number → ``'4242'``; fewer than four digits stays invalid."""
    if not isinstance(value, str):
        return value
    digits = _NON_DIGIT.sub("", value)
    return digits[-4:] if len(digits) >= 4 else value


Amount = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=18, decimal_places=4)]
Quantity = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=18, decimal_places=6)]
CurrencyCode = Annotated[str, BeforeValidator(_upper), Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. MYR.")]
CountryCode = Annotated[str, BeforeValidator(_upper), Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2.")]
CardLast4 = Annotated[str, BeforeValidator(_last_four_digits), Field(pattern=r"^\d{4}$")]


class LlmLineItem(LineItem):
    """One purchased line as the model read it: the domain ``LineItem`` with bounded amounts."""

    description: str = Field(min_length=1, max_length=500)
    quantity: Quantity | None = None
    unit_price: Amount | None = None
    amount: Amount | None = None


class LlmReceipt(BaseModel):
    """The structured output the model must return; validated, then mapped onto ``ExtractedFields``."""

    merchant: str | None = Field(default=None, max_length=300)
    address: str | None = Field(default=None, max_length=1000)
    date: dt.date | None = Field(default=None, description="ISO YYYY-MM-DD.")
    time: LocalTime | None = None
    currency: CurrencyCode | None = None
    subtotal: Amount | None = None
    tax: Amount | None = None
    tax_rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] | None = Field(
        default=None, description="Percent, e.g. 6 for 6 %."
    )
    tip: Amount | None = None
    total: Amount | None = Field(default=None, description="What was paid, tip included; negative for a refund.")
    items: list[LlmLineItem] = Field(default_factory=list[LlmLineItem], max_length=500)
    payment_method: PaymentMethod | None = None
    card_last4: CardLast4 | None = None
    category: Category | None = None
    kind: ReceiptKind = "purchase"
    country: CountryCode | None = None
    sources: dict[str, list[int]] = Field(
        default_factory=dict[str, list[int]],
        description="Field name → the numbers of the OCR lines it was read from (only when lines were given).",
    )
    confidence: dict[str, float] = Field(
        default_factory=dict[str, float], description="Field name → how sure you are of it, from 0 to 1."
    )

    def to_fields(
        self, line_count: int | None = None, default_confidence: float = DEFAULT_CONFIDENCE
    ) -> ExtractedFields:
        """Map onto the domain model.

        Args:
            line_count: How many numbered OCR lines the model was shown; None (an image) drops every source.
            default_confidence: Confidence of a filled field the model gave none for.

        Returns:
            The extracted fields, with confidences for the filled fields and the cited lines that exist.
        """
        fields = ExtractedFields(
            merchant=self.merchant,
            address=self.address,
            date=self.date,
            time=self.time,
            currency=self.currency,
            subtotal=self.subtotal,
            tax=self.tax,
            tax_rate=self.tax_rate,
            tip=self.tip,
            total=self.total,
            items=[LineItem.model_validate(item.model_dump()) for item in self.items],
            payment_method=self.payment_method,
            card_last4=self.card_last4,
            category=self.category,
            kind=self.kind,
            country=self.country,
        )
        for name in SOURCE_FIELDS:
            value: object = getattr(fields, name)
            if value is None or value == []:
                continue
            fields.confidence[name] = _bounded(self.confidence.get(name), default_confidence)
            cited = _existing_lines(self.sources.get(name, ()), line_count)
            if cited:
                fields.sources[name] = cited
        for name in ("merchant", "address"):
            text: str | None = getattr(fields, name)
            if text:
                fields.raw[name] = text
        return fields


def _bounded(value: float | None, default: float) -> float:
    if value is None or math.isnan(value):
        return default
    return min(1.0, max(0.0, value))


def _existing_lines(indices: Sequence[int], line_count: int | None) -> list[int]:
    if line_count is None:
        return []
    return sorted({index for index in indices if 0 <= index < line_count})


def number_lines(lines: Sequence[OcrLine]) -> str:
    """The OCR lines as the model sees them: ``[0] KEDAI MAJU``, one per row, in reading order."""
    return "\n".join(f"[{index}] {line.text}" for index, line in enumerate(lines))
