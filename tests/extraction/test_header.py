from __future__ import annotations

import pytest

from numzy_mcp.extraction import detect_currency, parse_lines
from numzy_mcp.extraction.merchant import clean_company, find_header

from .helpers import lines


def test_the_address_starts_at_the_unit_line_and_stops_at_the_tax_id() -> None:
    header = find_header(
        [
            "TONYMOLY VIVA CITY",
            "(TONYMOLY SHOP (95874))",
            "UNIT L1-044B, VIVACITY MEGAMALL,",
            "JALAN WAN ALWI,",
            "93350 KUCHING, SARAWAK.",
            "GST ID : 000349356032",
        ]
    )
    assert header.merchant == "TONYMOLY VIVA CITY"
    assert header.address == "UNIT L1-044B, VIVACITY MEGAMALL, JALAN WAN ALWI, 93350 KUCHING, SARAWAK."
    assert header.address_lines == [2, 3, 4]


def test_an_outlet_name_after_the_postcode_line_is_not_part_of_the_address() -> None:
    header = find_header(
        [
            "POPULAR BOOK",
            "CO. (M) SDN BHD",
            "(Co. No. 113825-W)",
            "No 8, Jalan 7/118B, Desa Tun Razak",
            "56000 Kuala Lumpur, Malaysia",
            "SUNWAY VELOCITY",
            "Tel: 03-9201 6281",
        ]
    )
    assert header.merchant == "POPULAR BOOK CO. (M) SDN BHD"
    assert header.address == "No 8, Jalan 7/118B, Desa Tun Razak 56000 Kuala Lumpur, Malaysia"


def test_a_former_name_and_licence_line_do_not_start_the_address() -> None:
    header = find_header(
        [
            "Gerbang Alaf Restaurants Sdn Bhd",
            "(65351-M)",
            "formerly known as",
            "Golden Arches Restaurants Sdn Bhd",
            "Licensee of McDonald's",
            "Level 6, Bangunan TH, Damansara Uptown3",
            "No.3, Jalan SS21/39,47400 Petaling Jaya",
            "Selangor",
            "(GST ID No: 000504664064)",
        ]
    )
    assert header.address == "Level 6, Bangunan TH, Damansara Uptown3 No.3, Jalan SS21/39,47400 Petaling Jaya Selangor"


def test_company_names_are_re_spaced_where_the_ocr_glued_or_misread_them() -> None:
    assert clean_company("SANYUSTATIONERYSHOP") == "SANYU STATIONERY SHOP"
    assert clean_company("GARDENIA BAKERIES (KLISDN BHD (139386 X)") == "GARDENIA BAKERIES (KL) SDN BHD"
    assert clean_company("AIK HUAT HARDWARE ENTERPRISE(SETIA ALAM) SDN BHD") == (
        "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"
    )
    assert clean_company("BaumarktKoenig") == "Baumarkt Koenig"


def test_full_width_punctuation_and_ocr_accents_are_normalised_on_malaysian_receipts() -> None:
    fields = parse_lines(
        lines("THE STORE (MALAYSIA） SDN BHD", "NO. 31G, JALAN SETIA INDAH, 40170 SETIA ÁLAM", "TOTAL RM 5.00")
    )
    assert fields.merchant == "THE STORE (MALAYSIA) SDN BHD"
    assert fields.address == "NO. 31G, JALAN SETIA INDAH, 40170 SETIA ALAM"


def test_a_bare_dollar_on_a_malaysian_receipt_is_ringgit_but_in_the_us_or_alone_it_is_usd() -> None:
    malaysian = ["KEDAI SDN BHD", "JOHOR BAHRU", "TOTAL $6.90", "CASH $10.00", "CHANGE $3.10"]
    assert detect_currency(malaysian)[0] == "MYR"
    assert detect_currency(["DINER", "AUSTIN, TX 78701", "TOTAL $6.90"])[0] == "USD"
    assert detect_currency(["SHOP PTE LTD", "SINGAPORE 123456", "TOTAL $6.90"])[0] == "SGD"
    assert detect_currency(["TOTAL $6.90"])[0] == "USD"


def test_a_restaurant_name_wins_over_the_server_and_table_line() -> None:
    fields = parse_lines(lines("Maple Street Cafe", "Portland, OR", "SERVER:12 TABLE7 GUESTS2", "TOTAL 9.00"))
    assert fields.merchant == "Maple Street Cafe"


def test_an_address_line_ending_with_a_comma_continues_past_the_postcode() -> None:
    header = find_header(
        [
            "SINNATHAMBY HOLDINGS SDN. BHD.",
            "249336-T",
            "NO.17, 18 & 41, JALAN BESAR,",
            "39100 BRINCHANG,",
            "CAMERON HIGHLANDS,",
            "PAHANG",
            "GST Reg.:002120876032",
        ]
    )
    assert header.address == "NO.17, 18 & 41, JALAN BESAR, 39100 BRINCHANG, CAMERON HIGHLANDS, PAHANG"


