"""``all`` / ``any`` / ``not``: combine other rule specs (of any type, nested as deep as needed).

JSON: ``{"type": "all", "rules": [{"type": "threshold", ...}, {"type": "time", ...}]}`` and
``{"type": "not", "rule": {...}}``. A sub-rule that cannot decide (missing field) leaves the
composite undecided unless another sub-rule settles it (see ``numzy_mcp.rules.check``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check, all_of, any_of, describe_group, negate

if TYPE_CHECKING:
    from numzy_mcp.rules.spec import RuleSpec


class _Composite(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _nested(spec: RuleSpec, negated: bool) -> str:
    phrase = spec.describe(negated)
    grouped = isinstance(spec, AllSpec | AnySpec) and len(spec.rules) > 1
    return f"({phrase})" if grouped else phrase


class AllSpec(_Composite):
    """Flag a receipt when every sub-rule would flag it."""

    type: Literal["all"] = "all"
    rules: list[RuleSpec] = Field(min_length=1, description="At least one rule spec.")

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Kleene AND of the sub-rules."""
        return all_of([spec.check(receipt, ctx) for spec in self.rules])

    def describe(self, negated: bool = False) -> str:
        """Sub-phrases joined with "and" ("or" when negated)."""
        return describe_group([_nested(spec, negated) for spec in self.rules], "or" if negated else "and")


class AnySpec(_Composite):
    """Flag a receipt when at least one sub-rule would flag it."""

    type: Literal["any"] = "any"
    rules: list[RuleSpec] = Field(min_length=1, description="At least one rule spec.")

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Kleene OR of the sub-rules."""
        return any_of([spec.check(receipt, ctx) for spec in self.rules])

    def describe(self, negated: bool = False) -> str:
        """Sub-phrases joined with "or" ("and" when negated)."""
        return describe_group([_nested(spec, negated) for spec in self.rules], "and" if negated else "or")


class NotSpec(_Composite):
    """Flag a receipt when the sub-rule would not flag it."""

    type: Literal["not"] = "not"
    rule: RuleSpec

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """The sub-rule, negated (undecided stays undecided)."""
        return negate(self.rule.check(receipt, ctx))

    def describe(self, negated: bool = False) -> str:
        """The sub-rule's phrase, negated."""
        return self.rule.describe(not negated)
