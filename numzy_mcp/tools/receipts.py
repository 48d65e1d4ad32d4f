"""MCP tools for receipts: upload (one or a batch), read, list, search, reprocess, delete.

No `from __future__ import annotations` here: tool signatures use descriptions computed at build time.
"""

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from fastmcp import Context, FastMCP
from fastmcp.tools import ToolResult
from mcp.types import ToolAnnotations
from pydantic import Field

from numzy_mcp.errors import Forbidden, InvalidInput, NotFound, TooLarge
from numzy_mcp.receipts import ReceiptStatus
from numzy_mcp.service import NumzyService
from numzy_mcp.service.search import SearchPage
from numzy_mcp.service.uploads import UploadSource
from numzy_mcp.tools import batch, deletion
from numzy_mcp.tools.errors import numzy_tool
from numzy_mcp.tools.receipts_ids import ReceiptId
from numzy_mcp.tools.results import linked, receipt_links
from numzy_mcp.views import ReceiptFilters, ReceiptPage, ReceiptView, UploadResult


def decode_base64(content: str, limit: int) -> bytes:
    """Strictly decode base64 (a data: URL prefix is allowed) within ``limit`` decoded bytes."""
    if content.startswith("data:") and "," in content:
        content = content.split(",", 1)[1]
    content = "".join(content.split())
    if len(content) * 3 // 4 > limit + 3:
        raise TooLarge(
            f"content_base64 decodes to more than {limit} bytes. For a larger file, stage it first: "
            "POST /uploads (multipart field `file`) returns an upload_id, then call "
            "upload_receipt(upload_id=...); over stdio, pass `path` instead."
        )
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInput(
            "content_base64 is not valid base64. Send the file's bytes base64-encoded (standard alphabet, padded)."
        ) from error