def test_the_address_ends_at_the_country_and_the_mall_name_below_is_left_out() -> None:
    header = find_header(
        [
            "POPULAR BOOK CO. (M) SDN BHD",
            "No 8, Jalan 7/118B, Desa Tun Razak",
            "56000 Kuala Lumpur, Malaysia",
            "AMPANG POINT CENTRE",
            "Tel: 03-42601064",
        ]
    )
    assert header.address == "No 8, Jalan 7/118B, Desa Tun Razak 56000 Kuala Lumpur, Malaysia"


def test_a_name_whose_second_line_starts_with_a_trade_word_takes_the_line_above() -> None:
    header = find_header(
        [
            "AIK HUAT HARDWARE",
            "ENTERPRISE(SETIA",
            "ALAM) SDN BHD",
            "822737-X",
            "NO. 17-G, JALAN SETIA INDAH",
        ]
    )
    assert header.merchant == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"
    assert header.merchant_lines == [0, 1, 2]
    glued = find_header(["3180404", "WESTERN EASTERN", "STATIONERY SDN.BHD", "CO REGNO: 21003B-K"])
    assert glued.merchant == "WESTERN EASTERN STATIONERY SDN.BHD"


def test_a_brand_line_with_its_outlet_in_brackets_belongs_to_the_legal_name_below() -> None:
    header = find_header(
        [
            "TOKYO KITCHEN (CITTA MALL)",
            "TOKYO KITCHEN SDN BHD",
            "(945402-P)",
            "G-26, GRD FLOOR,CITTA MALL,",
        ]
    )
    assert header.merchant == "TOKYO KITCHEN (CITTA MALL) TOKYO KITCHEN SDN BHD"
    assert header.address == "G-26, GRD FLOOR,CITTA MALL,"


def test_a_different_trading_name_above_the_legal_name_is_left_out() -> None:
    assert (
        find_header(["BREWERY TAP", "Owner by Castle Blue S/B", "No 5, Jalan 1"]).merchant == "Owner by Castle Blue S/B"
    )
    assert (
        find_header(["SUSHI MENTAI (MAHKOTA)", "MIZU MENTAI SDN. BHD.", "NO.37-1"]).merchant == "MIZU MENTAI SDN. BHD."
    )
    assert find_header(["GHEE HIANG", "GH DISTRIBUTOR & MARKETING SDN BHD"]).merchant == (
        "GH DISTRIBUTOR & MARKETING SDN BHD"
    )


@pytest.mark.parametrize(
    ("receipt", "merchant"),
    [
        (("BP", "Pump 3", "Unleaded 40.00", "TOTAL 40.00"), "BP"),
        (("H&M", "T-SHIRT 9.99", "TOTAL 9.99"), "H&M"),
        (("A&W", "ROOT BEER FLOAT 4.50", "TOTAL 4.50"), "A&W"),
    ],
)
def test_a_short_all_caps_brand_at_the_top_is_the_merchant(receipt: tuple[str, ...], merchant: str) -> None:
    assert parse_lines(lines(*receipt)).merchant == merchant


def test_a_line_with_a_price_under_the_header_is_never_the_merchant() -> None:
    header = find_header(["Sunny Side", "MUG HOLDINGS LIMITED EDITION 12.00", "TOTAL 12.00"])
    assert header.merchant == "Sunny Side"


@pytest.mark.parametrize(
    ("first", "merchant"),
    [
        ("FACTUUR. Northwind B.V.", "Northwind B.V."),
        ("Fabrikam Widgets INVOICE", "Fabrikam Widgets"),
        ("TAX INVOICE: Contoso Trading Ltd", "Contoso Trading Ltd"),
        ("Rechnung Tailspin Toys GmbH", "Tailspin Toys GmbH"),
    ],
)
def test_a_document_title_on_the_name_line_is_not_part_of_the_merchant(first: str, merchant: str) -> None:
    fields = parse_lines(lines(first, "Weena 664", "Invoice Date: 19 April 2014", "Total 10.00"))
    assert fields.merchant == merchant


def test_a_title_alone_or_with_a_number_is_never_the_merchant() -> None:
    assert find_header(["Kopie factuur", "Invoice INV/2023/03/0008", "Rechnung Seite 1"]).merchant is None


def test_the_bill_to_and_ship_to_block_belongs_to_the_buyer() -> None:
    header = find_header(
        [
            "Northwind Traders",
            "Bill To: Ship To:",
            "Payment Terms: Net 30 days",
            "Contoso Ltd Contoso Store",
            "12 Main Street",
        ]
    )
    assert header.merchant == "Northwind Traders"
    buyer_only = find_header(["Factuuradres Afleveradres", "Strategic Corp", "Fakestreet 46", "Nederland"])
    assert buyer_only.merchant is None


def test_label_page_and_country_lines_are_never_the_merchant() -> None:
    assert find_header(["Payment Terms: Net 30 days", "Page: 1 / 1", "United States"]).merchant is None
    assert find_header(["DIMILIKI OLEH : DOVE HOLDINGS SDN BHD"]).merchant == "DIMILIKI OLEH : DOVE HOLDINGS SDN BHD"


