"""``category``: the receipt's category is in (or not in) a list.

JSON: ``{"type": "category", "operator": "in", "categories": ["alcohol", "events"]}``. Categories are
those of ``numzy_mcp.receipts.CATEGORIES``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from numzy_mcp.receipts import CATEGORIES, Category, ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.conditions import MembershipCondition
from numzy_mcp.rules.leaf_text import membership


class CategorySpec(BaseModel):
    """Flag a receipt whose category is ``in`` (or ``not_in``) ``categories``."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["category"] = "category"
    operator: Literal["in", "not_in"] = "in"
    categories: list[Category] = Field(description="At least one category.")

    @field_validator("categories")
    @classmethod
    def _not_empty(cls, categories: list[Category]) -> list[Category]:
        if not categories:
            raise ValueError(f"categories must list at least one of: {', '.join(CATEGORIES)}")
        return list(dict.fromkeys(categories))

    def condition(self) -> MembershipCondition:
        """The shared membership condition this rule runs."""
        return membership("category", self.operator, tuple(self.categories))

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look the category up; skipped when the receipt has none."""
        return self.condition().evaluate(receipt, ctx)

    def describe(self, negated: bool = False) -> str:
        """``whose category is alcohol or events``."""
        return self.condition().describe(negated)
