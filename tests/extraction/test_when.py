"""The receipt's date and time: day/month order from the document's own evidence, ambiguity flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.when import choose_date, date_order

from .helpers import lines

TODAY = dt.date(2026, 12, 4)


def _date(*texts: str, currency: str | None = None, country: str | None = None) -> tuple[dt.date, bool]:
    chosen = choose_date(list(texts), currency, country, today=TODAY)
    assert chosen is not None
    candidate, _, ambiguous = chosen
    return candidate.value, ambiguous


def test_a_bare_dollar_without_a_country_reads_month_first_but_flags_the_date() -> None:
    fields = parse_lines(lines("SHOP", "03/04/2019", "TOTAL $5.00"))
    assert fields.currency == "USD"
    assert fields.date == dt.date(2019, 3, 4)
    assert fields.date_ambiguous
    assert fields.confidence["date"] < 0.7


def test_an_australian_address_decides_day_first_under_a_bare_dollar() -> None:
    fields = parse_lines(lines("WOOLWORTHS", "SYDNEY NSW 2000", "03/04/2019", "TOTAL $5.00"))
    assert fields.date == dt.date(2019, 4, 3)
    assert not fields.date_ambiguous


@pytest.mark.parametrize(
    "address",
    ["AUCKLAND", "KOWLOON", "SINGAPORE 123456", "KUALA LUMPUR", "LONDON EC1A 1BB", "CDMX", "DUBAI"],
)
def test_day_first_countries_read_day_first(address: str) -> None:
    fields = parse_lines(lines("SHOP", address, "03/04/2019", "TOTAL $5.00"))
    assert fields.date == dt.date(2019, 4, 3)
    assert not fields.date_ambiguous


def test_a_canadian_receipt_leaves_a_swappable_date_ambiguous() -> None:
    fields = parse_lines(lines("TIM HORTONS", "TORONTO, ON M5V 2T6", "03/04/2019", "HST 0.58", "TOTAL $5.00"))
    assert fields.currency == "CAD"
    assert fields.date_ambiguous


def test_a_canadian_receipt_is_decided_by_another_date_on_it() -> None:
    value, ambiguous = _date("TORONTO, ON M5V 2T6", "03/04/2019", "RETURN BY 04/25/2019", currency="CAD", country="CA")
    assert value == dt.date(2019, 3, 4)
    assert not ambiguous


def test_a_day_over_twelve_anywhere_on_the_receipt_decides_day_first() -> None:
    value, ambiguous = _date("03/04/2019", "ITEMS", "PRINTED 13/04/2019", currency="USD")
    assert value == dt.date(2019, 4, 3)
    assert not ambiguous


def test_other_dates_disagreeing_leave_the_order_to_the_country() -> None:
    value, ambiguous = _date("03/04/2019", "13/04/2019 X", "04/25/2019 Y", country="GB")
    assert value == dt.date(2019, 4, 3)
    assert not ambiguous


def test_a_reading_after_today_is_impossible_so_the_other_one_is_taken() -> None:
    value, ambiguous = _date("12/11/2026", currency="USD")
    assert value == dt.date(2026, 11, 12)
    assert not ambiguous


def test_a_japanese_two_digit_year_is_read_year_first() -> None:
    fields = parse_lines(lines("ローソン", "19/03/04 12:30", "合計 ¥1,280"))
    assert fields.date == dt.date(2019, 3, 4)
    assert not fields.date_ambiguous
    assert fields.time == dt.time(12, 30)


def test_a_japanese_receipt_without_a_yen_sign_is_still_read_year_first() -> None:
    fields = parse_lines(lines("セブンイレブン", "〒160-0023", "25/05/26 14:05", "合計 853"))
    assert fields.currency == "JPY"
    assert fields.date == dt.date(2025, 5, 26)


def test_an_era_year_and_an_afternoon_mark_are_read_on_a_japanese_receipt() -> None:
    fields = parse_lines(lines("ローソン", "令和6年5月26日 午後3:15", "合計 ¥1,280"))
    assert fields.date == dt.date(2024, 5, 26)
    assert fields.time == dt.time(15, 15)


def test_a_two_digit_year_outside_japan_is_read_day_first() -> None:
    value, ambiguous = _date("19/03/04", country="MY")
    assert value == dt.date(2004, 3, 19)
    assert not ambiguous


def test_a_two_digit_year_with_equal_day_and_month_is_not_ambiguous() -> None:
    value, ambiguous = _date("05-05-18")
    assert value == dt.date(2018, 5, 5)
    assert not ambiguous


def test_an_expiry_date_never_beats_the_purchase_date() -> None:
    value, _ = _date("EXP 01/12/2027", "ITEM 5.00", "TOTAL 5.00", "03/12/2018", country="MY")
    assert value == dt.date(2018, 12, 3)


def test_a_printed_on_date_loses_to_the_purchase_date_below_it() -> None:
    value, _ = _date("Printed on 05/06/2019", "SHOP", "04/06/2019 12:00", country="GB")
    assert value == dt.date(2019, 6, 4)


def test_a_due_date_on_the_same_line_loses_to_the_invoice_date() -> None:
    value, _ = _date("Invoice date 01/02/2020 Due date 01/03/2020", country="DE")
    assert value == dt.date(2020, 2, 1)


def test_a_date_far_in_the_future_is_rejected() -> None:
    assert choose_date(["SHOP", "03/12/2091", "TOTAL 5.00"], None, None, today=TODAY) is None


def test_a_past_date_beats_a_future_one() -> None:
    value, _ = _date("20/01/2027", "15/11/2026", country="FR")
    assert value == dt.date(2026, 11, 15)


@pytest.mark.parametrize(
    ("country", "currency", "expected"),
    [
        ("US", "USD", ("mdy", True)),
        (None, "USD", ("mdy", False)),
        ("CA", "CAD", (None, False)),
        ("JP", None, ("ymd", True)),
        (None, "JPY", ("ymd", True)),
        ("AU", "AUD", ("dmy", True)),
        (None, "EUR", ("dmy", True)),
        (None, "AED", ("dmy", True)),
        (None, None, (None, False)),
    ],
)
def test_the_date_order_follows_the_country_then_the_currency(
    country: str | None, currency: str | None, expected: tuple[str | None, bool]
) -> None:
    assert date_order(country, currency) == expected


def test_a_french_time_is_read_with_the_date() -> None:
    fields = parse_lines(lines("BOULANGERIE", "SIRET 123 456 789 00012", "le 7 mai 2024 à 14h05", "TOTAL 5,00 €"))
    assert fields.date == dt.date(2024, 5, 7)
    assert fields.time == dt.time(14, 5)


def test_a_german_uhr_time_is_read_with_the_date() -> None:
    fields = parse_lines(lines("BÄCKEREI GMBH", "7. Mai 2024 14.05 Uhr", "SUMME EUR 5,00"))
    assert fields.date == dt.date(2024, 5, 7)
    assert fields.time == dt.time(14, 5)


def test_a_twelve_hour_time_next_to_the_date_is_read_in_24_hours() -> None:
    fields = parse_lines(lines("DINER", "AUSTIN, TX 78701", "05/26/2025 2:05 p.m.", "TOTAL $5.00"))
    assert fields.date == dt.date(2025, 5, 26)
    assert fields.time == dt.time(14, 5)
