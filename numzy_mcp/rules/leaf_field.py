"""Leaf condition ``field``: compare one receipt field with a value, and the operator vocabulary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Literal, assert_never

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import FIELD_KINDS, field_read, format_amount, label, normalise_currency, read

Operator = Literal[">", ">=", "<", "<=", "==", "!="]
MatchMode = Literal["any", "all"]

_ORDERED_OPS: tuple[Operator, ...] = (">", ">=", "<", "<=", "==", "!=")
_EQUALITY_OPS: tuple[Operator, ...] = ("==", "!=")


class ConditionBase(BaseModel):
    """Base of every condition model: unknown keys are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


def allowed_operators(field: str) -> tuple[Operator, ...]:
    """The comparison operators ``field`` allows: all six for numbers, dates and times; == and != for text."""
    kind = FIELD_KINDS[field]
    return _EQUALITY_OPS if kind == "text" else _ORDERED_OPS


def _sign(left: Decimal | dt.date | dt.time | str, right: Decimal | dt.date | dt.time | str) -> int:
    """-1, 0 or 1 as ``left`` is below, equal to or above ``right``; text compares case-insensitively."""
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return (left > right) - (left < right)
    if isinstance(left, str) and isinstance(right, str):
        left_text, right_text = left.casefold(), right.casefold()
        return (left_text > right_text) - (left_text < right_text)
    if isinstance(left, dt.date) and isinstance(right, dt.date):
        return (left > right) - (left < right)
    if isinstance(left, dt.time) and isinstance(right, dt.time):
        return (left > right) - (left < right)
    raise TypeError(f"cannot compare {type(left).__name__} with {type(right).__name__}")


def compare(
    operator: Operator, left: Decimal | dt.date | dt.time | str, right: Decimal | dt.date | dt.time | str
) -> bool:
    """``left <operator> right``; text compares case-insensitively.

    Raises:
        TypeError: the two values are of different types.
    """
    sign = _sign(left, right)
    match operator:
        case ">":
            return sign > 0
        case ">=":
            return sign >= 0
        case "<":
            return sign < 0
        case "<=":
            return sign <= 0
        case "==":
            return sign == 0
        case "!=":
            return sign != 0
        case _ as unreachable:
            assert_never(unreachable)


def operator_words(operator: Operator, ordered_by_time: bool = False) -> tuple[str, str]:
    """How ``operator`` reads in a sentence, as (holds, does not hold): ``("over", "not over")``."""
    match operator:
        case ">":
            word = "after" if ordered_by_time else "over the limit of"
        case ">=":
            word = "on or after" if ordered_by_time else "at or over the limit of"
        case "<":
            word = "before" if ordered_by_time else "under the minimum of"
        case "<=":
            word = "on or before" if ordered_by_time else "at or under the minimum of"
        case "==":
            return "exactly", "not"
        case "!=":
            return "not", "exactly"
        case _ as unreachable:
            assert_never(unreachable)
    return word, f"not {word}"


class FieldCondition(ConditionBase):
    """Compare one receipt field with a value: ``total > 50``, ``merchant == "Uber"``, ``date < 2025-01-01``."""

    type: Literal["field"] = "field"
    field: str = Field(description="Receipt field to compare.", json_schema_extra={"enum": list(FIELD_KINDS)})
    operator: Operator = Field(description="Text fields allow only == and !=.")
    value: Decimal | dt.date | dt.time | str = Field(description="A number, ISO date, HH:MM time or text.")
    currency: str | None = Field(
        default=None, description="Money fields only: compare only receipts in this currency; others are skipped."
    )

    @field_validator("field")
    @classmethod
    def _check_field(cls, field: str) -> str:
        comparable = [name for name, kind in FIELD_KINDS.items() if kind != "items"]
        if field not in comparable:
            raise ValueError(f"unknown field {field!r}; fields that can be compared: {', '.join(comparable)}")
        return field

    @field_validator("operator")
    @classmethod
    def _check_operator(cls, operator: Operator, info: ValidationInfo) -> Operator:
        field = info.data.get("field")
        if field is not None and operator not in allowed_operators(field):
            allowed = ", ".join(allowed_operators(field))
            raise ValueError(
                f"operator {operator!r} is not allowed for the {FIELD_KINDS[field]} field {field!r}; allowed: {allowed}"
            )
        return operator

    @field_validator("value")
    @classmethod
    def _check_value(
        cls, value: Decimal | dt.date | dt.time | str, info: ValidationInfo
    ) -> Decimal | dt.date | dt.time | str:
        field = info.data.get("field")
        return value if field is None else _coerce_value(field, value)

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, currency: str | None, info: ValidationInfo) -> str | None:
        field = info.data.get("field")
        if currency is not None and field is not None and FIELD_KINDS[field] != "money":
            raise ValueError(f"currency applies only to money fields (subtotal, tax, tip, total), not to {field!r}")
        return None if currency is None else normalise_currency(currency)

    def _show(self, value: Decimal | dt.date | dt.time | str, currency: str | None) -> str:
        if isinstance(value, Decimal):
            unit = currency if FIELD_KINDS[self.field] == "money" else None
            return format_amount(value, unit) + ("%" if self.field == "tax_rate" else "")
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        return f'"{value}"'

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Compare the field; skipped when it is missing or the receipt is in another currency."""
        reads = [field_read(receipt, self.field)]
        if self.currency is not None:
            reads.append(field_read(receipt, "currency"))
            if receipt.currency != self.currency:
                seen = f"is in {receipt.currency}" if receipt.currency else "has no currency"
                return Check(None, f"the receipt {seen}, and this rule applies only to {self.currency}", tuple(reads))
        value = read(receipt, self.field)
        if value is None:
            return Check(None, f"the receipt has no {label(self.field)}", tuple(reads))
        if isinstance(value, list):
            raise TypeError(f"field {self.field!r} holds a list and cannot be compared")
        holds = compare(self.operator, value, self.value)
        currency = self.currency or receipt.currency
        yes, no = operator_words(self.operator, FIELD_KINDS[self.field] in ("date", "time"))
        shown = f"{label(self.field).capitalize()} {self._show(value, currency)}"
        return Check(holds, f"{shown} is {yes if holds else no} {self._show(self.value, currency)}", tuple(reads))

    def describe(self, negated: bool = False) -> str:
        """``whose total is over the limit of 50.00 USD``."""
        yes, no = operator_words(self.operator, FIELD_KINDS[self.field] in ("date", "time"))
        return f"whose {label(self.field)} is {no if negated else yes} {self._show(self.value, self.currency)}"


def _coerce_value(field: str, value: Decimal | dt.date | dt.time | str) -> Decimal | dt.date | dt.time | str:
    kind = FIELD_KINDS[field]
    text = str(value).strip()
    try:
        if kind in ("money", "number"):
            number = value if isinstance(value, Decimal) else Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
            return number
        if kind == "date":
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(text)
        if kind == "time":
            return value if isinstance(value, dt.time) else dt.time.fromisoformat(text)
    except (InvalidOperation, ValueError):
        wanted = {
            "money": "a number such as 50 or 12.5",
            "number": "a number such as 6",
            "date": "a date as YYYY-MM-DD",
        }
        raise ValueError(
            f"value {text!r} is not valid for field {field!r}: expected {wanted.get(kind, 'a time as HH:MM')}"
        ) from None
    return text
