"""The local blob store: atomic writes, reads back, refuses keys that escape its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from numzy_mcp.errors import NotFound
from numzy_mcp.storage.blobs import LocalBlobStore


async def test_put_then_get_returns_the_bytes_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    await store.put("team/abc.jpg", b"\xff\xd8data")

    assert await store.get("team/abc.jpg") == b"\xff\xd8data"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["abc.jpg"]


async def test_missing_blob_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        await LocalBlobStore(tmp_path).get("team/none.jpg")


@pytest.mark.parametrize("key", ["../escape.jpg", "/etc/passwd", "team/../../x", ""])
async def test_keys_that_escape_the_folder_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(NotFound):
        await LocalBlobStore(tmp_path / "blobs").put(key, b"x")
    assert not (tmp_path / "escape.jpg").exists()
