"""Repositories: every query is scoped to one team. Sessions and transactions belong to the caller."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from numzy_mcp.errors import InvalidInput, NotFound
from numzy_mcp.storage.tables import AuditRow, ReceiptRow, RuleRow, TeamRow
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
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, receipt_id = json.loads(raw)
        return dt.datetime.fromisoformat(created), str(receipt_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
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
            raise NotFound(f"No receipt has id {receipt_id!r} in this team. Use list_receipts to see receipt ids.")
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

    async def delete(self, receipt_id: str) -> None:
        """Delete a receipt and its audits."""
        await self.session.execute(
            delete(AuditRow).where(AuditRow.team_id == self.team_id, AuditRow.receipt_id == receipt_id)
        )
        await self.session.execute(
            delete(ReceiptRow).where(ReceiptRow.team_id == self.team_id, ReceiptRow.id == receipt_id)
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
            raise NotFound(f"No rule has id {rule_id!r} in this team. Use list_rules to see rule ids.")
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
