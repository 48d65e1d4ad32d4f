"""Every field the parser fills says how sure it is and which OCR lines it came from."""

from __future__ import annotations

from numzy_mcp.extraction import parse_lines
from numzy_mcp.receipts import ExtractedFields

from .helpers import lines

_NOT_FROM_A_LINE = {"country", "kind", "date_ambiguous"}
"""Fields decided from the whole document or from what is absent (a sale prints no "sale" line)."""


def _filled(fields: ExtractedFields) -> list[str]:
    names: list[str] = []
    for name in ExtractedFields.model_fields:
        if name in ("confidence", "sources", "raw", "date_ambiguous"):
            continue
        value = getattr(fields, name)
        if value not in (None, [], ""):
            names.append(name)
    return names


def _check(fields: ExtractedFields, line_count: int, *, inferred: frozenset[str] = frozenset()) -> None:
    for name in _filled(fields):
        assert 0 <= fields.confidence[name] <= 1, name
        if name not in _NOT_FROM_A_LINE | inferred:
            assert fields.sources.get(name), f"{name} has no source lines"
            assert all(0 <= i < line_count for i in fields.sources[name]), name


def test_every_field_of_a_us_card_receipt_has_confidence_and_source_lines() -> None:
    texts = (
        "JOE'S DINER",
        "123 MAIN ST, AUSTIN, TX 78701",
        "03/14/2026 7:42 PM",
        "2 COFFEE 3.50 7.00",
        "PANCAKES 9.00",
        "SUBTOTAL $16.00",
        "SALES TAX 8.25% $1.32",
        "TIP $3.00",
        "TOTAL $20.32",
        "VISA **** **** **** 4242",
    )
    fields = parse_lines(lines(*texts))
    assert {"merchant", "date", "time", "currency", "subtotal", "tax", "tax_rate", "tip", "total"} <= set(
        _filled(fields)
    )
    assert {"items", "payment_method", "card_last4", "category", "kind", "country"} <= set(_filled(fields))
    _check(fields, len(texts))
    assert fields.sources["card_last4"] == [9]
    assert fields.sources["tax_rate"] == [6]


def test_every_field_of_a_refund_has_confidence_and_source_lines() -> None:
    texts = ("BEST BUY", "REFUND", "CABLE -12.99", "TAX -1.04", "TOTAL -14.03", "CASH -14.03")
    fields = parse_lines(lines(*texts), default_currency="USD")
    assert fields.kind == "refund"
    assert fields.currency == "USD" and fields.confidence["currency"] <= 0.3  # the default: nothing printed says so
    _check(fields, len(texts), inferred=frozenset({"currency"}))
    assert fields.sources["kind"] == [1]


def test_a_malaysian_cash_receipt_points_its_currency_at_the_ringgit_lines() -> None:
    texts = ("KEDAI MAJU SDN BHD", "NO 12, JALAN BESAR, 50000 KUALA LUMPUR", "Date: 09/01/2019", "TOTAL RM 11.00")
    fields = parse_lines(lines(*texts))
    assert fields.currency == "MYR"
    assert fields.sources["currency"] == [3]
    _check(fields, len(texts))
