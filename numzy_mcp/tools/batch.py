"""The ``upload_receipts`` tool: several files in one call, with progress per receipt."""

import asyncio
from collections.abc import Callable
from typing import Annotated

from fastmcp import Context, FastMCP
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from numzy_mcp.errors import InvalidInput, NumzyError
from numzy_mcp.receipts import ReceiptError, ReceiptStatus
from numzy_mcp.service import NumzyService
from numzy_mcp.tools.errors import numzy_tool
from numzy_mcp.views import ReceiptView, UploadResult

MAX_BATCH = 20
ReadSource = Callable[[str | None, str | None, str | None], tuple[bytes, str]]


class BatchFile(BaseModel):
    """One file of a batch: exactly one of content_base64 (with filename), path (stdio only) or upload_id."""

    content_base64: str | None = Field(default=None, description="The file's bytes, base64-encoded.")
    filename: str | None = Field(default=None, description="File name, e.g. 'taxi.pdf'.")
    path: str | None = Field(default=None, description="Absolute local path (stdio only).")
    upload_id: str | None = Field(default=None, description="Id returned by REST POST /uploads.")


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


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str], read_source: ReadSource) -> None:
    """Add ``upload_receipts`` to ``mcp``."""

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True))
    async def upload_receipts(
        ctx: Context,
        files: Annotated[
            list[BatchFile],
            Field(min_length=1, max_length=MAX_BATCH, description=f"1 to {MAX_BATCH} files to upload."),
        ],
        wait: Annotated[bool, Field(description="Wait until every receipt is extracted and audited.")] = True,
        timeout_seconds: Annotated[float, Field(ge=0, le=1800, description="Longest wait for the whole batch.")] = 600,
    ) -> BatchResult:
        """Upload several receipts at once; each is extracted and audited like upload_receipt.

        A refused file (bad base64, unsupported type, too large) does not stop the others: its item carries
        the error. Progress counts finished receipts. Cancelling the call stops waiting and uploads no more
        files; receipts already accepted stay and keep processing. Uploading a file again is harmless
        (duplicate=true).
        """
        team_id = team()
        items: list[BatchItem] = []
        total = len(files)
        for index, file in enumerate(files):
            try:
                if file.upload_id is not None:
                    if file.content_base64 is not None or file.path is not None:
                        raise InvalidInput("Give exactly one of content_base64 (with filename), path, or upload_id.")
                    result: UploadResult = await service.upload_from_stage(team_id, file.upload_id)
                else:
                    if file.content_base64 is not None and file.path is not None:
                        raise InvalidInput("Give exactly one of content_base64 (with filename), path, or upload_id.")
                    data, name = read_source(file.content_base64, file.filename, file.path)
                    result = await service.upload(team_id, data, name)
            except NumzyError as error:
                items.append(
                    BatchItem(
                        index=index, filename=file.filename, error=ReceiptError(code=error.code, message=error.message)
                    )
                )
                await ctx.report_progress(len(items), total, f"{file.filename or index}: refused ({error.code})")
                continue
            receipt = result.receipt
            items.append(BatchItem(index=index, filename=receipt.filename, receipt=receipt, duplicate=result.duplicate))
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        done = sum(1 for item in items if item.receipt is None or _finished(item.receipt))
        await ctx.report_progress(done, total, f"{done} of {total} finished")
        if wait:
            for item in items:
                if item.receipt is None or _finished(item.receipt):
                    continue
                remaining = max(0.0, deadline - asyncio.get_running_loop().time())
                item.receipt = await service.wait_for_receipt(team_id, item.receipt.id, remaining)
                if _finished(item.receipt):
                    done += 1
                    await ctx.report_progress(done, total, f"{item.receipt.filename}: {item.receipt.status.value}")
        completed = sum(1 for i in items if i.receipt is not None and i.receipt.status == ReceiptStatus.COMPLETED)
        failed = sum(1 for i in items if i.receipt is None or i.receipt.status == ReceiptStatus.FAILED)
        return BatchResult(items=items, completed=completed, failed=failed, pending=total - completed - failed)


def _finished(receipt: ReceiptView) -> bool:
    return receipt.status in (ReceiptStatus.COMPLETED, ReceiptStatus.FAILED)
