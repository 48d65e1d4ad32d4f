"""Receipt use cases: upload, processing jobs, waiting, reading, listing, reprocessing, deleting."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import hashlib
import logging
from pathlib import PurePath
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from numzy_mcp.errors import Conflict, ExtractionFailed, InvalidInput, NumzyError, TransientError
from numzy_mcp.extraction import Extraction, inspect_document
from numzy_mcp.extraction.pipeline import NO_TEXT, LlmCall, has_text, read_with_llm
from numzy_mcp.extraction.redact import mask_ocr
from numzy_mcp.receipts import ExtractedFields, OcrResult, ReceiptStatus
from numzy_mcp.service.base import MAX_PAGE, TERMINAL, ProgressCallback, ServiceBase, new_id
from numzy_mcp.storage.llm_calls import LlmCallRepo
from numzy_mcp.storage.repositories import AuditRepo, ReceiptRepo
from numzy_mcp.storage.tables import LlmCallRow, ReceiptRow
from numzy_mcp.views import ReceiptFilters, ReceiptPage, ReceiptView, StoredFile, UploadResult
from numzy_mcp.views_build import receipt_summary

log = logging.getLogger(__name__)


def clean_filename(filename: str) -> str:
    """The base name of an uploaded file without folders or control characters, at most 255 characters."""
    base = PurePath(filename.replace("\\", "/")).name
    return "".join(ch for ch in base if ch.isprintable()).strip()[:255]


class ReceiptUseCases(ServiceBase):
    """Receipts from upload to a completed or failed record."""

    # ---- upload ----------------------------------------------------------------------------------

    async def upload(self, team_id: str, data: bytes, filename: str) -> UploadResult:
        """Store a receipt file and queue it for processing; the same bytes again return the same receipt.

        Raises:
            InvalidInput: empty, truncated or corrupt file.
            Unsupported: not JPEG, PNG, WebP, HEIC or PDF.
            TooLarge: over the byte, pixel or page limit.
        """
        info = await asyncio.to_thread(inspect_document, data, self.settings.limits)
        sha256 = hashlib.sha256(data).hexdigest()
        name = clean_filename(filename) or f"receipt.{info.extension}"
        await self._ensure_team(team_id)
        async with self._sessions.begin() as session:
            existing = await ReceiptRepo(session, team_id).by_sha256(sha256)
            if existing is not None:
                return UploadResult(receipt=await self._view(session, existing), duplicate=True)
        receipt_id = new_id("rcp")
        # One blob per receipt (not per content hash), so deleting one receipt can never remove the file of a
        # re-upload of the same bytes; an orphan left by a crash before the insert is harmless.
        blob_key = f"{team_id}/{receipt_id}.{info.extension}"
        await self._blobs.put(blob_key, data)
        now = self._clock()
        row = ReceiptRow(
            id=receipt_id, team_id=team_id, sha256=sha256, filename=name, mime_type=info.mime_type,
            size_bytes=len(data), pages=info.pages, blob_key=blob_key, status=ReceiptStatus.PENDING.value,
            stage="queued", percent=0, attempts=0, created_at=now, updated_at=now,
        )  # fmt: skip
        try:
            async with self._sessions.begin() as session:
                await ReceiptRepo(session, team_id).add(row)
                view = await self._view(session, row)
        except IntegrityError:  # the same bytes raced in from another request
            await self._blobs.delete(blob_key)
            async with self._sessions.begin() as session:
                existing = await ReceiptRepo(session, team_id).by_sha256(sha256)
                if existing is None:
                    raise
                return UploadResult(receipt=await self._view(session, existing), duplicate=True)
        await self._jobs.enqueue(team_id, receipt_id)
        return UploadResult(receipt=view, duplicate=False)

    # ---- processing ------------------------------------------------------------------------------

    async def process_receipt(self, team_id: str, receipt_id: str) -> None:
        """Job handler: extract and audit one receipt; record failure instead of raising."""
        async with self._sessions.begin() as session:
            if not await ReceiptRepo(session, team_id).claim(receipt_id, self._clock()):
                return
            row = await ReceiptRepo(session, team_id).get(receipt_id)
            blob_key, stored_ocr, attempts = row.blob_key, row.ocr, row.attempts
            currency = await self._team_currency(session, team_id)
        try:
            await self._run(team_id, receipt_id, blob_key, stored_ocr, currency)
        except (TransientError, OperationalError, OSError) as error:
            if attempts < self.settings.max_attempts:
                delay = self.settings.retry_backoff_seconds * 2 ** (attempts - 1)
                log.warning("receipt %s: transient error (%s); retry %d in %.1fs", receipt_id, error, attempts, delay)
                await self._finish(team_id, receipt_id, status="pending", stage="retrying")
                await self._jobs.enqueue(team_id, receipt_id, delay=delay)
                return
            code, said = (error.code, error.message) if isinstance(error, NumzyError) else ("transient", _kind(error))
            await self._fail(team_id, receipt_id, code, f"Gave up after {attempts} attempts: {said}")
        except NumzyError as error:
            await self._fail(team_id, receipt_id, error.code, error.message)
        except Exception as error:
            log.exception("receipt %s: unexpected failure", receipt_id)
            await self._fail(
                team_id, receipt_id, "internal_error",
                f"Unexpected {type(error).__name__} while processing (details are in the server log). "
                "Reprocess the receipt; if it fails again, report its id.",
            )  # fmt: skip

    async def _run(
        self, team_id: str, receipt_id: str, blob_key: str, stored_ocr: dict[str, Any] | None, currency: str
    ) -> None:
        loop = asyncio.get_running_loop()
        pending: list[concurrent.futures.Future[None]] = []

        def progress(stage: str, percent: int) -> None:  # called from the OCR thread
            coro = self._progress(team_id, receipt_id, stage, percent * 8 // 10)
            pending.append(asyncio.run_coroutine_threadsafe(coro, loop))

        data: bytes | None = None
        unreadable: ExtractionFailed | None = None
        if stored_ocr is not None:  # re-parse without a second OCR pass
            await self._progress(team_id, receipt_id, "parse", 50)
            ocr = mask_ocr(OcrResult.model_validate(stored_ocr))  # rows stored before masking get cleaned
            reparse = functools.partial(self._extractor.reparse, ocr, currency=currency)
            extraction = Extraction(ocr=ocr, fields=await loop.run_in_executor(self._ocr_pool, reparse))
            if not has_text(ocr):  # only a model ever read this receipt: it must read it again, or it fails
                unreadable = ExtractionFailed(NO_TEXT)
                if self._llm_extractor is None or self._llm_extractor.mode != "vision":
                    raise unreadable
        else:
            await self._progress(team_id, receipt_id, "load", 2)
            data = await self._blobs.get(blob_key)
            extract = functools.partial(self._extractor.extract, data, progress, currency=currency)
            try:
                extraction = await loop.run_in_executor(self._ocr_pool, extract)
            except ExtractionFailed as error:
                if self._llm_extractor is None or self._llm_extractor.mode != "vision":
                    raise
                unreadable = error  # no text for the offline OCR (handwriting, a poor photo): the model may see it
                extraction = Extraction(ocr=OcrResult(engine="none"), fields=ExtractedFields())
            finally:  # every progress write lands before the job moves on (none is left un-awaited)
                await asyncio.gather(*(asyncio.wrap_future(f) for f in pending), return_exceptions=True)
        if self._llm_extractor is not None:
            extraction = await self._read_with_llm(team_id, receipt_id, blob_key, extraction, data)
            if unreadable is not None and (extraction.llm is None or extraction.llm.fallback_reason is not None):
                # neither reader found anything: the receipt fails with both reasons
                why = extraction.llm.fallback_reason if extraction.llm is not None else None
                raise ExtractionFailed(
                    f"{unreadable.message} The model could not read it either ({why or 'no answer'}); "
                    "reprocess the receipt once the model is reachable."
                )
        await self._progress(team_id, receipt_id, "audit", 90)
        async with self._sessions.begin() as session:
            row = await ReceiptRepo(session, team_id).get(receipt_id)
            fields = extraction.fields
            if fields.currency is None:
                fields = fields.model_copy(update={"currency": await self._team_currency(session, team_id)})
            row.fields = fields.model_dump(mode="json")
            row.ocr = extraction.ocr.model_dump(mode="json")
            row.extractor = extraction.extractor[:60]
            row.merchant = fields.merchant
            row.receipt_date = fields.date
            row.total = fields.total
            row.currency = fields.currency
            await self._audit_row(session, team_id, row)
            now = self._clock()
            row.status, row.stage, row.percent = ReceiptStatus.COMPLETED.value, "done", 100
            row.error_code = row.error_message = None
            row.processed_at = row.updated_at = now
        self._signal(receipt_id)

    async def _read_with_llm(
        self, team_id: str, receipt_id: str, blob_key: str, offline: Extraction, data: bytes | None
    ) -> Extraction:
        """The chosen model's fields (offline ones on failure), its call recorded at once: the money is spent."""
        llm = self._llm_extractor
        assert llm is not None
        await self._progress(team_id, receipt_id, "llm", 82)
        if data is None and llm.mode == "vision" and not offline.ocr.text_layer:
            data = await self._blobs.get(blob_key)  # a re-parse: the images are needed again
        extraction = await read_with_llm(offline, llm, data=data, limits=self.settings.limits)
        if extraction.llm is not None:
            await self._record_llm_call(team_id, receipt_id, extraction.llm)
        return extraction

    async def _record_llm_call(self, team_id: str, receipt_id: str, call: LlmCall) -> None:
        def row(receipt: str | None) -> LlmCallRow:
            return LlmCallRow(
                id=new_id("llm"), team_id=team_id, receipt_id=receipt, purpose="extraction", model=call.model[:200],
                mode=call.mode, input_tokens=call.input_tokens, output_tokens=call.output_tokens,
                cost_usd=call.cost_usd, fallback_reason=call.fallback_reason, created_at=self._clock(),
            )  # fmt: skip

        try:
            async with self._sessions.begin() as session:
                await LlmCallRepo(session, team_id).add(row(receipt_id))
        except IntegrityError:  # the receipt was deleted meanwhile; the spend is still the team's
            async with self._sessions.begin() as session:
                await LlmCallRepo(session, team_id).add(row(None))

    async def _progress(self, team_id: str, receipt_id: str, stage: str, percent: int) -> None:
        try:
            async with self._sessions.begin() as session:
                await ReceiptRepo(session, team_id).set_progress(receipt_id, stage, percent, self._clock())
        except OperationalError:  # progress is best effort; never fail a job over it
            log.debug("progress update for %s skipped", receipt_id)

    async def _finish(self, team_id: str, receipt_id: str, *, status: str, stage: str) -> None:
        async with self._sessions.begin() as session:  # a no-op when the receipt was deleted meanwhile
            await ReceiptRepo(session, team_id).set_state(receipt_id, self._clock(), status=status, stage=stage)

    async def _fail(self, team_id: str, receipt_id: str, code: str, message: str) -> None:
        async with self._sessions.begin() as session:  # a no-op when the receipt was deleted meanwhile
            await ReceiptRepo(session, team_id).set_state(
                receipt_id, self._clock(), status=ReceiptStatus.FAILED.value, stage="failed",
                error_code=code, error_message=message[:2000],
            )  # fmt: skip
        self._signal(receipt_id)

    def _signal(self, receipt_id: str) -> None:
        event = self._done.pop(receipt_id, None)
        if event is not None:
            event.set()

    async def wait_for_receipt(
        self, team_id: str, receipt_id: str, timeout: float, on_progress: ProgressCallback | None = None
    ) -> ReceiptView:
        """Wait (up to ``timeout`` seconds) until the receipt is completed or failed; report progress."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last: tuple[str, int] | None = None
        while True:
            view = await self.get_receipt(team_id, receipt_id)
            if on_progress is not None and (view.progress.stage, view.progress.percent) != last:
                last = (view.progress.stage, view.progress.percent)
                await on_progress(*last)
            remaining = deadline - loop.time()
            if view.status.value in TERMINAL or remaining <= 0:
                return view
            event = self._done.setdefault(receipt_id, asyncio.Event())
            # woken at once when this process finishes it; otherwise poll (other processes, progress)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=min(0.25, remaining))

    # ---- reading ---------------------------------------------------------------------------------

    async def get_receipt(self, team_id: str, receipt_id: str) -> ReceiptView:
        """One receipt with its fields, progress and latest audit.

        Raises:
            NotFound: no such receipt in the team.
        """
        async with self._sessions() as session:
            row = await ReceiptRepo(session, team_id).get(receipt_id)
            return await self._view(session, row)

    async def list_receipts(
        self, team_id: str, filters: ReceiptFilters | None = None, cursor: str | None = None, limit: int = 20
    ) -> ReceiptPage:
        """A page of the team's receipts, newest first.

        Raises:
            InvalidInput: a bad cursor, limit or filter.
        """
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}; got {limit}.")
        filters = filters or ReceiptFilters()
        if filters.min_total is not None and filters.max_total is not None and filters.min_total > filters.max_total:
            raise InvalidInput("min_total is greater than max_total; no receipt can match.")
        async with self._sessions() as session:
            rows, next_cursor = await ReceiptRepo(session, team_id).list(filters, cursor, limit)
            decisions = await AuditRepo(session, team_id).latest_decisions([row.id for row in rows])
        return ReceiptPage(items=[receipt_summary(row, decisions.get(row.id)) for row in rows], next_cursor=next_cursor)

    async def get_file(self, team_id: str, receipt_id: str) -> StoredFile:
        """The original uploaded file."""
        async with self._sessions() as session:
            row = await ReceiptRepo(session, team_id).get(receipt_id)
        return StoredFile(filename=row.filename, mime_type=row.mime_type, data=await self._blobs.get(row.blob_key))

    async def reprocess(self, team_id: str, receipt_id: str, *, ocr: bool = False) -> ReceiptView:
        """Queue a receipt again: re-parse the stored OCR lines (or OCR again with ``ocr=True``) and re-audit.

        Raises:
            NotFound: no such receipt.
            Conflict: it is being processed right now.
        """
        async with self._sessions.begin() as session:
            repo = ReceiptRepo(session, team_id)
            if not await repo.requeue(receipt_id, self._clock(), clear_ocr=ocr):  # one caller wins a race
                row = await repo.get(receipt_id)  # NotFound when absent
                raise Conflict(f"Receipt {receipt_id} is {row.status}; wait until it is completed or failed.")
            view = await self._view(session, await repo.get(receipt_id))
        await self._jobs.enqueue(team_id, receipt_id)
        return view

    async def delete_receipt(self, team_id: str, receipt_id: str) -> None:
        """Delete a receipt, its audits and its stored file.

        Raises:
            NotFound: no such receipt (also for the second of two concurrent deletes).
            Conflict: it is being processed right now.
        """
        async with self._sessions.begin() as session:
            repo = ReceiptRepo(session, team_id)
            blob_key = (await repo.get(receipt_id)).blob_key
            if not await repo.delete(receipt_id):
                row = await repo.get(receipt_id)
                raise Conflict(f"Receipt {receipt_id} is {row.status}; delete it once it is completed or failed.")
        await self._blobs.delete(blob_key)


def _kind(error: Exception) -> str:
    """What a stored failure says of a non-domain error: its kind, never driver text (SQL, parameters, paths)."""
    if isinstance(error, OSError):
        return f"{type(error).__name__}: {error.strerror or 'storage error'}"
    return f"{type(error).__name__} (details are in the server log)"
