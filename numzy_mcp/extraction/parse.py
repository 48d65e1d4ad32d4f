"""Receipt fields from OCR lines: the rule-based parser.

Each field is chosen among scored candidates (see :mod:`amounts`, :mod:`dates`, :mod:`merchant`,
:mod:`totals`) so new evidence can be added as another score term rather than another regex.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.amounts import MAX_AMOUNT, find_amounts
from numzy_mcp.extraction.category import guess_category
from numzy_mcp.extraction.currency import (
    DOLLAR_CURRENCIES,
    NO_ACCENT_COUNTRIES,
    amount_style,
    detect_currency,
    strip_accents,
)
from numzy_mcp.extraction.items import find_items, items_total
from numzy_mcp.extraction.merchant import find_header
from numzy_mcp.extraction.money_words import REFUND
from numzy_mcp.extraction.payment import set_payment
from numzy_mcp.extraction.reconcile import adds_up, expected_totals, reconciled_choice, repaired_total
from numzy_mcp.extraction.totals import AmountPick, MoneyFields, find_money_fields
from numzy_mcp.extraction.when import choose_date, choose_time
from numzy_mcp.receipts import ExtractedFields, OcrLine

__all__ = ["MAX_DOCUMENT_CHARS", "MAX_LINE_CHARS", "parse_lines"]

MAX_LINE_CHARS: Final = 1_000
"""Only this many characters of a line are parsed; the rest is ignored.

