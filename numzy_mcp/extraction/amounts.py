"""Money on receipt lines: find amounts as printed and turn them into ``Decimal``.

Handles "1,234.56", "1.234,56", "1'234.50", "1 234,56", "12,30", "-3.50", "3.50-", "(3.50)", "RM 8.60",
"8,60 €", ".40" (POS printers that drop the leading zero of amounts under one); for
currencies without minor units "¥1,280" and "Rp 60.000"; for three-decimal currencies "KD 1.250".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

__all__ = ["MAX_AMOUNT", "Amount", "find_amounts", "has_symbol_whole_amount", "parse_amount"]

MAX_AMOUNT: Final = Decimal(10) ** 14
"""Amounts this large or larger are misreads (an account number, digits run together), never money.

The database stores amounts as Numeric(18, 4) and the LLM schema allows 14 integer digits; a value
of 10^14 or more in any currency fits neither, so it is never offered as a candidate.
"""

_CURRENCY_PREFIX: Final = (
    r"(?:RM|MYR|USD|EUR|GBP|CHF|SGD|JPY|IDR|KWD|BHD|OMR|(?<![A-Za-z])(?:KD|BD|RO|Rp\.?)|S\$|US\$|\$|€|£|¥|￥|Fr\.?)"
)
_AMOUNT_RE: Final = re.compile(
    r"(?P<neg>-\s?)?"
    r"(?P<cur>" + _CURRENCY_PREFIX + r")?\s?"
    r"(?P<neg2>-\s?)?"
    r"(?<![\d.,'’])"
    r"(?P<num>\d{1,3}(?:(?P<sep>[,.'’])\d{3})(?:(?P=sep)\d{3})*(?P<dec>[.,]\d{2})?|\d+(?P<dec2>[.,]\d{2})|"
    r"(?:(?<![A-Za-z])|(?<=RM)|(?<=MYR|USD|EUR|GBP|CHF|SGD))(?P<dec3>\.\d{2})(?!-\d))"
    r"(?![\d]|[.,:]\d)"
    r"(?P<neg3>-(?!\s?\d))?",
    re.IGNORECASE,
)
_THREE_DECIMALS_RE: Final = re.compile(
    r"(?P<neg>-\s?)?"
    r"(?P<cur>" + _CURRENCY_PREFIX + r")?\s?"
    r"(?P<neg2>-\s?)?"
    r"(?<![\d.,'’])"
    r"(?P<num>\d{1,3}(?:[,'’]\d{3})+\.\d{3}|\d+[.,]\d{3})"
    r"(?![\d]|[.,:]\d)"
    r"(?P<neg3>-(?!\s?\d))?",
    re.IGNORECASE,
)
_SPACE_GROUPED_RE: Final = re.compile(
    r"(?P<neg>-\s?)?(?P<cur>" + _CURRENCY_PREFIX + r")?\s?"
    r"(?<![\d.,'’])(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2})(?![\d]|[.,:]\d)(?P<neg3>-(?!\s?\d))?",
    re.IGNORECASE,
)
"""French, Nordic and Eastern European grouping: "1 234,56" (space, no-break or narrow no-break space)."""
_PARENS_RE: Final = re.compile(r"\(\s?(?:" + _CURRENCY_PREFIX + r")?\s?(\d[\d.,'’]*)\s?\)", re.IGNORECASE)
"""Accounting notation for a negative amount: "(12.99)", "($12.99)"."""
_WHOLE_TAIL_RE: Final = re.compile(r"(?:(?<=\s)|(?<=^))(?P<num>\d{2,7})(?=\s*[A-Z*※外内軽]{0,2}\s*$)", re.IGNORECASE)
"""A bare whole number ending the line: an amount on receipts in currencies without minor units."""
_SYMBOL_WHOLE_RE: Final = re.compile(
    r"(?P<neg>-\s?)?(?<![A-Za-z0-9])(?P<cur>US\$|S\$|\$|€|£)\s?(?P<num>\d{1,3}(?:[,'’]\d{3})+|\d{1,7})(?![\d]|[.,'’]\d)"
    r"|(?<![\d.,'’])(?P<num2>\d{1,7})\s?(?P<cur2>€|£)(?![A-Za-z0-9]|\s?\d)",
    re.IGNORECASE,
)
"""A whole amount with its currency symbol: "TOTAL $35", "12 €" (taxis, parking, market stalls).

