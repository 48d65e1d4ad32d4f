"""Receipt search: merchant names and the OCR text of every line."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from numzy_mcp.errors import InvalidInput
from numzy_mcp.extraction.redact import mask_card_numbers
from numzy_mcp.receipts import OcrResult
from numzy_mcp.service.base import MAX_PAGE, ServiceBase
from numzy_mcp.storage.repositories import AuditRepo, ReceiptSearchRepo, decode_cursor, encode_cursor
from numzy_mcp.storage.tables import ReceiptRow
from numzy_mcp.views import ReceiptSummary
from numzy_mcp.views_build import receipt_summary

SCAN_BATCH = 200


class SearchHit(BaseModel):
    """A receipt that matched, with where and how."""

    receipt: ReceiptSummary
    matched: Literal["merchant", "text"] = Field(description="Whether the merchant name or the OCR text matched.")
    snippet: str = Field(description="The merchant name or the OCR line that matched.")


class SearchPage(BaseModel):
    """A page of search hits, newest first; pass ``next_cursor`` back for more."""

    items: list[SearchHit]
    next_cursor: str | None = None


Match = tuple[ReceiptRow, Literal["merchant", "text"], str]


def _match(row: ReceiptRow, needle: str) -> Match | None:
    """Match on the masked texts: rows stored before masking hold full card numbers, and a query must not find one."""
    merchant = mask_card_numbers(row.merchant) if row.merchant else None
    if merchant and needle in merchant.casefold():
        return row, "merchant", merchant
    if row.ocr:
        for line in OcrResult.model_validate(row.ocr).lines:
            text = mask_card_numbers(line.text)
            if needle in text.casefold():
                return row, "text", text[:300]
    return None


class SearchUseCases(ServiceBase):
    """Find receipts by what is written on them."""

    async def search_receipts(self, team_id: str, query: str, cursor: str | None = None, limit: int = 20) -> SearchPage:
        """Receipts whose merchant or any OCR line contains ``query`` (any case), newest first.

        Raises:
            InvalidInput: an empty query, a bad cursor or limit.
        """
        needle = " ".join(query.split()).casefold()
        if len(needle) < 2:
            raise InvalidInput("query must have at least 2 characters, e.g. a merchant name or a word on the receipt.")
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}; got {limit}.")
        after = decode_cursor(cursor) if cursor else None
        hits: list[Match] = []
        next_cursor: str | None = None
        async with self._sessions() as session:
            repo = ReceiptSearchRepo(session, team_id)
            while next_cursor is None:
                rows = await repo.candidates(" ".join(query.split()), after, SCAN_BATCH)
                for row in rows:
                    hit = _match(row, needle)
                    if hit is None:
                        continue
                    if len(hits) == limit:
                        last = hits[-1][0]
                        next_cursor = encode_cursor(last.created_at, last.id)
                        break
                    hits.append(hit)
                if len(rows) < SCAN_BATCH:
                    break
                after = (rows[-1].created_at, rows[-1].id)
            decisions = await AuditRepo(session, team_id).latest_decisions([row.id for row, _, _ in hits])
        items = [
            SearchHit(receipt=receipt_summary(row, decisions.get(row.id)), matched=matched, snippet=snippet)
            for row, matched, snippet in hits
        ]
        return SearchPage(items=items, next_cursor=next_cursor)
