"""Usage: what a team has this month (receipts by status, model tokens and cost), and its rules and keys."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from numzy_mcp.receipts import DecimalStr, ReceiptStatus
from numzy_mcp.service.base import ServiceBase
from numzy_mcp.storage.llm_calls import LlmCallRepo
from numzy_mcp.storage.repositories import ApiKeyRepo, RuleRepo, receipt_counts


class LlmUsageSummary(BaseModel):
    """Language-model calls made this month to extract receipts, and what they cost."""

    calls: int = Field(description="Extraction calls made (including those whose answer was not used).")
    fallbacks: int = Field(description="Calls whose answer was not used: the offline fields were kept.")
    input_tokens: int
    output_tokens: int
    cost_usd: DecimalStr = Field(description="Exact cost in USD of the priced calls, from the price table.")
    unpriced_calls: int = Field(description="Calls to a model without a price in the table (not in cost_usd).")


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
    llm: LlmUsageSummary = Field(description="This month's model calls for extraction: tokens and cost.")


class UsageUseCases(ServiceBase):
    """Counts for the usage view."""

    async def get_usage(self, team_id: str) -> Usage:
        """This month's receipts by status and model spend, all-time receipts, rules and active keys."""
        await self._ensure_team(team_id)
        now = self._clock().astimezone(dt.UTC)
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        async with self._sessions() as session:
            by_status, total = await receipt_counts(session, team_id, start)
            rules = await RuleRepo(session, team_id).list()
            keys = await ApiKeyRepo(session).count_active(team_id)
            spend = await LlmCallRepo(session, team_id).spend(start)
        counts = {status: int(by_status.get(status.value, 0)) for status in ReceiptStatus}
        return Usage(
            team_id=team_id, month=start.strftime("%Y-%m"), receipts_this_month=sum(counts.values()),
            receipts_by_status=counts, receipts_total=total, rules=len(rules),
            rules_enabled=sum(1 for rule in rules if rule.enabled), api_keys_active=keys,
            llm=LlmUsageSummary(
                calls=spend.calls, fallbacks=spend.fallbacks, input_tokens=spend.input_tokens,
                output_tokens=spend.output_tokens, cost_usd=spend.cost_usd, unpriced_calls=spend.unpriced_calls,
            ),
        )  # fmt: skip
