"""``time``: when the purchase was made (weekdays and/or hour ranges).

JSON: ``{"type": "time", "weekdays": ["saturday", "sunday"], "hours": [{"start": 22, "end": 5}]}``.
Both given means both must hold. Hours run 0–23 with both ends included; 22–5 wraps past midnight.
The module is not called ``time`` so it never shadows the standard library.
"""

from __future__ import annotations

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.conditions import TimeCondition


class TimeSpec(TimeCondition):
    """Flag a receipt made on one of ``weekdays`` and/or within one of ``hours``."""

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Check day and hour; skipped when the date (or time) it needs is missing."""
        return self.evaluate(receipt, ctx)
