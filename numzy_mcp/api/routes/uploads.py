"""REST side channel for large files: stage bytes here, then call the MCP tool ``upload_receipt(upload_id=…)``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from numzy_mcp.api.deps import ServiceDep, TeamDep, require_scopes
from numzy_mcp.errors import InvalidInput, TooLarge
from numzy_mcp.service.uploads import StagedUpload

router = APIRouter(prefix="/uploads", tags=["uploads"], dependencies=[Depends(require_scopes("receipts:write"))])


@router.post("", status_code=201)
async def stage_upload(service: ServiceDep, team: TeamDep, file: Annotated[UploadFile, File()]) -> StagedUpload:
    """Keep a file (multipart field ``file``) for a while; pass the returned ``upload_id`` to ``upload_receipt``."""
    limit = service.settings.limits.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"The file is larger than the {limit}-byte upload limit.")
    if not data:
        raise InvalidInput("The uploaded file is empty.")
    return await service.stage_upload(team, data, file.filename or "receipt")
