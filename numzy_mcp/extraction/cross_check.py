"""Grade a model's reading of a receipt by its own arithmetic and by the offline reading of the same page.

A language model gives no calibrated confidence, so its fields are checked the way the offline parser's
are: items + tax + tip (+ service − discounts) should give the total, and where the offline parser read
the same money or date with confidence, two independent readers that agree are trusted more, and two
that disagree are marked for review (confidence below the 0.8 the explanation treats as "check this").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.reconcile import expected_totals
from numzy_mcp.receipts import ExtractedFields

__all__ = ["DISAGREEMENT_CAP", "cross_check"]

DISAGREEMENT_CAP: Final = 0.6
"""Highest confidence left on a field the offline reader confidently read otherwise."""
_CHECKED: Final = ("total", "date", "currency", "tax", "subtotal", "tip")
_TRUSTED_OFFLINE: Final = 0.75
_DEFAULT: Final = 0.8


def cross_check(model: ExtractedFields, offline: ExtractedFields) -> ExtractedFields:
    """The model's fields with confidences adjusted by arithmetic and by agreement with the offline reading.

    Args:
        model: The fields the model returned (validated).
        offline: The offline parser's fields for the same document (may be empty).

    Returns:
        A copy of ``model`` with adjusted confidences; no value is changed.
    """
    fields = model.model_copy(deep=True)
    confidence = fields.confidence
    if fields.total is not None:
        amounts = [i.amount for i in fields.items if i.amount is not None]
        items_sum = sum(amounts, Decimal(0)) if amounts else None
        allowed = expected_totals(items_sum, fields.subtotal, fields.tax, fields.tip)
        if allowed:
            step = 0.05 if fields.total in allowed else -0.2
            confidence["total"] = _clamp(confidence.get("total", _DEFAULT) + step)
    for name in _CHECKED:
        mine, theirs = getattr(fields, name), getattr(offline, name)
        if mine is None or theirs is None or offline.confidence.get(name, 0.0) < _TRUSTED_OFFLINE:
            continue
        current = confidence.get(name, _DEFAULT)
        confidence[name] = _clamp(max(current, 0.95) if mine == theirs else min(current, DISAGREEMENT_CAP))
    return fields


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)
