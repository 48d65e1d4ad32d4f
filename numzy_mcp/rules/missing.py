"""``missing``: fires when fields extraction should have found are missing.

JSON: ``{"type": "missing", "fields": ["total", "date"], "match": "any"}``. Unlike every other rule
type it is never skipped for missing fields: they are what it looks for.
"""

from __future__ import annotations

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.conditions import MissingCondition


class MissingSpec(MissingCondition):
    """Flag a receipt missing any (or all) of ``fields``."""

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Report which of the fields are missing."""
        return self.evaluate(receipt, ctx)