Read only on documents printed in whole units (``no_minor_units``, or ``decimals=0`` when the symbol
marks every amount and nothing has decimals): where other amounts have decimals,
"$3550" is far more often "$35.50" with its point lost than a whole amount.
"""
_COUNT_WORD: Final = re.compile(r"(?:QTY|COUNT|\bNO\.?|TABLE|\bTBL|#|PAX|GUESTS?|ITEMS?|点|個)\s*:?\s*$", re.IGNORECASE)
_OCR_DIGIT: Final = re.compile(r"(?<=RM)[Il|](?=\d)")
_YEN_RE: Final = re.compile(
    r"(?P<cur>¥|￥)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.])|(?P<num2>\d{1,3}(?:,\d{3})+|\d+)円"
)


@dataclass(frozen=True, slots=True)
class Amount:
    """One amount found on a line: its value, the digits as printed and where they are."""

    value: Decimal
    raw: str
    start: int
    end: int
    currency: str | None = None


def parse_amount(text: str) -> Decimal | None:
    """Parse a printed number such as "1.234,56", "1,234.56", "1'234.50" or "12,30".

    The last "." or "," followed by exactly two digits is the decimal separator; every other
    separator groups thousands.

    Args:
        text: The printed number, optionally with a sign.

    Returns:
        The value, or None when the text is not a number.
    """
    cleaned = text.strip().replace(" ", "").replace("’", "'")
    negative = cleaned.startswith("-") or cleaned.endswith("-")
    cleaned = cleaned.strip("-+")
    match = re.fullmatch(r"(\d[\d.,']*?)(?:([.,])(\d{1,2}))?", cleaned)
    if not match:
        return None
    whole, _, fraction = match.groups()
    whole = re.sub(r"[.,']", "", whole)
    if not whole.isdigit():
        return None
    try:
        value = Decimal(f"{whole}.{fraction}") if fraction else Decimal(whole)
    except InvalidOperation:
        return None
    return -value if negative else value


_CURRENCY_CODES: Final = {
    "RM": "MYR",
    "MYR": "MYR",
    "USD": "USD",
    "US$": "USD",
    "EUR": "EUR",
    "€": "EUR",
    "GBP": "GBP",
    "£": "GBP",
    "CHF": "CHF",
    "FR.": "CHF",
    "FR": "CHF",
    "SGD": "SGD",
    "S$": "SGD",
    "JPY": "JPY",
    "¥": "JPY",
    "￥": "JPY",
    "$": "USD",
    "IDR": "IDR",
    "RP": "IDR",
    "RP.": "IDR",
    "KWD": "KWD",
    "KD": "KWD",
    "BHD": "BHD",
    "BD": "BHD",
    "OMR": "OMR",
    "RO": "OMR",
}


def _three_decimal_amounts(text: str) -> list[Amount]:
    """Amounts with three decimals ("KD 1.250", "1,234.500"): the last separator is the decimal point."""
    found: list[Amount] = []
    for match in _THREE_DECIMALS_RE.finditer(text):
        num = match.group("num")
        whole, fraction = re.sub(r"[.,'’]", "", num[:-4]), num[-3:]
        value = Decimal(f"{whole}.{fraction}")
        if match.group("neg") or match.group("neg2") or match.group("neg3"):
            value = -value
        cur = match.group("cur")
        currency = _CURRENCY_CODES.get(cur.upper()) if cur else None
        found.append(Amount(value=value, raw=num, start=match.start("num"), end=match.end("num"), currency=currency))
    return found


def _space_grouped_amounts(text: str, parens: dict[int, int]) -> list[Amount]:
    found: list[Amount] = []
    for match in _SPACE_GROUPED_RE.finditer(text):
        num = match.group("num")
        value = parse_amount(re.sub(r"[ \u00a0\u202f]", "", num))
        if value is None:
            continue
        if match.group("neg") or match.group("neg3") or _in_parentheses(parens, match):
            value = -value
        cur = match.group("cur")
        currency = _CURRENCY_CODES.get(cur.upper()) if cur else None
        found.append(Amount(value=value, raw=num, start=match.start("num"), end=match.end("num"), currency=currency))
    return found


def _parentheses(text: str) -> dict[int, int]:
    """Where the line's parenthesised numbers end → where they start (read once per line)."""
    if "(" not in text:
        return {}
    return {p.end(1): p.start(1) for p in _PARENS_RE.finditer(text)}


