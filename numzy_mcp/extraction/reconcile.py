"""Reconciliation: items + tax + tip + service − discounts = total, used to choose the total and grade it.

A receipt states its arithmetic twice: the line items (discounts are negative items) and the totals
block. When the best-scored total does not add up but a close runner-up does, the runner-up is the
total; when no printed candidate adds up, a spurious leading "1" (a pen tick before the amount) is
dropped if the rest adds up exactly. A repair lowers the field's confidence so it is shown for review.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.amounts import parse_amount
from numzy_mcp.extraction.totals import AmountPick

__all__ = ["RUNNER_UP_MARGIN", "adds_up", "expected_totals", "reconciled_choice", "repaired_total"]

RUNNER_UP_MARGIN: Final = 3.0
"""How far below the best score a total candidate may be and still win by adding up."""


def expected_totals(
    items_sum: Decimal | None,
    subtotal: Decimal | None,
    tax: Decimal | None,
    tip: Decimal | None,
    *,
    discount: Decimal = Decimal(0),
    service: Decimal = Decimal(0),
) -> set[Decimal]:
    """Totals the receipt's own arithmetic allows.

    Prices may include tax (most of Europe and Malaysia: total = items) or exclude it (the US:
    total = items + tax); a printed subtotal may be before or after the discount (the items never
    include it); a service charge
    and a tip come on top.

    Args:
        items_sum: The sum of the line items, or None without items.
        subtotal: The printed subtotal, or None.
        tax: The tax amount, or None.
        tip: The tip, or None.
        discount: Discounts printed outside the items, as a positive amount.
        service: Service charges.

    Returns:
        The values a correct total may have; empty when the receipt states nothing to check against.
    """
    bases: set[Decimal] = set()
    if items_sum is not None and items_sum > 0:
        bases.add(items_sum - discount)  # discount lines are never items
    if subtotal is not None and subtotal > 0:
        bases |= {subtotal, subtotal - discount}  # printed before or after the discount
    values: set[Decimal] = set()
    for base in bases:
        for with_tax in {Decimal(0), tax or Decimal(0)}:
            for with_tip in {Decimal(0), tip or Decimal(0)}:
                for with_service in {Decimal(0), service}:
                    values.add(base + with_tax + with_tip + with_service)
    return {v for v in values if v > 0}


_CASH_ROUNDING: Final = Decimal("0.05")


def adds_up(value: Decimal, expected: set[Decimal], *, rounding: bool = False) -> bool:
    """Whether ``value`` is one of the expected totals.

    Args:
        value: A total.
        expected: From :func:`expected_totals`.
        rounding: The receipt prints a rounding line (cash rounding to 0.05, as in Malaysia or
            Switzerland): a multiple of 0.05 less than 0.05 away from an expected total adds up too.

    Returns:
        True when the arithmetic allows this total.
    """
    if value in expected:
        return True
    if rounding and value % _CASH_ROUNDING == 0:
        return any(abs(value - e) < _CASH_ROUNDING for e in expected)
    return False


def reconciled_choice(
    options: list[tuple[float, AmountPick]], expected: set[Decimal], *, rounding: bool = False
) -> AmountPick | None:
    """The best-scored total candidate that adds up, when the best one does not.

    Args:
        options: Scored candidates, best first.
        expected: From :func:`expected_totals`.
        rounding: As for :func:`adds_up`.

    Returns:
        A runner-up within :data:`RUNNER_UP_MARGIN` that adds up, or None to keep the best.
    """
    if not options or not expected or adds_up(options[0][1].value, expected, rounding=rounding):
        return None
    best_score = options[0][0]
    for score, pick in options[1:]:
        if best_score - score > RUNNER_UP_MARGIN:
            break
        if adds_up(pick.value, expected, rounding=rounding):
            return pick
    return None


def repaired_total(pick: AmountPick, expected: set[Decimal], *, rounding: bool = False) -> AmountPick | None:
    """Drop a spurious leading "1" from the printed total when the rest adds up exactly.

    A pen tick, a box edge or a bar before the amount is read as "1" ("194.19" for "94.19"). Only
    this slip is undone: a one-digit confusion (7/1, 8/3) is as likely in an item line as in the
    total, so the arithmetic cannot tell which of the two was misread.

    Args:
        pick: The chosen total, which does not add up.
        expected: From :func:`expected_totals`.
        rounding: As for :func:`adds_up`.

    Returns:
        The repaired pick (same line and printed text, lower confidence), or None.
    """
    if not expected or pick.value < 0 or adds_up(pick.value, expected, rounding=rounding):
        return None
    raw = pick.raw.strip()
    if len(raw) < 5 or raw[0] != "1" or not raw[1].isdigit():
        return None
    value = parse_amount(raw[1:])
    if value is None or value <= 0 or not adds_up(value, expected, rounding=rounding):
        return None
    return AmountPick(value, pick.raw, pick.line, min(pick.confidence, 0.5))