Receipt printers print 32 to 56 columns and the widest invoice lines in a PDF text layer stay under
a few hundred characters (the longest in our benchmark sets: 144). A longer line is a PDF's text
layer run together or a hostile upload, and several scoring steps look at the whole line once per
amount or date on it, so an uncapped line costs time that grows with the square of its length.
"""

_TAX_RATE: Final = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%")


def _set_amount(fields: ExtractedFields, name: str, pick: AmountPick | None) -> None:
    if pick is None:
        return
    setattr(fields, name, pick.value)
    fields.confidence[name] = round(pick.confidence, 2)
    fields.sources[name] = [pick.line]
    fields.raw[name] = pick.raw


_TOTALS_START: Final = re.compile(r"TOTAL|SUMME|\bSTTL\b|SUB\s?TTL|合計|合计|JUMLAH", re.IGNORECASE)


def _guessed_total(money: MoneyFields) -> bool:
    """No total was printed or paid: the largest amount on the page only stands in for one."""
    total = money.total
    if total is None or money.total_options or total.value <= 0:
        return False
    return money.cash is None or money.change is None or total.value != money.cash - money.change


def _body_start(fields: ExtractedFields) -> int:
    header = fields.sources.get("merchant", []) + fields.sources.get("address", [])
    return max(header) + 1 if header else 0


def _set_items(
    fields: ExtractedFields, texts: list[str], money: MoneyFields, *, no_minor_units: bool, decimals: int
) -> Decimal | None:
    """Read the line items above the totals block; return their sum (None without items)."""
    start = _body_start(fields)
    total = None if _guessed_total(money) else money.total  # a guessed total may be an item line itself
    picks = [p.line for p in (money.subtotal, total, money.tax) if p is not None]
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
    """Let items + tax + tip + service − discounts choose the total (and the tax), then grade both by it."""
    printed_subtotal = money.subtotal.value if money.subtotal is not None else None

    def expected(tax: Decimal | None) -> set[Decimal]:
        return expected_totals(
            items_sum, printed_subtotal, tax, fields.tip, discount=money.discount, service=money.service
        )

    allowed = expected(fields.tax)
    if money.total is not None and fields.total == money.total.value and fields.kind == "purchase":
        rounding = money.rounding
        pick = reconciled_choice(money.total_options, allowed, rounding=rounding) or repaired_total(
            money.total, allowed, rounding=rounding
        )
        if pick is not None:
            fields.total = pick.value
            fields.sources["total"] = [pick.line]
            fields.raw["total"] = pick.raw
            fields.confidence["total"] = round(pick.confidence, 2)
    taxes = [t for t in money.tax_lines if money.total is None or t.line < money.total.line]
    if len(taxes) > 1 and fields.total is not None and not adds_up(fields.total, allowed, rounding=money.rounding):
        summed = sum((t.value for t in taxes), Decimal(0))
        if adds_up(fields.total, expected(summed), rounding=money.rounding):
            # State + city tax, GST + PST: the receipt's tax is their sum.
            fields.tax = summed
            fields.sources["tax"] = [t.line for t in taxes]
            fields.raw["tax"] = " + ".join(t.raw for t in taxes)
            fields.tax_rate = None  # each line has its own rate; their sum has none printed
            allowed = expected(summed)
    if items_sum is not None:
        # The items (discounts are not items) equal the subtotal, or what is left of the total once tax,
        # tip and service are taken off and the discount put back.
        bases = {printed_subtotal} if printed_subtotal is not None else set[Decimal]()
        if fields.total is not None:
            extras = (fields.tip or 0) + money.service
            bases |= {fields.total - (fields.tax or 0) - extras, fields.total - extras}
        item_checks = bases | {b + money.discount for b in bases}
        fields.confidence["items"] = 0.85 if items_sum in item_checks else 0.5
    if fields.total is not None and "total" in fields.confidence and allowed:
        # Agreement confirms the total; disagreement lowers trust in it.
        step = 0.1 if adds_up(fields.total, allowed, rounding=money.rounding) else -0.1
        fields.confidence["total"] = round(min(0.98, max(0.1, fields.confidence["total"] + step)), 2)


_TAX_INCLUDED: Final = re.compile(
    r"INCL|INKL|INBEGREPEN|ENTHALTEN|COMPRIS|INCLUS|INCLUIDO|TERMASUK|内税|内消費税", re.IGNORECASE
)
_TAX_ADDED_CURRENCIES: Final = frozenset({"USD", "CAD"})
"""Where sales tax is added at the till, so items + tax is the total; elsewhere prices include the tax."""


def _total_from_items(
    fields: ExtractedFields,
    money: MoneyFields,
    texts: list[str],
    items_sum: Decimal | None,
    *,
    no_minor_units: bool,
    decimals: int,
) -> None:
    """Replace a guessed total printed above the tax line: it was an item or the pre-tax sum, not the total.

    Without a total line the amount printed most often, else the largest, stands in for the total. A
    total is printed below its tax, so when the tax line comes after an amount printed only once (and
    does not say the tax is included), the total is
    computed from the priced lines above the tax: the items' sum, else the one amount printed there,
    plus the tax where sales tax is added at the till (USD, CAD). The result is marked with a low
    confidence so it is reviewed; when nothing adds up to it, no total is given rather than a wrong one.
    """
    total, tax = money.total, money.tax
    if total is None or tax is None or tax.value <= 0 or tax.line <= total.line:
        return
    if _TAX_INCLUDED.search(texts[tax.line]):
        return
    amounts = [find_amounts(text, no_minor_units=no_minor_units, decimals=decimals) for text in texts]
    if sum(abs(a.value) == total.value for line in amounts for a in line) > 1:
        return  # printed again (a total line the keywords missed, the amount paid): the guess holds
    base: Decimal | None = None
    lines: list[int] = []
    if items_sum is not None and items_sum > 0:
        base, lines = items_sum, list(fields.sources.get("items", []))
    else:
        above = [
            (amount.value, index)
            for index in range(_body_start(fields), tax.line)
            for amount in amounts[index]
            if amount.value > 0
        ]
        if len(above) == 1:
            base, lines = above[0][0], [above[0][1]]
    value = base + tax.value if base is not None and fields.currency in _TAX_ADDED_CURRENCIES else base
    fields.confidence.pop("total", None)
    fields.sources.pop("total", None)
    fields.raw.pop("total", None)
    if value is None or value >= MAX_AMOUNT:
        fields.total = None
        return
    fields.total = value
    fields.confidence["total"] = 0.3
    fields.sources["total"] = sorted({*lines, tax.line})
    fields.raw["total"] = str(value)


MAX_DOCUMENT_CHARS: Final = 100_000
"""Only the lines within this many characters of a document's start are parsed.

