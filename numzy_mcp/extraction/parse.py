"""Receipt fields from OCR lines: the rule-based parser.

Each field is chosen among scored candidates (see :mod:`amounts`, :mod:`dates`, :mod:`merchant`,
:mod:`totals`) so new evidence can be added as another score term rather than another regex.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.category import guess_category
from numzy_mcp.extraction.dates import DateCandidate, find_dates, find_times
from numzy_mcp.extraction.items import find_items, items_total
from numzy_mcp.extraction.merchant import find_header
from numzy_mcp.extraction.reconcile import adds_up, expected_totals, reconciled_choice, repaired_total
from numzy_mcp.extraction.totals import AmountPick, MoneyFields, find_money_fields
from numzy_mcp.receipts import ExtractedFields, OcrLine

__all__ = ["amount_style", "detect_currency", "parse_lines"]

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
_DATE_LABEL: Final = re.compile(r"DATE|DATUM|\bDT\b|TARIKH|日付", re.IGNORECASE)
_BAD_DATE_CONTEXT: Final = re.compile(r"EXP(?:IRY|\.|\b)|VALID|BEST\s?BEFORE|USE\s?BY|\bBB\b|PRINTED", re.IGNORECASE)
_TIME_LABEL: Final = re.compile(r"TIME|ZEIT|HEURE", re.IGNORECASE)
_CARD: Final = re.compile(
    r"\bVISA\b|MASTER\s?CARD|\bMASTER\b|\bAMEX\b|AMERICAN\s?EXPRESS|\bDEBIT\b|\bCREDIT\b|\bCARD\b|\bEC[-\s]?KARTE|"
    r"\bGIROCARD\b|\bCB|CARTE\s?BANCAIRE|\bMAESTRO\b|CONTACTLESS|\bPAYWAVE\b|\bKARTE\b|SANS\s?CONTACT",
    re.IGNORECASE,
)
_CASH_PAY: Final = re.compile(
    r"\bCASH\b|\bBAR\b|\bBARGELD\b|ESP[EÈ]CES|\bTUNAI\b|\bGEGEBEN\b|\b現金\b|現金", re.IGNORECASE
)
_LAST4: Final = re.compile(r"(?:[*Xx•#]{2,}[\s*Xx•-]*)(\d{4})(?!\d)")
_TAX_RATE: Final = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_REFUND: Final = re.compile(r"REFUND|RETURN|ERSTATTUNG|REMBOURSEMENT|GUTSCHRIFT", re.IGNORECASE)
_DMY_CURRENCIES: Final = frozenset({"MYR", "EUR", "GBP", "SGD", "CHF", "AUD", "NZD", "INR"})


_NO_ACCENT_COUNTRIES: Final = frozenset({"MY", "SG", "US", "GB", "ID"})
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


def _strip_accents(text: str) -> str:
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


def _date_score(candidate: DateCandidate, index: int, text: str, total_lines: int) -> float:
    score = 1.0
    if _DATE_LABEL.search(text):
        score += 2.0
    if _BAD_DATE_CONTEXT.search(text):
        score -= 3.0
    if candidate.order == "named":
        score += 0.3
    today = dt.datetime.now(dt.UTC).date()
    if candidate.value > today + dt.timedelta(days=400):
        score -= 2.0
    score -= 0.5 * index / max(total_lines, 1)
    return score


def _choose_date(texts: list[str], currency: str | None, country: str | None) -> tuple[DateCandidate, int, bool] | None:
    candidates: list[tuple[float, DateCandidate, int]] = []
    for index, text in enumerate(texts):
        for candidate in find_dates(text):
            candidates.append((_date_score(candidate, index, text, len(texts)), candidate, index))
    if not candidates:
        return None
    _, best, line = max(candidates, key=lambda c: (c[0], -c[2]))
    ambiguous = False
    if best.alternative is not None:
        # Evidence for the order: another date on the receipt that only one reading allows,
        # then the country or currency.
        orders = {c.order for _, c, _ in candidates if c.alternative is None and c.order in ("dmy", "mdy")}
        if orders == {"mdy"}:
            best = DateCandidate(best.alternative, best.raw, best.start, best.end, "mdy")
        elif orders == {"dmy"} or country in ("MY", "SG", "DE", "FR", "GB", "CH") or currency in _DMY_CURRENCIES:
            pass
        elif country == "US" or currency == "USD":
            best = DateCandidate(best.alternative, best.raw, best.start, best.end, "mdy")
        else:
            ambiguous = True
    return best, line, ambiguous


def _choose_time(texts: list[str], date_line: int | None) -> tuple[dt.time, str, int] | None:
    candidates: list[tuple[float, dt.time, str, int]] = []
    for index, text in enumerate(texts):
        masked = text
        for date in find_dates(text):
            masked = masked[: date.start] + " " * (date.end - date.start) + masked[date.end :]
        for candidate in find_times(masked):
            score = 1.0
            if index == date_line:
                score += 2.0
            elif date_line is not None and abs(index - date_line) <= 1:
                score += 1.0
            if _TIME_LABEL.search(text):
                score += 1.5
            candidates.append((score, candidate.value, candidate.raw, index))
    if not candidates:
        return None
    _, value, raw, line = max(candidates, key=lambda c: (c[0], -c[3]))
    return value, raw, line


def _set_amount(fields: ExtractedFields, name: str, pick: AmountPick | None) -> None:
    if pick is None:
        return
    setattr(fields, name, pick.value)
    fields.confidence[name] = round(pick.confidence, 2)
    fields.sources[name] = [pick.line]
    fields.raw[name] = pick.raw


_TOTALS_START: Final = re.compile(r"TOTAL|SUMME|\bSTTL\b|SUB\s?TTL|合計|JUMLAH", re.IGNORECASE)


def _set_items(
    fields: ExtractedFields, texts: list[str], money: MoneyFields, *, no_minor_units: bool, decimals: int
) -> Decimal | None:
    """Read the line items above the totals block; return their sum (None without items)."""
    header = fields.sources.get("merchant", []) + fields.sources.get("address", [])
    start = max(header) + 1 if header else 0
    picks = [p.line for p in (money.subtotal, money.total, money.tax) if p is not None]
    keyword = next((i for i, t in enumerate(texts) if i >= start and _TOTALS_START.search(t)), None)
    bounds: list[int] = [*picks, *([keyword] if keyword is not None else [])]
    end = min(bounds) if bounds else len(texts)
    found = find_items(texts, start=start, end=end, no_minor_units=no_minor_units, decimals=decimals)
    if not found:
        return None
    fields.items = [f.item for f in found]
    fields.sources["items"] = sorted({line for f in found for line in f.lines})
    return items_total(found)


def _reconcile_total(fields: ExtractedFields, money: MoneyFields, items_sum: Decimal | None) -> None:
    """Let items + tax + tip choose between total candidates, then grade the total and the items by it."""
    printed_subtotal = money.subtotal.value if money.subtotal is not None else None
    expected = expected_totals(items_sum, printed_subtotal, fields.tax, fields.tip)
    if money.total is not None and fields.total == money.total.value and fields.kind == "purchase":
        rounding = money.rounding
        pick = reconciled_choice(money.total_options, expected, rounding=rounding) or repaired_total(
            money.total, expected, rounding=rounding
        )
        if pick is not None:
            fields.total = pick.value
            fields.sources["total"] = [pick.line]
            fields.raw["total"] = pick.raw
            fields.confidence["total"] = round(pick.confidence, 2)
    if items_sum is not None:
        item_checks = expected_totals(None, printed_subtotal, None, None)
        if fields.total is not None:
            item_checks |= {fields.total - (fields.tax or 0) - (fields.tip or 0), fields.total - (fields.tip or 0)}
        fields.confidence["items"] = 0.85 if items_sum in item_checks else 0.5
    if fields.total is not None and "total" in fields.confidence and expected:
        # Agreement confirms the total; disagreement lowers trust in it.
        step = 0.1 if adds_up(fields.total, expected, rounding=money.rounding) else -0.1
        fields.confidence["total"] = round(min(0.98, max(0.1, fields.confidence["total"] + step)), 2)


def parse_lines(lines: list[OcrLine], *, default_currency: str | None = None) -> ExtractedFields:
    """Extract receipt fields from OCR lines in reading order.

    Args:
        lines: Visual lines (top to bottom, words left to right).
        default_currency: ISO 4217 code used when nothing on the receipt reveals the currency.

    Returns:
        The fields found, with a confidence, source line indices and the printed text for each.
    """
    texts = [" ".join(unicodedata.normalize("NFKC", line.text).split()) for line in lines]
    fields = ExtractedFields(currency=None, tax_rate=None, country=None, date_ambiguous=False)
    if not any(texts):
        return fields

    currency, currency_conf, country = detect_currency(texts, default_currency)
    if country in _NO_ACCENT_COUNTRIES:
        texts = [_strip_accents(t) for t in texts]  # "SETIA ÁLAM", "Şeksyen": OCR noise where no accents are printed
    if currency:
        fields.currency = currency
        fields.confidence["currency"] = round(currency_conf, 2)
    fields.country = country

    header = find_header(texts)
    if header.merchant:
        fields.merchant = header.merchant
        fields.confidence["merchant"] = round(header.merchant_score, 2)
        fields.sources["merchant"] = header.merchant_lines
        fields.raw["merchant"] = header.merchant
    if header.address:
        fields.address = header.address
        fields.confidence["address"] = round(header.address_score, 2)
        fields.sources["address"] = header.address_lines
        fields.raw["address"] = header.address

    chosen = _choose_date(texts, currency, country)
    date_line: int | None = None
    if chosen is not None:
        candidate, date_line, ambiguous = chosen
        fields.date = candidate.value
        fields.date_ambiguous = ambiguous
        fields.confidence["date"] = 0.5 if ambiguous else 0.9
        fields.sources["date"] = [date_line]
        fields.raw["date"] = candidate.raw
    time = _choose_time(texts, date_line)
    if time is not None:
        fields.time, fields.raw["time"], line = time
        fields.confidence["time"] = 0.8 if line == date_line else 0.6
        fields.sources["time"] = [line]

    whole_units, decimals = amount_style(texts, currency)
    money = find_money_fields(texts, no_minor_units=whole_units, decimals=decimals)
    _set_amount(fields, "total", money.total)
    _set_amount(fields, "subtotal", money.subtotal)
    _set_amount(fields, "tax", money.tax)
    _set_amount(fields, "tip", money.tip)
    if money.tax is not None:
        rate = _TAX_RATE.search(texts[money.tax.line])
        if rate:
            fields.tax_rate = Decimal(rate.group(1).replace(",", "."))
    refund = any(_REFUND.search(t) for t in texts)
    if refund and fields.total is not None and fields.total > 0 and fields.subtotal is not None and fields.subtotal < 0:
        fields.total = -fields.total  # "REFUND TOTAL 12.27" under negative item lines
    if refund and fields.tax is not None and fields.tax > 0 and fields.subtotal is not None and fields.subtotal < 0:
        fields.tax = -fields.tax
    if fields.total is not None and fields.total < 0 and refund:
        fields.kind = "refund"
    items_sum = _set_items(fields, texts, money, no_minor_units=whole_units, decimals=decimals)
    _reconcile_total(fields, money, items_sum)
    if fields.subtotal is None and fields.tax is not None and fields.total is not None:
        # Only a VAT breakdown is printed (prices include tax): the net amount is total - tax - tip.
        net = fields.total - fields.tax - (fields.tip or 0)
        if 0 < abs(net) <= abs(fields.total):
            fields.subtotal = net
            fields.confidence["subtotal"] = 0.5
            fields.sources["subtotal"] = fields.sources.get("total", []) + fields.sources.get("tax", [])

    category, category_conf = guess_category(fields.merchant, [i.description for i in fields.items], texts)
    fields.category = category
    fields.confidence["category"] = category_conf

    joined = "\n".join(texts)
    card, cash = _CARD.search(joined), _CASH_PAY.search(joined)
    if card and (not cash or money.change in (None, 0)):
        fields.payment_method = "card"
        fields.confidence["payment_method"] = 0.6
        fields.sources["payment_method"] = [joined[: card.start()].count("\n")]
        last4 = _LAST4.search(joined)
        if last4:
            fields.card_last4 = last4.group(1)
    elif cash:
        fields.payment_method = "cash"
        fields.confidence["payment_method"] = 0.6
        fields.sources["payment_method"] = [joined[: cash.start()].count("\n")]
    return fields
