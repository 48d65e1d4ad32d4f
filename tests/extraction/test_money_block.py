"""The totals block: discounts, several taxes, service charges, charged gratuities, rounding, refunds."""

from __future__ import annotations

from decimal import Decimal

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.amounts import find_amounts
from numzy_mcp.extraction.money_words import is_refund_document

from .helpers import lines


def test_a_discount_line_counts_in_the_arithmetic_and_keeps_the_right_total() -> None:
    fields = parse_lines(
        lines("DINER", "BURGER 8.00", "FRIES 2.00", "DISCOUNT -1.00", "TAX 0.72", "TOTAL 9.72", "AMOUNT 10.72"),
        default_currency="USD",
    )
    assert fields.total == Decimal("9.72")
    assert fields.confidence["items"] == 0.85  # 8.00 + 2.00 − 1.00 + 0.72 = 9.72


def test_state_and_city_tax_add_up_to_the_tax() -> None:
    fields = parse_lines(
        lines("DINER", "Subtotal 10.00", "State Tax 0.63", "City Tax 0.20", "Total 10.83"), default_currency="USD"
    )
    assert fields.tax == Decimal("0.83")
    assert fields.sources["tax"] == [2, 3]
    assert fields.total == Decimal("10.83")
    assert fields.confidence["total"] >= 0.6


def test_a_single_tax_line_is_not_summed_with_a_restated_one() -> None:
    fields = parse_lines(
        lines("DINER", "Subtotal 10.00", "Tax 0.80", "Total 10.80", "Tax 0.80"), default_currency="USD"
    )
    assert fields.tax == Decimal("0.80")


def test_a_service_charge_is_part_of_the_arithmetic() -> None:
    fields = parse_lines(
        lines("RESTORAN MAJU", "NASI GORENG 10.00", "SERVICE CHARGE 10% 1.00", "SST 6% 0.66", "TOTAL 11.66"),
    )
    assert fields.total == Decimal("11.66")
    assert fields.confidence["total"] >= 0.6


def test_a_tax_rate_with_three_decimals_is_read_whole() -> None:
    fields = parse_lines(lines("DELI", "Subtotal 10.00", "Tax 8.875% 0.89", "Total 10.89"), default_currency="USD")
    assert fields.tax == Decimal("0.89")
    assert fields.tax_rate == Decimal("8.875")


def test_a_single_charged_gratuity_is_a_tip_but_a_table_of_percentages_is_not() -> None:
    charged = parse_lines(
        lines("BISTRO", "Subtotal 40.00", "Gratuity 18% 7.20", "Tax 3.20", "Total 50.40"), default_currency="USD"
    )
    assert charged.tip == Decimal("7.20")
    assert charged.total == Decimal("50.40")
    offered = parse_lines(
        lines("BISTRO", "Subtotal 40.00", "Tax 3.20", "Total 43.20", "Tip 18% 7.20", "Tip 20% 8.00"),
        default_currency="USD",
    )
    assert offered.tip is None
    assert offered.total == Decimal("43.20")


def test_a_tip_written_after_the_printed_amount_makes_the_sum_the_total() -> None:
    fields = parse_lines(
        lines("BISTRO", "Subtotal 20.00", "Tax 1.60", "Amount 21.60", "+ Tip 4.00", "= 25.60"), default_currency="USD"
    )
    assert fields.tip == Decimal("4.00")
    assert fields.total == Decimal("25.60")


def test_the_pre_rounding_total_plus_the_adjustment_is_the_total_without_a_cash_line() -> None:
    fields = parse_lines(
        lines("99 SPEED MART SDN BHD", "MILO 4.47", "TOTAL SALES (INCL GST) 4.47", "ROUNDING ADJ 0.03", "TOTAL 4.50")
    )
    assert fields.total == Decimal("4.50")