def _in_parentheses(parens: dict[int, int], match: re.Match[str]) -> bool:
    """The amount is printed as "(12.99)": accounting notation for a negative amount."""
    start = parens.get(match.end("num"))
    return start is not None and start <= match.start("num")


def has_symbol_whole_amount(text: str) -> bool:
    """True when the line prints a whole amount marked with a currency symbol ("TOTAL $35", "12 €")."""
    return _SYMBOL_WHOLE_RE.search(text) is not None


def find_amounts(text: str, *, no_minor_units: bool = False, decimals: int = 2) -> list[Amount]:
    """Find every money amount printed on one line, left to right.

    Numbers without two decimals are ignored (they are quantities, codes or years), except after
    "¥"/before "円" or when ``no_minor_units`` is set (e.g. yen or rupiah receipts).

    Args:
        text: One line of text.
        no_minor_units: Also accept whole numbers with a currency mark or thousands separators.
        decimals: 3 for three-decimal currencies (KWD, BHD, OMR): "1.250" is then 1.25, not 1250;
            0 for a document printing whole amounts with a currency symbol ("TOTAL $35"): those are read.

    Returns:
        The amounts found, in order.
    """
    text = _OCR_DIGIT.sub("1", text)  # "RMI11.90": OCR reads a 1 right after the currency as I or l
    parens = _parentheses(text)
    found: list[Amount] = _three_decimal_amounts(text) if decimals == 3 else []
    if decimals == 2:
        found.extend(_space_grouped_amounts(text, parens))
    taken = bytearray(len(text))  # 1 inside an amount already read: checks stay linear on long lines
    for amount in found:
        taken[amount.start : amount.end] = b"\x01" * (amount.end - amount.start)
    for match in _AMOUNT_RE.finditer(text):
        if taken[match.start("num")]:
            continue
        num = match.group("num")
        dec = match.group("dec") or match.group("dec2") or match.group("dec3")
        if not dec and not no_minor_units:
            continue
        sep = match.group("sep")
        if sep and dec and sep == dec[0]:
            continue
        if sep == " " and not dec:
            continue
        value = parse_amount("0" + num if num.startswith(".") else num)
        if value is None:
            continue
        if match.group("neg") or match.group("neg2") or match.group("neg3") or _in_parentheses(parens, match):
            value = -value
        cur = match.group("cur")
        currency = _CURRENCY_CODES.get(cur.upper()) if cur else None
        found.append(Amount(value=value, raw=num, start=match.start("num"), end=match.end("num"), currency=currency))
        taken[match.start("num") : match.end("num")] = b"\x01" * (match.end("num") - match.start("num"))
    for match in _SYMBOL_WHOLE_RE.finditer(text) if no_minor_units or decimals == 0 else ():
        group = "num" if match.group("num") else "num2"
        start, end = match.span(group)
        if taken[start]:
            continue
        value = Decimal(re.sub(r"[,'’]", "", match.group(group)))
        cur = (match.group("cur") or match.group("cur2") or "").upper()
        found.append(
            Amount(-value if match.group("neg") else value, match.group(group), start, end, _CURRENCY_CODES.get(cur))
        )
        taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda a: a.start)
    if no_minor_units:
        tail = _WHOLE_TAIL_RE.search(text)
        if tail and not found and not _COUNT_WORD.search(text[: tail.start()]):
            found.append(Amount(Decimal(tail["num"]), tail["num"], tail.start("num"), tail.end("num")))
            taken[tail.start("num") : tail.end("num")] = b"\x01" * (tail.end("num") - tail.start("num"))
    if no_minor_units or "¥" in text or "￥" in text or "円" in text:
        for match in _YEN_RE.finditer(text):
            group = "num" if match.group("num") else "num2"
            span = match.span(group)
            if taken[span[0]]:
                continue
            value = parse_amount(match.group(group).replace(",", ""))
            if value is not None:
                found.append(Amount(value=value, raw=match.group(group), start=span[0], end=span[1], currency="JPY"))
        found.sort(key=lambda a: a.start)
    return [a for a in found if abs(a.value) < MAX_AMOUNT]
