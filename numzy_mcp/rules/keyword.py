"""``keyword``: words or phrases in the merchant name or item text.

JSON: ``{"type": "keyword", "field": "merchant_or_items", "words": ["casino", "bar"], "match": "any"}``.
Matching is case-insensitive and on whole words ("bar" does not match "barber").
"""

from __future__ import annotations

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.conditions import KeywordCondition


class KeywordSpec(KeywordCondition):
    """Flag a receipt whose merchant and/or items mention any (or all) of ``words``."""

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look for the words; skipped when the receipt has no text to look in."""
        return self.evaluate(receipt, ctx)
