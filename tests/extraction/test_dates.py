"""Date and time candidates on one line: every format a receipt prints, every reading a date allows."""

from __future__ import annotations

import datetime as dt

import pytest

from numzy_mcp.extraction.dates import find_dates, find_times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7. Mai 2014", dt.date(2014, 5, 7)),
        ("Dienstag, 3. Dezember 2024", dt.date(2024, 12, 3)),
        ("le 7 mai 2024", dt.date(2024, 5, 7)),
        ("1er février 2024", dt.date(2024, 2, 1)),
        ("26 de mayo de 2025", dt.date(2025, 5, 26)),
        ("26-ago-2025", dt.date(2025, 8, 26)),
        ("26 maggio 2025", dt.date(2025, 5, 26)),
        ("3 dicembre 2024", dt.date(2024, 12, 3)),
        ("29 maart 2014", dt.date(2014, 3, 29)),
        ("26 mei 2025", dt.date(2025, 5, 26)),
        ("15 OGOS 2018", dt.date(2018, 8, 15)),
        ("12 Des 2019", dt.date(2019, 12, 12)),
        ("August 3 , 2014", dt.date(2014, 8, 3)),
        ("2025年5月26日(月)", dt.date(2025, 5, 26)),
    ],
)
def test_month_names_are_read_in_many_languages(text: str, expected: dt.date) -> None:
    assert [c.value for c in find_dates(text)] == [expected]


@pytest.mark.parametrize(
    "text",
    ["2 SET 10 PCS", "1 DIS 15", "TABLE 12 MAC 20", "ITEM 2 MAY 10.00"],
)
def test_short_words_and_amounts_are_not_read_as_month_name_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年5月26日", dt.date(2024, 5, 26)),
        ("令和元年10月1日", dt.date(2019, 10, 1)),
        ("平成30年3月15日", dt.date(2018, 3, 15)),
        ("R6.05.26", dt.date(2024, 5, 26)),
        ("H30/03/15", dt.date(2018, 3, 15)),
        ("25年5月26日", dt.date(2025, 5, 26)),
    ],
)
def test_japanese_era_years_are_read(text: str, expected: dt.date) -> None:
    assert [c.value for c in find_dates(text)] == [expected]


def test_a_two_digit_year_date_carries_every_reading_its_numbers_allow() -> None:
    (candidate,) = find_dates("19/03/04")
    assert candidate.options() == {"dmy": dt.date(2004, 3, 19), "ymd": dt.date(2019, 3, 4)}
    assert candidate.value == dt.date(2004, 3, 19)


def test_a_swappable_date_keeps_the_month_first_reading_as_alternative() -> None:
    (candidate,) = find_dates("05-06-18")
    assert candidate.value == dt.date(2018, 6, 5)
    assert candidate.alternative == dt.date(2018, 5, 6)
    assert set(candidate.options()) == {"dmy", "mdy", "ymd"}


def test_a_date_with_equal_day_and_month_has_one_day_month_reading() -> None:
    (candidate,) = find_dates("05-05-18")
    assert candidate.value == dt.date(2018, 5, 5)
    assert candidate.alternative is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2:05 p.m.", dt.time(14, 5)),
        ("2:05 p. m.", dt.time(14, 5)),
        ("12:05 a.m.", dt.time(0, 5)),
        ("8:13PM", dt.time(20, 13)),
        ("14h05", dt.time(14, 5)),
        ("14 h 05", dt.time(14, 5)),
        ("14.05 Uhr", dt.time(14, 5)),
        ("午後3:15", dt.time(15, 15)),
        ("午前10:05", dt.time(10, 5)),
        ("午後3時15分", dt.time(15, 15)),
        ("15時05分", dt.time(15, 5)),
    ],
)
def test_twelve_hour_and_local_time_formats_are_read(text: str, expected: dt.time) -> None:
    assert [c.value for c in find_times(text)] == [expected]


def test_a_word_starting_with_am_after_a_time_is_not_a_half_day_mark() -> None:
    assert [c.value for c in find_times("10:05 Amount 5.00")] == [dt.time(10, 5)]


def test_an_amount_with_a_dot_is_not_a_time() -> None:
    assert find_times("TOTAL 14.05") == []


def test_an_impossible_twelve_hour_time_is_dropped() -> None:
    assert find_times("13:05 PM") == []
