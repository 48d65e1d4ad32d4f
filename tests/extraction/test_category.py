"""Expense category from merchant and item keywords."""

from __future__ import annotations

import pytest

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.category import guess_category

from .helpers import lines


@pytest.mark.parametrize(
    ("receipt", "category"),
    [
        (("RESTORAN WAN SHENG", "NASI LEMAK 8.50", "TEH TARIK 2.50", "TOTAL 11.00"), "meals"),
        (("GRAND PARK HOTEL", "ROOM CHARGE 2 NIGHTS 380.00", "TOTAL 380.00"), "lodging"),
        (("CITY TAXI SERVICES", "FARE 23.40", "TOTAL 23.40"), "transport"),
        (("AIRASIA BERHAD", "FLIGHT KUL-PEN 129.00", "TOTAL 129.00"), "airfare"),
        (("SHELL KEPONG", "RON95 30.00 LITRE", "TOTAL 30.00"), "fuel"),
        (("REWE Markt GmbH", "MILCH 1,19", "EGGS 2,49", "SUMME 3,68"), "groceries"),
        (("SANYU STATIONERY SHOP", "ARTLINE MARKER 4.50", "A4 PAPER 12.90", "TOTAL 17.40"), "office_supplies"),
        (("TECH WORLD ELECTRONICS", "USB CABLE 19.90", "TOTAL 19.90"), "electronics"),
        (("LA CAVE", "WINE BORDEAUX 14.00", "BEER 6.00", "TOTAL 20.00"), "alcohol"),
        (("STREAMCO", "MONTHLY PLAN SUBSCRIPTION 9.99", "TOTAL 9.99"), "subscriptions"),
        (("GSC CINEMAS", "ADMISSION TICKET 2 X 15.00 30.00", "TOTAL 30.00"), "events"),
        (("ABC HARDWARE SDN BHD", "SCREW 2.00", "TOTAL 2.00"), "other"),
    ],
)
def test_the_category_follows_the_merchant_and_item_keywords(receipt: tuple[str, ...], category: str) -> None:
    assert parse_lines(lines(*receipt)).category == category


def test_the_merchant_name_outweighs_a_single_item_keyword() -> None:
    category, confidence = guess_category("STARBUCKS COFFEE", ["PAPER BAG"], ["STARBUCKS COFFEE", "PAPER BAG 0.20"])
    assert category == "meals"
    assert 0.5 <= confidence <= 0.9


def test_a_receipt_without_keywords_is_other_with_low_confidence() -> None:
    fields = parse_lines(lines("XYZ SDN BHD", "ITEM 5.00", "TOTAL 5.00"))
    assert fields.category == "other"
    assert fields.confidence["category"] < 0.5
