"""Currency and country of a receipt: symbols, codes and country evidence in many locales."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.extraction import parse_lines
from numzy_mcp.extraction.currency import detect_currency

from .helpers import lines


@pytest.mark.parametrize(
    ("texts", "currency", "country"),
    [
        (["WOOLWORTHS", "SYDNEY NSW 2000", "TOTAL $5.00"], "AUD", "AU"),
        (["CAFE", "ABN 12 345 678 901", "TOTAL $5.00"], "AUD", "AU"),
        (["TIM HORTONS", "TORONTO, ON M5V 2T6", "HST 13% 0.58", "TOTAL $5.00"], "CAD", "CA"),
        (["DEPANNEUR", "TPS/TVQ 0.75", "TOTAL 5,00 $"], "CAD", "CA"),
        (["COUNTDOWN", "AUCKLAND", "GST NO 123-456-789", "TOTAL $5.00"], "NZD", "NZ"),
        (["SHOP PTE LTD", "SINGAPORE 123456", "TOTAL $5.00"], "SGD", "SG"),
        (["OXXO", "CDMX", "S.A. DE C.V.", "TOTAL $50.00"], "MXN", "MX"),
        (["DINER", "AUSTIN, TX 78701", "TOTAL $6.90"], "USD", "US"),
    ],
)
def test_a_bare_dollar_is_the_currency_of_the_country_the_receipt_shows(
    texts: list[str], currency: str, country: str
) -> None:
    assert detect_currency(texts)[0::2] == (currency, country)


@pytest.mark.parametrize(
    ("total", "currency"),
    [
        ("TOTAL HK$50.00", "HKD"),
        ("TOTAL A$5.00", "AUD"),
        ("TOTAL NZ$5.00", "NZD"),
        ("TOTAL C$5.00", "CAD"),
        ("TOTAL S$5.00", "SGD"),
        ("TOTAL US$5.00", "USD"),
        ("TOTAL AED 25.00", "AED"),
        ("TOTAL SAR 25.00", "SAR"),
        ("TOTAL QAR 25.00", "QAR"),
        ("TOTAL KWD 2.500", "KWD"),
        ("TOTAL ₹250.00", "INR"),
    ],
)
def test_prefixed_dollars_and_gulf_codes_name_their_currency(total: str, currency: str) -> None:
    assert detect_currency(["SHOP", total])[0] == currency


def test_a_bare_dollar_alone_is_usd_with_confidence_below_review() -> None:
    currency, confidence, country = detect_currency(["SHOP", "ITEM $3.00", "TOTAL $5.00"])
    assert currency == "USD"
    assert confidence <= 0.6
    assert country is None


def test_a_named_dollar_code_is_trusted_more_than_a_bare_dollar() -> None:
    assert detect_currency(["SHOP", "TOTAL USD 5.00"])[1] > detect_currency(["SHOP", "TOTAL $5.00"])[1]


@pytest.mark.parametrize(
    "texts",
    [
        ["ローソン 新宿店", "おにぎり 150", "合計 1,280"],
        ["〒160-0023", "合計 1,280"],
        ["東京都新宿区西新宿1-1", "合計 1,280"],
        ["スーパー", "(税込) 1,280"],
    ],
)
def test_a_japanese_receipt_without_a_yen_sign_is_in_yen(texts: list[str]) -> None:
    assert detect_currency(texts)[0::2] == ("JPY", "JP")


def test_a_currency_only_one_country_uses_names_the_country() -> None:
    assert detect_currency(["CAFE", "TOTAL RM 4.50"])[2] == "MY"
    assert detect_currency(["CAFE", "TOTAL £4.50"])[2] == "GB"


def test_a_swiss_franc_receipt_is_swiss_even_with_german_words_on_it() -> None:
    texts = ["Uhren Meier AG", "Bahnhofstrasse 1, Zuerich", "Total CHF 1'299.08", "inkl. MWST 8.1% 97.34"]
    assert detect_currency(texts)[0::2] == ("CHF", "CH")


@pytest.mark.parametrize(
    ("texts", "country"),
    [
        (["CAFE DUBAI", "TRN 100000000000003", "TOTAL 25.00"], "AE"),
        (["RIYADH MARKET", "TOTAL 25.00"], "SA"),
        (["DOHA CAFE", "TOTAL 25.00"], "QA"),
        (["TOKO MAJU JAKARTA", "TOTAL 25.000"], "ID"),
        (["NEGOZIO", "P.IVA 01234567890", "TOTALE 5,00"], "IT"),
        (["WINKEL B.V.", "BTW 21%", "TOTAAL 5,00"], "NL"),
    ],
)
def test_country_evidence_names_the_currency_without_a_symbol(texts: list[str], country: str) -> None:
    assert detect_currency(texts)[2] == country


def test_chinese_new_year_on_an_item_line_is_not_yuan() -> None:
    texts = ["KEDAI SDN BHD", "CNY DECO 21CM 5.00", "CNY RED PACKET 2.00", "TOTAL 7.00"]
    assert detect_currency(texts)[0] == "MYR"


def test_the_standard_rated_tax_code_is_not_saudi_riyal() -> None:
    assert detect_currency(["KEDAI SDN BHD", "SR @6% 0.36", "TOTAL 6.36"])[0] == "MYR"


def test_a_us_state_in_an_australian_address_does_not_make_it_american() -> None:
    assert detect_currency(["BOOKSHOP", "PERTH, WA 6000", "TOTAL $12.00"])[0::2] == ("AUD", "AU")


def test_the_parser_reports_the_country_it_read() -> None:
    fields = parse_lines(lines("WOOLWORTHS", "SYDNEY NSW 2000", "TOTAL $5.00"))
    assert fields.currency == "AUD"
    assert fields.country == "AU"


@pytest.mark.parametrize("default", ["AUD", "CAD", "SGD", "NZD", "HKD", "MXN", "TWD"])
def test_a_bare_dollar_with_nothing_named_is_the_teams_own_dollar(default: str) -> None:
    currency, confidence, country = detect_currency(["CORNER STORE", "MILK $3.50", "TOTAL $3.50"], default)
    assert (currency, country) == (default, None)
    assert confidence <= 0.6


def test_an_australian_teams_bare_dollar_receipt_is_read_in_aud_and_day_first() -> None:
    fields = parse_lines(lines("CORNER STORE", "04/03/2024", "MILK $3.50", "TOTAL $3.50"), default_currency="AUD")
    assert fields.currency == "AUD"
    assert fields.date == dt.date(2024, 3, 4)
    assert not fields.date_ambiguous
    assert fields.sources["currency"] == [2, 3]  # the lines printing "$", though amounts mark "$" as USD


@pytest.mark.parametrize(
    ("texts", "currency", "country"),
    [
        (["DINER", "AUSTIN, TX 78701", "TOTAL $6.90"], "USD", "US"),
        (["TIM HORTONS", "TORONTO, ON M5V 2T6", "HST 13% 0.58", "TOTAL $5.00"], "CAD", "CA"),
        (["SHOP PTE LTD", "SINGAPORE 123456", "TOTAL $5.00"], "SGD", "SG"),
        (["SHOP", "TOTAL USD 5.00", "ITEM $3.00", "ITEM $2.00"], "USD", None),
    ],
)
def test_a_dollar_the_receipt_names_wins_over_the_teams_default(
    texts: list[str], currency: str, country: str | None
) -> None:
    assert detect_currency(texts, "AUD")[0::2] == (currency, country)


def test_a_us_receipt_stays_usd_and_month_first_for_a_usd_team() -> None:
    fields = parse_lines(lines("DINER", "AUSTIN, TX 78701", "04/03/2024", "TOTAL $6.90"), default_currency="USD")
    assert (fields.currency, fields.country, fields.date) == ("USD", "US", dt.date(2024, 4, 3))


@pytest.mark.parametrize("default", ["EUR", "GBP", "JPY", None])
def test_a_bare_dollar_is_usd_when_the_teams_currency_is_not_a_dollar(default: str | None) -> None:
    assert detect_currency(["SHOP", "ITEM $3.00", "TOTAL $5.00"], default)[0] == "USD"


def test_a_chinese_receipt_with_a_yen_sign_is_in_yuan_with_its_total() -> None:
    fields = parse_lines(lines("北京超市", "2024-03-04", "苹果 ¥12.50", "合计 ¥25.80", "现金 ¥30.00", "找零 ¥4.20"))
    assert (fields.currency, fields.country) == ("CNY", "CN")
    assert fields.total == Decimal("25.80")
    assert fields.date == dt.date(2024, 3, 4)


@pytest.mark.parametrize(
    "texts",
    [
        ["SHANGHAI MART", "APPLE ¥12.50", "TOTAL ¥25.80"],
        ["CAFE", "TOTAL ¥25.80"],
        ["收银台 1", "TOTAL ¥26"],
        ["CAFE", "TOTAL CN¥25.80"],
        ["CAFE", "TOTAL RMB 25.80"],
        ["CAFE", "TOTAL 25.80元"],
    ],
)
def test_chinese_words_places_fen_and_yuan_marks_make_a_yen_sign_yuan(texts: list[str]) -> None:
    assert detect_currency(texts)[0::2] == ("CNY", "CN")


@pytest.mark.parametrize(
    "texts",
    [
        ["ローソン", "おにぎり ¥150", "合計 ¥1,280"],
        ["Sakura Mart", "Shinjuku Branch", "TOTAL ¥853"],
        ["CAFE", "合計 ¥1,280"],
        ["東京都新宿区西新宿1-1", "合計 ¥1,280.00"],
        ["CAFE", "TOTAL JP¥1,280"],
    ],
)
def test_a_japanese_receipt_with_a_yen_sign_stays_in_yen(texts: list[str]) -> None:
    assert detect_currency(texts)[0::2] == ("JPY", "JP")


def test_a_yen_sign_with_even_evidence_follows_a_yuan_teams_default() -> None:
    assert detect_currency(["CAFE", "ITEM ¥12.00", "TOTAL ¥26"], "CNY")[0] == "CNY"
    assert detect_currency(["CAFE", "ITEM ¥12.00", "TOTAL ¥26"], "EUR")[0] == "JPY"


@pytest.mark.parametrize(
    ("texts", "team", "currency"),
    [
        (["LUCKIN COFFEE", "LATTE ¥29", "AMERICANO ¥25", "TOTAL ¥54"], "CNY", "CNY"),
        (["STARBUCKS", "LATTE ¥450.00", "TOTAL ¥450.00"], "JPY", "JPY"),
        (["UNIQLO", "SHIRT ¥1,990", "TOTAL ¥1,990"], "USD", "JPY"),
        (["LUCKIN COFFEE", "LATTE ¥29.00", "TOTAL ¥29.00"], "USD", "CNY"),
    ],
)
def test_how_yen_sign_amounts_print_is_weak_evidence_read_with_doubt(
    texts: list[str], team: str, currency: str
) -> None:
    code, confidence, _ = detect_currency(texts, team)
    assert code == currency
    assert confidence <= 0.6
    fields = parse_lines(lines(*texts), default_currency=team)
    assert fields.currency == currency
    assert fields.confidence["currency"] <= 0.6


@pytest.mark.parametrize(
    ("texts", "team", "currency"),
    [
        (["海底捞火锅", "宫保鸡丁 ¥48", "米饭 ¥6", "合计 ¥54"], "JPY", "CNY"),
        (["UNIQLO TOKYO", "SHIRT ¥1,990", "TOTAL ¥1,990"], "CNY", "JPY"),
        (["ローソン", "おにぎり ¥150.00", "合計 ¥150.00"], "CNY", "JPY"),
        (["CAFE", "LATTE 29元", "TOTAL ¥29"], "JPY", "CNY"),
    ],
)
def test_words_and_places_decide_a_yen_sign_over_the_team_currency(texts: list[str], team: str, currency: str) -> None:
    code, confidence, _ = detect_currency(texts, team)
    assert code == currency
    assert confidence > 0.6
