"""Usage: what a team has this month (receipts by status), and its rules and keys."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from numzy_mcp.receipts import ReceiptStatus
from numzy_mcp.service.base import ServiceBase
from numzy_mcp.storage.repositories import ApiKeyRepo, RuleRepo, receipt_counts


class Usage(BaseModel):
    """A team's usage for one calendar month (UTC) and its current configuration."""

    team_id: str
    month: str = Field(description="The calendar month counted, YYYY-MM (UTC).")
    receipts_this_month: int = Field(description="Receipts uploaded this month.")
    receipts_by_status: dict[ReceiptStatus, int] = Field(description="This month's receipts per processing status.")
    receipts_total: int = Field(description="Receipts stored, all time.")
    rules: int = Field(description="Audit rules of the team.")
    rules_enabled: int = Field(description="Rules that run on new receipts.")
    api_keys_active: int = Field(description="API keys not revoked.")


class UsageUseCases(ServiceBase):
    """Counts for the usage view."""

    async def get_usage(self, team_id: str) -> Usage:
        """This month's receipts by status, all-time receipts, rules and active keys."""
        await self._ensure_team(team_id)
        now = self._clock().astimezone(dt.UTC)
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        async with self._sessions() as session:
            by_status, total = await receipt_counts(session, team_id, start)
            rules = await RuleRepo(session, team_id).list()
            keys = await ApiKeyRepo(session).count_active(team_id)
        counts = {status: int(by_status.get(status.value, 0)) for status in ReceiptStatus}
        return Usage(
            team_id=team_id, month=start.strftime("%Y-%m"), receipts_this_month=sum(counts.values()),
            receipts_by_status=counts, receipts_total=total, rules=len(rules),
            rules_enabled=sum(1 for rule in rules if rule.enabled), api_keys_active=keys,
        )  # fmt: skip