Parsing costs about 45 µs a character, so this bounds one document at a few seconds of CPU; ten
pages of a dense invoice hold about 30,000 characters, a receipt a few thousand.
"""


def _bounded(texts: list[str]) -> list[str]:
    """The lines that fit in ``MAX_DOCUMENT_CHARS`` (line indices stay those of the OCR lines)."""
    used = 0
    for index, text in enumerate(texts):
        used += len(text)
        if used > MAX_DOCUMENT_CHARS:
            return texts[:index]
    return texts


def parse_lines(lines: list[OcrLine], *, default_currency: str | None = None) -> ExtractedFields:
    """Extract receipt fields from OCR lines in reading order.

    Args:
        lines: Visual lines (top to bottom, words left to right).
        default_currency: ISO 4217 code used when nothing on the receipt reveals the currency.

    Returns:
        The fields found, with a confidence, source line indices and the printed text for each.
    """
    texts = _bounded([" ".join(unicodedata.normalize("NFKC", line.text).split())[:MAX_LINE_CHARS] for line in lines])
    fields = ExtractedFields(currency=None, tax_rate=None, country=None, date_ambiguous=False)
    if not any(texts):
        return fields

    currency, currency_conf, country = detect_currency(texts, default_currency)
    if country in NO_ACCENT_COUNTRIES:
        texts = [strip_accents(t) for t in texts]  # "SETIA ÁLAM", "Şeksyen": OCR noise where no accents are printed
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

    chosen = choose_date(texts, currency, country)
    date_line: int | None = None
    if chosen is not None:
        candidate, date_line, ambiguous = chosen
        fields.date = candidate.value
        fields.date_ambiguous = ambiguous
        fields.confidence["date"] = 0.5 if ambiguous else 0.9
        fields.sources["date"] = [date_line]
        fields.raw["date"] = candidate.raw
    time = choose_time(texts, date_line)
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
    refund = money.refund
    total_line = texts[money.total.line] if money.total is not None else ""
    if refund and fields.total is not None and fields.total > 0 and REFUND.search(total_line):
        fields.total = -fields.total  # "REFUND TOTAL 12.99" printed without a sign
    if refund and fields.total is not None and fields.total > 0 and fields.subtotal is not None and fields.subtotal < 0:
        fields.total = -fields.total  # "REFUND TOTAL 12.27" under negative item lines
    if refund and fields.tax is not None and fields.tax > 0 and fields.subtotal is not None and fields.subtotal < 0:
        fields.tax = -fields.tax
    if fields.total is not None and fields.total < 0 and refund:
        fields.kind = "refund"
    items_sum = _set_items(fields, texts, money, no_minor_units=whole_units, decimals=decimals)
    _reconcile_total(fields, money, items_sum)
    guessed = _guessed_total(money)
    if guessed and fields.kind == "purchase":
        _total_from_items(fields, money, texts, items_sum, no_minor_units=whole_units, decimals=decimals)
    if fields.subtotal is None and fields.tax is not None and fields.total is not None and not guessed:
        # Only a VAT breakdown is printed (prices include tax): the net amount is total - tax - tip.
        # Never from a guessed total: that may be an item line, and the subtotal would be made up.
        net = fields.total - fields.tax - (fields.tip or 0)
        if 0 < abs(net) <= abs(fields.total):
            fields.subtotal = net
            fields.confidence["subtotal"] = 0.5
            fields.sources["subtotal"] = fields.sources.get("total", []) + fields.sources.get("tax", [])

    category, category_conf = guess_category(fields.merchant, [i.description for i in fields.items], texts)
    fields.category = category
    fields.confidence["category"] = category_conf

    set_payment(fields, texts, money.change)
    _complete_provenance(fields, money, texts)
    return fields


def _complete_provenance(fields: ExtractedFields, money: MoneyFields, texts: list[str]) -> None:
    """Give every filled field a confidence and the lines it came from (derived fields: their evidence)."""
    if fields.currency and "currency" not in fields.sources:
        marked = money.currency_lines.get(fields.currency, [])
        # amounts tag a bare "$" as USD and "¥" as JPY; the document may have decided otherwise
        shared_mark = "USD" if fields.currency in DOLLAR_CURRENCIES else "JPY" if fields.currency == "CNY" else None
        if not marked and shared_mark is not None:
            marked = money.currency_lines.get(shared_mark, [])
        if marked:
            fields.sources["currency"] = marked[:5]
    if fields.tax_rate is not None and "tax" in fields.sources:
        fields.confidence.setdefault("tax_rate", fields.confidence.get("tax", 0.5))
        fields.sources.setdefault("tax_rate", fields.sources["tax"][-1:])
    if fields.card_last4:
        fields.confidence.setdefault("card_last4", fields.confidence.get("payment_method", 0.6))
        line = next((i for i, t in enumerate(texts) if fields.card_last4 in t), None)
        if line is not None:
            fields.sources.setdefault("card_last4", [line])
    if fields.category is not None and "category" not in fields.sources:
        cues = fields.sources.get("merchant", []) + fields.sources.get("items", [])
        if cues:
            fields.sources["category"] = sorted(set(cues))
    if fields.kind == "refund":
        fields.confidence["kind"] = 0.9
        fields.sources["kind"] = [i for i, t in enumerate(texts) if REFUND.search(t)][:3] or fields.sources.get(
            "total", []
        )
    else:
        # A sale unless a refund is printed; a refund word with a positive total leaves some doubt.
        fields.confidence["kind"] = 0.6 if money.refund else 0.9
    if fields.country:
        fields.confidence.setdefault("country", min(0.9, fields.confidence.get("currency", 0.5)))
