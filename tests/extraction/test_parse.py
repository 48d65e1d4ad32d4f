from __future__ import annotations

import datetime as dt
from decimal import Decimal

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.amounts import find_amounts, parse_amount

from .helpers import lines


def test_the_total_is_not_the_largest_amount_when_cash_and_change_are_printed() -> None:
    fields = parse_lines(
        lines(
            "KEDAI MAJU SDN BHD",
            "NO 12, JALAN BESAR, 50000 KUALA LUMPUR",
            "Date: 09/01/2019 12:30",
            "NASI LEMAK 1 x 8.50 8.50",
            "TEH TARIK 1 x 2.50 2.50",
            "TOTAL RM 11.00",
            "CASH RM 50.00",
            "CHANGE RM 39.00",
        )
    )
    assert fields.total == Decimal("11.00")
    assert fields.raw["total"] == "11.00"
    assert fields.sources["total"] == [5]
    assert fields.payment_method == "cash"


def test_the_total_is_found_from_cash_minus_change_when_no_total_line_is_read() -> None:
    fields = parse_lines(
        lines("SHOP ENTERPRISE", "ITEM A 3.50", "ITEM B 5.00", "Paid Amount: 100.00", "Change : 91.50")
    )
    assert fields.total == Decimal("8.50")


def test_the_subtotal_is_kept_apart_from_the_total() -> None:
    fields = parse_lines(
        lines(
            "CORNER GROCERY",
            "MILK 3.49",
            "BREAD 2.99",
            "SUBTOTAL 6.48",
            "SALES TAX 8% 0.52",
            "TOTAL 7.00",
            "VISA **** 1234",
        ),
        default_currency="USD",
    )
    assert fields.subtotal == Decimal("6.48")
    assert fields.tax == Decimal("0.52")
    assert fields.tax_rate == Decimal(8)
    assert fields.total == Decimal("7.00")
    assert fields.payment_method == "card"
    assert fields.card_last4 == "1234"


def test_the_rounded_total_wins_over_the_pre_rounding_total() -> None:
    fields = parse_lines(
        lines(
            "MR D.I.Y. (M) SDN BHD",
            "Total RM 30.91",
            "ROUNDING ADJUSTMENT -RM 0.01",
            "TOTAL ROUNDED RM 30.90",
            "CASH 30.90 RM 51.00",
            "CHANGE RM 20.10",
        )
    )
    assert fields.total == Decimal("30.90")
    assert fields.currency == "MYR"


def test_a_time_glued_to_the_year_is_split_from_the_date() -> None:
    fields = parse_lines(lines("KEDAI MAJU SDN BHD", "11/03/1821:30 CASHIER 2", "TOTAL 5.00"))
    assert fields.date == dt.date(2018, 3, 11)
    assert fields.time == dt.time(21, 30)
    assert fields.raw["date"] == "11/03/18"


def test_a_month_name_date_glued_to_a_time_is_read() -> None:
    fields = parse_lines(lines("UNIHAKKA INTERNATIONAL SDN BHD", "19Mar201818:26", "TOTAL 5.00"))
    assert fields.date == dt.date(2018, 3, 19)
    assert fields.raw["date"] == "19Mar2018"
    assert fields.time == dt.time(18, 26)


def test_day_first_is_chosen_when_another_date_on_the_receipt_proves_it() -> None:
    fields = parse_lines(lines("SOME SHOP", "Date 04/05/2023", "Valid until 25/05/2023", "TOTAL 5.00"))
    assert fields.date == dt.date(2023, 5, 4)
    assert fields.date_ambiguous is False


def test_month_first_is_chosen_when_another_date_on_the_receipt_proves_it() -> None:
    fields = parse_lines(lines("SOME SHOP", "Date 04/05/2023", "Return by 05/28/2023", "TOTAL 5.00"))
    assert fields.date == dt.date(2023, 4, 5)
    assert fields.date_ambiguous is False


def test_an_undecidable_day_month_order_is_flagged_as_ambiguous() -> None:
    fields = parse_lines(lines("SOME SHOP", "04/05/2023", "TOTAL 5.00"))
    assert fields.date is not None
    assert fields.date_ambiguous is True


def test_decimal_comma_amounts_are_read_as_euros() -> None:
    fields = parse_lines(
        lines(
            "Bäckerei Schmidt GmbH",
            "Hauptstraße 5, 10115 Berlin",
            "12.03.24 14:22",
            "Kaffeemaschine 1.234,56",
            "Summe EUR 1.234,56",
            "MwSt 19% 197,11",
            "Gegeben BAR 1.300,00",
            "Rückgeld 65,44",
        )
    )
    assert fields.total == Decimal("1234.56")
    assert fields.raw["total"] == "1.234,56"
    assert fields.currency == "EUR"
    assert fields.date == dt.date(2024, 3, 12)
    assert fields.time == dt.time(14, 22)


def test_parse_amount_reads_every_separator_convention() -> None:
    assert parse_amount("1.234,56") == Decimal("1234.56")
    assert parse_amount("1,234.56") == Decimal("1234.56")
    assert parse_amount("1'234.50") == Decimal("1234.50")
    assert parse_amount("12,30") == Decimal("12.30")
    assert parse_amount("3.50-") == Decimal("-3.50")
    assert parse_amount("abc") is None


