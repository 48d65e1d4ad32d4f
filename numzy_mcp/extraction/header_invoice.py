"""Invoice layouts in the header: document titles, buyer blocks, label lines, sender lines and seller labels.

Receipts print the shop's name on top; invoices also print a title ("FACTUUR", "Rechnung"), the
buyer's address block ("Bill to:", "Factuuradres"), "Label: value" lines, and often the seller's
name only in a one-line return address ("Firma AG - Straße 1 - 12345 Stadt") or in the legal
footer ("All services are sold by Example Inc."). These helpers tell those lines apart so
:func:`numzy_mcp.extraction.merchant.find_header` can choose among what is left.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

__all__ = [
    "LEGAL_FORM",
    "buyer_lines",
    "is_label_line",
    "is_not_a_name",
    "joined_brands",
    "named_seller",
    "seller_after_label",
    "sender_line",
    "without_title",
]

LEGAL_FORM: Final = re.compile(
    r"\bB\.\s?V\.|\bBV\b(?=\W*$)|\bN\.\s?V\.|\bGMBH\b|\bAG\b|\bINC\b\.?|\bLLC\b|\bLLP\b|\bLTD\b\.?|\bLIMITED\b|"
    r"\bPLC\b|\bPTY\b|\bPTE\b|\bS\.\s?A\.|\bSARL\b|\bS\.\s?A\.\s?R\.\s?L\.|\bSAS\b|\bS\.\s?R\.\s?L\.|\bSRL\b|"
    r"\bS\.\s?P\.\s?A\.|\bA/S\b|\bAPS\b|\bCORP(?:ORATION)?\b\.?|\bS[DO]N\.?\s?B[HN][DO]\b|\bBERHAD\b",
    re.IGNORECASE,
)
"""A company legal form, as printed after the name ("Coolblue B.V.", "Example GmbH", "Amazon Web Services, Inc.")."""

_TITLE_WORD: Final = (
    r"(?:INVOICE|RECEIPT|FACTUUR|FACTURE|FACTURA|FATTURA|RECHNUNG|QUITTUNG|KASSENBON|CREDIT\s+NOTE|CREDITNOTA|"
    r"GUTSCHRIFT|PROFORMA|PRO[\s-]FORMA)"
)
_TITLE_QUALIFIER: Final = (
    r"(?:TAX|SIMPLIFIED|OFFICIAL|CASH|SALES|COMMERCIAL|ORIGINAL|COPY|KOPIE|DUPLICATE|PRO[\s-]?FORMA|GST|VAT|BTW|FULL)"
)
_TITLE: Final = rf"(?:{_TITLE_QUALIFIER}\s+)*{_TITLE_WORD}(?:\s+(?:COPY|KOPIE))?"
_TITLE_FIRST: Final = re.compile(rf"^\W*{_TITLE}\b[\s.:!|#-]*", re.IGNORECASE)
_TITLE_LAST: Final = re.compile(rf"(?<![\s.:,|-])[\s.:,|-]+{_TITLE}\W*$", re.IGNORECASE)
"""A title ending the line after a separator run; the run is only tried from its first character, since
trying every start inside a long run of dashes costs time quadratic in its length."""
_TITLE_ONLY: Final = re.compile(rf"^\W*{_TITLE}\W*$", re.IGNORECASE)

_LABEL: Final = re.compile(r"^\s*[^\W\d_]+(?:[ .'&/()-]+[^\W\d_]+){0,4}\s*\.?\s*:")
_FIELD_WORD: Final = re.compile(
    r"(?<![\w'’])(?:INVOICE|INV|FACTUUR\w*|RECHNUNGS?\w*|FACTURE|FACTURA|FATTURA|BILL|RECEIPT|ORDER|BESTEL\w*|"
    r"BESTELL\w*|COMMANDE|CUSTOMER|CLIENT|KLANT\w*|KUNDE\w*|ACCOUNT|ACCT|A/C|REFERENCE|REF|REFERENTIE|REFERENZ|"
    r"DATE|DATED|DATUM|FECHA|DUE|TERMS|CONDITIONS|PAGE|SEITE|PAGINA|BLAD|PHONE|TEL|TELEPHONE|TELEFON|TELEFOON|"
    r"MOBILE|HP|FAX|E-?MAIL|MAIL|WEB|WEBSITE|URL|INTERNET|VAT|GST|SST|TAX|TIN|BTW|KVK|ABN|ACN|NIF|SIRET|SIREN|"
    r"UST|UST-?ID\w*|STEUER\w*|IBAN|BIC|SWIFT|BANK|PO|P\.O|NO|NR|NUMBER|NUMMER|NUMERO|NUMÉRO|N°|ID|PERIOD|"
    r"PERIODE|TABLE|CASHIER|SERVER|TERMINAL|POS|TIME|TIJD|ZEIT|TRANSACTION|TRANS|TXN|PAYMENT|METHOD|CURRENCY|"
    r"AMOUNT|TOTAL|BALANCE|SHIPPING|DELIVERY|CONTACT|REG|REGISTRATION|SALESPERSON|SALESMAN|SALES\s+PERSON|AGENT|"
    r"OPERATOR|STAFF|CHECK|GUEST|PAX|COUNTER|DOC|DOCUMENT|PROJECT|CONTRACT|PLAN|SUBSCRIPTION|STATUS|ISSUED|ISSUE|"
    r"VALID|EXPIRY|EXPIRES|PLACE\s+OF\s+SUPPLY|HSN|SAC|PAN|CIN|GSTIN|ATTN|ATTENTION)(?![\w'’])",
    re.IGNORECASE,
)
"""A word of a field label: a "Label: value" line with one of these is a field of the document, not its seller."""
_PAGE: Final = re.compile(r"\b(?:PAGE|SEITE|PAGINA|BLAD)\b\s*:?\s*\d", re.IGNORECASE)
_COUNTRY: Final = re.compile(
    r"^\W*(?:UNITED\s+STATES(?:\s+OF\s+AMERICA)?|USA|U\.S\.A\.|UNITED\s+KINGDOM|UK|(?:THE\s+)?NETHERLANDS|NEDERLAND|"
    r"DEUTSCHLAND|GERMANY|FRANCE|BELGI[EË]|BELGIUM|BELGIQUE|ESPA[NÑ]A|SPAIN|ITALIA|ITALY|SCHWEIZ|SUISSE|SWITZERLAND|"
    r"[ÖO]STERREICH|AUSTRIA|HONG\s+KONG|SINGAPORE|MALAYSIA|INDIA|CANADA|AUSTRALIA|IRELAND|LUXEMBOURG)\W*$",
    re.IGNORECASE,
)
_BUYER_LABEL: Final = re.compile(
    r"^\W*(?:(?:BILL(?:ED)?|INVOICED?|SHIP(?:PED)?|SOLD|DELIVER(?:ED|Y)?|CHARGED?)\s+TO\b|"
    r"(?:CUSTOMER|CLIENT|BUYER|RECIPIENT|CONSIGNEE|ATTN|ATTENTION|PURCHASER)"
    r"(?:\s+(?:NAME|DETAILS|ADDRESS|INFO(?:RMATION)?))?\s*\.?\s*(?::|$)|RECHNUNGS?(?:EMPF[AÄ]NGER|ADRESSE|ANSCHRIFT)|"
    r"LIEFER(?:ADRESSE|ANSCHRIFT)|FACTUURADRES|AFLEVERADRES|T\.\s?A\.\s?V\.|FACTUR[EÉ]\s+[AÀ]\b|LIVR[EÉ]\s+[AÀ]\b|"
    r"ADRESSE\s+DE\s+(?:FACTURATION|LIVRAISON))",
    re.IGNORECASE,
)
_BUYER_BLOCK: Final = 5
"""Lines after a buyer label that still belong to the buyer's name and address."""
_BLOCK_END: Final = re.compile(rf"^\W*{_TITLE}\b|\b(?:DESCRIPTION|ITEM|ARTIKEL|QTY|QUANTITY)\b", re.IGNORECASE)
_SENDER_SEPARATOR: Final = re.compile(r"\s+[-–—·•|]\s+")
_POSTCODE: Final = re.compile(r"(?<![\d.,])(?:[A-Z]{1,2}-)?\d{4,5}(?![\d.,])|\b\d{4}\s?[A-Z]{2}\b")
_SELLER_LABEL: Final = re.compile(
    r"\b(?:SOLD\s+BY|SERVICE\s+PROVIDER|REMIT(?:TANCE)?\s+TO|PAYABLE\s+TO|ISSUED\s+BY|"
    r"(?:MERCHANT|STORE|SHOP|SELLER|VENDOR|SUPPLIER|COMPANY|BUSINESS)\s+NAME|"
    r"(?:MERCHANT|PAYEE|SELLER|VENDOR|SUPPLIER|VERK[AÄ]UFER|LIEFERANT|LEVERANCIER|VERKOPER|FOURNISSEUR|VENDEUR)"
    r"(?=\s*(?::|$)))\b\s*:?\s*",
    re.IGNORECASE,
)
"""A label naming the seller. A single word ("VENDOR", "SUPPLIER") is a label only before a colon or alone on its
line, since it also starts shop names ("VENDOR CAFE", "SUPPLIER HOUSE INC")."""
_CAPITALISED_RUN: Final = re.compile(r"(?<![\w&.'-])(?:[A-Z0-9][\w&.'-]*,?\s+){0,4}[A-Z][\w&.'-]*,?\s+$")
_DOMAIN: Final = re.compile(r"(?:www\.|@|//)([a-z0-9][a-z0-9-]{3,})\.[a-z]{2,}")


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:-*")