def test_a_swiss_rounding_line_is_not_the_total() -> None:
    fields = parse_lines(
        lines("MIGROS ZUERICH", "Brot 3.47", "Total CHF 3.47", "Rundung 0.03", "Total gerundet CHF 3.50")
    )
    assert fields.total == Decimal("3.50")


def test_space_grouped_thousands_with_a_decimal_comma_are_one_amount() -> None:
    assert [a.value for a in find_amounts("TOTAL TTC 1 234,56 €")] == [Decimal("1234.56")]
    assert [a.value for a in find_amounts("TOTAL 1\u202f234,56 €")] == [Decimal("1234.56")]  # narrow no-break space
    assert [a.value for a in find_amounts("2 x 1,50 3,00")] == [Decimal("1.50"), Decimal("3.00")]
    fields = parse_lines(lines("Hotel Lutetia Paris", "Chambre 1 234,56 €", "TOTAL TTC 1 234,56 €"))
    assert fields.total == Decimal("1234.56")
    assert [(i.description, i.amount) for i in fields.items] == [("Chambre", Decimal("1234.56"))]


def test_an_amount_in_parentheses_is_negative() -> None:
    assert [a.value for a in find_amounts("CABLE (12.99)")] == [Decimal("-12.99")]
    assert [a.value for a in find_amounts("SR (6%) 12.82")] == [Decimal("12.82")]


def test_refunds_are_recognised_however_the_amount_is_printed() -> None:
    brackets = parse_lines(lines("BEST BUY", "REFUND", "CABLE (12.99)", "TOTAL (14.03)"), default_currency="USD")
    assert (brackets.total, brackets.kind) == (Decimal("-14.03"), "refund")
    unsigned = parse_lines(lines("BEST BUY", "CABLE 12.99", "REFUND TOTAL 12.99"), default_currency="USD")
    assert (unsigned.total, unsigned.kind) == (Decimal("-12.99"), "refund")
    avoir = parse_lines(lines("Fnac Paris", "AVOIR", "Cable -12,99 €", "TOTAL TTC -12,99 €"))
    assert (avoir.total, avoir.kind) == (Decimal("-12.99"), "refund")


def test_a_returns_policy_in_the_footer_does_not_make_a_sale_a_refund() -> None:
    footer = ["KEEP THE INVOICE FOR APPLICABLE RETURNS", "Goods sold are non-refundable.", "NO REFUND OR EXCHANGE"]
    assert not is_refund_document(["TOTAL 5.00", *footer])
    assert is_refund_document(["*** REFUND ***", "TOTAL -5.00"])
    fields = parse_lines(lines("KEDAI MAJU", "ROTI 5.00", "TOTAL 5.00", *footer))
    assert (fields.total, fields.kind) == (Decimal("5.00"), "purchase")


def test_japanese_subtotal_tendered_and_change_words_are_understood() -> None:
    fields = parse_lines(lines("ローソン", "おにぎり ¥500", "お茶 ¥500", "小計 ¥1,000", "消費税 ¥100", "合計 ¥1,100"))
    assert fields.subtotal == Decimal(1000)
    assert [i.description for i in fields.items] == ["おにぎり", "お茶"]
    assert fields.total == Decimal(1100)
    paid = parse_lines(lines("ローソン", "おにぎり ¥500", "お預り ¥2,000", "お釣り ¥1,500"))
    assert paid.total == Decimal(500)


def test_bare_whole_numbers_ending_a_line_are_amounts_in_currencies_without_minor_units() -> None:
    assert [a.value for a in find_amounts("おにぎり 150", no_minor_units=True)] == [Decimal(150)]
    assert [a.value for a in find_amounts("TAX AMT 727", no_minor_units=True)] == [Decimal(727)]
    assert find_amounts("TABLE 12", no_minor_units=True) == []
    assert find_amounts("おにぎり 150") == []  # not without the currency's evidence