def test_dates_and_phone_numbers_are_not_amounts() -> None:
    assert find_amounts("Date 28.12.2017") == []
    assert find_amounts("Tel 03-40210276") == []
    assert [a.value for a in find_amounts("1971 1 148.40 148.40 SR")] == [Decimal("148.40"), Decimal("148.40")]


def test_currency_is_read_from_symbols_and_codes() -> None:
    assert parse_lines(lines("CAFE", "TOTAL £4.50")).currency == "GBP"
    assert parse_lines(lines("CAFE", "TOTAL 4,50 €")).currency == "EUR"
    assert parse_lines(lines("CAFE", "TOTAL CHF 4.50")).currency == "CHF"
    assert parse_lines(lines("CAFE", "合計 ¥1,280")).currency == "JPY"
    assert parse_lines(lines("CAFE", "TOTAL RM 4.50")).currency == "MYR"


def test_currency_comes_from_country_hints_before_the_default() -> None:
    fields = parse_lines(lines("KEDAI MAJU SDN BHD", "TOTAL 4.50"), default_currency="USD")
    assert fields.currency == "MYR"
    assert fields.country == "MY"


def test_the_default_currency_is_used_when_nothing_reveals_one() -> None:
    fields = parse_lines(lines("CAFE", "TOTAL 4.50"), default_currency="usd")
    assert fields.currency == "USD"
    assert fields.confidence["currency"] < 0.5


def test_yen_totals_without_decimals_are_read() -> None:
    fields = parse_lines(lines("ローソン", "合計 ¥1,280", "お預り ¥2,000", "お釣り ¥720"))
    assert fields.total == Decimal(1280)


def test_merchant_drops_the_registration_number_and_address_follows() -> None:
    fields = parse_lines(
        lines(
            "tan woon yann",
            "99 SPEED MART S/B (519537-X)",
            "LOT P.T. 2811, JALAN ANGSA,",
            "TAMAN BERKELEY",
            "41150 KLANG, SELANGOR",
            "GST ID. NO: 000181747712",
            "TOTAL 5.00",
        )
    )
    assert fields.merchant == "99 SPEED MART S/B"
    assert fields.raw["merchant"] == "99 SPEED MART S/B"
    assert fields.address == "LOT P.T. 2811, JALAN ANGSA, TAMAN BERKELEY 41150 KLANG, SELANGOR"
    assert fields.sources["address"] == [2, 3, 4]


def test_a_company_name_split_over_two_lines_is_joined() -> None:
    fields = parse_lines(lines("POPULAR BOOK", "CO. (M) SDN BHD", "(Co. No. 113825-W)", "TOTAL 5.00"))
    assert fields.merchant == "POPULAR BOOK CO. (M) SDN BHD"


def test_every_found_field_has_a_confidence_between_zero_and_one() -> None:
    fields = parse_lines(lines("KEDAI MAJU SDN BHD", "Date: 09/01/2019", "TOTAL RM 11.00", "CASH 20.00", "CHANGE 9.00"))
    for name in ("merchant", "date", "total", "currency"):
        assert 0 < fields.confidence[name] <= 1


def test_no_lines_give_empty_fields() -> None:
    fields = parse_lines([])
    assert fields.total is None
    assert fields.merchant is None


def test_an_included_vat_line_gives_the_tax_and_the_net_subtotal() -> None:
    fields = parse_lines(
        lines(
            "Uhren Meier AG",
            "15.08.2026 14:05",
            "Total CHF 1'299.08",
            "inkl. MWST 8.1% 97.34",
            "Bezahlt Karte 1'299.08",
        )
    )
    assert fields.total == Decimal("1299.08")
    assert fields.tax == Decimal("97.34")
    assert fields.subtotal == Decimal("1201.74")
    assert fields.currency == "CHF"
    assert fields.payment_method == "card"


def test_a_refund_has_a_negative_total_and_is_marked_as_refund() -> None:
    fields = parse_lines(
        lines(
            "HOME GOODS OUTLET",
            "AUSTIN, TX",
            "*** RETURN / REFUND ***",
            "EGGS -11.58",
            "SUBTOTAL -11.58",
            "REFUND TOTAL 12.27",
        )
    )
    assert fields.total == Decimal("-12.27")
    assert fields.kind == "refund"
    assert fields.currency == "USD"


def test_a_tip_line_is_read_but_a_suggested_gratuity_table_is_not() -> None:
    fields = parse_lines(
        lines(
            "Harbor Grill",
            "Subtotal 19.50",
            "Tax 1.73",
            "Amount 21.23",
            "Tip 2.93",
            "TOTAL 24.16",
            "Suggested gratuity:",
            "18% = 3.51 20% = 3.90",
        ),
        default_currency="USD",
    )
    assert fields.tip == Decimal("2.93")
    assert fields.total == Decimal("24.16")
    assert fields.merchant == "Harbor Grill"
