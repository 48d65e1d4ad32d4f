"""`numzy process FILE…`: upload, extract and audit without a server; one JSON document per receipt."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from numzy_mcp.errors import NumzyError
from numzy_mcp.settings import Settings

if TYPE_CHECKING:
    from numzy_mcp.service import NumzyService

RECEIPT_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".pdf"}


async def process_paths(service: NumzyService, team: str, paths: Sequence[Path]) -> AsyncIterator[dict[str, Any]]:
    """Upload every path, then yield one document per receipt, in order, as each finishes."""
    queued: list[tuple[Path, str | None, dict[str, Any] | None]] = []
    duplicates: set[str] = set()
    for path in paths:
        try:
            result = await service.upload(team, path.read_bytes(), path.name)
            queued.append((path, result.receipt.id, None))
            if result.duplicate:
                duplicates.add(result.receipt.id)
        except (NumzyError, OSError) as error:
            if isinstance(error, NumzyError):
                code, message = error.code, error.message
            elif isinstance(error, IsADirectoryError):
                code, message = "invalid_input", f"{path} is a folder: pass the receipt files in it ({path}/*.jpg)."
            elif isinstance(error, FileNotFoundError):
                code, message = "not_found", f"No such file: {path}. Pass the paths of receipt files."
            else:
                code, message = "unreadable", f"Could not read {path}: {error.strerror or error}."
            refused = {"file": str(path), "status": "refused", "error": {"code": code, "message": message}}
            queued.append((path, None, refused))
    for path, receipt_id, refused in queued:
        if refused is not None or receipt_id is None:
            yield refused or {}
            continue
        view = await service.wait_for_receipt(team, receipt_id, timeout=3600)
        doc: dict[str, Any] = {"file": str(path), "duplicate": receipt_id in duplicates, **view.model_dump(mode="json")}
        if view.status.value == "completed":
            doc["explanation"] = (await service.explain_receipt(team, receipt_id)).text
        yield doc


async def process(settings: Settings, paths: list[Path], pretty: bool) -> int:
    """Print one JSON document per path; 1 when any was refused or failed."""
    from numzy_mcp.service import NumzyService

    service = NumzyService.from_settings(settings)
    await service.start()
    failures = 0
    try:
        async for doc in process_paths(service, settings.default_team, paths):
            failures += doc.get("status") != "completed"
            print(json.dumps(doc, indent=2 if pretty else None, ensure_ascii=False), flush=True)
    finally:
        await service.close()
    return 1 if failures else 0
