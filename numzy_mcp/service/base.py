"""ServiceBase: construction, lifecycle, teams and the helpers every group of use cases shares."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from numzy_mcp.audit import AuditReport, audit_async
from numzy_mcp.errors import Conflict
from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.extraction.redact import mask_card_numbers
from numzy_mcp.jobs import InProcessJobQueue, JobQueue
from numzy_mcp.receipts import ExtractedFields, OcrResult, ReceiptStatus
from numzy_mcp.rules import Rule, RuleDraft, default_rules, reads_history
from numzy_mcp.rules.base import HistoricReceipt, RuleContext
from numzy_mcp.rules.history_index import HistoryIndex
from numzy_mcp.rules.sandbox import SandboxPool
from numzy_mcp.service.llm import Model, build_llm_model, choose_llm_extractor
from numzy_mcp.settings import Settings
from numzy_mcp.storage.blobs import BlobStore
from numzy_mcp.storage.db import migrate_async
from numzy_mcp.storage.llm_calls import LlmCallRepo
from numzy_mcp.storage.repositories import AuditRepo, ReceiptRepo, RuleRepo, TeamRepo, requeue_unfinished
from numzy_mcp.storage.tables import AuditRow, ReceiptRow, RuleRow
from numzy_mcp.views import ReceiptView
from numzy_mcp.views_build import receipt_view, rule_from_row

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], Awaitable[None]]
TERMINAL = {ReceiptStatus.COMPLETED.value, ReceiptStatus.FAILED.value}
MAX_PAGE = 100


def utcnow() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def new_id(prefix: str) -> str:
    """A new random id with a readable prefix (``rcp_…``, ``rul_…``)."""
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


class ServiceBase:
    """State and helpers shared by the use-case groups that make up ``NumzyService``."""

    def __init__(
        self,
        *,
        settings: Settings,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        blobs: BlobStore,
        extractor: OfflineExtractor,
        jobs: JobQueue | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        llm_model: Model | None = None,
    ) -> None:
        """Wire the service; nothing runs until ``start``.

        ``llm_model`` replaces the OpenAI-compatible model built from ``settings.llm`` for receipt
        extraction (tests pass a ``FunctionModel``); whether a model reads receipts at all is decided by
        ``settings.extractor`` and ``settings.llm.model`` alone.
        """
        self.settings = settings
        self._engine = engine
        self._sessions = sessions
        self._blobs = blobs
        self._extractor = extractor
        self._jobs: JobQueue = jobs or InProcessJobQueue(settings.workers)
        self._clock = clock
        self._ocr_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="numzy-ocr")
        self._known_teams: set[str] = set()
        self._done: dict[str, asyncio.Event] = {}
        self._rule_writes = asyncio.Lock()  # one rule write at a time in this process: the copy check holds
        self._sandbox: SandboxPool | None = None
        self._llm_model: Model | None = build_llm_model(settings.llm)
        self._llm_extractor = choose_llm_extractor(settings, model=llm_model)
        self._started = False

    # ---- lifecycle -------------------------------------------------------------------------------

    async def start(self, *, migrate: bool = True) -> None:
        """Apply migrations, start the job runner and re-queue receipts left unfinished."""
        if self._started:
            return
        if migrate:
            await migrate_async(self.settings.resolved_database_url())
        await self._ensure_team(self.settings.default_team)
        await self._jobs.start(self.process_receipt)
        async with self._sessions.begin() as session:
            pending = await requeue_unfinished(session, self._clock())
        for team_id, receipt_id in pending:
            await self._jobs.enqueue(team_id, receipt_id)
        if pending:
            log.info("re-queued %d unfinished receipts", len(pending))
        self._started = True

    async def close(self) -> None:
        """Stop the workers and release the database."""
        await self._jobs.stop()
        # let a running OCR call finish, so its progress writes land before the database goes away
        await asyncio.to_thread(self._ocr_pool.shutdown, wait=True, cancel_futures=True)
        if self._sandbox is not None:
            await asyncio.to_thread(self._sandbox.close)
            self._sandbox = None
        await self._engine.dispose()
        self._started = False

    async def wait_idle(self) -> None:
        """Wait until every queued receipt has been processed (CLI and tests)."""
        await self._jobs.join()

    async def health(self) -> dict[str, Any]:
        """Database reachability and the extractor in use."""
        async with self._sessions() as session:
            await session.execute(text("SELECT 1"))
        extractor = self._extractor.name
        if self._llm_extractor is not None:
            extractor = f"{self._llm_extractor.name} ({self._llm_extractor.mode}; fallback {extractor})"
        return {"status": "ok", "database": self._engine.dialect.name, "extractor": extractor}

    # ---- teams -----------------------------------------------------------------------------------

    async def _ensure_team(self, team_id: str) -> None:
        if team_id in self._known_teams:
            return
        async with self._sessions.begin() as session:
            teams = TeamRepo(session)
            if await teams.get(team_id) is None:
                now = self._clock()
                currency = self.settings.default_currency
                await teams.add(team_id, team_id, currency, now)
                rules = RuleRepo(session, team_id)
                for draft in default_rules(currency, self.settings.large_total_threshold):
                    await rules.add(self._rule_row(team_id, draft, now))
        self._known_teams.add(team_id)

    async def _team_currency(self, session: AsyncSession, team_id: str) -> str:
        team = await TeamRepo(session).get(team_id)
        return team.currency if team else self.settings.default_currency

    async def process_receipt(self, team_id: str, receipt_id: str) -> None:
        """Job handler; implemented by the receipt use cases."""
        raise NotImplementedError

    async def _audit_row(self, session: AsyncSession, team_id: str, row: ReceiptRow) -> AuditReport:
        if row.fields is None:
            raise Conflict(self._not_ready(row))
        fields = ExtractedFields.model_validate(row.fields)
        rules = [rule_from_row(r) for r in await RuleRepo(session, team_id).list(enabled_only=True)]
        raw_text = mask_card_numbers(OcrResult.model_validate(row.ocr).text()) if row.ocr else None
        history = await self._history(session, team_id, rules, exclude=row.id)
        context = await self._rule_context(session, team_id, row=row, raw_text=raw_text, history=history)
        report = await audit_async(row.id, rules, fields, context)
        await AuditRepo(session, team_id).add(
            AuditRow(
                id=new_id("aud"), team_id=team_id, receipt_id=row.id, decision=report.decision,
                report=report.model_dump(mode="json"), created_at=report.created_at,
            )
        )  # fmt: skip
        return report

    async def _rule_context(
        self,
        session: AsyncSession,
        team_id: str,
        *,
        row: ReceiptRow | None = None,
        raw_text: str | None = None,
        history: Sequence[HistoricReceipt] = (),
    ) -> RuleContext:
        """The context rules run in: team currency, history, and what this deployment lets rules do."""
        return RuleContext(
            team_currency=await self._team_currency(session, team_id),
            now=self._clock(),
            submitted_at=row.created_at if row is not None else None,
            receipt_id=row.id if row is not None else None,
            sha256=row.sha256 if row is not None else None,
            history=history,
            raw_text=raw_text,
            allow_python=self.settings.rules.allow_python,
            sandbox=self._sandbox_pool(),
            llm_model=self._llm_model,
            llm_timeout_s=self.settings.rules.llm_timeout_seconds,
        )

    async def _history(
        self, session: AsyncSession, team_id: str, rules: Sequence[Rule], *, exclude: str | None = None
    ) -> Sequence[HistoricReceipt]:
        """The team's past receipts, indexed, when an enabled rule reads history; otherwise nothing."""
        if not any(reads_history(rule.spec) for rule in rules):
            return ()
        return HistoryIndex(await self._historic_receipts(session, team_id, exclude=exclude)).view()

    async def _historic_receipts(
        self, session: AsyncSession, team_id: str, *, since: dt.datetime | None = None, exclude: str | None = None
    ) -> list[HistoricReceipt]:
        window = self._clock() - dt.timedelta(days=self.settings.rules.history_days)
        rows = await ReceiptRepo(session, team_id).completed(
            since=max(since, window) if since is not None else window,
            limit=self.settings.rules.history_limit,
            exclude=exclude,
        )
        return [
            HistoricReceipt(
                receipt_id=rid, fields=ExtractedFields.model_validate(fields), sha256=sha, submitted_at=created
            )
            for rid, sha, created, fields in rows
        ]

    def _sandbox_pool(self) -> SandboxPool | None:
        """The warm Python-rule workers, started on first use (only when Python rules are allowed)."""
        if not self.settings.rules.allow_python:
            return None
        if self._sandbox is None:
            limits = self.settings.rules
            self._sandbox = SandboxPool(
                size=limits.sandbox_workers,
                cpu_seconds=limits.sandbox_cpu_seconds,
                wall_seconds=limits.sandbox_wall_seconds,
                memory_bytes=limits.sandbox_memory_mb * 1024 * 1024,
            )
        return self._sandbox

    @staticmethod
    def _not_ready(row: ReceiptRow) -> str:
        if row.status == ReceiptStatus.FAILED.value:
            return f"Receipt {row.id} failed ({row.error_code}): {row.error_message} Use reprocess_receipt to retry."
        return f"Receipt {row.id} is {row.status}; its fields are not extracted yet. Try again when it is completed."

    @staticmethod
    def _rule_row(team_id: str, draft: RuleDraft, now: dt.datetime) -> RuleRow:
        return RuleRow(
            id=new_id("rul"), team_id=team_id, name=draft.name, enabled=draft.enabled, severity=draft.severity,
            action=draft.action, version=1, spec=draft.model_dump(mode="json")["spec"], created_at=now, updated_at=now,
        )  # fmt: skip

    async def _view(self, session: AsyncSession, row: ReceiptRow) -> ReceiptView:
        latest = await AuditRepo(session, row.team_id).latest(row.id)
        report = AuditReport.model_validate(latest.report) if latest is not None else None
        return receipt_view(row, report, await LlmCallRepo(session, row.team_id).latest(row.id))
