from __future__ import annotations

from decimal import Decimal

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.items import find_items

from .helpers import lines


def test_items_read_quantity_at_unit_price_and_stop_at_the_subtotal() -> None:
    fields = parse_lines(
        lines(
            "FRESH VALLEY MARKET",
            "123 MAIN ST, SPRINGFIELD, IL",
            "10/19/2026 01:01 PM REG 03",
            "2 @ 2.57 BANANAS 5.14",
            "YOGURT 1.63",
            "SUBTOTAL 6.77",
            "SALES TAX 7.25% 0.49",
            "TOTAL 7.26",
        )
    )
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in fields.items] == [
        ("BANANAS", Decimal(2), Decimal("2.57"), Decimal("5.14")),
        ("YOGURT", None, None, Decimal("1.63")),
    ]
    assert fields.sources["items"] == [3, 4]
    assert fields.confidence["items"] > 0.8  # the items add up to the subtotal


def test_items_that_do_not_add_up_lower_the_confidence_of_the_total() -> None:
    agreeing = parse_lines(lines("CAFE", "LATTE 4.00", "MUFFIN 3.00", "TOTAL 7.00"))
    failing = parse_lines(lines("CAFE", "LATTE 4.00", "MUFFIN 2.00", "TOTAL 7.00"))
    assert agreeing.total == failing.total == Decimal("7.00")
    assert failing.confidence["total"] < agreeing.confidence["total"]
    assert failing.confidence["items"] < agreeing.confidence["items"]


def test_items_drop_tax_codes_currency_marks_and_read_decimal_commas() -> None:
    found = find_items(["Schrauben 4x40 11,73 A", "Salade 4,98 €", "PAPERBACK BOOK £8.12"])
    assert [(f.item.description, f.item.amount) for f in found] == [
        ("Schrauben 4x40", Decimal("11.73")),
        ("Salade", Decimal("4.98")),
        ("PAPERBACK BOOK", Decimal("8.12")),
    ]


def test_a_two_line_item_joins_the_name_with_its_quantity_line() -> None:
    found = find_items(["Milo (B)", "2 x 2.80 5.60 SR"])
    assert len(found) == 1
    item = found[0].item
    assert (item.description, item.quantity, item.unit_price, item.amount) == (
        "Milo (B)",
        Decimal(2),
        Decimal("2.80"),
        Decimal("5.60"),
    )
    assert found[0].lines == [0, 1]


def test_yen_items_have_no_decimals_and_refund_items_stay_negative() -> None:
    yen = find_items(["BENTO BOX ¥807", "GREEN TEA ¥320"], no_minor_units=True)
    assert [f.item.amount for f in yen] == [Decimal(807), Decimal(320)]
    refund = find_items(["CHEDDAR -14.13"])
    assert refund[0].item.amount == Decimal("-14.13")


def test_a_leading_count_is_the_quantity_and_an_ocr_zero_inside_a_word_is_read_as_o() -> None:
    found = find_items(["1 ESPRESS0 3.21", "3 SOUP OF DAY 23.04"])
    assert [(f.item.description, f.item.quantity) for f in found] == [
        ("ESPRESSO", Decimal(1)),
        ("SOUP OF DAY", Decimal(3)),
    ]
    assert found[1].item.unit_price == Decimal("7.68")


def test_meta_lines_between_header_and_total_are_not_items() -> None:
    found = find_items(["DATE 05/14/2026 TIME 21:06", "SERVER:12 TABLE 7", "CASH 60.00", "VAT 20% 2.12", "TEA 2.00"])
    assert [f.item.description for f in found] == ["TEA"]