def test_a_line_with_a_legal_form_wins_over_a_tagline_above_it() -> None:
    header = find_header(["Global Wholesaler", "Fabrikam Interiors B.V.", "4557 De Silva St", "Fremont CA 94538"])
    assert header.merchant == "Fabrikam Interiors B.V."
    assert find_header(["Global Wholesaler", "YourCompany, Mitchell Admin"]).merchant == "Global Wholesaler"


def test_a_one_line_return_address_gives_the_seller_and_its_address() -> None:
    header = find_header(
        [
            "TailspinHosting AG - Uferweg 40-42 - D-63571 Gelnhausen",
            "Contoso Ltd.",
            "93B Sai Yu Chung",
            "Hong Kong",
            "Im Internet: www.tailspinhosting.de",
        ]
    )
    assert header.merchant == "TailspinHosting AG"
    assert header.address == "Uferweg 40-42, D-63571 Gelnhausen"
    assert find_header(["CT281 - TEALIVE SHELL KEPONG OTTOGO ENTERPRISE"]).merchant != "CT281"


def test_the_name_of_the_web_address_wins_over_a_tagline() -> None:
    header = find_header(["Global Wholesaler", "Fabrikam Interior", "4557 De Silva St", "www.fabrikam-interior.com"])
    assert header.merchant == "Fabrikam Interior"


def test_with_no_name_in_the_header_the_seller_named_in_the_footer_is_taken() -> None:
    items = [f"Service {n} 1.00" for n in range(10)]
    texts = ["Bill to Address:", "Contoso Limited", *items, "All services are sold by Fabrikam Web Services, Inc."]
    assert find_header(texts).merchant == "Fabrikam Web Services, Inc."
    legal = ["Rechnung Seite 1", "Rechnungsnr. 30064443", *items, "Im Falle der Tailspin Hosting AG berechnen wir"]
    assert find_header(legal).merchant == "Tailspin Hosting AG"


def test_a_seller_label_in_the_header_gives_the_name_after_it() -> None:
    assert (
        find_header(["Sold by: Fabrikam Web Services, Inc.", "Contoso Ltd"]).merchant == "Fabrikam Web Services, Inc."
    )


def test_a_brand_and_branch_line_with_a_colon_is_the_merchant_not_a_label() -> None:
    fields = parse_lines(
        lines(
            "SUSHI KING : MID VALLEY",
            "(CO. REG 123456-A)",
            "LOT F-12, MID VALLEY MEGAMALL,",
            "59200 KUALA LUMPUR",
            "TEL: 03-22821234",
            "TAX INVOICE",
            "DATE: 14/03/2018 13:05",
            "SALMON SUSHI 2 8.50",
            "TOTAL RM 11.50",
        ),
        default_currency="MYR",
    )
    assert fields.merchant == "SUSHI KING : MID VALLEY"
    assert fields.address == "LOT F-12, MID VALLEY MEGAMALL, 59200 KUALA LUMPUR"
    assert find_header(["CAFE: THE DAILY GRIND", "12 ELM ST"]).merchant == "CAFE: THE DAILY GRIND"
    assert find_header(["PIZZA HUT : KLCC", "LOT 1 KLCC"]).merchant == "PIZZA HUT : KLCC"


@pytest.mark.parametrize(
    "label",
    [
        "Invoice No: 12345",
        "Order Number: A-1",
        "Customer ID: 99",
        "Due Date: 1 May 2024",
        "Payment Terms: Net 30 days",
        "Page: 2",
        "Phone: 555 0100",
        "E-mail: billing@example.com",
        "VAT Number: NL123",
        "GST Reg No: 000123",
        "Account: Savings",
        "Reference: Spring order",
    ],
)
def test_a_field_label_line_is_never_the_merchant(label: str) -> None:
    assert find_header([label, "Northwind Traders", "12 Main Street"]).merchant == "Northwind Traders"


@pytest.mark.parametrize(
    ("first", "merchant"),
    [
        ("MERCHANT NAME: ACME CAFE", "ACME CAFE"),
        ("Merchant: Blue Bottle Coffee", "Blue Bottle Coffee"),
        ("Vendor name: Tailspin Toys", "Tailspin Toys"),
        ("Supplier: Fabrikam Ltd", "Fabrikam Ltd"),
    ],
)
def test_a_merchant_or_vendor_name_label_gives_the_name_after_it(first: str, merchant: str) -> None:
    assert find_header([first, "1 MAIN ST", "Invoice Date: 1 May 2024"]).merchant == merchant


@pytest.mark.parametrize(
    "name", ["VENDOR CAFE", "SUPPLIER HOUSE INC", "BUYER'S BAR & GRILL", "CLIENT BISTRO", "SELLER BROS DELI"]
)
def test_a_label_word_that_starts_a_shop_name_is_kept(name: str) -> None:
    fields = parse_lines(lines(name, "12 ELM ST", "BEER 5.00", "TOTAL 5.00"), default_currency="USD")
    assert fields.merchant == name
