"""What the service returns to both adapters: receipts as callers see them, pages, upload results."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from numzy_mcp.audit import Decision
from numzy_mcp.receipts import DecimalStr, ExtractedFields, Money, Progress, ReceiptError, ReceiptStatus
from numzy_mcp.rules.base import Finding


class LlmCallView(BaseModel):
    """The language-model call that last read a receipt: model, input, tokens, cost, and any fallback."""

    model: str
    mode: Literal["text", "vision"] = Field(description="text: the numbered OCR lines were sent; vision: page images.")
    input_tokens: int
    output_tokens: int
    cost_usd: DecimalStr | None = Field(
        description="Cost in USD from the price table; null when the model has no price."
    )
    fallback_reason: str | None = Field(
        default=None, description="Why the offline fields were kept instead of the model's; null when they were used."
    )
    created_at: dt.datetime


class ReceiptView(BaseModel):
    """A stored receipt: file facts, processing state, extracted fields with confidences, audit result."""

    id: str
    filename: str
    mime_type: str
    size_bytes: int
    pages: int
    sha256: str
    status: ReceiptStatus
    progress: Progress
    error: ReceiptError | None = None
    extractor: str | None = Field(
        default=None, description="What produced the fields: 'llm:<model>' or the offline OCR engine."
    )
    llm: LlmCallView | None = Field(
        default=None, description="The model call that last read this receipt (tokens, cost); null when none did."
    )
    fields: ExtractedFields | None = Field(
        default=None, description="Extracted fields; confidences in fields.confidence."
    )
    decision: Decision | None = Field(default=None, description="Audit decision, once audited.")
    findings: list[Finding] = Field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime
    processed_at: dt.datetime | None = None
    resource_uri: str = Field(description="MCP resource with this receipt as JSON.")
    file_uri: str = Field(description="MCP resource with the original file.")


class ReceiptSummary(BaseModel):
    """One row of a receipt list."""

    id: str
    filename: str
    status: ReceiptStatus
    merchant: str | None = None
    date: dt.date | None = None
    total: Money | None = None
    decision: Decision | None = None
    created_at: dt.datetime


class ReceiptPage(BaseModel):
    """A page of receipts, newest first; pass ``next_cursor`` back to get the next page."""

    items: list[ReceiptSummary]
    next_cursor: str | None = None


class ReceiptFilters(BaseModel):
    """Filters for listing receipts; all optional and combined with AND."""

    status: ReceiptStatus | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    merchant: str | None = Field(default=None, description="Case-insensitive substring of the merchant name.")
    min_total: DecimalStr | None = None
    max_total: DecimalStr | None = None

    @field_validator("merchant")
    @classmethod
    def _printable_merchant(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return "".join(ch for ch in value if ch.isprintable()) or None


class UploadResult(BaseModel):
    """The outcome of an upload: the receipt and whether these bytes were already stored."""

    receipt: ReceiptView
    duplicate: bool = Field(
        description="True when the same file was uploaded before; the existing receipt is returned."
    )


class BatchItem(BaseModel):
    """What happened to one file of the batch, in the order given."""

    index: int = Field(description="Position of the file in the request, from 0.")
    filename: str | None = None
    receipt: ReceiptView | None = Field(default=None, description="The receipt, when the file was accepted.")
    duplicate: bool = Field(default=False, description="True when the same file was uploaded before.")
    error: ReceiptError | None = Field(default=None, description="Why the file was refused, if it was.")


class BatchResult(BaseModel):
    """The outcome of a batch upload: one item per file, plus counts."""

    items: list[BatchItem]
    completed: int = Field(description="Receipts extracted and audited.")
    failed: int = Field(description="Files refused or receipts whose processing failed.")
    pending: int = Field(description="Receipts still processing when the wait ended; poll get_receipt.")


class StoredFile(BaseModel):
    """An original file as stored."""

    filename: str
    mime_type: str
    data: bytes
