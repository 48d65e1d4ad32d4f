"""How a receipt was paid: card (with the last four digits), cash, or another method.

"card" is any payment card: a network (Visa, Mastercard, Amex, JCB, UnionPay, girocard, CB...), a
generic card word on a tender line ("CARD", "DEBIT", "KARTE"), or a card used through a phone wallet.
Apple Pay, Google Pay and Samsung Pay count as card: they charge a tokenised card of the same
network, the charge reaches the card's statement, and the receipt prints the network and the last
four digits of the token (which may differ from the plastic card's).

"other" is everything else that is not notes and coins: wallets that hold their own balance (Alipay,
WeChat Pay, PayPal, GrabPay, Touch 'n Go eWallet, Boost, ShopeePay, GoPay, OVO, DuitNow/PayNow QR,
PayPay...), stored-value transit and e-money cards (Octopus, EZ-Link, Suica, PASMO, nanaco, WAON,
Flazz...), vouchers, gift cards, store credit and points, bank transfers and online banking (FPX),
cheques, and charges to an account or a hotel room. A plain "IC CARD" is a chip card read, not
transit e-money, so it stays "card".

Evidence comes from the lines that are not items or advertising ("WE ACCEPT ALIPAY", "BE A POPULAR
CARD MEMBER"); loyalty and member-card lines are not card payments. When two methods are printed,
the one on the line that carries the total wins; cash with change given wins over everything, and
change given with no method printed means cash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from numzy_mcp.extraction.redact import find_card_numbers
from numzy_mcp.receipts import ExtractedFields, PaymentMethod

__all__ = ["set_payment"]

_NETWORK: Final = re.compile(
    r"\bVISA\b|MASTER\s?CARD|\bMASTER\b|\bAMEX\b|AMERICAN\s?EXPRESS|\bJCB\b|\bDISCOVER\b|\bDINERS\b|UNION\s?PAY|"
    r"銀聯|银联|\bMAESTRO\b|\bEC[-\s]?KARTE|\bGIROCARD\b|\bCB(?![A-Z])|CARTE\s?(?:BANCAIRE|BLEUE|DE\s?CR[ÉE]DIT)|\bINTERAC\b|"
    r"\bEFTPOS\b|CONTACTLESS|\bPAYWAVE\b|SANS\s?CONTACT|\bKREDITKARTE\b|(?:APPLE|GOOGLE|SAMSUNG|ANDROID)\s?PAY\b|"
    r"\bG\s?PAY\b|クレジット|信用卡|刷卡|KARTENZAHLUNG|\bBANCOMAT\b|CARTA\s?DI\s?CREDITO|\bPINBETALING\b|\bPINNEN\b",
    re.IGNORECASE,
)
_GENERIC_CARD: Final = re.compile(
    r"\bCARD\b|\bDEBIT\b(?!\s?NOTE)|\bCREDIT\b(?!\s?NOTE)|\bKARTE\b|\bKARTU\b|\bKAD\b|\bTARJETA\b|\bEDC\b",
    re.IGNORECASE,
)
_CASH_PAY: Final = re.compile(
    r"\bCASH\b|\bBAR\b|\bBARGELD\b|ESP[EÈ]CES|\bTUNAI\b|\bGEGEBEN\b|現金|现金|\bEFECTIVO\b|\bCONTANTI\b|\bCONTANT\b",
    re.IGNORECASE,
)
# Methods that pay the whole bill and are neither card nor cash.
_WALLET: Final = re.compile(
    r"ALI\s?PAY|支付宝|WE\s?CHAT\s?PAY|WEIXIN\s?PAY|微信支付|PAY\s?PAL|GRAB\s?PAY|TOUCH\s?['’‘]?\s?N\s?['’‘]?\s?GO|"
    r"\bTNG\b|\bBOOST\b|SHOPEE\s?PAY|\bGO\s?-?PAY\b|\bOVO(?![A-Z])|LINK\s?AJA|\bQRIS\b|DUIT\s?NOW|\bPAY\s?NOW\b|"
    r"PROMPT\s?PAY|\bVENMO\b|CASH\s?APP\b|\bZELLE\b|M-?PESA|\bPAYTM\b|PHONE\s?PE\b|\bUPI\b|\bPAYPAY\b|LINE\s?PAY|"
    r"RAKUTEN\s?PAY|\bMERPAY\b|KAKAO\s?PAY|NAVER\s?PAY|\bTWINT\b|\bSWISH\b|\bMOBILEPAY\b|\bVIPPS\b|\bBLIK\b|"
    r"\bKLARNA\b|\bAFTERPAY\b|\bATOME\b|E-?WALLET|電子マネー|QR\s?(?:CODE\s)?PAY|"
    r"OCTOPUS|八達通|EZ-?LINK|\bSUICA\b|\bPASMO\b|\bICOCA\b|\bNANACO\b|\bWAON\b|\bEDY\b|交通系|T-?MONEY|"
    r"OYSTER\s?CARD|OPAL\s?CARD|EASY\s?CARD|悠遊卡|\bFLAZZ\b|E-?MONEY|\bBRIZZI\b|TAP\s?CASH|CASH\s?CARD|"
    r"(?:BANK|WIRE|ONLINE|ELECTRONIC)\s?TRANSFER|[ÜU]E?BERWEISUNG|\bVIREMENT\b|TRANSFERENCIA|\bFPX\b|"
    r"DIRECT\s?DEBIT|CH[EÈ]QUE|\bSCHECK\b|PERSONAL\s?CHECK|(?:PAID\s?BY|TENDER(?:ED)?|BY)\s?CHECK\b|"
    r"CHECK\s?(?:TENDER|PAYMENT)|\bON\s?ACCOUNT\b|CHARGED?\s?TO\s?(?:ACCOUNT|ROOM|COMPANY)|(?:BILL|POST)(?:ED)?\s?TO\s?ROOM|"
    r"ROOM\s?POST(?:ING)?|CITY\s?LEDGER|AUF\s?RECHNUNG|CREDIT\s?(?:SALE|TERMS?|ACCOUNT)|ACCOUNT\s?(?:SALE|CHARGE)|"
    r"INVOICE\s?TO\s?FOLLOW|COMPANY\s?ACCOUNT",
    re.IGNORECASE,
)
# Methods that usually pay part of the bill: the rest is paid another way.
_VOUCHER: Final = re.compile(
    r"VOUCHER|GIFT\s?(?:CARD|CERT\w*)|GUTSCHEIN|BON\s?D['’]ACHAT|CARTE\s?CADEAU|TICKET\s?RESTAURANT|STORE\s?CREDIT|"
    r"POINTS?\s?(?:REDEEMED|REDEMPTION|PAYMENT|USED)|REDEEM(?:ED)?\s?POINTS?|PAID\s?(?:BY|WITH)\s?POINTS",
    re.IGNORECASE,
)
_LOYALTY: Final = re.compile(
    r"\bMEMBER|LOYALTY|\bPOINTS?\b|\bREWARDS?\b|\bCLUB\b|\bVIP\b|\bBONUS|\bPAYBACK\b|KAD\s?AHLI|MITGLIED|FID[EÉ]LIT[EÉ]",
    re.IGNORECASE,
)
_ADVERT: Final = re.compile(
    r"\bWE\s?ACCEPT|\bACCEPTED\b|\bACCEPT(?:ING)?\s?(?:ALL|MOST)\b|\bSIGN\s?UP\b|\bAPPLY\b|\bJOIN\b|\bBE\s?A\b|"
    r"\bDOWNLOAD\b|\bGET\s?(?:A|YOUR)\b|\bAKZEPTIER|\bNOUS\s?ACCEPTONS\b|\bKAMI\s?TERIMA\b",
    re.IGNORECASE,
)
_AMOUNT: Final = re.compile(
    r"\d[.,'’]\d{2,3}(?!\d)|[¥￥$€£]\s?-?\d|\d\s?[€£円]|\b(?:RM|RP|USD|EUR)\s?-?\d", re.IGNORECASE
)
_TENDER: Final = re.compile(
    r"\bPAID\b|\bPAYMENT\b|\bPAY\s?BY\b|\bTENDER|\bBAYARAN\b|\bPEMBAYARAN\b|ZAHLUNG|BEZAHLT|PAIEMENT|R[EÈ]GLEMENT|"
    r"\bMETHOD\b|\bMODE\b|\bVIA\b|支払|支付",
    re.IGNORECASE,
)
_MASKED_LAST4: Final = re.compile(r"(?:[*Xx•#]{2,}[\s*Xx•#.-]*)(\d{4})(?!\d)")
_ENDING_LAST4: Final = re.compile(
    r"(?:\bENDING|\bENDS|\bEND|\bLAST\s?(?:4|FOUR)(?:\s?DIGITS)?|\bENDET\s?(?:AUF|MIT)|\bTERMINANT\s?PAR|"
    r"\bFINISSANT\s?PAR|\bTERMINADA\s?EN|\bBERAKHIR\s?DENGAN)\s?(?:IN|WITH)?\s?[:#]?\s?[*Xx•#.…-]*\s?(\d{4})(?!\d)",
    re.IGNORECASE,
)
_NETWORK_LAST4: Final = re.compile(
    r"(?:\bVISA|MASTER\s?CARD|\bMASTER|\bMC|\bAMEX|\bDISCOVER|\bJCB|\bDEBIT|\bCREDIT|\bCARD)\s?(?:CARD)?\s?"
    r"(?:NO\.?|NUMBER)?\s?[#:]?\s?(?:[.…]+\s?(\d{4})(?!\d)|(\d{4})(?![\d.,:/])(?!\s?\d))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Evidence:
    line: int
    strong: bool
    """Printed on a tender line (an amount or a payment word), not merely mentioned."""
    carries_total: bool
    """The line's amount is the receipt's total."""


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda match: " " * len(match.group()), text)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _carries_total(text: str, total: Decimal | None) -> bool:
    if total is None or not total:
        return False
    wanted = _digits(f"{abs(total):f}")
    amounts = [_digits(match.group()) for match in re.finditer(r"\d[\d.,'’ ]*\d|\d", text)]
    return any(amount == wanted or amount.rstrip("0") == wanted.rstrip("0") for amount in amounts if amount)


def _first(found: list[_Evidence]) -> _Evidence | None:
    """The strongest piece of evidence: carrying the total, then printed as a tender, then earliest."""
    return min(found, key=lambda e: (not e.carries_total, not e.strong, e.line), default=None)


def _collect(
    texts: list[str], total: Decimal | None, skip: set[int]
) -> tuple[list[_Evidence], list[_Evidence], list[_Evidence], list[_Evidence]]:
    """Card, cash, wallet and voucher evidence, line by line."""
    card: list[_Evidence] = []
    cash: list[_Evidence] = []
    wallet: list[_Evidence] = []
    voucher: list[_Evidence] = []
    for index, text in enumerate(texts):
        if _ADVERT.search(text):
            continue
        strong = bool(_AMOUNT.search(text) or _TENDER.search(text))
        evidence = _Evidence(index, strong, strong and _carries_total(text, total))
        if index not in skip:
            if _WALLET.search(text):
                wallet.append(evidence)
            if _VOUCHER.search(text):
                voucher.append(evidence)
        rest = _blank(_VOUCHER, _blank(_WALLET, text))  # "GIFT CARD", "CASH VOUCHER": not card, not cash
        loyalty = bool(_LOYALTY.search(rest))
        after_loyalty = index > 0 and bool(_LOYALTY.search(texts[index - 1])) and not _AMOUNT.search(rest)
        if _NETWORK.search(rest) or (_GENERIC_CARD.search(rest) and not loyalty and not after_loyalty):
            card.append(evidence)
        if _CASH_PAY.search(rest):
            cash.append(evidence)
    return card, cash, wallet, voucher


def _choose(
    card: list[_Evidence],
    cash: list[_Evidence],
    wallet: list[_Evidence],
    voucher: list[_Evidence],
    change: Decimal | None,
) -> tuple[PaymentMethod, _Evidence | None] | None:
    best_card, best_cash, best_wallet, best_voucher = _first(card), _first(cash), _first(wallet), _first(voucher)
    if best_cash and change not in (None, 0):
        return "cash", best_cash  # notes were handed over: change came back
    strong_wallet = best_wallet if best_wallet and best_wallet.strong else None
    if strong_wallet and not (best_card and best_card.carries_total and not strong_wallet.carries_total):
        return "other", strong_wallet
    if best_voucher and best_voucher.carries_total:
        return "other", best_voucher
    if best_card:
        return "card", best_card
    if best_cash:
        return "cash", best_cash
    other = _first([e for e in (best_wallet, best_voucher) if e is not None])
    if other:
        return "other", other
    if change is not None and change > 0:
        return "cash", None  # "Bayar 40.000 / Kembali 9.000": only cash gives change
    return None


def _last4(texts: list[str], card_lines: list[int], total: Decimal | None) -> str | None:
    """The last four card digits, read near the card lines first, then anywhere but loyalty lines."""
    total_digits = _digits(f"{abs(total):f}").lstrip("0") if total is not None else ""
    near = [i for line in card_lines for i in range(line, min(len(texts), line + 3))]
    order = list(dict.fromkeys([*near, *range(len(texts))]))
    for index in order:
        text = texts[index]
        if _NETWORK.search(text) is None and (
            _LOYALTY.search(text) or (index > 0 and _LOYALTY.search(texts[index - 1]))
        ):
            continue  # "Shell Loyalty Card" / "6018 8400 5914 7765": a loyalty number
        full = find_card_numbers(text)
        if full:
            return full[0].last4
        for pattern in (_MASKED_LAST4, _ENDING_LAST4):
            match = pattern.search(text)
            if match:
                return match.group(1)
        if index in card_lines:
            match = _NETWORK_LAST4.search(text)
            digits = (match.group(1) or match.group(2)) if match else None
            if digits and digits.lstrip("0") != total_digits:
                return digits  # "Master 5148 App: 83650", "AMEX ...1234", not "VISA 1217" (a yen total)
    return None


def set_payment(fields: ExtractedFields, texts: list[str], change: Decimal | None) -> None:
    """Set ``payment_method`` (and ``card_last4``) from the receipt's lines.

    Args:
        fields: The fields being filled in; the total, items, merchant and address are read, so
            that item and header lines ("TNG RELOAD 30.00", "TOUCH 'N GO SDN BHD") are not taken
            for a wallet payment and the tender line that carries the total wins.
        texts: Line texts in reading order.
        change: The change given, if read: a card word on a receipt that also gives change is a
            loyalty or card-number line, and the payment was cash.
    """
    skip = {i for name in ("items", "merchant", "address") for i in fields.sources.get(name, [])}
    card, cash, wallet, voucher = _collect(texts, fields.total, skip)
    chosen = _choose(card, cash, wallet, voucher, change)
    if chosen is None:
        return
    method, evidence = chosen
    fields.payment_method = method
    fields.confidence["payment_method"] = 0.7 if evidence is not None and evidence.strong else 0.5
    if evidence is not None:
        fields.sources["payment_method"] = [evidence.line]
    if method == "card":
        last4 = _last4(texts, [e.line for e in card], fields.total)
        if last4:
            fields.card_last4 = last4
