"""Repositories: every query is scoped to one team. Sessions and transactions belong to the caller."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Text, and_, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from numzy_mcp.errors import InvalidInput, NotFound
from numzy_mcp.storage.tables import (
    ApiKeyRow,
    AuditRow,
    EvaluationRow,
    PromptTemplateRow,
    ReceiptRow,
    RuleRow,
    StagedUploadRow,
    TeamRow,
)
from numzy_mcp.views import ReceiptFilters


class TeamRepo:
    """Teams (not team-scoped itself: it is where scopes come from)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, team_id: str) -> TeamRow | None:
        """The team, or None."""
        return await self.session.get(TeamRow, team_id)

    async def add(self, team_id: str, name: str, currency: str, now: dt.datetime) -> TeamRow:
        """Insert a team."""
        row = TeamRow(id=team_id, name=name, currency=currency, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return row


def encode_cursor(created_at: dt.datetime, receipt_id: str) -> str:
    """An opaque cursor for keyset pagination."""
    raw = json.dumps([created_at.isoformat(), receipt_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    """Decode a cursor from ``encode_cursor``; a bad one is ``InvalidInput``."""
    try:
        if len(cursor) > 200:
            raise ValueError("cursor too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, receipt_id = json.loads(raw)
        moment = dt.datetime.fromisoformat(created)
        if moment.tzinfo is None:
            raise ValueError("cursor time has no timezone")
        return moment, str(receipt_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidInput(
            "The cursor is not valid. Pass the next_cursor value from a previous page unchanged, or omit it."
        ) from error


class ReceiptRepo:
    """Receipts of one team."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    def _scoped(self) -> Select[ReceiptRow]:
        return select(ReceiptRow).where(ReceiptRow.team_id == self.team_id)

    async def get(self, receipt_id: str, *, for_update: bool = False) -> ReceiptRow:
        """The receipt; ``NotFound`` when it does not exist in this team."""
        query = self._scoped().where(ReceiptRow.id == receipt_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound(
                f"No receipt has id {receipt_id!r} in this team. List receipts (list_receipts over MCP, GET /receipts over REST) to see their ids."
            )
        return row

    async def by_sha256(self, sha256: str) -> ReceiptRow | None:
        """The receipt with these bytes, if this team uploaded them before."""
        query = self._scoped().where(ReceiptRow.sha256 == sha256)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, row: ReceiptRow) -> None:
        """Insert a receipt row (its team must be this repo's team)."""
        assert row.team_id == self.team_id
        self.session.add(row)
        await self.session.flush()

    async def list(
        self, filters: ReceiptFilters, cursor: str | None, limit: int
    ) -> tuple[list[ReceiptRow], str | None]:
        """A page of receipts, newest first, and the cursor of the next page."""
        query = self._scoped()
        conditions: list[Any] = []
        if filters.status is not None:
            conditions.append(ReceiptRow.status == filters.status.value)
        if filters.date_from is not None:
            conditions.append(ReceiptRow.receipt_date >= filters.date_from)
        if filters.date_to is not None:
            conditions.append(ReceiptRow.receipt_date <= filters.date_to)
        if filters.merchant:
            pattern = "%" + filters.merchant.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(func.lower(ReceiptRow.merchant).like(pattern, escape="\\"))
        if filters.min_total is not None:
            conditions.append(ReceiptRow.total >= filters.min_total)
        if filters.max_total is not None:
            conditions.append(ReceiptRow.total <= filters.max_total)
        if cursor:
            created, last_id = decode_cursor(cursor)
            conditions.append(
                or_(ReceiptRow.created_at < created, and_(ReceiptRow.created_at == created, ReceiptRow.id < last_id))
            )
        if conditions:
            query = query.where(and_(*conditions))
        query = query.order_by(ReceiptRow.created_at.desc(), ReceiptRow.id.desc()).limit(limit + 1)
        rows = list((await self.session.execute(query)).scalars())
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id)
        return rows, next_cursor

    async def completed(
        self, *, since: dt.datetime | None = None, limit: int = 20_000, exclude: str | None = None
    ) -> list[tuple[str, str, dt.datetime, dict[str, Any]]]:
        """(id, sha256, created_at, fields) of completed receipts, oldest first (the newest ``limit``).

        Plain columns, not ORM objects: history and dry-runs read thousands of rows at a time.
        """
        query = select(ReceiptRow.id, ReceiptRow.sha256, ReceiptRow.created_at, ReceiptRow.fields).where(
            ReceiptRow.team_id == self.team_id, ReceiptRow.status == "completed", ReceiptRow.fields.is_not(None)
        )
        if since is not None:
            query = query.where(ReceiptRow.created_at >= since)
        if exclude is not None:
            query = query.where(ReceiptRow.id != exclude)
        query = query.order_by(ReceiptRow.created_at.desc(), ReceiptRow.id.desc()).limit(limit)
        rows = [(rid, sha, created, fields or {}) for rid, sha, created, fields in await self.session.execute(query)]
        rows.reverse()
        return rows

    async def claim(self, receipt_id: str, now: dt.datetime) -> bool:
        """Move a pending receipt to processing; False when another worker has it or it is not pending."""
        result = await self.session.execute(
            update(ReceiptRow)
            .where(ReceiptRow.team_id == self.team_id, ReceiptRow.id == receipt_id, ReceiptRow.status == "pending")
            .values(status="processing", stage="starting", percent=0, attempts=ReceiptRow.attempts + 1, updated_at=now)
        )
        return getattr(result, "rowcount", 0) == 1

    async def set_progress(self, receipt_id: str, stage: str, percent: int, now: dt.datetime) -> None:
        """Record the stage and percent of a processing receipt."""
        await self.session.execute(
            update(ReceiptRow)
            .where(ReceiptRow.team_id == self.team_id, ReceiptRow.id == receipt_id, ReceiptRow.status == "processing")
            .values(stage=stage, percent=percent, updated_at=now)
        )

    async def delete(self, receipt_id: str) -> bool:
        """Delete a receipt and its audits unless it is being processed; False when nothing was deleted."""
        result = await self.session.execute(
            delete(ReceiptRow).where(
                ReceiptRow.team_id == self.team_id, ReceiptRow.id == receipt_id, ReceiptRow.status != "processing"
            )
        )
        if getattr(result, "rowcount", 0) != 1:
            return False
        await self.session.execute(
            delete(AuditRow).where(AuditRow.team_id == self.team_id, AuditRow.receipt_id == receipt_id)
        )
        return True

    async def requeue(self, receipt_id: str, now: dt.datetime, *, clear_ocr: bool) -> bool:
        """Put a completed or failed receipt back in the queue; False when it is pending, processing or absent."""
        values: dict[str, Any] = {
            "status": "pending", "stage": "queued", "percent": 0, "attempts": 0,
            "error_code": None, "error_message": None, "updated_at": now,
        }  # fmt: skip
        if clear_ocr:
            values["ocr"] = None
        result = await self.session.execute(
            update(ReceiptRow)
            .where(
                ReceiptRow.team_id == self.team_id,
                ReceiptRow.id == receipt_id,
                ReceiptRow.status.in_(("completed", "failed")),
            )
            .values(**values)
        )
        return getattr(result, "rowcount", 0) == 1

    async def set_state(self, receipt_id: str, now: dt.datetime, *, status: str, stage: str, **errors: str) -> None:
        """Set the status and stage (and ``error_code``/``error_message``); a no-op for a deleted receipt."""
        await self.session.execute(
            update(ReceiptRow)
            .where(ReceiptRow.team_id == self.team_id, ReceiptRow.id == receipt_id)
            .values(status=status, stage=stage, updated_at=now, **errors)
        )


async def requeue_unfinished(session: AsyncSession, now: dt.datetime) -> list[tuple[str, str]]:
    """At start-up: put receipts left ``processing`` back to ``pending``; return all (team, id) pending, oldest first."""
    await session.execute(
        update(ReceiptRow)
        .where(ReceiptRow.status == "processing")
        .values(status="pending", stage="queued", percent=0, updated_at=now)
    )
    rows = await session.execute(
        select(ReceiptRow.team_id, ReceiptRow.id).where(ReceiptRow.status == "pending").order_by(ReceiptRow.created_at)
    )
    return [(team, rid) for team, rid in rows]


class RuleRepo:
    """Audit rules of one team, in their evaluation order."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def list(self, *, enabled_only: bool = False) -> Sequence[RuleRow]:
        """The team's rules in evaluation order."""
        query = select(RuleRow).where(RuleRow.team_id == self.team_id)
        if enabled_only:
            query = query.where(RuleRow.enabled.is_(True))
        query = query.order_by(RuleRow.position, RuleRow.created_at, RuleRow.id)
        return list((await self.session.execute(query)).scalars())

    async def get(self, rule_id: str) -> RuleRow:
        """The rule; ``NotFound`` when it does not exist in this team."""
        row = (
            await self.session.execute(select(RuleRow).where(RuleRow.team_id == self.team_id, RuleRow.id == rule_id))
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(
                f"No rule has id {rule_id!r} in this team. List rules (list_rules over MCP, GET /audit_rules over REST) to see their ids."
            )
        return row

    async def add(self, row: RuleRow) -> None:
        """Insert a rule at the end of the order."""
        assert row.team_id == self.team_id
        last = await self.session.scalar(select(func.max(RuleRow.position)).where(RuleRow.team_id == self.team_id))
        row.position = (last or 0) + 1
        self.session.add(row)
        await self.session.flush()

    async def delete(self, rule_id: str) -> None:
        """Delete a rule (``NotFound`` if absent)."""
        row = await self.get(rule_id)
        await self.session.delete(row)


class AuditRepo:
    """Audit reports of one team."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def add(self, row: AuditRow) -> None:
        """Store an audit."""
        assert row.team_id == self.team_id
        self.session.add(row)
        await self.session.flush()

    async def latest(self, receipt_id: str) -> AuditRow | None:
        """The newest audit of a receipt."""
        query = (
            select(AuditRow)
            .where(AuditRow.team_id == self.team_id, AuditRow.receipt_id == receipt_id)
            .order_by(AuditRow.created_at.desc(), AuditRow.id.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def latest_decisions(self, receipt_ids: Sequence[str]) -> dict[str, str]:
        """Receipt id → decision of its newest audit."""
        if not receipt_ids:
            return {}
        newest = (
            select(AuditRow.receipt_id, func.max(AuditRow.created_at).label("created_at"))
            .where(AuditRow.team_id == self.team_id, AuditRow.receipt_id.in_(receipt_ids))
            .group_by(AuditRow.receipt_id)
            .subquery()
        )
        query = select(AuditRow.receipt_id, AuditRow.decision).join(
            newest, and_(AuditRow.receipt_id == newest.c.receipt_id, AuditRow.created_at == newest.c.created_at)
        )
        return dict((await self.session.execute(query)).all())  # pyright: ignore[reportArgumentType]


class ReceiptSearchRepo:
    """Text search over one team's receipts: merchant names and OCR text."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def candidates(self, query: str, after: tuple[dt.datetime, str] | None, batch: int) -> list[ReceiptRow]:
        """Receipts, newest first, whose merchant or stored OCR JSON contains ``query`` (any case).

        A superset: the caller confirms each match on the decoded OCR lines (the JSON also holds keys and
        escaped characters). Non-ASCII queries cannot be pre-filtered in the JSON text and scan every receipt.
        """
        pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        text_match: Any = (
            func.lower(cast(ReceiptRow.ocr, Text)).like(pattern, escape="\\")
            if query.isascii()
            else ReceiptRow.ocr.is_not(None)
        )
        conditions: list[Any] = [
            or_(func.lower(ReceiptRow.merchant).like(pattern, escape="\\"), text_match),
        ]
        if after is not None:
            created, last_id = after
            conditions.append(
                or_(ReceiptRow.created_at < created, and_(ReceiptRow.created_at == created, ReceiptRow.id < last_id))
            )
        query_ = (
            select(ReceiptRow)
            .where(ReceiptRow.team_id == self.team_id, *conditions)
            .order_by(ReceiptRow.created_at.desc(), ReceiptRow.id.desc())
            .limit(batch)
        )
        return list((await self.session.execute(query_)).scalars())


class ApiKeyRepo:
    """API keys. ``by_secret_hash`` is not team-scoped: it is how a caller's team is found."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: ApiKeyRow) -> None:
        """Insert a key."""
        self.session.add(row)
        await self.session.flush()

    async def by_secret_hash(self, secret_sha256: str) -> ApiKeyRow | None:
        """The key whose secret hashes to this, revoked or not."""
        query = select(ApiKeyRow).where(ApiKeyRow.secret_sha256 == secret_sha256)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list(self, team_id: str) -> Sequence[ApiKeyRow]:
        """A team's keys, oldest first."""
        query = select(ApiKeyRow).where(ApiKeyRow.team_id == team_id).order_by(ApiKeyRow.created_at, ApiKeyRow.id)
        return list((await self.session.execute(query)).scalars())

    async def get(self, team_id: str, key_id: str) -> ApiKeyRow:
        """The key; ``NotFound`` when it is not one of the team's."""
        query = select(ApiKeyRow).where(ApiKeyRow.team_id == team_id, ApiKeyRow.id == key_id)
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"No API key has id {key_id!r} in this team. Use `numzy keys list` to see key ids.")
        return row

    async def count_active(self, team_id: str) -> int:
        """How many of the team's keys are not revoked."""
        query = select(func.count()).where(ApiKeyRow.team_id == team_id, ApiKeyRow.revoked_at.is_(None))
        return int(await self.session.scalar(query) or 0)


class PromptTemplateRepo:
    """Saved versions of one team's prompt templates."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def latest(self, name: str) -> PromptTemplateRow | None:
        """The newest saved version of a template, if the team saved one."""
        query = (
            select(PromptTemplateRow)
            .where(PromptTemplateRow.team_id == self.team_id, PromptTemplateRow.name == name)
            .order_by(PromptTemplateRow.version.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def version(self, name: str, version: int) -> PromptTemplateRow | None:
        """One saved version."""
        query = select(PromptTemplateRow).where(
            PromptTemplateRow.team_id == self.team_id,
            PromptTemplateRow.name == name,
            PromptTemplateRow.version == version,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def latest_all(self) -> dict[str, PromptTemplateRow]:
        """Template name → its newest saved version."""
        query = select(PromptTemplateRow).where(PromptTemplateRow.team_id == self.team_id)
        newest: dict[str, PromptTemplateRow] = {}
        for row in (await self.session.execute(query)).scalars():
            if row.name not in newest or row.version > newest[row.name].version:
                newest[row.name] = row
        return newest

    async def add(self, row: PromptTemplateRow) -> None:
        """Insert a version."""
        assert row.team_id == self.team_id
        self.session.add(row)
        await self.session.flush()


class StagedUploadRepo:
    """Files staged through ``POST /uploads`` for one team."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def add(self, row: StagedUploadRow) -> None:
        """Insert a staged upload."""
        assert row.team_id == self.team_id
        self.session.add(row)
        await self.session.flush()

    async def get(self, upload_id: str, now: dt.datetime) -> StagedUploadRow:
        """The staged upload; ``NotFound`` when unknown, another team's, or expired."""
        query = select(StagedUploadRow).where(
            StagedUploadRow.team_id == self.team_id, StagedUploadRow.id == upload_id, StagedUploadRow.expires_at > now
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound(
                f"No staged upload has id {upload_id!r} (unknown or expired). "
                "POST the file to /uploads again and pass the new upload_id."
            )
        return row


async def pop_expired_uploads(session: AsyncSession, now: dt.datetime) -> list[str]:
    """Delete every expired staged upload (all teams); return their blob keys for removal."""
    rows = await session.execute(select(StagedUploadRow.blob_key).where(StagedUploadRow.expires_at <= now))
    keys = [key for (key,) in rows]
    if keys:
        await session.execute(delete(StagedUploadRow).where(StagedUploadRow.expires_at <= now))
    return keys


async def receipt_counts(session: AsyncSession, team_id: str, since: dt.datetime) -> tuple[dict[str, int], int]:
    """Receipts created since ``since`` per status, and the team's receipts of all time."""
    rows = await session.execute(
        select(ReceiptRow.status, func.count())
        .where(ReceiptRow.team_id == team_id, ReceiptRow.created_at >= since)
        .group_by(ReceiptRow.status)
    )
    total = await session.scalar(select(func.count()).where(ReceiptRow.team_id == team_id))
    return {str(status): int(count) for status, count in rows.all()}, int(total or 0)


class EvaluationRepo:
    """Stored evaluation runs of one team."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def add(self, row: EvaluationRow) -> None:
        """Store a run."""
        assert row.team_id == self.team_id
        self.session.add(row)
        await self.session.flush()

    async def get(self, evaluation_id: str) -> EvaluationRow:
        """One run; ``NotFound`` when it is not this team's."""
        query = select(EvaluationRow).where(EvaluationRow.team_id == self.team_id, EvaluationRow.id == evaluation_id)
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"No evaluation has id {evaluation_id!r} in this team. Use list_evaluations to see ids.")
        return row

    async def list(self, limit: int = 20) -> list[EvaluationRow]:
        """The newest runs first."""
        query = (
            select(EvaluationRow)
            .where(EvaluationRow.team_id == self.team_id)
            .order_by(EvaluationRow.created_at.desc(), EvaluationRow.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())