def test_three_decimal_item_descriptions_lose_their_currency_code() -> None:
    fields = parse_lines(lines("Kuwait Trading", "TV KWD 1,250.500", "Coffee KWD 1.200", "TOTAL KWD 1,251.700"))
    assert [(i.description, i.amount) for i in fields.items] == [
        ("TV", Decimal("1250.500")),
        ("Coffee", Decimal("1.200")),
    ]
    assert fields.total == Decimal("1251.700")


def test_two_labelled_amounts_on_one_line_each_keep_their_own_amount() -> None:
    fields = parse_lines(
        lines(
            "Coolblue B.V.",
            "Apple iPad Air 1 € 399,00 21% € 399,00",
            "Exclusief BTW € 329,75 Subtotaal € 399,00",
            "BTW 21% € 69,25",
            "Totaal € 399,00",
        ),
        default_currency="EUR",
    )
    assert fields.subtotal == Decimal("329.75")  # the amount before tax, not the next column's
    assert fields.tax == Decimal("69.25")
    assert fields.total == Decimal("399.00")


def test_simplified_chinese_total_cash_and_change_words_are_understood() -> None:
    fields = parse_lines(lines("北京超市", "苹果 ¥12.50", "小计 ¥25.80", "合计 ¥25.80", "现金 ¥30.00", "找零 ¥4.20"))
    assert fields.subtotal == Decimal("25.80")
    assert fields.total == Decimal("25.80")
    due = parse_lines(lines("上海便利店", "牛奶 ¥8.00", "应收 ¥16.00", "实收 ¥20.00", "找零 ¥4.00"))
    assert due.total == Decimal("16.00")
    assert due.payment_method == "cash"


def test_a_total_line_with_a_quantity_label_before_the_amount_keeps_its_last_amount() -> None:
    for line, total in (
        ("Total Litres 20.00 Total Amount 40.00", "40.00"),
        ("Total hours 12.50 Amount due 1,250.00", "1250.00"),
    ):
        fields = parse_lines(lines("SHELL STATION", "UNLEADED 95", line), default_currency="USD")
        assert fields.total == Decimal(total), line


def test_whole_amounts_with_a_currency_symbol_are_money_on_a_receipt_without_decimals() -> None:
    taxi = parse_lines(lines("CITY TAXI", "FARE $32", "TIP $3", "TOTAL $35"), default_currency="USD")
    parking = parse_lines(lines("PARKHAUS", "2 STUNDEN", "GESAMT 12 €"), default_currency="EUR")
    assert (taxi.total, taxi.tip) == (Decimal(35), Decimal(3))
    assert parking.total == Decimal(12)


def test_a_symbol_amount_that_lost_its_point_is_not_money_beside_decimal_amounts() -> None:
    fields = parse_lines(lines("DINER", "BURGER 35.50", "TOTAL $3550", "TOTAL 35.50"), default_currency="USD")
    assert fields.total == Decimal("35.50")


def test_a_figure_after_the_total_on_its_line_is_not_the_total() -> None:
    for line in ("TOTAL 6.47 YOU SAVED 1.00", "TOTAL 6.47 INCL VAT 1.08", "TOTAL 6.47 EXTRABUCKS 0.50"):
        fields = parse_lines(lines("STORE", "MILK 3.49", "BREAD 2.98", line), default_currency="USD")
        assert fields.total == Decimal("6.47"), line


def test_a_subtotal_sharing_its_line_with_a_tax_keeps_its_own_amount() -> None:
    fields = parse_lines(lines("SHOP", "Item 10.00", "Subtotal 10.00 Tax 0.80", "Total 10.80"), default_currency="USD")
    assert (fields.subtotal, fields.tax, fields.total) == (Decimal("10.00"), Decimal("0.80"), Decimal("10.80"))


def test_on_a_receipt_of_whole_symbol_amounts_a_zip_code_or_lot_number_is_never_money() -> None:
    fields = parse_lines(lines("ACE PARKING", "Los Angeles CA 90012", "Lot 1205", "Total $20"), default_currency="USD")
    assert fields.total == 20
