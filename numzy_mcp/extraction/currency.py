"""Currency, country and number style of a receipt, decided from the whole document.

Symbols and ISO codes weigh most; country hints (legal forms, states, tax words, postcodes) add
evidence and name the currency of a bare "$". The number style (whole units, three decimals) follows
from the currency or from how the document itself prints its amounts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Final

__all__ = ["DMY_CURRENCIES", "NO_ACCENT_COUNTRIES", "amount_style", "detect_currency", "strip_accents"]

_BARE_DOLLAR: Final = re.compile(r"(?<![SACU])\$\s?\d|\d\s?\$")
_CURRENCY_MARKS: Final[list[tuple[re.Pattern[str], str, float]]] = [
    (re.compile(r"(?<![A-Z])RM\s?\d|\(RM\)|\bRM\b|\bMYR\b", re.IGNORECASE), "MYR", 2.0),
    (re.compile(r"S\$|\bSGD\b"), "SGD", 3.0),
    (re.compile(r"US\$|\bUSD\b"), "USD", 3.0),
    (_BARE_DOLLAR, "USD", 1.0),
    (re.compile(r"€|\bEUR\b|\bEURO\b", re.IGNORECASE), "EUR", 2.0),
    (re.compile(r"£|\bGBP\b"), "GBP", 2.0),
    (re.compile(r"¥|￥|円|\bJPY\b"), "JPY", 2.0),
    (re.compile(r"\bCHF\b|\bFr\.\s?\d|\bSFr"), "CHF", 2.5),
    (re.compile(r"\bKWD\b|\bKD\s?\d"), "KWD", 2.5),
    (re.compile(r"\bBHD\s?\d|\d\s?BHD\b|\bBD\s?\d"), "BHD", 2.5),  # "SDN BHD" is Berhad
    (re.compile(r"\bOMR\b|\bR\.?O\.?\s?\d"), "OMR", 2.5),
    (re.compile(r"\bIDR\b|\bRp\.?\s?\d", re.IGNORECASE), "IDR", 2.5),
]
_COUNTRY_HINTS: Final[list[tuple[re.Pattern[str], str, str]]] = [
    (
        re.compile(
            r"S[DO]N\.?\s?B[HN][DO]|MALAYSIA|SELANGOR|KUALA\s?LUMPUR|\bJOHOR\b|PENANG|\bJALAN\b|\bJLN\b|\bTAMAN\b",
            re.IGNORECASE,
        ),
        "MY",
        "MYR",
    ),
    (re.compile(r"SINGAPORE|\bPTE\.?\s?LTD", re.IGNORECASE), "SG", "SGD"),
    (re.compile(r"INDONESIA|JAKARTA|\bKEMBALI(?:AN)?\b|\bPB1\b|\bPPN\b", re.IGNORECASE), "ID", "IDR"),
    (re.compile(r"KUWAIT", re.IGNORECASE), "KW", "KWD"),
    (re.compile(r"BAHRAIN|MANAMA", re.IGNORECASE), "BH", "BHD"),
    (re.compile(r"\bOMAN\b|MUSCAT", re.IGNORECASE), "OM", "OMR"),
    (re.compile(r"\bMWST\b|\bUST-?ID|\bGMBH\b|\bSTRASSE\b|STRAßE|\bKASSENBON\b|\bSUMME\b", re.IGNORECASE), "DE", "EUR"),
    (re.compile(r"\bTVA\b|\bTTC\b|\bSIRET\b|\bMERCI\b", re.IGNORECASE), "FR", "EUR"),
    (re.compile(r"\bVAT\s?(?:NO|REG)|\bUNITED\s?KINGDOM\b|\bLONDON\b|\bPOSTCODE\b", re.IGNORECASE), "GB", "GBP"),
    (re.compile(r"\bMWST\.?\s?NR|\bSCHWEIZ\b|\bSUISSE\b|\bZÜRICH\b|\bZURICH\b|\bCHE-\d", re.IGNORECASE), "CH", "CHF"),
    (
        re.compile(
            r"\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b|\bSALES\s?TAX\b|\bUSA\b|,\s?(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|"
            r"IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|"
            r"WI|WY|DC)\b"
        ),
        "US",
        "USD",
    ),
]
DMY_CURRENCIES: Final = frozenset({"MYR", "EUR", "GBP", "SGD", "CHF", "AUD", "NZD", "INR"})


NO_ACCENT_COUNTRIES: Final = frozenset({"MY", "SG", "US", "GB", "ID"})
_WHOLE_UNIT_CURRENCIES: Final = frozenset({"JPY", "IDR", "KRW", "VND", "CLP", "ISK"})
_THREE_DECIMAL_CURRENCIES: Final = frozenset({"KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD"})
_GROUPED_WHOLE: Final = re.compile(r"(?<![\d.,'])\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?![\d]|[.,]\d)")
_TWO_DECIMALS: Final = re.compile(r"(?<![\d.,])\d+[.,](\d{2})(?!\d)")


def amount_style(texts: list[str], currency: str | None) -> tuple[bool, int]:
    """How this receipt prints money: (whole units only, number of decimals).

    Whole units come from the currency (yen, rupiah, ...) or from the document itself: amounts
    grouped by three ("60.000", "28,000") and no amount with two non-zero decimals anywhere.

    Args:
        texts: Line texts.
        currency: The detected currency, if any.

    Returns:
        (True when whole numbers with thousands separators are amounts, 2 or 3 decimals).
    """
    if currency in _THREE_DECIMAL_CURRENCIES:
        return False, 3
    if currency in _WHOLE_UNIT_CURRENCIES:
        return True, 2
    grouped = sum(len(_GROUPED_WHOLE.findall(t)) for t in texts)
    two_decimals = [m.group(1) for t in texts for m in _TWO_DECIMALS.finditer(t)]
    whole = grouped >= 2 and grouped > len(two_decimals) and all(d == "00" for d in two_decimals)
    return whole, 2


def strip_accents(text: str) -> str:
    """Drop combining accents ("SETIA ÁLAM" → "SETIA ALAM"): OCR noise where none are printed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def detect_currency(texts: list[str], default_currency: str | None = None) -> tuple[str | None, float, str | None]:
    """Decide the receipt currency from symbols and codes, then from country hints.

    Args:
        texts: Line texts.
        default_currency: Returned (with low confidence) when nothing on the receipt decides.

    Returns:
        (ISO 4217 code or None, confidence, ISO 3166 country code or None).
    """
    weights: dict[str, float] = {}
    bare_dollar = 0.0
    for text in texts:
        for pattern, code, weight in _CURRENCY_MARKS:
            hits = len(pattern.findall(text))
            if hits and pattern is _BARE_DOLLAR:
                bare_dollar += weight * min(hits, 3)
            elif hits:
                weights[code] = weights.get(code, 0.0) + weight * min(hits, 3)
    country_scores: Counter[str] = Counter()
    country_currency: dict[str, str] = {}
    for text in texts:
        for pattern, country, code in _COUNTRY_HINTS:
            if pattern.search(text):
                country_scores[country] += 1
                country_currency[country] = code
    country = country_scores.most_common(1)[0][0] if country_scores else None
    if country is not None:
        code = country_currency[country]
        weights[code] = weights.get(code, 0.0) + 1.5 * min(country_scores[country], 3)
    if bare_dollar:
        # A bare "$" names the country's own currency: USD in the US, SGD in Singapore, and on a Malaysian
        # receipt printing "$6.90" it is still ringgit. Without a country it is read as USD.
        code = country_currency[country] if country is not None else "USD"
        weights[code] = weights.get(code, 0.0) + bare_dollar
    if weights:
        best = max(weights, key=lambda c: weights[c])
        return best, min(0.95, 0.5 + 0.1 * weights[best]), country
    if default_currency:
        return default_currency.upper(), 0.2, country
    return None, 0.0, country
