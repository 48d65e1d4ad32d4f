"""The ``upload_receipts`` tool: several files in one call, with progress per receipt."""

from collections.abc import Callable
from typing import Annotated

from fastmcp import Context, FastMCP
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from numzy_mcp.errors import InvalidInput, NumzyError
from numzy_mcp.service import NumzyService
from numzy_mcp.service.uploads import UploadSource
from numzy_mcp.tools.errors import numzy_tool
from numzy_mcp.views import BatchResult

MAX_BATCH = 20
ReadSource = Callable[[str | None, str | None, str | None], UploadSource]


class BatchFile(BaseModel):
    """One file of a batch: exactly one of content_base64 (with filename), path (stdio only) or upload_id."""

    content_base64: str | None = Field(default=None, description="The file's bytes, base64-encoded.")
    filename: str | None = Field(default=None, description="File name, e.g. 'taxi.pdf'.")
    path: str | None = Field(default=None, description="Absolute local path (stdio only).")
    upload_id: str | None = Field(default=None, description="Id returned by REST POST /uploads.")


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
        sources = [source_of(file) for file in files]

        async def progress(done: int, total: int, message: str) -> None:
            await ctx.report_progress(done, total, message)

        return await service.upload_batch(team(), sources, wait=wait, timeout=timeout_seconds, progress=progress)

    def source_of(file: BatchFile) -> UploadSource:
        """Read one file of the request; a file that cannot be read becomes a refused source, not an error."""
        try:
            if sum(value is not None for value in (file.content_base64, file.path, file.upload_id)) > 1:
                raise InvalidInput("Give exactly one of content_base64 (with filename), path, or upload_id.")
            if file.upload_id is not None:
                return UploadSource(filename=file.filename, upload_id=file.upload_id)
            return read_source(file.content_base64, file.filename, file.path)
        except NumzyError as error:
            return UploadSource(filename=file.filename, error=error)
