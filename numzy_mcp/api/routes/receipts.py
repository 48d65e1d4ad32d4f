"""REST routes for receipts: upload, read, list, reprocess, audit, explain, file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Response, UploadFile

from numzy_mcp.api.deps import ServiceDep, TeamDep
from numzy_mcp.audit import AuditReport
from numzy_mcp.errors import InvalidInput, TooLarge
from numzy_mcp.explain import Explanation
from numzy_mcp.receipts import ReceiptStatus
from numzy_mcp.views import ReceiptFilters, ReceiptPage, ReceiptView, UploadResult

router = APIRouter(prefix="/receipts", tags=["receipts"])


@router.post("", status_code=201)
async def upload_receipt(
    service: ServiceDep, team: TeamDep, response: Response, file: Annotated[UploadFile, File()]
) -> UploadResult:
    """Upload one receipt file (multipart field ``file``); 201 when new, 200 with the existing one when a duplicate."""
    limit = service.settings.limits.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"The file is larger than the {limit}-byte upload limit.")
    if not data:
        raise InvalidInput("The uploaded file is empty.")
    result = await service.upload(team, data, file.filename or "receipt")
    if result.duplicate:
        response.status_code = 200
    return result


@router.get("")
async def list_receipts(
    service: ServiceDep,
    team: TeamDep,
    status: ReceiptStatus | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    merchant: str | None = None,
    min_total: Decimal | None = None,
    max_total: Decimal | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ReceiptPage:
    """Receipts newest first; filters combine with AND; follow ``next_cursor``."""
    filters = ReceiptFilters(
        status=status, date_from=date_from, date_to=date_to, merchant=merchant, min_total=min_total, max_total=max_total
    )
    return await service.list_receipts(team, filters, cursor, limit)


@router.get("/{receipt_id}")
async def get_receipt(receipt_id: str, service: ServiceDep, team: TeamDep) -> ReceiptView:
    """One receipt: status, progress, fields, confidences, findings, decision."""
    return await service.get_receipt(team, receipt_id)


@router.post("/{receipt_id}/reprocess", status_code=202)
async def reprocess_receipt(receipt_id: str, service: ServiceDep, team: TeamDep, ocr: bool = False) -> ReceiptView:
    """Queue the receipt again (re-parse the stored OCR, or OCR again with ``ocr=true``)."""
    return await service.reprocess(team, receipt_id, ocr=ocr)


@router.get("/{receipt_id}/audit")
async def get_audit(receipt_id: str, service: ServiceDep, team: TeamDep) -> AuditReport:
    """The latest audit report of the receipt."""
    return await service.get_audit(team, receipt_id)


@router.post("/{receipt_id}/audit")
async def audit_receipt(receipt_id: str, service: ServiceDep, team: TeamDep) -> AuditReport:
    """Audit the receipt again with the team's current rules."""
    return await service.audit_receipt(team, receipt_id)


@router.get("/{receipt_id}/explanation")
async def explain_receipt(receipt_id: str, service: ServiceDep, team: TeamDep) -> Explanation:
    """Why the receipt got its decision."""
    return await service.explain_receipt(team, receipt_id)


@router.get("/{receipt_id}/file")
async def get_file(receipt_id: str, service: ServiceDep, team: TeamDep) -> Response:
    """The original file as uploaded."""
    stored = await service.get_file(team, receipt_id)
    return Response(
        stored.data,
        media_type=stored.mime_type,
        headers={"Content-Disposition": content_disposition(stored.filename), "X-Content-Type-Options": "nosniff"},
    )


def content_disposition(filename: str) -> str:
    """``inline`` with an ASCII fallback name and the exact name in RFC 5987 form (any language, no injection)."""
    printable = "".join(ch for ch in filename if ch.isprintable())
    ascii_name = printable.encode("ascii", "replace").decode("ascii").replace('"', "").replace("\\", "") or "receipt"
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(printable, safe='')}"


@router.delete("/{receipt_id}", status_code=204)
async def delete_receipt(receipt_id: str, service: ServiceDep, team: TeamDep) -> Response:
    """Delete the receipt, its audits and its file."""
    await service.delete_receipt(team, receipt_id)
    return Response(status_code=204)
