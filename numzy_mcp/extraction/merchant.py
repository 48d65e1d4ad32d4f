"""Merchant name and address: scored candidates among the header lines of a receipt."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

from numzy_mcp.extraction.address_fix import correct_address
from numzy_mcp.extraction.header_invoice import (
    LEGAL_FORM,
    buyer_lines,
    is_label_line,
    is_not_a_name,
    joined_brands,
    named_seller,
    seller_after_label,
    sender_line,
    without_title,
)

__all__ = ["HeaderGuess", "clean_company", "find_header", "looks_like_address"]

_COMPANY_HINT: Final = re.compile(
    r"S[DO]N\.?\s?B[HN][DO]|\bBHD\b|\bS/B\b|\bSB\b|\bBERHAD\b|ENTERPRISE|TRADING|\bLTD\b|\bLIMITED\b|\bINC\b|\bLLC\b|"
    r"\bGMBH\b|\bAG\b|\bSARL\b|\bSAS\b|\bS\.?A\.?\b|\bCORP|(?-i:(?<![a-z]))COMPANY|\bCO\.|PERNIAGAAN|SYARIKAT|\bPLT\b|\bHOLDINGS?\b",
    re.IGNORECASE,
)
_SHOP_HINT: Final = re.compile(
    r"RESTAURANT|RESTORAN|\bKEDAI\b|\bSTORE|\bMART\b|MARKET|\bCAFE\b|BAKERY|\bSHOP\b|HARDWARE|STATIONERY|"
    r"\bPHARMACY|\bHOTEL\b|\bMAKAN|\bMINI\b|\bGRILL\b|\bBISTRO\b|\bDINER\b|\bBAR\b|\bPUB\b|\bKITCHEN\b",
    re.IGNORECASE,
)
_NOT_MERCHANT: Final = re.compile(
    r"TAX\s?INVOICE|\bINVOICE\b|\bFACTUUR\b|\bFACTURE\b|\bFACTURA\b|\bFATTURA\b|\bRECHNUNG\b|RECEIPT|\bRECEIPT\b|\bTEL\b|\bFAX\b|PHONE|GST\s?(?:ID|REG|NO)|\bREG\b|\bDATE\b|"
    r"\bCASHIER\b|WELCOME|THANK|\bTABLE\b|\bBILL\b|\bORDER\b|\bCOPY\b|\bCUSTOMER\b|\bMEMBER\b|@|WWW\.|\.COM\b|"
    r"\bSTORE\s?#|\bSERVER\b|\bGUESTS?\b|\bTABLE\s?\d|\bTERMINAL\b|\bKASSENBON\b|\bQUITTUNG\b|\bBON\b|\bTICKET\b|\bTEL[:.]",
    re.IGNORECASE,
)
_REGISTRATION: Final = re.compile(
    r"CO\.?\s*-?\s*RE[GI1]|CO\.?\s*RFG|COMPANY\s*(?:NO|REG)|\bROC\b|\bREG\b|\bCO\.?\s?NO\b|"
    r"^\W*\(?\s*\d{4,}\s?-*\s?[A-Z]\s*\)?\W*$|\(\d{4,}\s?-+\s?[A-Z]\)|(?<![\d-])\d{5,}-[A-Z]\b",
    re.IGNORECASE,
)
_LEGAL_SUFFIX: Final = re.compile(r"(?:S[DO]N\.?\s?B[HN][DO]\.?|\bS/B\b|\bBERHAD\b|\bBHD\.?|\bPLT\b)", re.IGNORECASE)
_CONTINUATION: Final = re.compile(
    r"^\s*(?:&|AND\b|CO\.|\(M\)|S[DO]N\b|BHD\b|S/B\b|"
    # a generic trade word cannot begin a name: "AIK HUAT HARDWARE" / "ENTERPRISE(SETIA" / "ALAM) SDN BHD"
    r"(?:ENTERPRISES?|TRADING|HOLDINGS?|INDUSTRIES|MARKETING|SERVICES|RESOURCES|STATIONERY|CORPORATION)\b)",
    re.IGNORECASE,
)
_PHONE: Final = re.compile(r"(?:\+?\d{2,4}\s?-\s?\d{3,4}\s?\d{3,5})|MOBILE|WHATSAPP|\+6\d", re.IGNORECASE)
_OCR_FIXES: Final[list[tuple[re.Pattern[str], str]]] = [
    (re.compile(r"\b5/[B8]\b"), "S/B"),
    (re.compile(r"\bSDN\.?\s?[38]HD\b", re.IGNORECASE), "SDN BHD"),
    (re.compile(r"\b(SDN\.?\s?)BH[UO0]\b", re.IGNORECASE), r"\1BHD"),
    (re.compile(r"\bS0N\b"), "SDN"),
    (re.compile(r"\(([A-Z]{1,4})[I1l|](SDN|S/B)\b"), r"(\1) \2"),  # "(KLISDN BHD": ")" read as "I"
    (re.compile(r"\bJ[1I]n\b"), "Jln"),
    (re.compile(r"^10T\b"), "LOT"),
]
_COMPANY_TAIL: Final = re.compile(r"\s*[(\[]?\s*(?:CO(?:MPANY)?\.?\s*(?:NO|REG)|ROC\b|\(?\d{4,}).*$", re.IGNORECASE)


_ADDRESS_HINT: Final = re.compile(
    r"\bJALAN\b|\bJLN\b|\bLOT\b|\bNO\b|\bTAMAN\b|\bTMN\b|\bLORONG\b|\bPERSIARAN\b|\bKAMPUNG\b|\bBANDAR\b|\bBLOCK\b|"
    r"\bBLK\b|\bSTREET\b|\bST\b|\bAVE\b|\bAVENUE\b|\bROAD\b|\bRD\b|\bBLVD\b|\bSUITE\b|\bFLOOR\b|\bSTRASSE\b|STR\.|"
    r"\bRUE\b|\bPLAZA\b|\bKAWASAN\b|\bINDUSTRI|\bSELANGOR\b|KUALA\s?LUMPUR|\bJOHOR\b|\bPENANG\b|\bPERAK\b|\bMELAKA\b|"
    r"\bPAHANG\b|\bSABAH\b|\bSARAWAK\b|\bKEDAH\b|\bNEGERI\b|\bMALAYSIA\b|\bWILAYAH\b|\d{5}|\bSDN\b|"
    r"\bMALL\b|MEGAMALL|\bCENTRE\b|\bCENTER\b|\bWISMA\b|\bMENARA\b|[CK]OMPLEKS|\bBANGUNAN\b|\bSEKSYEN\b|^\d{3,4}-[A-Z]|"
    r",\s?[A-Z]{2}\b(?:\s\d{5})?\s*$|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b",
    re.IGNORECASE,
)
_ADDRESS_START: Final = re.compile(
    r"^\W*(?:NO\b|NO\.|LOT\b|LOT-|UNIT\b|LEVEL\b|LVL\b|BLOCK\b|BLK\b|SUITE\b|GROUND\b|[A-Z]?\d+[A-Z]?(?:-[A-Z\d]+)*\s?,|"
    r"[A-Z]-\d|\d+(?:ST|ND|RD|TH)\s+FLOOR|\d{1,5}\s+[A-Z][a-z]+\s+(?:ST|STREET|AVE|AVENUE|ROAD|RD|BLVD|DR|DRIVE|LANE|WAY)\b)",
    re.IGNORECASE,
)
_ADDRESS_END: Final = re.compile(
    r"(?<![\dA-Z])\d{5}(?!\d)|MALAYSIA|SELANGOR|JOHOR|KUALA\s?LUMPUR|PENANG|PERAK|MELAKA|PAHANG|SABAH|SARAWAK|KEDAH|"
    r"NEGERI\s?SEMBILAN|EHSAN|PAHANG|\bD\.E\.?|\bKL\.?\s*$|SINGAPORE\s?\d{6}|"
    r",\s?[A-Z]{2}(?:\s\d{5}(?:-\d{4})?)?\s*$|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\s*$",  # "AUSTIN, TX", "EC1A 1BB"
    re.IGNORECASE,
)
_COUNTRY_END: Final = re.compile(r"\b(?:MALAYSIA|SINGAPORE\s?\d{6}|INDONESIA)\W*$", re.IGNORECASE)
_ADDRESS_STOP: Final = re.compile(
    r"\bTEL\b|\bTEL[:.\s]|\bT[EF]L?\s?:|\bFAX\b|PHONE|\bH/?P\b|GST|\bREG\b|\bSST\b|INVOICE|RECEIPT|\bDATE\b|@|WWW|"
    r"G5T|INV[O0][I1L|!]CE|\.COM\b|\bCASHIER\b|\bEMAIL\b|\bE-MAIL\b|\bVAT\b|\bTAX\b|\bBILL\b|\bDOC\b|\bTABLE\b|\bMWST\b|\bSIRET\b|"
    r"\bUST\b|\bABN\b|\bOPEN\b|\bBUSINESS\s?HOURS?\b|\bSTORE\s?#|"
    # receipt furniture other countries print under the address
    r"\b(?:ST|OP|TE|TR)\s?#|\bCOPY\b|\bCASH\s?(?:SALES?|BILL)\b|\bINV\b|\bORDER\b|\bREF\b|\bCHECK\s?#|"
    r"\bTRANS\b|\bTILL\b|\bTVA\b|\bUID\b|\bSTEUER|\bST\.?-?NR|\bBELEG|\bNPWP\b|\bGSTIN\b|\bFSSAI\b|"
    r"\bPH\s?:|\bMIN\s?:|\bSN\s?:|\bPERMIT\b|\bACCRED|REGISTRATION|^\W*[*=#~-]{3}|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class HeaderGuess:
    """The merchant and address lines chosen in the receipt header."""

    merchant: str | None
    merchant_lines: list[int]
    merchant_score: float
    address: str | None
    address_lines: list[int]
    address_score: float


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


_SHORT_BRAND: Final = re.compile(r"\s*[A-Z]\.?\s?&?\s?[A-Z]\.?\s*")  # "BP", "H&M", "A&W", "M & S"
_PRICE: Final = re.compile(
    r"(?<![\d.,])\d{1,7}[.,]\d{2}(?![\d.,%])|(?<![\d.,])\d{1,3}(?:[.,]\d{3})+\s*$|[$€£¥]\s?\d|\bRM\s?\d", re.IGNORECASE
)


def _is_name_like(index: int, text: str) -> bool:
    """Enough letters for a name; two capitals at the top are a brand ("BP", "H&M"), elsewhere noise."""
    return _letters(text) >= 3 or (index < 3 and bool(_SHORT_BRAND.fullmatch(text)))


def _merchant_score(index: int, text: str, *, priced_lines_lose: bool) -> float:
    letters = _letters(text)
    if not _is_name_like(index, text):
        return -10.0
    score = 0.0
    if priced_lines_lose and _PRICE.search(text):
        score -= 6.0  # "Unleaded 40.00", "T-SHIRT 9.99": an item or a total, not the name
    if text.rstrip().endswith(":"):
        score -= 3.0  # "Account number:": a label waiting for its value
    if _COMPANY_HINT.search(text) or LEGAL_FORM.search(text):
        score += 4.0
    elif _SHOP_HINT.search(text):
        score += 0.5
    if text.lstrip().startswith(("(", "#", "*")) and not _LEGAL_SUFFIX.search(text):
        score -= 2.0  # "(TONYMOLY SHOP (95874))": a branch or outlet line under the name
    if _NOT_MERCHANT.search(text):
        score -= 5.0
    if _REGISTRATION.search(text) and not _LEGAL_SUFFIX.search(text):
        score -= 5.0
    digits = sum(ch.isdigit() for ch in text)
    if digits > letters / 2:
        score -= 3.0
    if _ADDRESS_HINT.search(text) and not _COMPANY_HINT.search(text) and not _SHOP_HINT.search(text):
        score -= 2.5
    upper = sum(ch.isupper() for ch in text)
    if upper >= 0.7 * letters:
        score += 1.0
    elif upper == 0:
        score -= 1.5  # hand-written notes are usually all lower case
    score -= 0.6 * index
    return score


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:-*")


def _fix_ocr(text: str) -> str:
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    return text


_GLUED_WORDS: Final = (
    "STATIONERY", "ENTERPRISE", "TRADING", "HARDWARE", "RESTAURANT", "RESTORAN", "SHOP", "STORE", "MART", "MARKET",
    "BAKERY", "CAFE", "KITCHEN", "FOOD", "BEVERAGE", "PHARMACY", "HOTEL", "SUPERMARKET", "BOOKSTORE", "SERVICES",
    "SERVICE", "TRADERS", "MOTOR", "AUTO", "ELECTRICAL", "FURNITURE", "PRINTING", "CENTRE", "CENTER", "STATION",
)  # fmt: skip


def _split_glued(word: str) -> str:
    """Re-space an upper-case run the OCR glued ("SANYUSTATIONERYSHOP" → "SANYU STATIONERY SHOP")."""
    if len(word) < 10 or not word.isalpha() or not word.isupper():
        return word
    tail: list[str] = []
    rest = word
    while True:
        suffix = next((w for w in _GLUED_WORDS if rest.endswith(w) and len(rest) - len(w) >= 3), None)
        if suffix is None:
            break
        tail.insert(0, suffix)
        rest = rest[: -len(suffix)]
    return " ".join([rest, *tail]) if tail else word


def clean_company(text: str, *, brands: frozenset[str] = frozenset()) -> str:
    """Normalise a company line: fix common OCR slips and drop registration numbers after the name.

    Args:
        text: The printed line.
        brands: Lower-case names the document spells as one word (its web address): such a
            capitalised word ("QualityHosting") is kept whole instead of being re-spaced.

    Returns:
        The company name as printed, without trailing registration or branch codes.
    """
    text = _fix_ocr(" ".join(text.split()))
    text = re.sub(r"^#\d+\s+", "", text)
    text = " ".join(_split_glued(word) for word in text.split())
    text = re.sub(r"(?<=[A-Za-z]{2})\((?=[A-Za-z]{2})", " (", text)  # "ENTERPRISE(SETIA ALAM)"
    text = " ".join(  # "BaumarktKoenig": two words the OCR glued, unless the brand is spelled that way
        word if word.lower().strip(".,") in brands else re.sub(r"(?<=[a-z]{4})(?=[A-Z][a-z]{3})", " ", word)
        for word in text.split()
    )
    suffixes = list(_LEGAL_SUFFIX.finditer(text))
    text = text[: suffixes[-1].end()] if suffixes else _COMPANY_TAIL.sub("", text)
    return _clean(text)


def _is_name_part(text: str) -> bool:
    return (
        _letters(text) >= 2
        and not any(ch.isdigit() for ch in text)
        and not _NOT_MERCHANT.search(text)
        and not _REGISTRATION.search(text)
    )


def _is_branch_of(above: str, name: str) -> bool:
    """True when ``above`` is the brand with its outlet in brackets, over the legal name of that brand.

    "TOKYO KITCHEN (CITTA MALL)" over "TOKYO KITCHEN SDN BHD": the printed company is both lines.
    A different trading name over the legal name ("BREWERY TAP" / "Owner by Castle Blue S/B") is not.
    """
    match = re.fullmatch(r"\s*([^()]+?)\s*\(([^()]+)\)\W*", above)
    if match is None or not _is_name_part(above) or not _LEGAL_SUFFIX.search(name):
        return False
    brand = match.group(1).upper().split()
    words = re.sub(r"[^\w\s&]", " ", name.upper()).split()
    return _letters(match.group(1)) >= 4 and words[: len(brand)] == brand


def looks_like_address(text: str) -> bool:
    """True when a line reads like part of a postal address (street, unit, postcode, state or mall).

    Args:
        text: One line.
    """
    return bool(_ADDRESS_HINT.search(text) or _ADDRESS_START.search(text))


def _is_stop(text: str) -> bool:
    return bool(_ADDRESS_STOP.search(text) or (_PHONE.search(text) and not _ADDRESS_HINT.search(_PHONE.sub("", text))))


def _address_lines(texts: list[str], start: int) -> list[int]:
    """The address lines after the merchant.

    They run from the first line that looks like a street to the line that ends with a postcode or
    state, without contact, tax or registration lines.
    """
    first: int | None = None
    for index in range(start, min(len(texts), start + 5)):
        text = texts[index]
        if _is_stop(text) or _REGISTRATION.search(text) or _LEGAL_SUFFIX.search(text):
            continue
        if re.fullmatch(r"\s*\(.*\)\s*", text) or _letters(text) == 0:
            continue  # "(TONYMOLY SHOP (95874))": an outlet name in brackets; "296664039561": a number
        if _ADDRESS_HINT.search(text) or _ADDRESS_START.search(text):
            first = index
            break
    if first is None:
        return []
    nxt = texts[first + 1] if first + 1 < len(texts) else ""
    if not _ADDRESS_START.search(texts[first]) and not _ADDRESS_END.search(texts[first]) and _ADDRESS_START.search(nxt):
        first += 1  # "SUSHI MENTAI PLAZA DANAU" / "NO.37-1, PLAZA ...": an outlet name above the street
    lines = [first]
    ended = bool(_ADDRESS_END.search(texts[first]))
    for index in range(first + 1, min(len(texts), first + 6)):
        text = texts[index]
        if _is_stop(text) or _REGISTRATION.search(text) or _LEGAL_SUFFIX.search(text):
            break
        previous = texts[lines[-1]].rstrip()
        if _COUNTRY_END.search(previous):
            break  # "56000 Kuala Lumpur, Malaysia" / "AMPANG POINT CENTRE": nothing follows the country
        continued = previous.endswith(",")  # "39100 BRINCHANG," / "CAMERON HIGHLANDS,": the address goes on
        if ended and re.fullmatch(r"\s*\([^()\d]{4,}\)\s*", text):
            lines.append(index)  # "(TESCO PUTRA NILAI)" right under the postcode: the outlet's own address
            break
        if ended and not continued and not (_ADDRESS_HINT.search(text) or _ADDRESS_END.search(text)):
            break  # "SUNWAY VELOCITY" under "56000 Kuala Lumpur": the outlet, not the address
        if _letters(text) < 2 and not _ADDRESS_END.search(text) and not re.fullmatch(r"\s*#\w{1,4}-\w{1,5},?\s*", text):
            break  # a Singapore unit line ("#01-234") goes on
        lines.append(index)
        ended = ended or bool(_ADDRESS_END.search(text))
    return lines


def _name_in(text: str) -> tuple[str, float, str | None]:
    """The name part of a header line, a bonus for a sure seller line, and the address a sender line carries."""
    sender = sender_line(text)
    if sender is not None:
        return sender[0], 2.0, sender[1]  # the return address above the recipient's block names the seller
    seller = seller_after_label(text)
    if seller is not None:
        return seller, 2.0, None  # "Sold by: Example Ltd"
    return without_title(text) or text, 0.0, None


def _invoice_score(line: str, name: str, *, buyer: bool, brands: frozenset[str]) -> float:
    """What invoice layouts add: the buyer's block, labels, page and country lines lose; the web address's name wins."""
    score = 0.0
    if buyer:
        score -= 12.0
    if is_label_line(line):
        score -= 5.0  # "Payment Terms: Net 30 days"
    if is_not_a_name(name):
        score -= 6.0  # "Kopie factuur", "Page 1 of 2", "Nederland"
    if "".join(ch for ch in name.lower() if ch.isalnum()) in brands:
        score += 2.0  # "Azure Interior" on a document from www.azure-interior.com
    return score


def _extend_name(head: list[str], best: int, merchant_lines: list[int]) -> None:
    """Add the other lines of a name printed over several lines to ``merchant_lines``.

    "POPULAR BOOK" / "CO. (M) SDN BHD", "AIK HUAT HARDWARE" / "ENTERPRISE(SETIA" / "ALAM) SDN BHD":
    extend up when the line starts mid-name, down until the legal suffix ends it.
    """
    before_suffix = _LEGAL_SUFFIX.split(head[best])[0]
    if (
        best > 0 and (_CONTINUATION.search(head[best]) or _letters(before_suffix) < 3) and _is_name_part(head[best - 1])
    ) or (best > 0 and _is_branch_of(head[best - 1], head[best])):
        merchant_lines.insert(0, best - 1)
    if not _LEGAL_SUFFIX.search(head[best]):
        for ahead in (1, 2):
            last = best + ahead
            if last >= len(head) or not _is_name_part(head[last]):
                break
            if _LEGAL_SUFFIX.search(head[last]):
                merchant_lines.extend(range(best + 1, last + 1))
                break


def find_header(texts: list[str], *, window: int = 10) -> HeaderGuess:
    """Pick the merchant name and the address from the first lines of a receipt.

    The merchant is the best-scoring early line (company words such as "SDN BHD" help; contact,
    invoice and registration lines hurt; a line with a price loses to any name-like line above the
    items; two capitals at the very top, "BP" or "H&M", are a name). On invoices a title on the name's line
    ("FACTUUR. Coolblue B.V.") is dropped, a one-line return address gives its first part, and the
    buyer's block, "Label: value" lines, page numbers and lone country names are passed over; with no
    name left in the header, the seller the document names elsewhere ("sold by ...", the legal footer)
    is taken. The address is the run of lines after the name, up to the first contact or tax line.

    Args:
        texts: Line texts in reading order.
        window: How many leading lines to consider.

    Returns:
        The chosen lines with a score each (higher is surer).
    """
    head = texts[:window]
    if not head:
        return HeaderGuess(None, [], 0.0, None, [], 0.0)
    head = [_fix_ocr(t) for t in head]
    brands = joined_brands(texts)
    buyers = buyer_lines(texts)
    names, bonuses, senders = zip(*(_name_in(t) for t in head), strict=True)
    # Above the first line with a price is the header: when it holds a name-like line, no priced line
    # can be the name. When the receipt starts with a priced line (the top was cut off), the best line
    # is taken as before.
    first_priced = next((i for i, t in enumerate(head) if _PRICE.search(t)), len(head))
    header_named = any(_is_name_like(i, t) for i, t in enumerate(head[:first_priced]))
    scores = [
        _merchant_score(i, names[i], priced_lines_lose=header_named)
        + bonuses[i]
        + _invoice_score(head[i], names[i], buyer=i in buyers, brands=brands)
        for i in range(len(head))
    ]
    best = max(range(len(head)), key=lambda i: scores[i])
    if scores[best] < -4:
        named = named_seller(texts, skip=buyers)
        if named is None:
            return HeaderGuess(None, [], 0.0, None, [], 0.0)
        return HeaderGuess(clean_company(named[1], brands=brands), [named[0]], 0.3, None, [], 0.0)
    merchant_lines = [best]
    if names[best] == head[best]:
        _extend_name(head, best, merchant_lines)
    printed = " ".join(head[i] for i in merchant_lines) if len(merchant_lines) > 1 else names[best]
    merchant = clean_company(printed, brands=brands)
    address_lines = _address_lines(texts, merchant_lines[-1] + 1)
    address_lines = list(itertools.takewhile(lambda i: i not in buyers, address_lines))
    address = correct_address(" ".join(_fix_ocr(" ".join(texts[i].split())) for i in address_lines)) or None
    address_score = 0.0
    if address_lines:
        hits = sum(bool(_ADDRESS_HINT.search(texts[i])) for i in address_lines)
        address_score = min(1.0, 0.3 + 0.2 * hits)
    elif senders[best] is not None:
        address, address_lines, address_score = senders[best], [best], 0.5
    merchant_conf = max(0.1, min(0.95, 0.4 + 0.1 * scores[best]))
    return HeaderGuess(merchant, merchant_lines, merchant_conf, address, address_lines, address_score)
