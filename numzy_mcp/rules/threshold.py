"""``threshold``: compare an amount on the receipt with a limit (``total > 50`` in USD).

JSON: ``{"type": "threshold", "field": "total", "operator": ">", "value": "50", "currency": "USD"}``.
``field`` is a numeric receipt field (subtotal, tax, tax_rate, tip, total) or a derived measure
(``item_amount``: any item's amount; ``item_count``; ``tip_percent``: tip / subtotal %;
``tax_percent``: tax / total %), e.g. ``{"type": "threshold", "field": "tip_percent", "operator": ">",
"value": 20}``. ``value`` accepts a JSON number or a string and is kept as ``Decimal``; ``currency``
(optional, money fields and ``item_amount``) limits the rule to receipts in that currency, and other
receipts are skipped rather than compared.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.conditions import FieldCondition, Operator
from numzy_mcp.rules.fields import FIELD_KINDS, NUMERIC_FIELDS, normalise_currency
from numzy_mcp.rules.measures import MEASURES, MONEY_MEASURES, check_measure, describe_measure

THRESHOLD_FIELDS = (*NUMERIC_FIELDS, *MEASURES)


@lru_cache(maxsize=4096)
def _field_condition(field: str, operator: Operator, value: Decimal, currency: str | None) -> FieldCondition:
    """The (immutable in use) field condition of a threshold, built once per distinct configuration."""
    return FieldCondition(field=field, operator=operator, value=value, currency=currency)


class ThresholdSpec(BaseModel):
    """Flag a receipt whose amount ``field`` compares with ``value`` as ``operator`` says."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["threshold"] = "threshold"
    field: str = Field(
        default="total", description="The amount to compare.", json_schema_extra={"enum": list(THRESHOLD_FIELDS)}
    )
    operator: Operator = Field(default=">", description="How the amount compares with value.")
    value: Decimal = Field(
        allow_inf_nan=False,
        gt=Decimal("-1e15"),
        lt=Decimal("1e15"),
        description="The limit, a number (JSON number or string) between -10^15 and 10^15.",
    )
    currency: str | None = Field(
        default=None, description="Only receipts in this ISO 4217 currency; others are skipped."
    )

    @field_validator("field")
    @classmethod
    def _check_numeric_field(cls, field: str) -> str:
        allowed = ", ".join(THRESHOLD_FIELDS)
        if field in MEASURES:
            return field
        if field in FIELD_KINDS and field not in NUMERIC_FIELDS:
            raise ValueError(
                f"{field!r} is a {FIELD_KINDS[field]} field and cannot be compared with >, <, … ; thresholds compare "
                f"amounts ({allowed}); use a keyword, category or time rule instead"
            )
        if field not in NUMERIC_FIELDS:
            raise ValueError(f"unknown field {field!r}; threshold rules compare: {allowed}")
        return field

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, currency: str | None, info: ValidationInfo) -> str | None:
        field = info.data.get("field")
        money = field in MONEY_MEASURES or (field in FIELD_KINDS and FIELD_KINDS[field] == "money")
        if currency is not None and field is not None and not money:
            raise ValueError(
                f"currency applies only to money fields (subtotal, tax, tip, total, item_amount), not to {field!r}"
            )
        return None if currency is None else normalise_currency(currency)

    def condition(self) -> FieldCondition:
        """The shared field comparison this rule runs."""
        return _field_condition(self.field, self.operator, self.value, self.currency)

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Compare the amount; skipped when it is missing or in another currency."""
        if self.field not in MEASURES:
            return self.condition().evaluate(receipt, ctx)
        if self.currency is not None and receipt.currency != self.currency:
            seen = f"is in {receipt.currency}" if receipt.currency else "has no currency"
            return Check(None, f"the receipt {seen}, and this rule applies only to {self.currency}")
        return check_measure(self.field, self.operator, self.value, receipt, self.currency or receipt.currency)

    def describe(self, negated: bool = False) -> str:
        """``whose total is over the limit of 50.00 USD``."""
        if self.field in MEASURES:
            return describe_measure(self.field, self.operator, self.value, self.currency, negated)
        return self.condition().describe(negated)
