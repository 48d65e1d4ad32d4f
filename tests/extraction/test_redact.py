"""Card numbers are masked to their last four digits wherever OCR text is kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from numzy_mcp.extraction.redact import find_card_numbers, mask_card_numbers, mask_fields, mask_ocr
from numzy_mcp.receipts import ExtractedFields, LineItem, OcrResult

from .helpers import lines


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("VISA 4111 1111 1111 1111", "VISA **** **** **** 1111"),
        ("4111-1111-1111-1111 EXP 12/25", "****-****-****-1111 EXP 12/25"),
        ("CARD 4111111111111111", "CARD ************1111"),
        ("AMEX 3782 822463 10005", "AMEX **** ****** *0005"),
        ("TEL 03 5555 5555 5555 4444", "TEL 03 **** **** **** 4444"),
        ("6018840059147765", "************7765"),
    ],
)
def test_a_luhn_valid_card_number_keeps_only_its_last_four_digits(text: str, masked: str) -> None:
    assert mask_card_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # fails the Luhn check
        "9555651400385 1 X 7.45",  # a Malaysian barcode (955) and a quantity
        "4006381333924",  # an EAN-13 barcode that also passes Luhn
        "INV-NO.0002300417000116",  # an invoice number starting with 0
        "BANK ACC MBB 5128 4851 2118",  # twelve digits
        "Closed: 201601897 21-04-2018 21:09:20",  # numbers and a date run together
        "TOTAL 1.234.567.890.123,00",  # an amount
    ],
)
def test_numbers_that_are_not_card_numbers_are_kept(text: str) -> None:
    assert mask_card_numbers(text) == text


def test_a_card_number_followed_by_another_group_is_masked_without_the_group() -> None:
    assert mask_card_numbers("4111 1111 1111 1111 0000") == "**** **** **** 1111 0000"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("VISA 4111 1111 11111111", "VISA **** **** ****1111"),
        ("4111 11111111 1111", "**** ******** 1111"),
        ("41111111 1111 1111", "******** **** 1111"),
        ("4111–1111–1111–1111", "****–****–****–1111"),  # en dashes
        ("4111.1111.1111.1111", "****.****.****.1111"),
        ("4111\u00a01111\u00a01111\u00a01111", "****\u00a0****\u00a0****\u00a01111"),  # no-break spaces
        ("3566 0020 2036 05055", "**** **** **** *5055"),  # 17 digits
        ("6212 3456 7890 1234 569", "**** **** **** ***4 569"),  # 19 digits, the last group of three
    ],
)
def test_a_card_number_in_any_grouping_keeps_only_its_last_four_digits(text: str, masked: str) -> None:
    assert mask_card_numbers(text) == masked


def test_a_card_number_after_another_group_of_digits_is_found_inside_the_run() -> None:
    text = "TERM 2024 4111 1111 1111 1111"
    assert mask_card_numbers(text) == "TERM 2024 **** **** **** 1111"
    [card] = find_card_numbers(text)
    assert (card.start, card.end, card.last4) == (10, 29, "1111")


def test_two_card_numbers_in_one_run_are_both_masked() -> None:
    text = "4111 1111 1111 1111 5555 5555 5555 4444"
    assert mask_card_numbers(text) == "**** **** **** 1111 **** **** **** 4444"
    assert [card.last4 for card in find_card_numbers(text)] == ["1111", "4444"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("５５５５５５５５５５５５４４４４", "************４４４４"),  # fullwidth digits
        (
            "ＶＩＳＡ　４１１１　１１１１　１１１１　１１１１",
            "ＶＩＳＡ　****　****　****　１１１１",
        ),  # ideographic spaces
        ("٤١١١-١١١١-١١١١-١١١١", "****-****-****-١١١١"),  # Arabic-Indic digits
    ],
)
def test_a_card_number_in_other_digits_is_masked_like_an_ascii_one(text: str, masked: str) -> None:
    assert mask_card_numbers(text) == masked


def test_a_card_number_in_fullwidth_digits_reports_its_last_four_digits_in_ascii() -> None:
    [card] = find_card_numbers("PAN ５５５５５５５５５５５５４４４４")
    assert card.last4 == "4444"


def test_a_long_line_of_digit_groups_masks_every_card_number_in_it() -> None:
    line = " | ".join(["4111 1111 1111 1111"] * 5000)
    assert mask_card_numbers(line) == " | ".join(["**** **** **** 1111"] * 5000)


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 11111112",  # fails the Luhn check, in each grouping
        "4111–1111–1111–1112",
        "4111.1111.1111.1112",
        "５５５５５５５５５５５５４４４５",
        "TERM 2024 4111 1111 1111 1112",
        "TEL +60 3-5555 5555 FAX +60 3-5555 5556",  # phone numbers
        "TEL 1300 88 1234 / 012-345 6789",
        "GST ID: 000123456789",  # a GST id
        "GST REG NO 0012 3456 7890 1234",
        "VAT NO. GB 123 4567 89",
        "TOTAL RM 1,234,567.89",  # amounts with decimals
        "Rp 12.345.678.901.234,00",
        "1 234 567 890 123.00",
        "DATE 2024-01-15 2024.01.16 15 01 2024",  # dates
        "9 555651 400385",  # a barcode with a non-card prefix
        "4006381333924",  # an EAN-13 barcode that also passes Luhn
        "ORDER 41111111111111110000",  # a card-like run inside a longer run stays with it
    ],
)
def test_numbers_that_are_not_card_numbers_are_kept_in_every_script_and_grouping(text: str) -> None:
    assert mask_card_numbers(text) == text


def test_found_card_numbers_give_their_position_and_last_four_digits() -> None:
    [card] = find_card_numbers("PAN: 5555555555554444 EXP")
    assert (card.start, card.end, card.last4) == (5, 21, "4444")


def test_masking_an_ocr_result_changes_only_the_lines_with_card_numbers() -> None:
    ocr = OcrResult(engine="test", lines=lines("SHOP", "VISA 4111111111111111", "TOTAL 9.99"), width=1, height=1)
    masked = mask_ocr(ocr)
    assert [line.text for line in masked.lines] == ["SHOP", "VISA ************1111", "TOTAL 9.99"]
    assert masked.lines[0] is ocr.lines[0]
    assert "4111111111111111" not in masked.text()
    assert ocr.lines[1].text == "VISA 4111111111111111"


def test_an_ocr_result_without_card_numbers_is_returned_as_it_is() -> None:
    ocr = OcrResult(engine="test", lines=lines("SHOP", "TOTAL 9.99"), width=1, height=1)
    assert mask_ocr(ocr) is ocr


def test_masking_fields_covers_the_printed_texts_items_and_card_digits() -> None:
    fields = ExtractedFields(
        merchant="SHOP",
        items=[LineItem(description="TOP-UP 4111 1111 1111 1111", amount=Decimal("10.00"))],
        raw={"payment_method": "VISA 4111111111111111"},
        card_last4="4111111111111111",
    )
    masked = mask_fields(fields)
    assert masked.items[0].description == "TOP-UP **** **** **** 1111"
    assert masked.raw["payment_method"] == "VISA ************1111"
    assert masked.card_last4 == "1111"
    assert masked.merchant == "SHOP"
    assert fields.card_last4 == "4111111111111111"


def test_fields_without_card_numbers_are_returned_as_they_are() -> None:
    fields = ExtractedFields(merchant="SHOP", card_last4="1234")
    assert mask_fields(fields) is fields
