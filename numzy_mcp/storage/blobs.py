"""Blob stores: where the original files live. Keys are content addresses (team/sha256)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Protocol

from numzy_mcp.errors import NotFound


class BlobStore(Protocol):
    """Stores bytes under a key; ``put`` is atomic and idempotent."""

    async def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (replacing nothing half-written)."""
        ...

    async def get(self, key: str) -> bytes:
        """Return the bytes under ``key``; raise ``NotFound`` when absent."""
        ...

    async def delete(self, key: str) -> None:
        """Remove ``key`` if present."""
        ...


class LocalBlobStore:
    """Blobs as files in a folder; writes go to a temporary file renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise NotFound(f"Blob key {key!r} is not valid.")
        return self.root / key

    def _put_sync(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def put(self, key: str, data: bytes) -> None:
        """Store ``data`` atomically."""
        await asyncio.to_thread(self._put_sync, key, data)

    async def get(self, key: str) -> bytes:
        """Read the blob; ``NotFound`` when missing."""
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as error:
            raise NotFound(f"The stored file {key!r} is missing.") from error

    async def delete(self, key: str) -> None:
        """Delete the blob if it exists."""
        await asyncio.to_thread(self._path(key).unlink, True)
