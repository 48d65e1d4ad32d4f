"""OCR slips inside addresses: vocabulary words, numbers, punctuation, stray marks, where the address ends."""

from __future__ import annotations

import pytest

from numzy_mcp.extraction.address_fix import correct_address, correct_word
from numzy_mcp.extraction.merchant import find_header


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("TAMAR", "TAMAN"),  # R for N
        ("Mslaysia", "Malaysia"),  # a plain slip inside a long word, case kept
        ("PERINOUSTRIAN", "PERINDUSTRIAN"),
        ("Cff", "Off"),  # C for O
        ("Bulch", "Buloh"),
        ("J1n", "Jln"),  # 1 for l
        ("Fleer", "Floor"),
        ("L.UMPUR", "LUMPUR"),  # a speck read as a full stop
        ("Sr!", "Sri"),
        ("OJLN", "JLN"),  # a mark before the word read as O
    ],
)
def test_a_word_one_ocr_slip_away_from_an_address_word_becomes_that_word(read: str, printed: str) -> None:
    assert correct_word(read) == printed


@pytest.mark.parametrize(
    "name",
    ["JAPAN", "BINTANG", "SUNGEI", "BESI", "ANGSA", "SERAI", "TAMPOI", "CHULAN", "PJU", "S117", "UPTOWN3", "KL"],
)
def test_street_and_place_names_that_are_not_address_words_are_left_alone(name: str) -> None:
    assert correct_word(name) == name


def test_a_letter_inside_a_postcode_or_house_number_is_read_as_the_digit_it_resembles() -> None:
    assert correct_address("SEKSYEN U13, 4017D SHAH ALAM,") == "SEKSYEN U13, 40170 SHAH ALAM,"
    assert correct_address("NO 29O, JALAN AIR PANAS") == "NO 290, JALAN AIR PANAS"
    assert correct_address("LOT D1234, JALAN 2") == "LOT D1234, JALAN 2"  # a lot number may start with a letter


def test_a_postcode_glued_to_the_town_gets_its_space_back() -> None:
    assert correct_address("MUKIM KAPAR 42100KLANG, SELANGOR") == "MUKIM KAPAR 42100 KLANG, SELANGOR"
    assert correct_address("LEBUH BANDAR UTAMA,47800P.JAYA") == "LEBUH BANDAR UTAMA,47800 P.JAYA"


def test_a_full_stop_after_a_whole_word_or_number_inside_an_address_is_a_comma() -> None:
    assert correct_address("LOT 1851-A & 1851-B. JALAN KPB 6,") == "LOT 1851-A & 1851-B, JALAN KPB 6,"
    assert correct_address("SRI PETALING.57000 KUALA LUMPUR.") == "SRI PETALING,57000 KUALA LUMPUR."
    assert correct_address("69. JALAN TEMENGGUNG 3/9") == "69, JALAN TEMENGGUNG 3/9"
    assert correct_address("BLOCK B NO1.JALAN PJU 9/1") == "BLOCK B NO1.JALAN PJU 9/1"
    assert correct_address("WISMA UOA II. NO 21, JALAN PINANG") == "WISMA UOA II, NO 21, JALAN PINANG"
    assert correct_address("MENARA III.JALAN AMPANG") == "MENARA III.JALAN AMPANG"  # no space: left as read


def test_full_stops_after_abbreviations_and_at_the_end_stay() -> None:
    for text in (
        "NO. 53, JALAN BESAR",
        "LOT P.T. 2811, JALAN ANGSA",
        "SEK.U3, 40150 SHAH ALAM",
        "JLN. BESAR",
        "1 Ocean Pkwy. Suite 5",
    ):
        assert correct_address(text) == text
    assert correct_address("43800 DENGKIL, SELANGOR.") == "43800 DENGKIL, SELANGOR."
    assert correct_address("SHAH ALAM,SELANGOR D.E.") == "SHAH ALAM,SELANGOR D.E."


def test_stray_quote_marks_go_and_a_misread_no_before_the_house_number_is_repaired() -> None:
    assert correct_address('TAMAN BERKELEY "41150 KLANG') == "TAMAN BERKELEY 41150 KLANG"
    assert correct_address("AO. 1 JALAN EURO 1 CFF JALAN BATU TIGA") == "NO. 1 JALAN EURO 1 OFF JALAN BATU TIGA"
    assert correct_address("Ao. 1 Jalan Euro") == "No. 1 Jalan Euro"


def test_misread_tax_and_invoice_lines_still_end_the_address() -> None:
    header = find_header(
        [
            "99 SPEED MART S/B (519537-X)",
            "LOT P.T. 2811, JALAN ANGSA,",
            "TAMAN BERKELEY",
            '"41150 KLANG, SELANGOR',
            "1237-TMN INDAH PERDANA",
            "G5T ID. NO: 000181747712",
        ]
    )
    assert header.address == "LOT P.T. 2811, JALAN ANGSA, TAMAN BERKELEY 41150 KLANG, SELANGOR 1237-TMN INDAH PERDANA"
    invoice = find_header(["HERO SDN BHD", "4243, JALAN SUBANG 3,", "40150 SELANGOR", "Tapx Involce: S1P0320170517"])
    assert invoice.address == "4243, JALAN SUBANG 3, 40150 SELANGOR"


