"""Totals chosen by the receipt's own arithmetic, and the OCR slips around the totals block."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.amounts import find_amounts
from numzy_mcp.extraction.reconcile import adds_up, expected_totals, reconciled_choice, repaired_total
from numzy_mcp.extraction.totals import AmountPick

from .helpers import lines


def test_amounts_printed_without_a_leading_zero_are_read() -> None:
    assert [a.value for a in find_amounts("CHANGE RM .40")] == [Decimal("0.40")]
    assert [a.value for a in find_amounts("CHANGERM .40")] == [Decimal("0.40")]
    assert [a.value for a in find_amounts("S = 6% 12.82 .76")] == [Decimal("12.82"), Decimal("0.76")]
    assert find_amounts("NO.12 JALAN") == []  # a house number after "NO." is not money
    assert find_amounts("TEL .03-5542 1234") == []


def test_change_without_a_leading_zero_makes_the_rounded_total_win() -> None:
    fields = parse_lines(
        lines(
            "99 SPEED MART S/B (519537-X)",
            "8019 MARIGOLD HL MILK 1L RM13.58 S",
            "@2XRM 6.79",
            "Total Sales (Inclusive GST) RM 13.58",
            "Rounding Adjustment RM .02",
            "Rounding RM 13.60",
            "CASH RM 14.00",
            "CHANGE RM .40",
        )
    )
    assert fields.total == Decimal("13.60")
    assert fields.sources["total"] == [5]


def test_a_total_keyword_with_its_first_letter_misread_is_still_a_total() -> None:
    fields = parse_lines(
        lines(
            "TONYMOLY VIVA CITY",
            "WONDER CHEESE FIRMING CREAM 1 *69.90 69.90",
            "D1sc 30.00% -20.97",
            "lotal Sales Incl. GST 48.93",
            "Rounding Adjustment 0.02",
            "Iotal After Rounding 48.95",
            "VISA 48.95",
        )
    )
    assert fields.total == Decimal("48.95")


def test_a_zero_total_after_rounding_never_beats_a_real_amount() -> None:
    fields = parse_lines(
        lines(
            "MYDIN MART SRI MUDA",
            "EVEREADY BAT AA 2 * 2.50 5.00",
            "TOTAL 2",
            "ROUNDING ADJUSTMENT 5.00",
            "TOTAL AFTER ROUNDING 0.00",
            "CASH",
            "CHANGE 5.00",
        )
    )
    assert fields.total is not None and fields.total > 0


def test_a_date_whose_dash_was_read_as_a_tilde_is_found() -> None:
    fields = parse_lines(lines("99 SPEED MART S/B", "05:23PM 568268 05-05~18", "TOTAL RM 137.15"))
    assert fields.date == dt.date(2018, 5, 5)
    assert fields.raw["date"] == "05-05-18"


def test_a_supplies_total_including_gst_is_not_the_tax() -> None:
    fields = parse_lines(
        lines(
            "GARDENIA BAKERIES (KL) SDN BHD",
            "Total 6% supplies (excl. GST): 69.36",
            "GST: 4.16",
            "Total 6% supplies (Inc. GST): 73.52",
            "Total Payable: 73.52",
        )
    )
    assert fields.tax == Decimal("4.16")
    assert fields.total == Decimal("73.52")


def test_expected_totals_allow_tax_inclusive_and_tax_exclusive_prices_and_a_tip() -> None:
    values = expected_totals(Decimal("20.00"), None, Decimal("1.60"), Decimal("4.00"))
    assert {Decimal("20.00"), Decimal("21.60"), Decimal("25.60"), Decimal("24.00")} <= values
    assert expected_totals(None, None, Decimal("1.60"), None) == set()


def test_cash_rounding_adds_up_only_to_a_multiple_of_five_cents_nearby() -> None:
    expected = {Decimal("31.47")}
    assert adds_up(Decimal("31.45"), expected, rounding=True)
    assert not adds_up(Decimal("31.45"), expected, rounding=False)
    assert not adds_up(Decimal("31.44"), expected, rounding=True)
    assert not adds_up(Decimal("31.55"), expected, rounding=True)


def _pick(value: str, line: int) -> AmountPick:
    return AmountPick(Decimal(value), value, line, 0.8)


def test_a_close_runner_up_that_adds_up_replaces_a_best_total_that_does_not() -> None:
    options = [(6.0, _pick("1.97", 3)), (4.5, _pick("34.80", 5))]
    assert reconciled_choice(options, {Decimal("34.80")}) == options[1][1]
    # Too far behind: the keyword evidence wins over the arithmetic.
    assert reconciled_choice([(9.0, _pick("1.97", 3)), (4.5, _pick("34.80", 5))], {Decimal("34.80")}) is None
    # The best one adds up: nothing changes.
    assert reconciled_choice(options, {Decimal("1.97")}) is None


def test_the_runner_up_is_chosen_in_a_parsed_receipt_when_items_add_up_to_it() -> None:
    fields = parse_lines(
        lines(
            "KEDAI RUNCIT MAJU",
            "BERAS 10KG 30.00",
            "MINYAK 1KG 4.80",
            "TOTAL DUE 34.80",
            "TOTAL: 1.97",
        )
    )
    assert fields.total == Decimal("34.80")
    assert fields.confidence["items"] == 0.85


def test_a_pen_tick_read_as_a_leading_one_is_dropped_when_the_rest_adds_up() -> None:
    repaired = repaired_total(_pick("194.19", 9), {Decimal("94.19")})
    assert repaired is not None and repaired.value == Decimal("94.19") and repaired.confidence <= 0.5
    assert repaired.raw == "194.19" and repaired.line == 9  # still points at what was printed
    assert repaired_total(_pick("194.19", 9), {Decimal("94.18")}) is None
    assert repaired_total(_pick("294.19", 9), {Decimal("94.19")}) is None  # only a leading 1


def test_a_total_that_does_not_add_up_has_lower_confidence_than_one_that_does() -> None:
    good = parse_lines(lines("SHOP", "NASI LEMAK 3.50", "TEH TARIK 5.00", "TOTAL 8.50"))
    bad = parse_lines(lines("SHOP", "NASI LEMAK 3.50", "TEH TARIK 5.00", "TOTAL 9.50"))
    assert good.total == Decimal("8.50") and bad.total == Decimal("9.50")
    assert bad.confidence["total"] < good.confidence["total"]
    assert bad.confidence["items"] < good.confidence["items"]
