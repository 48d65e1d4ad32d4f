"""Derived amounts a threshold rule can compare: any item amount, item count, tip % and tax %.

``item_amount`` holds when *any* item's amount compares (the finding names the first such item);
``item_count`` counts the item lines; ``tip_percent`` is tip / subtotal × 100 and ``tax_percent`` is
tax / total × 100 (both skipped when a part is missing or the divisor is zero).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import field_read, format_amount
from numzy_mcp.rules.leaf_field import Operator, compare, operator_words

Measure = Literal["item_amount", "item_count", "tip_percent", "tax_percent"]
MEASURES: tuple[str, ...] = ("item_amount", "item_count", "tip_percent", "tax_percent")
MONEY_MEASURES: tuple[str, ...] = ("item_amount",)
MEASURE_LABELS = {
    "item_amount": "an item amount",
    "item_count": "the item count",
    "tip_percent": "the tip as a percentage of the subtotal",
    "tax_percent": "the tax as a percentage of the total",
}
_HUNDRED = Decimal(100)


def _percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return (part / whole * _HUNDRED).quantize(Decimal("0.01"))


def _show(measure: str, value: Decimal, currency: str | None) -> str:
    if measure == "item_count":
        return str(value)
    if measure in MONEY_MEASURES:
        return format_amount(value, currency)
    return f"{value:.2f}%"


def check_measure(
    measure: str, operator: Operator, limit: Decimal, receipt: ExtractedFields, currency: str | None
) -> Check:
    """Compare ``measure`` on ``receipt`` with ``limit``; undecided when the parts it needs are missing."""
    yes, no = operator_words(operator)
    limit_text = _show(measure, limit, currency)
    if measure == "item_amount":
        priced = [(item.description, item.amount) for item in receipt.items if item.amount is not None]
        reads = (FieldRead(field="items", value="; ".join(f"{d}: {a}" for d, a in priced) or None),)
        if not priced:
            return Check(None, "the receipt has no item amounts", reads)
        for description, amount in priced:
            if compare(operator, amount, limit):
                shown = format_amount(amount, currency)
                return Check(True, f'item "{description}" at {shown} is {yes} {limit_text}', reads)
        return Check(False, f"no item amount is {yes} {limit_text}", reads)
    if measure == "item_count":
        count = Decimal(len(receipt.items))
        reads = (FieldRead(field="item_count", value=str(count)),)
        holds = compare(operator, count, limit)
        return Check(holds, f"the receipt has {count} items, {yes if holds else no} {limit_text}", reads)
    part, whole = ("tip", "subtotal") if measure == "tip_percent" else ("tax", "total")
    reads = (field_read(receipt, part), field_read(receipt, whole))
    value = _percent(getattr(receipt, part), getattr(receipt, whole))
    if value is None:
        return Check(None, f"the receipt has no {part} or no non-zero {whole}", reads)
    holds = compare(operator, value, limit)
    return Check(
        holds, f"{part.capitalize()} is {value:.2f}% of the {whole}, {yes if holds else no} {limit_text}", reads
    )


def describe_measure(measure: str, operator: Operator, limit: Decimal, currency: str | None, negated: bool) -> str:
    """``with an item amount over the limit of 20.00 USD``."""
    yes, no = operator_words(operator)
    return f"with {MEASURE_LABELS[measure]} {no if negated else yes} {_show(measure, limit, currency)}"
