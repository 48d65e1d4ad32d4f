"""Uploads by source: staged files (``POST /uploads`` first, then ``upload_id``), upload-and-wait, batches.

Staged bytes never pass through a model's context or the 4 MiB JSON-RPC limit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from pydantic import BaseModel, Field

from numzy_mcp.errors import NumzyError
from numzy_mcp.extraction import inspect_document
from numzy_mcp.receipts import ReceiptError, ReceiptStatus
from numzy_mcp.service.base import TERMINAL, ProgressCallback, new_id
from numzy_mcp.service.receipts import ReceiptUseCases
from numzy_mcp.storage.repositories import StagedUploadRepo, pop_expired_uploads
from numzy_mcp.storage.tables import StagedUploadRow
from numzy_mcp.views import BatchItem, BatchResult, UploadResult

BatchProgress = Callable[[int, int, str], Awaitable[None]]


@dataclass(frozen=True)
class UploadSource:
    """One file to upload: its bytes, or a staged ``upload_id``, or why the adapter could not read it."""

    filename: str | None = None
    data: bytes | None = None
    upload_id: str | None = None
    error: NumzyError | None = None


class StagedUpload(BaseModel):
    """A staged file: pass ``upload_id`` to the ``upload_receipt`` tool before ``expires_at``."""

    upload_id: str
    filename: str
    size_bytes: int
    expires_at: dt.datetime = Field(description="After this the upload is gone; POST the file again.")


class UploadUseCases(ReceiptUseCases):
    """The two-step upload for files too large for a tool argument."""

    def _upload_ttl(self) -> dt.timedelta:
        seconds = self.settings.upload_ttl_seconds
        return dt.timedelta(seconds=float(seconds))

    async def stage_upload(self, team_id: str, data: bytes, filename: str) -> StagedUpload:
        """Check and keep a file for a later ``upload_from_stage``; expired stages are purged here.

        Raises:
            InvalidInput: empty, truncated or corrupt file.
            Unsupported: not JPEG, PNG, WebP, HEIC or PDF.
            TooLarge: over the byte, pixel or page limit.
        """
        info = await asyncio.to_thread(inspect_document, data, self.settings.limits)
        await self._ensure_team(team_id)
        now = self._clock()
        async with self._sessions.begin() as session:
            expired = await pop_expired_uploads(session, now)
        for key in expired:
            await self._blobs.delete(key)
        upload_id = new_id("upl")
        name = (PurePath(filename.replace("\\", "/")).name or f"receipt.{info.extension}")[:255]
        row = StagedUploadRow(
            id=upload_id, team_id=team_id, filename=name, size_bytes=len(data),
            blob_key=f"uploads/{team_id}/{upload_id}", created_at=now, expires_at=now + self._upload_ttl(),
        )  # fmt: skip
        await self._blobs.put(row.blob_key, data)
        async with self._sessions.begin() as session:
            await StagedUploadRepo(session, team_id).add(row)
        return StagedUpload(upload_id=upload_id, filename=name, size_bytes=len(data), expires_at=row.expires_at)

    async def upload_from_stage(self, team_id: str, upload_id: str) -> UploadResult:
        """Turn a staged file into a receipt (idempotent: the same upload_id returns the same receipt).

        Raises:
            NotFound: unknown, expired, or another team's upload id.
        """
        async with self._sessions() as session:
            row = await StagedUploadRepo(session, team_id).get(upload_id, self._clock())
        data = await self._blobs.get(row.blob_key)
        return await self.upload(team_id, data, row.filename)

    async def upload_source(self, team_id: str, source: UploadSource) -> UploadResult:
        """Upload bytes or a staged file (``source.upload_id``); a refused source raises its ``NumzyError``."""
        if source.error is not None:
            raise source.error
        if source.upload_id is not None:
            return await self.upload_from_stage(team_id, source.upload_id)
        assert source.data is not None
        return await self.upload(team_id, source.data, source.filename or "receipt")

    async def upload_and_wait(
        self, team_id: str, source: UploadSource, *, wait: bool, timeout: float, progress: ProgressCallback | None
    ) -> UploadResult:
        """Upload one file and, with ``wait``, wait (reporting progress) until it is completed or failed."""
        result = await self.upload_source(team_id, source)
        if not wait or result.receipt.status.value in TERMINAL:
            return result
        receipt = await self.wait_for_receipt(team_id, result.receipt.id, timeout, progress)
        return UploadResult(receipt=receipt, duplicate=result.duplicate)

    async def upload_batch(
        self,
        team_id: str,
        sources: Sequence[UploadSource],
        *,
        wait: bool,
        timeout: float,
        progress: BatchProgress | None = None,
    ) -> BatchResult:
        """Upload several files; a refused one does not stop the others; wait for all within ``timeout``.

        ``progress(done, total, message)`` counts finished files (refused, completed or failed).
        Cancelling stops the uploads and the wait; receipts already accepted keep processing.
        """
        total = len(sources)
        items: list[BatchItem] = []
        reported = 0

        async def report(done: int, message: str) -> None:
            # MCP progress must increase with every notification: a count already sent is not sent again.
            nonlocal reported
            if progress is not None and done > reported:
                reported = done
                await progress(done, total, message)

        done = 0
        for index, source in enumerate(sources):
            try:
                result = await self.upload_source(team_id, source)
            except NumzyError as error:
                refused = ReceiptError(code=error.code, message=error.message)
                items.append(BatchItem(index=index, filename=source.filename, error=refused))
                done += 1
                await report(done, f"{source.filename or index}: refused ({error.code})")
                continue
            receipt = result.receipt
            items.append(BatchItem(index=index, filename=receipt.filename, receipt=receipt, duplicate=result.duplicate))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        done = sum(1 for item in items if item.receipt is None or item.receipt.status.value in TERMINAL)
        await report(done, f"{done} of {total} finished")
        if wait:
            for item in items:
                if item.receipt is None or item.receipt.status.value in TERMINAL:
                    continue
                item.receipt = await self.wait_for_receipt(team_id, item.receipt.id, max(0.0, deadline - loop.time()))
                if item.receipt.status.value in TERMINAL:
                    done += 1
                    await report(done, f"{item.receipt.filename}: {item.receipt.status.value}")
        completed = sum(1 for i in items if i.receipt is not None and i.receipt.status is ReceiptStatus.COMPLETED)
        failed = sum(1 for i in items if i.receipt is None or i.receipt.status is ReceiptStatus.FAILED)
        return BatchResult(items=items, completed=completed, failed=failed, pending=total - completed - failed)