def without_title(text: str) -> str | None:
    """The name left when a document title is printed on the same line ("FACTUUR. Coolblue B.V.").

    Args:
        text: One line.

    Returns:
        The rest of the line when it reads as a name (two words or a legal form, no digits); None when
        the line has no title or nothing name-like is left.
    """
    rest = _TITLE_FIRST.sub("", text, count=1)
    if rest == text:
        rest = _TITLE_LAST.sub("", text, count=1)
    rest = _clean(rest)
    if rest == _clean(text) or _letters(rest) < 3 or any(ch.isdigit() for ch in rest):
        return None
    if len(rest.split()) < 2 and not LEGAL_FORM.search(rest):
        return None
    return rest


def is_label_line(text: str) -> bool:
    """True for a "Label: value" line ("Payment Terms: Net 30 days") whose value is not a company.

    Only a field's label counts (invoice or order number, dates, terms, page, phone, tax ids, account,
    reference...): "SUSHI KING : MID VALLEY" prints a brand and its branch, and "Merchant name:" names the seller.

    Args:
        text: One line.
    """
    match = _LABEL.match(text)
    if match is None or LEGAL_FORM.search(text[match.end() :]) or _SELLER_LABEL.match(text.strip()):
        return False
    return bool(_FIELD_WORD.search(match.group(0)))


