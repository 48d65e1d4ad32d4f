"""Staged uploads: large files go to ``POST /uploads`` first; ``upload_receipt(upload_id=…)`` turns one into a receipt.

The bytes then never pass through a model's context or the 4 MiB JSON-RPC limit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import PurePath

from pydantic import BaseModel, Field

from numzy_mcp.extraction import inspect_document
from numzy_mcp.service.base import new_id
from numzy_mcp.service.receipts import ReceiptUseCases
from numzy_mcp.storage.repositories import StagedUploadRepo, pop_expired_uploads
from numzy_mcp.storage.tables import StagedUploadRow
from numzy_mcp.views import UploadResult


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
