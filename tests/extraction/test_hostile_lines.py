"""Hostile or broken input for the field parser: very long lines, absurd amounts, a missing total line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.amounts import MAX_AMOUNT, find_amounts
from numzy_mcp.extraction.dates import find_dates, find_times
from numzy_mcp.extraction.header_invoice import without_title
from numzy_mcp.extraction.parse import MAX_DOCUMENT_CHARS, MAX_LINE_CHARS
from numzy_mcp.extraction.when import choose_date, choose_time

from .helpers import lines

_LONG = 100_000


def _repeat(unit: str, length: int = _LONG) -> str:
    return (unit * (length // len(unit) + 1))[:length]


@pytest.mark.parametrize(
    "unit",
    ["12/12/", "-", "1.", "1,", "RM1.00 ", "TOTAL ", "a", " ", "0", "$1 ", "12:30 ", "(1.00) ", "12/12/-1.RM1.00 $1 a"],
)
def test_a_line_of_a_hundred_thousand_characters_leaves_the_rest_of_the_receipt_readable(unit: str) -> None:
    fields = parse_lines(lines("KEDAI MAJU", "DATE: 19/01/2019", _repeat(unit), "TOTAL 5.00"), default_currency="MYR")
    assert fields.total == Decimal("5.00")
    assert fields.date == dt.date(2019, 1, 19)
    assert fields.merchant == "KEDAI MAJU"


def test_only_the_first_characters_of_an_overlong_line_are_read() -> None:
    fields = parse_lines(lines("SHOP", "x" * MAX_LINE_CHARS + " TOTAL 99.00", "TOTAL 5.00"), default_currency="USD")
    assert fields.total == Decimal("5.00")


def test_every_date_on_a_long_line_is_found_once() -> None:
    found = find_dates("12/12/2019 " * 2_000)
    assert len(found) == 2_000
    assert all(c.value == dt.date(2019, 12, 12) for c in found)


def test_every_time_on_a_long_line_is_found_once() -> None:
    assert len(find_times("12:30 " * 5_000)) == 5_000


def test_an_expiry_word_early_on_a_line_still_lowers_a_time_printed_after_it() -> None:
    texts = ["EXP 12/12/2030 10:00", "PRINTED 09:15", "12/03/2019 14:05"]
    assert choose_time(texts, None) == (dt.time(14, 5), "14:05", 2)


def test_a_date_on_a_line_with_an_expiry_word_loses_to_a_plain_date() -> None:
    chosen = choose_date(["BEST BEFORE 01/02/2019 LOT 7", "15/01/2019"], "EUR", None, today=dt.date(2024, 1, 1))
    assert chosen is not None
    assert chosen[0].value == dt.date(2019, 1, 15)


def test_every_amount_on_a_long_line_is_read_with_its_sign() -> None:
    found = find_amounts("(1.00) 2.00 " * 2_000)
    assert [a.value for a in found[:2]] == [Decimal("-1.00"), Decimal("2.00")]
    assert len(found) == 4_000


def test_a_title_after_a_long_run_of_dashes_is_still_taken_off_the_name() -> None:
    assert without_title("Coolblue Nederland " + "-" * 5_000 + " FACTUUR") == "Coolblue Nederland"
    assert without_title("-" * 16_000) is None


@pytest.mark.parametrize("printed", ["123456789012345678.00", "100,000,000,000,000.00", "¥100000000000000"])
def test_an_amount_of_a_hundred_trillion_or_more_is_never_read(printed: str) -> None:
    assert find_amounts(f"TOTAL {printed}", no_minor_units=printed.startswith("¥")) == []


def test_the_largest_amount_that_fits_the_database_is_still_read() -> None:
    [amount] = find_amounts("TOTAL 99,999,999,999,999.99")
    assert amount.value < MAX_AMOUNT


def test_an_oversized_total_line_gives_no_total() -> None:
    fields = parse_lines(lines("SHOP", "COFFEE 3.50", "TOTAL 123456789012345678.00"), default_currency="USD")
    assert fields.total is None or fields.total < MAX_AMOUNT
    assert fields.total != Decimal("123456789012345678.00")


def test_without_a_total_line_an_item_and_its_sales_tax_make_the_total_with_low_confidence() -> None:
    fields = parse_lines(lines("SHOP", "ITEM 10.00", "TAX 0.80"), default_currency="USD")
    assert fields.total == Decimal("10.80")
    assert fields.confidence["total"] < 0.5
    assert fields.sources["total"] == [1, 2]
    assert fields.subtotal is None


def test_without_a_total_line_the_items_and_the_sales_tax_make_the_total() -> None:
    fields = parse_lines(lines("SHOP", "COFFEE 10.00", "MUFFIN 5.00", "TAX 1.20"), default_currency="USD")
    assert fields.total == Decimal("16.20")
    assert fields.subtotal is None


def test_without_a_total_line_prices_that_include_vat_add_up_to_the_total() -> None:
    fields = parse_lines(lines("BAECKEREI", "KAFFEE 10.00", "MWST 19% 1.60"), default_currency="EUR")
    assert fields.total == Decimal("10.00")
    assert fields.subtotal is None


def test_without_a_total_line_two_amounts_that_are_no_items_give_no_total() -> None:
    fields = parse_lines(lines("SHOP", "ITEM 10.00", "ITEM B 5.00", "TAX 1.20"), default_currency="USD")
    assert fields.total is None
    assert fields.subtotal is None
    assert "total" not in fields.sources


def test_a_printed_total_still_gives_the_net_amount_when_only_tax_is_printed() -> None:
    fields = parse_lines(lines("SHOP", "KAFFEE 10.00", "MWST 1.60", "SUMME 10.00"), default_currency="EUR")
    assert fields.total == Decimal("10.00")
    assert fields.subtotal == Decimal("8.40")


def test_a_document_past_the_character_budget_is_parsed_up_to_it() -> None:
    filler = ["NOTE " + "x" * 900] * (MAX_DOCUMENT_CHARS // 900 + 10)
    fields = parse_lines(lines("SHOP", "TOTAL 5.00", *filler, "TOTAL 999.00"), default_currency="USD")
    assert fields.total == Decimal("5.00")  # the line past the budget is never read
