"""Total, subtotal, tax and tip: every amount on a keyword line becomes a scored candidate.

The total is not simply the largest number: cash tendered and change are larger or unrelated, and a
receipt may print a pre-rounding total, a rounded total, an "incl. GST" total and a GST summary.
Scores combine the keyword on the line, agreement with other lines (the same amount printed again,
cash − change) and penalties for lines that are known distractors.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.amounts import Amount, find_amounts

__all__ = ["AmountPick", "MoneyFields", "find_money_fields"]

_TOTAL: Final = re.compile(
    r"TOTAL|TOTAI|T0TAL|(?<![A-Z])[IL1|]OTA[LI1]\b|AMOUNT\s?DUE|AMT\s?DUE|\bNETT\b|\bNET\s?(?:AMT|AMOUNT|TOTAL)|GRAND|BALANCE\s?DUE|"
    r"AMOUNT\s?PAYABLE|\bPAYABLE\b|\bDUE\b|JUMLAH|SUMME|\bZU\s?ZAHLEN|GESAMT|BETRAG|MONTANT|\bTTC\b|TOTALE|"
    r"合計|お買上|\bPAY\b|\bAMOUNT\b|\bAMT\b|\bTOTAL\b|^\s*ROUND(?:ING|ED)\b(?!.*ADJ)",
    re.IGNORECASE,
)
_STRONG: Final = re.compile(
    r"ROUNDED|ROUNDING\s?TOTAL|INCL|INCLUSIVE|\bNETT\b|GRAND|AMOUNT\s?DUE|AMT\s?DUE|\bNET\s?TOTAL|TOTAL\s?DUE|"
    r"TOTAL\s?PAYABLE|TOTAL\s?AMOUNT|ZU\s?ZAHLEN|TOTAL\s?TTC|\bTOTAL\s?\(?RM\)?\s*:?\s*$|TOTAL\s?\(RM\)|合計|"
    r"TOTAL\s?:|\bTOTAL\s+(?:RM|\$|€|£|EUR|USD|MYR)",
    re.IGNORECASE,
)
_NOT_TOTAL: Final = re.compile(
    r"SUB\s?-?\s?TOTAL|SUBTOTAL|SUB\s?TTL|\bQTY\b|QUANTITY|\bITEMS?\b|\bITEM\(S\)|\bPCS\b|CASH|CHANGE|TENDER|"
    r"\bPAID\b|ROUNDING|ROUNDIN|\bADJ|DISCOUNT|SAVING|\bGST\b(?!.*INCL)|\bTAX\b(?!.*INCL)|\bVAT\b|EXCL|"
    r"\bMWST\b|\bUST\b|\bTVA\b|\bHT\b|NETTO|\bCARD\b|VISA|MASTER|\bDEBIT|\bCREDIT|\bTIP\b|GRATUITY|\bPOINTS?\b|"
    r"RÜCKGELD|RENDU|WECHSELGELD|\bGEGEBEN|\bBAR\b|ESPÈCES|ESPECES|\bDEPOSIT|\bWEIGHT\b|\bKG\b|\bSERVICE\s?CHARGE",
    re.IGNORECASE,
)
_ROUNDED_OK: Final = re.compile(
    r"ROUNDED|ROUNDING\s?TOTAL|TOTAL\s?ROUND|AFTER\s?ROUND|INCL|INCLUSIVE|^\s*ROUNDING\b(?!.*ADJ)", re.IGNORECASE
)
_ROUNDED: Final = re.compile(
    r"ROUNDED|ROUNDING\s?TOTAL|TOTAL\s?ROUND|AFTER\s?ROUND|^\s*ROUNDING\b(?!.*ADJ)", re.IGNORECASE
)
_REFUND: Final = re.compile(r"REFUND|RETURN|ERSTATTUNG|REMBOURSEMENT|GUTSCHRIFT|AVOIR", re.IGNORECASE)
_SUMMARY: Final = re.compile(r"(?:GST|TAX|VAT)\s?SUMMARY|TAX\s?CODE|MWST\s?%|\bSUMMARY\b", re.IGNORECASE)
_CASH: Final = re.compile(r"CASH|TENDER|\bPAID\b|\bGEGEBEN|\bBAR\b|ESP[EÈ]CES|\bRECEIVED\b", re.IGNORECASE)
_CHANGE: Final = re.compile(r"CHANGE|RÜCKGELD|WECHSELGELD|RENDU|\bBALANCE\b(?!\s?DUE)", re.IGNORECASE)
_CASH_NOT: Final = re.compile(r"TOTAL|\bDUE\b|PAYABLE|INCL|EXCL|GST|\bTAX\b", re.IGNORECASE)
_SUBTOTAL: Final = re.compile(
    r"SUB\s?-?\s?TOTAL|SUBTOTAL|SUB\s?TTL|EXCL|EXCLUDING|BEFORE\s?(?:GST|TAX)|\bNETTO\b|\bTOTAL\s?HT\b|\bHT\b|"
    r"NET\s?AMOUNT|ZWISCHENSUMME|AMOUNT\s?\(?EXCL|TOTAL\s?SALES(?!.*INCL)",
    re.IGNORECASE,
)
_TAX: Final = re.compile(
    r"\bGST\b|\bSST\b|\bTAX\b|\bVAT\b|\bMWST\b|\bUST\b|\bTVA\b|\bMWST\.|SALES\s?TAX|消費税|\bIVA\b", re.IGNORECASE
)
_NOT_TAX: Final = re.compile(
    r"(?:TOTAL|AMOUNT|AMT|SALES|SUMME|SUPPLIES).*\bINC(?:L|\b)|EXCL|EXCLUSIVE|(?:GST|TAX|VAT)\s?(?:ID|REG|NO\b|NUMBER|#)|REG\s?NO|INVOICE|BEFORE|"
    r"\bTOTAL\s?SALES|SUMMARY|TAX\s?CODE",
    re.IGNORECASE,
)
_TIP: Final = re.compile(r"\bTIPS?\b|GRATUITY|TRINKGELD|POURBOIRE", re.IGNORECASE)
_SUGGESTED: Final = re.compile(r"SUGGEST|GUIDE|VORSCHLAG|SUGG", re.IGNORECASE)
_ROUNDING_LINE: Final = re.compile(r"ROUNDING|ROUNDED|ROUND\s?ADJ", re.IGNORECASE)


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
    rounding: bool = False
    """The receipt prints a rounding line: the total paid may differ from the sum by under 0.05."""
    total_options: list[tuple[float, AmountPick]] = field(default_factory=list[tuple[float, AmountPick]])
    """Every scored total candidate, best first: reconciliation may choose another one."""


def _line_amounts(texts: list[str], no_minor_units: bool, decimals: int) -> list[list[Amount]]:
    return [find_amounts(t, no_minor_units=no_minor_units, decimals=decimals) for t in texts]


def _value_after_label(
    amounts: list[list[Amount]], texts: list[str], index: int, label_end: int
) -> tuple[Amount, int] | None:
    """The amount belonging to a label: the last one on the line after the label, else on the next line."""
    on_line = [a for a in amounts[index] if a.start >= label_end]
    if on_line:
        return on_line[-1], index
    for offset in (1, 2):
        nxt = index + offset
        if nxt >= len(texts):
            break
        bare = _TOTAL.search(texts[nxt]) is None and _NOT_TOTAL.search(texts[nxt]) is None
        if amounts[nxt] and bare and len(texts[nxt]) - (amounts[nxt][-1].end - amounts[nxt][0].start) < 8:
            return amounts[nxt][-1], nxt
        if amounts[nxt] or _TOTAL.search(texts[nxt]) or _NOT_TOTAL.search(texts[nxt]):
            break
    return None


def _pick_simple(
    texts: list[str], amounts: list[list[Amount]], pattern: re.Pattern[str], exclude: re.Pattern[str] | None
) -> AmountPick | None:
    best: AmountPick | None = None
    for index, text in enumerate(texts):
        match = pattern.search(text)
        if not match or (exclude is not None and exclude.search(text)):
            continue
        if pattern is _TIP and ("%" in text[match.end() :] or _SUGGESTED.search(text)):
            continue  # a suggested-gratuity table, not a tip that was paid
        found = _value_after_label(amounts, texts, index, match.end())
        if found is None:
            continue
        amount, line = found
        if pattern is _TIP and "%" in texts[line]:
            continue
        best = AmountPick(amount.value, amount.raw, line, 0.7)
    return best


_VAT_HEADER: Final = re.compile(r"NETTO|\bNET\b|\bHT\b", re.IGNORECASE)
_VAT_HEADER_TAX: Final = re.compile(r"MWST|\bVAT\b|\bTVA\b|\bTAX\b|\bUST\b|\bGST\b", re.IGNORECASE)


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
    for line in amounts:
        for amount in line:
            if amount.currency:
                result.currencies[amount.currency] += 1
    counts: Counter[Decimal] = Counter(abs(a.value) for line in amounts for a in line)
    summary_from = next((i for i, t in enumerate(texts) if _SUMMARY.search(t)), len(texts))
    for index, text in enumerate(texts):
        if not amounts[index]:
            continue
        if _CHANGE.search(text) and result.change is None:
            result.change = abs(amounts[index][-1].value)
        elif _CASH.search(text) and result.cash is None and not _CASH_NOT.search(text):
            result.cash = abs(amounts[index][0].value)
    result.subtotal = _pick_simple(texts, amounts, _SUBTOTAL, None)
    result.tax = _pick_simple(texts, amounts, _TAX, _NOT_TAX)
    table = _vat_table(texts, amounts)
    if table is not None:
        if result.subtotal is None or result.subtotal.line == table[0].line:
            result.subtotal = table[0]
        result.tax = table[1]
    result.tip = _pick_simple(texts, amounts, _TIP, None)
    paid = None
    if result.cash is not None and result.change is not None and result.cash > result.change >= 0:
        paid = result.cash - result.change

    refund = any(_REFUND.search(t) for t in texts)
    rounding_line = next((i for i, t in enumerate(texts) if _ROUNDING_LINE.search(t) and amounts[i]), None)
    result.rounding = rounding_line is not None
    candidates: list[tuple[float, Amount, int]] = []
    nothing_paid: list[tuple[float, Amount, int]] = []
    for index, text in enumerate(texts):
        match = _TOTAL.search(text)
        if not match:
            continue
        excluded = _NOT_TOTAL.search(text)
        if excluded and not _ROUNDED_OK.search(text):
            continue
        found = _value_after_label(amounts, texts, index, match.start())
        if found is None:
            continue
        amount, line = found
        if amount.value < 0 and not refund:
            amount = Amount(-amount.value, amount.raw, amount.start, amount.end, amount.currency)
        if _ROUNDED.search(text) and not _TOTAL.search(_ROUNDED.sub("", text)) and abs(amount.value) < 1:
            continue  # "Rounding 0.02" is the adjustment, not a rounded total
        score = 3.0
        if _STRONG.search(text):
            score += 2.0
        if _ROUNDED.search(text):
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
    if paid is not None and paid > 0:
        # Cash tendered minus change is what was paid, even when no total line was read.
        change_line = next((i for i, t in enumerate(texts) if _CHANGE.search(t) and amounts[i]), len(texts) - 1)
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
        pool = [
            (a, i)
            for i, t in enumerate(texts)
            for a in amounts[i]
            if not _CASH.search(t) and not _CHANGE.search(t) and a.value > 0
        ]
        if pool:
            amount, line = max(pool, key=lambda p: (counts[abs(p[0].value)], p[0].value))
            result.total = AmountPick(amount.value, amount.raw, line, 0.25)
        elif nothing_paid:
            _, amount, line = max(nothing_paid, key=lambda c: (c[0], c[2]))
            result.total = AmountPick(amount.value, amount.raw, line, 0.3)
    return result
