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


@pytest.mark.parametrize(
    ("merchant", "items"),
    [
        ("WALMART SUPERCENTER", ["CHICKEN BREAST", "WHITE BREAD", "FROZEN PIZZA", "COFFEE", "RAMEN NOODLES"]),
        ("TESCO EXPRESS", ["CHICKEN SANDWICH", "SUSHI", "COFFEE", "NOODLES"]),
        ("FRESH VALLEY SUPERMARKET", ["BURGER PATTIES", "PIZZA DOUGH", "TEA"]),
    ],
)
def test_a_supermarket_selling_food_is_groceries_not_meals(merchant: str, items: list[str]) -> None:
    texts = [merchant, *(f"{item} 4.99" for item in items), "TOTAL 24.95"]
    assert guess_category(merchant, items, texts)[0] == "groceries"


def test_an_airline_receipt_that_says_ticket_is_airfare() -> None:
    fields = parse_lines(lines("DELTA AIR LINES", "Ticket 0062345678901", "FARE 420.00", "TOTAL 450.00"))
    assert fields.category == "airfare"


def test_boarding_pass_and_seat_lines_make_airfare_without_an_airline_name() -> None:
    assert parse_lines(lines("XYZ TRAVEL", "BOARDING PASS", "SEAT 14C", "TICKET 120.00", "TOTAL 120.00")).category == (
        "airfare"
    )


def test_a_table_sold_as_furniture_is_not_a_restaurant_table() -> None:
    assert parse_lines(lines("HOME STORE", "LACK TABLE 19.99", "TOTAL 19.99")).category == "other"


def test_a_restaurant_table_number_still_means_meals() -> None:
    assert parse_lines(lines("MAISON ABC", "TABLE NO: 12", "GUESTS: 2", "ITEM A 10.00", "TOTAL 10.00")).category == (
        "meals"
    )


@pytest.mark.parametrize("merchant", ["UBER EATS", "GRABFOOD", "DELIVEROO", "foodpanda"])
def test_a_food_delivery_order_is_meals_even_from_a_ride_hailing_brand(merchant: str) -> None:
    fields = parse_lines(lines(merchant, "Order from Pho House", "PHO BO 12.00", "Delivery fee 2.99", "TOTAL 14.99"))
    assert fields.category == "meals"


def test_a_ride_from_the_same_brand_is_transport() -> None:
    assert parse_lines(lines("UBER", "Trip fare 12.00", "Booking fee 2.00", "TOTAL 14.00")).category == "transport"


def test_a_longer_phrase_takes_its_words_from_other_categories() -> None:
    assert guess_category("ABC TRADING", ["COFFEE BEANS 1KG"], ["ABC TRADING", "COFFEE BEANS 1KG 45.00"])[0] == (
        "groceries"
    )
    assert guess_category("KEDAI ABC", ["KOPI SUSU"], ["KEDAI ABC", "KOPI SUSU 3.50"])[0] == "meals"


def test_a_hardware_store_is_other_whatever_office_words_its_items_share() -> None:
    items = ["TAPE", "FILE", "GLUE"]
    texts = ["C W KHOO HARDWARE SDN BHD", "TAPE 3.00", "FILE 5.00", "GLUE 2.00", "TOTAL 10.00"]
    assert guess_category("C W KHOO HARDWARE SDN BHD", items, texts)[0] == "other"


def test_a_brand_line_above_the_legal_name_counts_but_a_mall_in_the_address_does_not() -> None:
    texts = [
        "SIZZLING STONEGRILL",
        "Dimiliki Oleh : Dove Holdings Sdn Bhd",
        "Lot S25, AEON Tebrau City",
        "SIRLOIN STEAK 34.90",
        "TOTAL 34.90",
    ]
    assert guess_category("Dimiliki Oleh : Dove Holdings Sdn Bhd", [], texts)[0] == "meals"


def test_a_hotel_bill_with_a_minibar_beer_is_lodging() -> None:
    fields = parse_lines(lines("GRAND HOTEL", "ROOM CHARGE 1 NIGHT 200.00", "MINIBAR BEER 12.00", "TOTAL 212.00"))
    assert fields.category == "lodging"
