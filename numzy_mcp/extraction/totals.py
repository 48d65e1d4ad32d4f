"""Total, subtotal, tax and tip: every amount on a keyword line becomes a scored candidate.

The total is not simply the largest number: cash tendered and change are larger or unrelated, and a
receipt may print a pre-rounding total, a rounded total, an "incl. GST" total and a GST summary.
Scores combine the keyword on the line, agreement with other lines (the same amount printed again,
cash − change) and penalties for lines that are known distractors.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from numzy_mcp.extraction import money_words as w
from numzy_mcp.extraction.amounts import Amount, find_amounts

__all__ = ["AmountPick", "MoneyFields", "find_money_fields"]


@dataclass(frozen=True, slots=True)
class AmountPick:
    """A chosen amount with where it was printed and how sure we are."""

    value: Decimal
    raw: str
    line: int
    confidence: float


@dataclass(slots=True)
class MoneyFields:
    """The amounts read from a receipt."""

    total: AmountPick | None = None
    subtotal: AmountPick | None = None
    tax: AmountPick | None = None
    tip: AmountPick | None = None
    cash: Decimal | None = None
    change: Decimal | None = None
    currencies: Counter[str] = field(default_factory=Counter[str])
    currency_lines: dict[str, list[int]] = field(default_factory=dict[str, list[int]])
    """Currency code → the lines whose amounts carry its symbol or code."""
    rounding: bool = False
    """The receipt prints a rounding line: the total paid may differ from the sum by under 0.05."""
    tax_lines: list[AmountPick] = field(default_factory=list[AmountPick])
    """Every tax line in printed order (state and city tax, GST and PST): ``tax`` is the last one."""
    discount: Decimal = Decimal(0)
    """Discounts, coupons and vouchers printed above the total, as a positive amount."""
    discount_lines: list[int] = field(default_factory=list[int])
    service: Decimal = Decimal(0)
    """Service charges printed above the total."""
    refund: bool = False
    """The receipt is a refund or return (not merely a returns policy in its footer)."""
    total_options: list[tuple[float, AmountPick]] = field(default_factory=list[tuple[float, AmountPick]])
    """Every scored total candidate, best first: reconciliation may choose another one."""


_NEXT_LABEL: Final = re.compile(r"(?i:\b(?:TAX|VAT|GST|SST|HST|PST|TVA|IVA)\b)|(?![A-Z]{3}\b)[^\W\d_]{4,}")
"""A word of four letters or more that is not a currency code: another label on the same line."""


def _line_amounts(texts: list[str], no_minor_units: bool, decimals: int) -> list[list[Amount]]:
    return [find_amounts(t, no_minor_units=no_minor_units, decimals=decimals) for t in texts]


def _value_after_label(
    amounts: list[list[Amount]],
    texts: list[str],
    index: int,
    label_end: int,
    *,
    label: re.Pattern[str] | None = None,
) -> tuple[Amount, int] | None:
    """The amount belonging to a label: the last one on the line after the label, else on the next line.

    With ``label`` (the pattern of this label), a line with several amounts is read as columns: when
    another label follows an amount ("TOTAL 6.47 YOU SAVED 1.00", "Exclusief BTW € 593,36 Subtotaal
    € 717,97"), this label owns the amount before it, unless that label is this one again ("Total
    Litres 20.00 Total Amount 40.00", "Total hours 12.50 Amount due 1,250.00").
    """
    on_line = [a for a in amounts[index] if a.start >= label_end]
    if label is not None:
        text = texts[index]
        for amount, following in itertools.pairwise(on_line):
            between = text[amount.end : following.start]
            if _NEXT_LABEL.search(between) and not label.search(between):
                return amount, index
    if on_line:
        return on_line[-1], index
    for offset in (1, 2):
        nxt = index + offset
        if nxt >= len(texts):
            break
        bare = w.TOTAL.search(texts[nxt]) is None and w.NOT_TOTAL.search(texts[nxt]) is None
        if amounts[nxt] and bare and len(texts[nxt]) - (amounts[nxt][-1].end - amounts[nxt][0].start) < 8:
            return amounts[nxt][-1], nxt
        if amounts[nxt] or w.TOTAL.search(texts[nxt]) or w.NOT_TOTAL.search(texts[nxt]):
            break
    return None


def _pick_all(
    texts: list[str], amounts: list[list[Amount]], pattern: re.Pattern[str], exclude: re.Pattern[str] | None
) -> list[AmountPick]:
    """Every line with the label and its amount (on the line after the label, or on the next line)."""
    found: list[AmountPick] = []
    for index, text in enumerate(texts):
        match = pattern.search(text)
        if not match or (exclude is not None and exclude.search(text)):
            continue
        value = _value_after_label(amounts, texts, index, match.end(), label=pattern)
        if value is not None and all(p.line != value[1] for p in found):
            found.append(AmountPick(value[0].value, value[0].raw, value[1], 0.7))
    return found


def _pick_simple(
    texts: list[str], amounts: list[list[Amount]], pattern: re.Pattern[str], exclude: re.Pattern[str] | None
) -> AmountPick | None:
    found = _pick_all(texts, amounts, pattern, exclude)
    return found[-1] if found else None


def _pick_tip(texts: list[str], amounts: list[list[Amount]]) -> AmountPick | None:
    """The tip paid: a tip line, or a gratuity charged at a percentage, but never a suggestion table.

    A percentage on a tip line is a suggestion when the receipt says so near it ("Suggested gratuity")
    or when several tip percentages are offered; a single "Gratuity 18% 7.20" was charged.
    """
    percent_lines = [i for i, t in enumerate(texts) if w.TIP.search(t) and "%" in t]
    best: AmountPick | None = None
    for index, text in enumerate(texts):
        match = w.TIP.search(text)
        if not match:
            continue
        suggested = any(w.SUGGESTED.search(t) for t in texts[max(0, index - 3) : index + 1])
        if "%" in text and (suggested or len(percent_lines) > 1):
            continue
        if suggested:
            continue
        found = _value_after_label(amounts, texts, index, match.end())
        if found is None:
            continue
        amount, line = found
        if line != index and "%" in texts[line]:
            continue
        best = AmountPick(amount.value, amount.raw, line, 0.7)
    return best


def _rounding_adjustment(texts: list[str], amounts: list[list[Amount]]) -> Decimal | None:
    """The amount on a "Rounding adjustment" line (its size; the sign is often not printed)."""
    for index, text in enumerate(texts):
        if w.ROUNDING_LINE.search(text) and not w.ROUNDED.search(text) and amounts[index]:
            value = abs(amounts[index][-1].value)
            if 0 < value < 1:
                return value
    return None


def _sum_role(texts: list[str], amounts: list[list[Amount]], pattern: re.Pattern[str], end: int) -> list[AmountPick]:
    """Lines above ``end`` with this role (discount, service charge) and no total wording, with their amount."""
    found: list[AmountPick] = []
    for index in range(min(end, len(texts))):
        text = texts[index]
        if amounts[index] and pattern.search(text) and not w.TOTAL.search(text) and not w.SUBTOTAL.search(text):
            amount = amounts[index][-1]
            found.append(AmountPick(abs(amount.value), amount.raw, index, 0.6))
    return found


_VAT_HEADER: Final = re.compile(r"NETTO|\bNET\b|\bHT\b|GRONDSLAG|IMPONIBLE|\bBASIS\b|\bBASE\b", re.IGNORECASE)
_VAT_HEADER_TAX: Final = re.compile(
    r"MWST|\bVAT\b|\bTVA\b|\bTAX\b|\bUST\b|\bGST\b|\bBTW\b|\bIVA\b|\bMOMS\b", re.IGNORECASE
)


def _vat_table(texts: list[str], amounts: list[list[Amount]]) -> tuple[AmountPick, AmountPick] | None:
    """Net and tax from a VAT table: a header naming net and tax columns, then a row of amounts."""
    for index, text in enumerate(texts[:-1]):
        net_col, tax_col = _VAT_HEADER.search(text), _VAT_HEADER_TAX.search(text)
        if not net_col or not tax_col or amounts[index]:
            continue
        row = amounts[index + 1]
        if len(row) < 2:
            continue
        net_first = net_col.start() < tax_col.start() or len(row) == 3
        net, tax = (row[-3], row[-2]) if len(row) >= 3 else ((row[0], row[1]) if net_first else (row[1], row[0]))
        if net.value <= tax.value:
            continue
        line = index + 1
        return AmountPick(net.value, net.raw, line, 0.6), AmountPick(tax.value, tax.raw, line, 0.6)
    return None


def find_money_fields(texts: list[str], *, no_minor_units: bool = False, decimals: int = 2) -> MoneyFields:
    """Read total, subtotal, tax, tip, cash and change from receipt lines.

    Args:
        texts: Line texts in reading order.
        no_minor_units: The currency has no minor units (yen, rupiah): whole numbers are amounts.
        decimals: 3 for three-decimal currencies (KWD, BHD, OMR).

    Returns:
        The amounts found; any may be None.
    """
    amounts = _line_amounts(texts, no_minor_units, decimals)
    result = MoneyFields()
    for index, line in enumerate(amounts):
        for amount in line:
            if amount.currency:
                result.currencies[amount.currency] += 1
                lines = result.currency_lines.setdefault(amount.currency, [])
                if index not in lines:
                    lines.append(index)
    counts: Counter[Decimal] = Counter(abs(a.value) for line in amounts for a in line)
    summary_from = next((i for i, t in enumerate(texts) if w.SUMMARY.search(t)), len(texts))
    for index, text in enumerate(texts):
        if not amounts[index]:
            continue
        if w.CHANGE.search(text) and result.change is None:
            result.change = abs(amounts[index][-1].value)
        elif w.CASH.search(text) and result.cash is None and not w.CASH_NOT.search(text):
            result.cash = abs(amounts[index][0].value)
    result.subtotal = _pick_simple(texts, amounts, w.SUBTOTAL, None)
    result.tax = _pick_simple(texts, amounts, w.TAX, w.NOT_TAX)
    table = _vat_table(texts, amounts)
    if table is not None:
        if result.subtotal is None or result.subtotal.line == table[0].line:
            result.subtotal = table[0]
        result.tax = table[1]
    result.tip = _pick_tip(texts, amounts)
    result.tax_lines = _pick_all(texts, amounts, w.TAX, w.NOT_TAX)
    paid = None
    if result.cash is not None and result.change is not None and result.cash > result.change >= 0:
        paid = result.cash - result.change

    refund = result.refund = w.is_refund_document(texts)
    rounding_line = next((i for i, t in enumerate(texts) if w.ROUNDING_LINE.search(t) and amounts[i]), None)
    result.rounding = rounding_line is not None
    candidates: list[tuple[float, Amount, int]] = []
    nothing_paid: list[tuple[float, Amount, int]] = []
    for index, text in enumerate(texts):
        match = w.TOTAL.search(text)
        if not match:
            continue
        excluded = w.NOT_TOTAL.search(text)
        if excluded and not w.ROUNDED_OK.search(text):
            continue
        found = _value_after_label(amounts, texts, index, match.start(), label=w.TOTAL)
        if found is None:
            continue
        amount, line = found
        if amount.value < 0 and not refund:
            amount = Amount(-amount.value, amount.raw, amount.start, amount.end, amount.currency)
        if w.ROUNDED.search(text) and not w.TOTAL.search(w.ROUNDED.sub("", text)) and abs(amount.value) < 1:
            continue  # "Rounding 0.02" is the adjustment, not a rounded total
        score = 3.0
        if w.STRONG.search(text):
            score += 2.0
        if w.ROUNDED.search(text):
            score += 1.0
        if rounding_line is not None and amount.value * 20 % 1 == 0:
            score += 1.5 if index > rounding_line else 0.5
        if index >= summary_from:
            score -= 3.0
        if "%" in text or text.lstrip().startswith("("):
            score -= 2.0
        if len(amounts[line]) > 1 and len({a.value for a in amounts[line]}) > 1:
            score -= 1.0
        score += min(counts[abs(amount.value)] - 1, 3) * 0.7
        if paid is not None and amount.value == paid:
            score += 2.0
        if result.cash is not None and amount.value == result.cash:
            score += 0.5
        if result.subtotal is not None and amount.value < result.subtotal.value:
            score -= 1.5
        if amount.value <= 0 and not refund:
            nothing_paid.append((score, amount, line))  # "total after rounding 0.00": a last resort
            continue
        candidates.append((score, amount, line))
    candidates = _pair_bonuses(candidates, _rounding_adjustment(texts, amounts), result.tip)
    if paid is not None and paid > 0:
        # Cash tendered minus change is what was paid, even when no total line was read (computed, so it
        # takes no part in the pairing above: only printed amounts pair up).
        change_line = next((i for i, t in enumerate(texts) if w.CHANGE.search(t) and amounts[i]), len(texts) - 1)
        raw = f"{paid:,.2f}"
        candidates.append((4.0, Amount(paid, raw, 0, len(raw)), change_line))
    if candidates:
        ranked = sorted(candidates, key=lambda c: (c[0], c[2]), reverse=True)
        result.total_options = [
            (score, AmountPick(amount.value, amount.raw, line, max(0.3, min(0.95, 0.35 + 0.08 * score))))
            for score, amount, line in ranked
        ]
        result.total = result.total_options[0][1]
    elif paid is not None:
        for index, line_amounts in enumerate(amounts):
            for amount in line_amounts:
                if amount.value == paid:
                    result.total = AmountPick(amount.value, amount.raw, index, 0.4)
                    break
            if result.total:
                break
    if result.total is None:
        paid_lines = {i for i, t in enumerate(texts) if w.CASH.search(t) or w.CHANGE.search(t)}  # once per line
        pool = [(a, i) for i in range(len(texts)) if i not in paid_lines for a in amounts[i] if a.value > 0]
        if pool:
            amount, line = max(pool, key=lambda p: (counts[abs(p[0].value)], p[0].value))
            result.total = AmountPick(amount.value, amount.raw, line, 0.25)
        elif nothing_paid:
            _, amount, line = max(nothing_paid, key=lambda c: (c[0], c[2]))
            result.total = AmountPick(amount.value, amount.raw, line, 0.3)
    end = result.total.line if result.total is not None else len(texts)
    discounts = _sum_role(texts, amounts, w.DISCOUNT, end)
    result.discount = sum((d.value for d in discounts), Decimal(0))
    result.discount_lines = [d.line for d in discounts]
    result.service = sum((d.value for d in _sum_role(texts, amounts, w.SERVICE, end)), Decimal(0))
    return result


_CASH_STEP: Final = Decimal("0.05")


def _pair_bonuses(
    candidates: list[tuple[float, Amount, int]], adjustment: Decimal | None, tip: AmountPick | None
) -> list[tuple[float, Amount, int]]:
    """A later candidate equal to an earlier one plus the rounding adjustment or the tip is the final total."""
    steps: list[Decimal] = []
    if adjustment is not None:
        steps.append(adjustment)
    if tip is not None and tip.value > 0:
        steps.append(tip.value)
    if not steps:
        return candidates
    scored: list[tuple[float, Amount, int]] = []
    for score, amount, line in candidates:
        bonus = 0.0
        for _, other, other_line in candidates:
            if other_line >= line or other.value == amount.value:
                continue
            difference = abs(amount.value - other.value)
            if adjustment is not None and difference == adjustment and amount.value % _CASH_STEP == 0:
                bonus = max(bonus, 2.5)
            if tip is not None and amount.value - other.value == tip.value:
                bonus = max(bonus, 2.5)
        scored.append((score + bonus, amount, line))
    return scored