def is_not_a_name(text: str) -> bool:
    """True for lines that are never a merchant: a title alone, a page number, a country alone.

    Args:
        text: One line.
    """
    return bool(_TITLE_ONLY.match(text) or _PAGE.search(text) or _COUNTRY.match(text))


def buyer_lines(texts: list[str]) -> set[int]:
    """Lines of the buyer's block: a "Bill to" / "Customer" / "Factuuradres" label and the lines under it.

    The block ends after a few lines, at a document title or at the item table's header.

    Args:
        texts: Line texts in reading order.

    Returns:
        Indices of the label lines and their blocks.
    """
    found: set[int] = set()
    for index, text in enumerate(texts):
        if not _BUYER_LABEL.search(text):
            continue
        found.add(index)
        for below in range(index + 1, min(len(texts), index + 1 + _BUYER_BLOCK)):
            if _BLOCK_END.search(texts[below]):
                break
            found.add(below)
    return found


def sender_line(text: str) -> tuple[str, str] | None:
    """Split a one-line return address, "QualityHosting AG - Uferweg 40-42 - D-63571 Gelnhausen".

    Letters print the sender this way above the recipient's address: the name, then the street and
    the town, joined by dashes, dots or bars. Two or more separators are needed, or one after a legal form.

    Args:
        text: One line.

    Returns:
        (name, address) or None when the line is not a sender line.
    """
    parts = [p.strip() for p in _SENDER_SEPARATOR.split(text)]
    if len(parts) < 2 or any(not p for p in parts):
        return None
    name, rest = parts[0], ", ".join(parts[1:])
    if _letters(name) < 3 or any(ch.isdigit() for ch in name) or not _POSTCODE.search(rest):
        return None
    if len(parts) < 3 and not LEGAL_FORM.search(name):
        return None
    return _clean(name), rest


def _name_with_form(text: str) -> str | None:
    """The capitalised words before a legal form and the form itself ("... sold by Amazon Web Services, Inc.")."""
    for form in LEGAL_FORM.finditer(text):
        run = _CAPITALISED_RUN.search(text[: form.start()])
        if run is not None and _letters(run.group(0)) >= 3:
            return _clean(text[run.start() : form.end()])
    return None


def seller_after_label(text: str) -> str | None:
    """The seller named after a label on the same line ("All services are sold by Example Inc.").

    Args:
        text: One line.

    Returns:
        The name (up to its legal form when it has one), or None.
    """
    label = _SELLER_LABEL.search(text)
    value = _clean(text[label.end() :]) if label is not None else ""
    if _letters(value) < 3:
        return None
    return _name_with_form(value) or value


def named_seller(texts: list[str], *, skip: set[int]) -> tuple[int, str] | None:
    """The seller as the document names it outside the header: after a seller label, else in the legal text.

    "All services are sold by Example Inc.", "Service Provider:" over the name, "Remit to:"; failing
    those, the company with a legal form that the document prints most often (the footer's legal
    name), outside the buyer's block.

    Args:
        texts: Line texts in reading order.
        skip: Lines that cannot name the seller (the buyer's block).

    Returns:
        (line index, name) or None.
    """
    for index, text in enumerate(texts):
        if index in skip or not _SELLER_LABEL.search(text):
            continue
        value = seller_after_label(text)
        if value is not None:
            return index, value
        for below in range(index + 1, min(len(texts), index + 3)):
            candidate = _clean(texts[below])
            if candidate.startswith("(") or _letters(candidate) < 3 or is_label_line(candidate):
                continue
            return below, candidate
    names: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, text in enumerate(texts):
        if index in skip or is_label_line(text):
            continue
        name = _name_with_form(text)
        if name is not None:
            names[name] += 1
            first.setdefault(name, index)
    if not names:
        return None
    name = max(names, key=lambda n: (names[n], -first[n]))
    return first[name], name


def joined_brands(texts: list[str]) -> frozenset[str]:
    """Names the document's own web or mail addresses spell as one word ("www.qualityhosting.de").

    A capitalised word such as "QualityHosting" that matches one of them is a brand, not two words
    the OCR glued together.

    Args:
        texts: Line texts.
    """
    return frozenset(m.group(1).replace("-", "") for t in texts for m in _DOMAIN.finditer(t.lower()))
