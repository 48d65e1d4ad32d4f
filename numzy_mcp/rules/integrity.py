"""``integrity``: the receipt adds up, and the fields a receipt must have are there.

JSON: ``{"type": "integrity", "tolerance": "0.05", "required": ["merchant", "date", "total"]}``.

The sum check: the base is the sum of item amounts (discount lines are negative items, so they are
subtracted), or the subtotal when no item has an amount. The receipt adds up when
``base + tax + tip`` is within ``tolerance`` of the total, or ``base + tip`` is (prices that already
include tax, as VAT receipts print them). A missing tax or tip counts as zero. The rule fires when the
sum is off by more than ``tolerance`` or any ``required`` field is missing; with neither items nor
subtotal nor total the sum check cannot be made and only the required fields decide.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead, RuleContext
from numzy_mcp.rules.check import Check, any_of
from numzy_mcp.rules.conditions import MissingCondition
from numzy_mcp.rules.fields import field_read, format_amount

_ZERO = Decimal(0)


class IntegritySpec(BaseModel):
    """Flag a receipt whose items, tax and tip do not add up to its total, or that lacks required fields."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["integrity"] = "integrity"
    tolerance: Decimal = Field(default=Decimal("0.05"), ge=0, allow_inf_nan=False, description="Largest gap allowed.")
    check_sum: bool = Field(default=True, description="Check items + tax + tip − discounts against the total.")
    required: list[str] = Field(default_factory=list, description="Fields that must be present (see missing).")

    @field_validator("required")
    @classmethod
    def _check_required(cls, required: list[str]) -> list[str]:
        if required:
            MissingCondition(fields=required)  # same validation and message as the missing rule
        return list(dict.fromkeys(required))

    def _sum_check(self, receipt: ExtractedFields) -> Check:
        amounts = [item.amount for item in receipt.items if item.amount is not None]
        base = sum(amounts, _ZERO) if amounts else receipt.subtotal
        reads: tuple[FieldRead, ...] = (
            FieldRead(field="items_sum", value=None if not amounts else format_amount(sum(amounts, _ZERO))),
            field_read(receipt, "subtotal"),
            field_read(receipt, "tax"),
            field_read(receipt, "tip"),
            field_read(receipt, "total"),
        )
        if base is None or receipt.total is None:
            return Check(None, "the receipt has no items with amounts, subtotal or total to add up", reads)
        tax, tip = receipt.tax or _ZERO, receipt.tip or _ZERO
        expected = base + tax + tip
        gap = abs(expected - receipt.total)
        inclusive_gap = abs(base + tip - receipt.total)
        unit = receipt.currency
        if gap <= self.tolerance or inclusive_gap <= self.tolerance:
            return Check(False, f"the amounts add up to the total {format_amount(receipt.total, unit)}", reads)
        source = "items" if amounts else "subtotal"
        return Check(
            True,
            f"{source} {format_amount(base, unit)} + tax {format_amount(tax)} + tip {format_amount(tip)} = "
            f"{format_amount(expected, unit)}, off the total {format_amount(receipt.total, unit)} by "
            f"{format_amount(gap)} (tolerance {format_amount(self.tolerance)})",
            reads,
        )

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Fires when the sum is off or a required field is missing."""
        checks: list[Check] = []
        if self.check_sum:
            checks.append(self._sum_check(receipt))
        if self.required:
            checks.append(MissingCondition(fields=self.required).evaluate(receipt, ctx))
        if not checks:
            return Check(False, "the rule checks nothing (check_sum is off and no field is required)")
        return any_of(checks)

    def describe(self, negated: bool = False) -> str:
        """``whose amounts do not add up to the total (tolerance 0.05)``."""
        parts: list[str] = []
        if self.check_sum:
            parts.append(f"whose amounts {'add' if negated else 'do not add'} up (tolerance {self.tolerance})")
        if self.required:
            parts.append(MissingCondition(fields=self.required).describe(negated))
        return (" and " if negated else " or ").join(parts) or "never"
