"""``all`` / ``any`` / ``not``: combine other rule specs (of any type, nested as deep as needed).

JSON: ``{"type": "all", "rules": [{"type": "threshold", ...}, {"type": "time", ...}]}`` and
``{"type": "not", "rule": {...}}``. Every declarative rule type can be nested; ``python`` and ``llm``
rules cannot (they run out of process) and are refused at save time. A sub-rule that cannot decide (missing field) leaves the
composite undecided unless another sub-rule settles it (see ``numzy_mcp.rules.check``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check, all_of, any_of, describe_group, negate
from numzy_mcp.rules.llm_judge import LlmSpec
from numzy_mcp.rules.python_rule import PythonSpec

if TYPE_CHECKING:
    from numzy_mcp.rules.spec import RuleSpec


ASYNC_TYPES = ("python", "llm")
"""Rule types that run outside the process (sandbox, model); they cannot be nested in a composite."""


def _check(spec: RuleSpec, receipt: ExtractedFields, ctx: RuleContext) -> Check:
    if isinstance(spec, PythonSpec | LlmSpec):  # refused at save time; kept out of the sync path
        raise TypeError(f"{spec.type} rules cannot be nested in all / any / not")
    return spec.check(receipt, ctx)


class _Composite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def _children(self) -> Sequence[RuleSpec]:
        return []

    @model_validator(mode="after")
    def _no_async_children(self) -> Self:
        for spec in self._children():
            if spec.type in ASYNC_TYPES:
                raise ValueError(
                    f"{spec.type} rules cannot be nested in all / any / not; save them as rules of their own"
                )
        return self


def _nested(spec: RuleSpec, negated: bool) -> str:
    phrase = spec.describe(negated)
    grouped = isinstance(spec, AllSpec | AnySpec) and len(spec.rules) > 1
    return f"({phrase})" if grouped else phrase


class AllSpec(_Composite):
    """Flag a receipt when every sub-rule would flag it."""

    type: Literal["all"] = "all"
    rules: list[RuleSpec] = Field(min_length=1, description="At least one rule spec.")

    def _children(self) -> Sequence[RuleSpec]:
        return self.rules

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Kleene AND of the sub-rules."""
        return all_of([_check(spec, receipt, ctx) for spec in self.rules])

    def describe(self, negated: bool = False) -> str:
        """Sub-phrases joined with "and" ("or" when negated)."""
        return describe_group([_nested(spec, negated) for spec in self.rules], "or" if negated else "and")


class AnySpec(_Composite):
    """Flag a receipt when at least one sub-rule would flag it."""

    type: Literal["any"] = "any"
    rules: list[RuleSpec] = Field(min_length=1, description="At least one rule spec.")

    def _children(self) -> Sequence[RuleSpec]:
        return self.rules

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Kleene OR of the sub-rules."""
        return any_of([_check(spec, receipt, ctx) for spec in self.rules])

    def describe(self, negated: bool = False) -> str:
        """Sub-phrases joined with "or" ("and" when negated)."""
        return describe_group([_nested(spec, negated) for spec in self.rules], "and" if negated else "or")


class NotSpec(_Composite):
    """Flag a receipt when the sub-rule would not flag it."""

    type: Literal["not"] = "not"
    rule: RuleSpec

    def _children(self) -> Sequence[RuleSpec]:
        return [self.rule]

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """The sub-rule, negated (undecided stays undecided)."""
        return negate(_check(self.rule, receipt, ctx))

    def describe(self, negated: bool = False) -> str:
        """The sub-rule's phrase, negated."""
        return self.rule.describe(not negated)
