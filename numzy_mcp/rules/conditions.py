"""The declarative condition tree most rule types share.

Leaves test one thing on a receipt: ``field`` (compare a field with a value), ``keyword`` (words in
the merchant name or item text), ``membership`` (a field's value in / not in a list), ``time``
(weekday and hour of the purchase) and ``missing`` (fields extraction did not find). Nodes combine
them: ``all``, ``any``, ``not``. Every condition validates itself when it is built (so a bad rule is
refused at save time), evaluates to a ``Check``, and describes itself as an English phrase that
completes "Flags receipts …".

A rule type either wraps one condition (``threshold`` wraps ``field``) or implements ``check``
itself; either way it is one module plus one member of ``RuleSpec``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check, all_of, any_of, describe_group, negate
from numzy_mcp.rules.leaf_field import (
    ConditionBase,
    FieldCondition,
    MatchMode,
    Operator,
    allowed_operators,
    compare,
    operator_words,
)
from numzy_mcp.rules.leaf_text import MEMBERSHIP_FIELDS, KeywordCondition, KeywordField, MembershipCondition
from numzy_mcp.rules.leaf_time import HourRange, MissingCondition, TimeCondition, Weekday

__all__ = [
    "MEMBERSHIP_FIELDS",
    "AllCondition",
    "AnyCondition",
    "Condition",
    "ConditionBase",
    "FieldCondition",
    "HourRange",
    "KeywordCondition",
    "KeywordField",
    "MatchMode",
    "MembershipCondition",
    "MissingCondition",
    "NotCondition",
    "Operator",
    "TimeCondition",
    "Weekday",
    "allowed_operators",
    "compare",
    "operator_words",
]


class AllCondition(ConditionBase):
    """Holds when every sub-condition holds."""

    type: Literal["all"] = "all"
    conditions: list[Condition] = Field(min_length=1)

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Kleene AND of the sub-conditions."""
        return all_of([condition.evaluate(receipt, ctx) for condition in self.conditions])

    def describe(self, negated: bool = False) -> str:
        """Sub-phrases joined with "and" ("or" when negated, by De Morgan)."""
        return describe_group([_nested(c, negated) for c in self.conditions], "or" if negated else "and")


class AnyCondition(ConditionBase):
    """Holds when at least one sub-condition holds."""

    type: Literal["any"] = "any"
    conditions: list[Condition] = Field(min_length=1)

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Kleene OR of the sub-conditions."""
        return any_of([condition.evaluate(receipt, ctx) for condition in self.conditions])

    def describe(self, negated: bool = False) -> str:
        """Sub-phrases joined with "or" ("and" when negated, by De Morgan)."""
        return describe_group([_nested(c, negated) for c in self.conditions], "and" if negated else "or")


class NotCondition(ConditionBase):
    """Holds when the sub-condition does not (and is undecided when it is undecided)."""

    type: Literal["not"] = "not"
    condition: Condition

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """The negated sub-condition."""
        return negate(self.condition.evaluate(receipt, ctx))

    def describe(self, negated: bool = False) -> str:
        """The sub-condition's phrase, negated."""
        return self.condition.describe(not negated)


def _nested(condition: Condition, negated: bool) -> str:
    phrase = condition.describe(negated)
    grouped = isinstance(condition, AllCondition | AnyCondition) and len(condition.conditions) > 1
    return f"({phrase})" if grouped else phrase


Condition = Annotated[
    FieldCondition
    | KeywordCondition
    | MembershipCondition
    | TimeCondition
    | MissingCondition
    | AllCondition
    | AnyCondition
    | NotCondition,
    Field(discriminator="type"),
]
"""Any node of the condition tree, told apart by ``type``."""

for _model in (AllCondition, AnyCondition, NotCondition):
    _model.model_rebuild()