def test_an_outlet_in_brackets_right_under_the_postcode_belongs_to_the_address() -> None:
    header = find_header(
        [
            "MR D.I.Y. (M) SDN BHD",
            "(CO.REG : 860671-D)",
            "LOT 1851-A & 1851-B, JALAN KPB 6,",
            "KAWASAN PERINDUSTRIAN BALAKONG,",
            "43300 SERI KEMBANGAN, SELANGOR",
            "(TESCO PUTRA NILAI)",
            "-INVOICE-",
        ]
    )
    assert header.address == (
        "LOT 1851-A & 1851-B, JALAN KPB 6, KAWASAN PERINDUSTRIAN BALAKONG, 43300 SERI KEMBANGAN, SELANGOR "
        "(TESCO PUTRA NILAI)"
    )
    assert header.address_lines == [2, 3, 4, 5]
    after_tax_id = find_header(
        [
            "MR. D.I.Y. (M) SDN BHD",
            "LOT 1851-A, JALAN KPB 6,",
            "43300 SERI KEMBANGAN, SELANGOR",
            "(GST ID No :0003)",
            "(IOI PUCHONG)",
        ]
    )
    assert after_tax_id.address == "LOT 1851-A, JALAN KPB 6, 43300 SERI KEMBANGAN, SELANGOR"


def test_a_us_city_and_state_or_a_uk_postcode_ends_the_address_before_a_banner_line() -> None:
    refund = find_header(["HOME GOODS OUTLET", "AUSTIN, TX", "*** RETURN / REFUND ***", "04/21/2026 10:15"])
    assert refund.address == "AUSTIN, TX"
    zip_code = find_header(["FRESH VALLEY MARKET", "123 MAIN ST,", "SPRINGFIELD, IL 62701", "*** SALE ***"])
    assert zip_code.address == "123 MAIN ST, SPRINGFIELD, IL 62701"
    london = find_header(["Corner Deli London", "LOND0N EC1A 1BB", "*** COPY ***", "VAT NO GB 123 4567 89"])
    assert london.address == "LONDON EC1A 1BB"  # a zero inside a city name is read as the letter


@pytest.mark.parametrize(
    "address",
    [
        "12 Avenue de la Plage, 06400 Cannes",
        "Tanjong Pagar Road, Singapore 088443",
        "Via Centro 5, 20121 Milano",
        "Los Angeles, Calif. 90012",
        "Straße des 17. Juni 135, 10623 Berlin",
        "1 Pontiac Rd, Pontiac, MI 48341",
        "Alan Turing Way, Manchester M11 3FF",
        "Count Street, Flour Mill Road, Fast Lane",
        "Jl. Raya Kuta No. 5, Kuta, Bali",
        "Chill Out Cafe, Owing Mills, MD 21117",
        "2000D Avenue Rd, Toronto",
    ],
)
def test_addresses_outside_malaysia_only_lose_digit_and_symbol_slips(address: str) -> None:
    assert correct_address(address) == address


def test_outside_malaysia_a_digit_inside_a_city_name_is_still_a_slip() -> None:
    assert correct_word("LOND0N", malaysian=False) == "LONDON"
    assert correct_word("TAMAR", malaysian=False) == "TAMAR"
    assert correct_word("") == ""


def test_malaysian_lot_and_house_numbers_and_names_are_not_taken_for_slips() -> None:
    for address in (
        "Lot 1234D, Jalan Kebun, 40460 Shah Alam",
        "LOT 1234D JALAN KEBUN, SELANGOR",
        "HO 12, Jalan Ampang, Kuala Lumpur",
        "KAWASAN PERIND. NILAI, 71800 NILAI",
        "Bunting Road, Ipoh, Perak",
        "Jalan Alan, Taman Lana, 43000 Kajang",
        "NO 12, JALAN TELOK GONG, TANJONG KARANG, SELANGOR",
        "No. 12345A, Jalan 2, Selangor",
    ):
        assert correct_address(address) == address


def test_receipt_furniture_under_an_address_is_not_part_of_it() -> None:
    walmart = ["WALMART SUPER CENTER", "123 MAIN ST", "SPRINGFIELD IL 62704", "ST# 01234 OP# 009999 TE# 01 TR# 01234"]
    assert find_header(walmart).address == "123 MAIN ST SPRINGFIELD IL 62704"
    dated = ["PRET A MANGER LTD", "Baker Street", "London", "Mon 12 Mar 2018 14:22 Till 3"]
    assert find_header(dated).address == "Baker Street London"
    german = ["REWE Markt GmbH", "Hauptstr. 5", "80331 München", "UID Nr.: DE123456789"]
    assert find_header(german).address == "Hauptstr. 5 80331 München"
    copy = ["99 SPEEDMART S/B", "NO 5, JALAN SS2/24", "PETALING JAYA", "*** COPY ***"]
    assert find_header(copy).address == "NO 5, JALAN SS2/24 PETALING JAYA"
    singapore = ["NTUC FAIRPRICE CO-OPERATIVE LTD", "Blk 123 Ang Mo Kio Ave 3", "#01-234", "Singapore 560123"]
    assert find_header(singapore).address == "Blk 123 Ang Mo Kio Ave 3 #01-234 Singapore 560123"


def test_long_inputs_are_corrected_in_linear_time() -> None:
    text = "JALAN " + "1" * 100_000 + " " + "a." * 50_000
    assert correct_address(text).startswith("JALAN 111")  # finishes: no backtracking blow-up
