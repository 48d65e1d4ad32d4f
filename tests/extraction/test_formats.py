"""Number formats, currencies, refunds, rounding, dates and times: OCR-line fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.amounts import find_amounts
from numzy_mcp.extraction.dates import find_dates, find_times

from .helpers import lines


def test_decimal_comma_with_dot_thousands_is_read_as_one_amount() -> None:
    fields = parse_lines(lines("Baumarkt GmbH", "Bohrmaschine 1.199,00", "Dübel 35,56", "SUMME EUR 1.234,56"))
    assert fields.total == Decimal("1234.56")
    assert fields.currency == "EUR"


def test_apostrophe_thousands_are_read_on_a_swiss_receipt() -> None:
    fields = parse_lines(lines("Uhren AG Zürich", "MWST Nr CHE-123.456.789", "Uhr 1'234.50", "TOTAL CHF 1'234.50"))
    assert fields.total == Decimal("1234.50")
    assert fields.currency == "CHF"


def test_yen_amounts_have_no_decimals_and_keep_their_thousands() -> None:
    fields = parse_lines(
        lines("ローソン", "おにぎり ¥150", "弁当 ¥1,130", "合計 ¥1,280", "お預り ¥2,000", "お釣り ¥720")
    )
    assert fields.currency == "JPY"
    assert fields.total == Decimal(1280)


@pytest.mark.parametrize(
    ("code", "label"),
    [("KWD", "KD"), ("BHD", "BD"), ("OMR", "RO")],
)
def test_three_decimal_currencies_read_three_decimals(code: str, label: str) -> None:
    fields = parse_lines(
        lines("GULF TRADING CO", f"RICE 5KG {label} 2.750", f"WATER {label} 0.500", f"TOTAL {code} 3.250")
    )
    assert fields.currency == code
    assert fields.total == Decimal("3.250")
    assert [item.amount for item in fields.items] == [Decimal("2.750"), Decimal("0.500")]


def test_a_three_decimal_amount_is_not_read_as_thousands_once_the_currency_is_known() -> None:
    assert [a.value for a in find_amounts("TOTAL KWD 1.250", decimals=3)] == [Decimal("1.250")]
    assert [a.value for a in find_amounts("TOTAL 1,234.500", decimals=3)] == [Decimal("1234.500")]


@pytest.mark.parametrize(
    ("text", "value"),
    [("TOTAL $12.40", "12.40"), ("TOTAL 12.40 $", "12.40"), ("TOTAL € 8,60", "8.60"), ("TOTAL 8,60 €", "8.60")],
)
def test_the_currency_symbol_may_stand_before_or_after_the_amount(text: str, value: str) -> None:
    assert parse_lines(lines("SHOP", text)).total == Decimal(value)


def test_a_negative_total_under_a_refund_heading_is_a_refund() -> None:
    fields = parse_lines(lines("BEST STORE", "REFUND", "CABLE -12.99", "TAX -1.04", "TOTAL -14.03", "VISA ****1234"))
    assert fields.total == Decimal("-14.03")
    assert fields.kind == "refund"
    assert fields.card_last4 == "1234"


def test_a_trailing_minus_marks_a_negative_amount() -> None:
    assert [a.value for a in find_amounts("RETURN CABLE 12.99-")] == [Decimal("-12.99")]


def test_a_purchase_with_a_discount_line_is_not_a_refund() -> None:
    fields = parse_lines(lines("SHOP SDN BHD", "SHIRT 50.00", "DISCOUNT -5.00", "TOTAL 45.00"))
    assert fields.total == Decimal("45.00")
    assert fields.kind == "purchase"


def test_the_rounding_adjustment_line_is_not_the_total() -> None:
    fields = parse_lines(
        lines("MINI MART SDN BHD", "BREAD 3.52", "TOTAL 3.52", "ROUNDING ADJ -0.02", "TOTAL ROUNDED 3.50", "CASH 5.00")
    )
    assert fields.total == Decimal("3.50")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DATE 05/03/19", dt.date(2019, 3, 5)),
        ("15 March 2018", dt.date(2018, 3, 15)),
        ("Mar 15, 2018", dt.date(2018, 3, 15)),
        ("15-Mar-18", dt.date(2018, 3, 15)),
        ("2018-03-15", dt.date(2018, 3, 15)),
        ("15. März 2018", dt.date(2018, 3, 15)),
        ("15 janv. 2018", dt.date(2018, 1, 15)),
        ("2018年3月15日", dt.date(2018, 3, 15)),
    ],
)
def test_dates_are_read_with_two_digit_years_and_month_names(text: str, expected: dt.date) -> None:
    assert [c.value for c in find_dates(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:13 PM", dt.time(20, 13)),
        ("12:05 AM", dt.time(0, 5)),
        ("12:30 pm", dt.time(12, 30)),
        ("11:18:05", dt.time(11, 18, 5)),
        ("12h30", dt.time(12, 30)),
    ],
)
def test_twelve_hour_and_european_times_are_read(text: str, expected: dt.time) -> None:
    assert [c.value for c in find_times(text)] == [expected]


def test_a_day_over_twelve_elsewhere_decides_month_first_for_the_whole_receipt() -> None:
    fields = parse_lines(lines("SHOP", "Date 03/04/2019", "Valid until 12/25/2019", "TOTAL 5.00"))
    assert fields.date == dt.date(2019, 3, 4)
    assert not fields.date_ambiguous


def test_a_us_address_decides_month_first() -> None:
    fields = parse_lines(lines("CORNER DELI", "12 MAIN ST, AUSTIN, TX 78701", "03/04/2019", "TOTAL $5.00"))
    assert fields.date == dt.date(2019, 3, 4)
    assert not fields.date_ambiguous


def test_a_malaysian_receipt_decides_day_first() -> None:
    fields = parse_lines(lines("KEDAI SDN BHD", "JALAN BESAR, SELANGOR", "03/04/2019", "TOTAL RM 5.00"))
    assert fields.date == dt.date(2019, 4, 3)
    assert not fields.date_ambiguous


def test_an_undecidable_date_is_flagged_with_lower_confidence() -> None:
    fields = parse_lines(lines("SHOP", "03/04/2019", "TOTAL 5.00"))
    assert fields.date_ambiguous
    assert fields.confidence["date"] < 0.7


def test_dot_grouped_whole_amounts_are_rupiah_when_no_amount_has_cents() -> None:
    fields = parse_lines(
        lines("KOPI KENANGAN", "Kopi Susu Kolonel 1 23.000", "Es Teh 2 14.000", "Total 37.000", "Tunai 50.000")
    )
    assert fields.total == Decimal(37000)
    assert [item.amount for item in fields.items] == [Decimal(23000), Decimal(14000)]


def test_comma_grouped_whole_amounts_with_a_quantity_of_one_point_zero_zero_are_whole_units() -> None:
    fields = parse_lines(lines("LE MINERAL 8,000", "1.00", "SUBTOTAL 16,000", "TOTAL 16,000", "CASH 20,000"))
    assert fields.total == Decimal(16000)


def test_quantities_with_three_decimals_do_not_turn_ringgit_into_whole_units() -> None:
    fields = parse_lines(
        lines("KEDAI SDN BHD", "1.000 X 5.90 5.90", "1.000 X 12.50 12.50", "TOTAL 18.40", "CASH 20.00")
    )
    assert fields.total == Decimal("18.40")


def test_rupiah_marks_set_the_currency() -> None:
    fields = parse_lines(lines("TOKO MAJU JAKARTA", "NASI GORENG Rp 25.000", "TOTAL Rp 25.000"))
    assert fields.currency == "IDR"
    assert fields.total == Decimal(25000)