def read_local(path: str, roots: list[Path], limit: int) -> tuple[bytes, str]:
    """Read a local file for a stdio client, inside the allowed roots."""
    try:
        target = Path(path).expanduser().resolve(strict=False)
    except (OSError, RuntimeError, ValueError) as error:
        raise InvalidInput(f"{path!r} is not a usable file path ({error}). Pass an absolute path to a file.") from error
    if roots and not any(target.is_relative_to(root.expanduser().resolve()) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise Forbidden(f"{target} is outside the folders Numzy may read ({allowed}).")
    try:
        if not target.is_file():
            raise NotFound(f"No file at {target}. Pass an absolute path to a receipt image or PDF.")
        if target.stat().st_size > limit:
            raise TooLarge(f"{target} is larger than the {limit}-byte upload limit.")
        return target.read_bytes(), target.name
    except OSError as error:
        raise InvalidInput(f"{target} could not be read ({error.strerror or error}).") from error


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str], *, allow_local_paths: bool) -> None:
    """Add the receipt tools to ``mcp``."""
    limits = service.settings.limits
    path_help = (
        "Absolute path of a local file to upload (this server runs on your machine)."
        if allow_local_paths
        else "Not available over HTTP: send content_base64 or upload_id instead."
    )

    @numzy_tool(
        mcp,
        output=UploadResult,
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True),
    )
    async def upload_receipt(
        ctx: Context,
        content_base64: Annotated[
            str | None,
            Field(description=f"The file's bytes, base64-encoded; at most {limits.max_base64_bytes} bytes decoded."),
        ] = None,
        filename: Annotated[str | None, Field(description="File name, e.g. 'lunch.jpg'.")] = None,
        path: Annotated[str | None, Field(description=path_help)] = None,
        upload_id: Annotated[
            str | None,
            Field(description="Id (upl_…) returned by REST POST /uploads, for files too large for content_base64."),
        ] = None,
        wait: Annotated[bool, Field(description="Wait for extraction and audit before returning.")] = True,
        timeout_seconds: Annotated[float, Field(ge=0, le=600, description="Longest wait, in seconds.")] = 120,
    ) -> ToolResult:
        """Upload a receipt (JPEG, PNG, WebP, HEIC or PDF), extract its fields and audit it.

        Give exactly one of content_base64 (with filename), path, or upload_id. Uploading the same file
        again returns the existing receipt (duplicate=true). With wait=true the result holds the extracted
        fields, the findings and the decision, and progress is reported; otherwise poll get_receipt until
        status is completed or failed. The result links to receipt://{id} and receipt://{id}/file.
        """
        if sum(value is not None for value in (content_base64, path, upload_id)) != 1:
            raise InvalidInput("Give exactly one of content_base64 (with filename), path, or upload_id.")
        source = (
            UploadSource(upload_id=upload_id) if upload_id is not None else read_source(content_base64, filename, path)
        )

        async def progress(stage: str, percent: int) -> None:
            await ctx.report_progress(percent, 100, stage)

        result = await service.upload_and_wait(team(), source, wait=wait, timeout=timeout_seconds, progress=progress)
        return linked(result, receipt_links(result.receipt))

    def read_source(content_base64: str | None, filename: str | None, path: str | None) -> UploadSource:
        if path is not None:
            if not allow_local_paths:
                raise Forbidden(
                    "path uploads work only over stdio. Send content_base64 and filename instead, or POST the "
                    "file to /uploads and pass upload_id."
                )
            data, name = read_local(path, service.settings.stdio_allowed_roots, limits.max_upload_bytes)
            return UploadSource(filename=name, data=data)
        if content_base64 is None:
            raise InvalidInput("Give content_base64 (with filename), path, or upload_id.")
        return UploadSource(filename=filename or "receipt", data=decode_base64(content_base64, limits.max_base64_bytes))

    batch.register(mcp, service, team, read_source)

    @numzy_tool(mcp, output=ReceiptView, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def get_receipt(receipt_id: ReceiptId) -> ToolResult:
        """Read one receipt: status and progress, extracted fields with per-field confidence, findings, decision."""
        receipt = await service.get_receipt(team(), receipt_id)
        return linked(receipt, receipt_links(receipt))

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def list_receipts(
        status: Annotated[ReceiptStatus | None, Field(description="Only receipts in this state.")] = None,
        date_from: Annotated[dt.date | None, Field(description="Purchase date on or after (YYYY-MM-DD).")] = None,
        date_to: Annotated[dt.date | None, Field(description="Purchase date on or before (YYYY-MM-DD).")] = None,
        merchant: Annotated[str | None, Field(description="Merchant name contains this (any case).")] = None,
        min_total: Annotated[Decimal | None, Field(description="Total at least this amount.")] = None,
        max_total: Annotated[Decimal | None, Field(description="Total at most this amount.")] = None,
        cursor: Annotated[str | None, Field(description="next_cursor from the previous page.")] = None,
        limit: Annotated[int, Field(ge=1, le=100, description="Receipts per page (1–100).")] = 20,
    ) -> ReceiptPage:
        """List the team's receipts, newest first, with optional filters; follow next_cursor for more."""
        filters = ReceiptFilters(
            status=status, date_from=date_from, date_to=date_to, merchant=merchant, min_total=min_total,
            max_total=max_total,
        )  # fmt: skip
        return await service.list_receipts(team(), filters, cursor, limit)

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True))
    async def reprocess_receipt(
        receipt_id: ReceiptId,
        ocr: Annotated[bool, Field(description="Run OCR again instead of re-parsing the stored text.")] = False,
    ) -> ReceiptView:
        """Extract and audit a completed or failed receipt again (e.g. after a failure); poll get_receipt after."""
        return await service.reprocess(team(), receipt_id, ocr=ocr)

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def search_receipts(
        query: Annotated[
            str, Field(min_length=2, max_length=200, description="Words to find in the merchant or the receipt text.")
        ],
        cursor: Annotated[str | None, Field(description="next_cursor from the previous page.")] = None,
        limit: Annotated[int, Field(ge=1, le=100, description="Hits per page (1–100).")] = 20,
    ) -> SearchPage:
        """Find receipts whose merchant name or printed text (OCR) contains the query, any case, newest first.

        Use it for "the receipt from Starbucks" or "the one that mentions parking"; use list_receipts to
        filter by status, date or total instead. Each hit says what matched and the matching line.
        """
        return await service.search_receipts(team(), query, cursor, limit)

    deletion.register(mcp, service, team)
