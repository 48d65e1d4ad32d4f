"""Payment method and the last four card digits, read from the receipt's lines."""

from __future__ import annotations

import pytest

from numzy_mcp.extraction import parse_lines

from .helpers import lines


def _paid(*tender: str) -> tuple[str | None, str | None]:
    fields = parse_lines(lines("CORNER SHOP", "SANDWICH 8.50", "WATER 1.50", "TOTAL 10.00", *tender))
    return fields.payment_method, fields.card_last4


@pytest.mark.parametrize(
    "tender",
    [
        ("VISA ending in 1234",),
        ("Card ending 1234 10.00",),
        ("MASTERCARD xxxx-1234",),
        ("VISA XXXX XXXX XXXX 1234",),
        ("AMEX ...1234 10.00",),
        ("Paid by card", "Card number: ************1234"),
        ("Mastercard 10.00", "Last 4 digits: 1234"),
        ("Master 1234 App: 83650 10.00",),
    ],
)
def test_the_last_four_card_digits_are_read_however_the_number_is_masked(tender: tuple[str, ...]) -> None:
    assert _paid(*tender) == ("card", "1234")


def test_a_card_number_printed_in_full_gives_its_last_four_digits() -> None:
    assert _paid("VISA 10.00", "4111 1111 1111 1111") == ("card", "1111")


def test_an_amount_after_the_card_network_is_not_the_last_four_digits() -> None:
    fields = parse_lines(lines("RAMEN YA", "RAMEN ¥1217", "TOTAL ¥1217", "VISA 1217"), default_currency="JPY")
    assert fields.payment_method == "card"
    assert fields.card_last4 is None


@pytest.mark.parametrize(
    "tender",
    [
        "ALIPAY 10.00",
        "WeChat Pay 10.00",
        "Paid via PayPal",
        "GrabPay 10.00",
        "Touch 'n Go eWallet 10.00",
        "BOOST 10.00",
        "Go-Pay static QR 10.00",
        "OCTOPUS 10.00",
        "Suica 10.00",
        "GIFT CARD 10.00",
        "CASH VOUCHER 10.00",
        "BANK TRANSFER 10.00",
        "Zahlungsform Banküberweisung",
        "CHEQUE 10.00",
        "CHARGE TO ROOM 1204",
        "ON ACCOUNT 10.00",
    ],
)
def test_wallets_transit_cards_vouchers_transfers_and_accounts_are_other(tender: str) -> None:
    assert _paid(tender) == ("other", None)


@pytest.mark.parametrize("tender", ["APPLE PAY 10.00", "Google Pay VISA ****1234", "IC CARD 10.00"])
def test_phone_wallets_and_chip_cards_are_card_payments(tender: str) -> None:
    assert _paid(tender)[0] == "card"


@pytest.mark.parametrize(
    ("tender", "method"),
    [
        ("Kartenzahlung 10,00", "card"),
        ("BANCOMAT 10.00", "card"),
        ("PINBETALING 10.00", "card"),
        ("CONTANTI 10.00", "cash"),
        ("EFECTIVO 10.00", "cash"),
    ],
)
def test_card_and_cash_words_of_other_languages_are_recognised(tender: str, method: str) -> None:
    assert _paid(tender)[0] == method


def test_a_la_carte_on_a_menu_is_not_a_card_payment() -> None:
    assert _paid("A LA CARTE MENU", "CASH 10.00")[0] == "cash"


def test_a_wallet_named_only_in_an_advert_does_not_decide_the_payment() -> None:
    assert _paid("WE ACCEPT ALIPAY AND WECHAT PAY", "CASH 20.00", "CHANGE 10.00") == ("cash", None)


def test_a_wallet_reload_bought_as_an_item_is_not_the_payment() -> None:
    fields = parse_lines(lines("RAPID RAIL SDN BHD", "TNG RELOAD 30.00", "TOTAL 30.00", "CASH 30.00"))
    assert fields.payment_method == "cash"


def test_a_loyalty_card_line_is_not_a_card_payment() -> None:
    assert _paid("CASH 10.00", "MEMBER CARD NO: 2008011381468") == ("cash", None)


def test_a_loyalty_card_number_is_not_taken_for_the_payment_card() -> None:
    method, last4 = _paid("VISA 10.00", "Shell Loyalty Card", "6018840059147765")
    assert method == "card"
    assert last4 is None


def test_a_credit_note_is_not_a_credit_card() -> None:
    fields = parse_lines(lines("LIGHT SHOP SDN BHD", "CREDIT NOTE", "LAMP 39.80", "TOTAL 39.80", "CASH 39.80"))
    assert fields.payment_method == "cash"


def test_the_tender_that_carries_the_total_wins_between_a_card_and_a_wallet() -> None:
    assert _paid("GRABPAY 0.00", "VISA 10.00")[0] == "card"
    assert _paid("VISA 0.00", "GRABPAY 10.00")[0] == "other"


def test_a_voucher_that_pays_part_of_the_bill_leaves_the_card_as_the_payment() -> None:
    assert _paid("VOUCHER 5.00", "VISA 5.00")[0] == "card"


def test_cash_handed_over_with_change_wins_over_a_wallet_word() -> None:
    assert _paid("BOOST 0.00", "CASH 20.00", "CHANGE 10.00")[0] == "cash"


def test_change_given_with_no_method_printed_means_cash() -> None:
    fields = parse_lines(lines("WARUNG ABC", "NASI 20.000", "Total 31.000", "Bayar 40.000", "Kembali 9.000"))
    assert fields.payment_method == "cash"


def test_a_card_terminal_slip_is_a_card_payment() -> None:
    assert _paid("EDC 10.00")[0] == "card"
