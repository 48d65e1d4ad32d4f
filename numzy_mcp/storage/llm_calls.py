"""Language-model calls of one team: what each receipt's extraction cost, and the team's spend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from numzy_mcp.storage.tables import LlmCallRow


@dataclass(frozen=True, slots=True)
class LlmSpend:
    """Calls, tokens and cost summed over a period."""

    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    unpriced_calls: int
    fallbacks: int


class LlmCallRepo:
    """The team's model calls; rows outlive their receipt (``receipt_id`` is then NULL)."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self.session = session
        self.team_id = team_id

    async def add(self, row: LlmCallRow) -> None:
        """Record one call."""
        assert row.team_id == self.team_id
        self.session.add(row)
        await self.session.flush()

    async def latest(self, receipt_id: str) -> LlmCallRow | None:
        """The newest call made for the receipt, or None when no model ever read it."""
        query = (
            select(LlmCallRow)
            .where(LlmCallRow.team_id == self.team_id, LlmCallRow.receipt_id == receipt_id)
            .order_by(LlmCallRow.created_at.desc(), LlmCallRow.id.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def spend(self, since: dt.datetime) -> LlmSpend:
        """Calls made since ``since``: their number, tokens, exact cost, calls with no price, fallbacks."""
        query = select(
            func.count(),
            func.coalesce(func.sum(LlmCallRow.input_tokens), 0),
            func.coalesce(func.sum(LlmCallRow.output_tokens), 0),
            func.sum(LlmCallRow.cost_usd),
            func.count() - func.count(LlmCallRow.cost_usd),
            func.count(LlmCallRow.fallback_reason),
        ).where(LlmCallRow.team_id == self.team_id, LlmCallRow.created_at >= since)
        calls, input_tokens, output_tokens, cost, unpriced, fallbacks = (await self.session.execute(query)).one()
        return LlmSpend(
            calls=int(calls),
            input_tokens=int(input_tokens),
            output_tokens=int(output_tokens),
            cost_usd=cost if isinstance(cost, Decimal) else Decimal(0),
            unpriced_calls=int(unpriced),
            fallbacks=int(fallbacks),
        )
