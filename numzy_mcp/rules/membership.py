"""``payment_method`` and ``currency``: the receipt's payment method or currency is in (or not in) a list.

JSON: ``{"type": "payment_method", "operator": "in", "methods": ["cash"]}`` and
``{"type": "currency", "operator": "not_in", "currencies": ["USD", "EUR"]}``. Like ``category`` they
wrap the shared ``membership`` condition; a receipt without the field is skipped.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from numzy_mcp.receipts import ExtractedFields, PaymentMethod
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.conditions import MembershipCondition
from numzy_mcp.rules.fields import normalise_currency
from numzy_mcp.rules.leaf_text import membership


class PaymentMethodSpec(BaseModel):
    """Flag a receipt paid with a method ``in`` (or ``not_in``) ``methods`` (card, cash, other)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["payment_method"] = "payment_method"
    operator: Literal["in", "not_in"] = "in"
    methods: list[PaymentMethod] = Field(min_length=1, description="At least one of card, cash, other.")

    def condition(self) -> MembershipCondition:
        """The shared membership condition this rule runs."""
        return membership("payment_method", self.operator, tuple(self.methods))

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look the payment method up; skipped when the receipt has none."""
        return self.condition().evaluate(receipt, ctx)

    def describe(self, negated: bool = False) -> str:
        """``whose payment method is cash``."""
        return self.condition().describe(negated)


class CurrencySpec(BaseModel):
    """Flag a receipt whose currency is ``in`` (or ``not_in``) ``currencies`` (ISO 4217 codes)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["currency"] = "currency"
    operator: Literal["in", "not_in"] = "in"
    currencies: list[str] = Field(min_length=1, description="At least one ISO 4217 code such as USD.")

    @field_validator("currencies")
    @classmethod
    def _check_codes(cls, currencies: list[str]) -> list[str]:
        return list(dict.fromkeys(normalise_currency(code) for code in currencies))

    def condition(self) -> MembershipCondition:
        """The shared membership condition this rule runs."""
        return membership("currency", self.operator, tuple(self.currencies))

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look the currency up; skipped when the receipt has none."""
        return self.condition().evaluate(receipt, ctx)

    def describe(self, negated: bool = False) -> str:
        """``whose currency is neither USD nor EUR``."""
        return self.condition().describe(negated)
