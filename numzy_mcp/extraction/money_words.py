"""The words of a receipt's money block, in the languages Numzy reads, as compiled patterns.

Each pattern names one role a line can play (total, subtotal, tax, tip, cash tendered, change, rounding,
discount, service charge, refund). :mod:`totals` scores lines by these roles; keeping the vocabulary here
lets a new language or a new OCR slip be added in one place.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "CASH",
    "CASH_NOT",
    "CHANGE",
    "DISCOUNT",
    "NOT_TAX",
    "NOT_TOTAL",
    "REFUND",
    "REFUND_POLICY",
    "ROUNDED",
    "ROUNDED_OK",
    "ROUNDING_LINE",
    "SERVICE",
    "STRONG",
    "SUBTOTAL",
    "SUGGESTED",
    "SUMMARY",
    "TAX",
    "TIP",
    "TOTAL",
    "is_refund_document",
]

_ROUNDING_WORD: Final = r"ROUNDING|ROUNDIN|RUNDUNG|ARRONDI|REDONDEO|ARROTONDAMENTO|PEMBULATAN|端数"

TOTAL: Final = re.compile(
    r"TOTAL|TOTAI|T0TAL|(?<![A-Z])[IL1|]OTA[LI1]\b|AMOUNT\s?DUE|AMT\s?DUE|\bNETT\b|\bNET\s?(?:AMT|AMOUNT|TOTAL)|"
    r"GRAND|BALANCE\s?DUE|AMOUNT\s?PAYABLE|\bPAYABLE\b|\bDUE\b|JUMLAH|SUMME|\bZU\s?ZAHLEN|GESAMT|BETRAG|MONTANT|"
    r"\bTTC\b|TOTALE|合計|合计|总计|總計|应收|应付|实付|お買上|\bPAY\b|\bAMOUNT\b|\bAMT\b|\bTOTAL\b|^\s*ROUND(?:ING|ED)\b(?!.*ADJ)|^\s*=\s*(?=\S)",
    re.IGNORECASE,
)
"""A line that may carry the total ("= 25.60" under a tip line counts: the sum written out)."""
STRONG: Final = re.compile(
    r"ROUNDED|ROUNDING\s?TOTAL|INCL|INCLUSIVE|\bNETT\b|GRAND|AMOUNT\s?DUE|AMT\s?DUE|\bNET\s?TOTAL|TOTAL\s?DUE|"
    r"TOTAL\s?PAYABLE|TOTAL\s?AMOUNT|ZU\s?ZAHLEN|TOTAL\s?TTC|\bTOTAL\s?\(?RM\)?\s*:?\s*$|TOTAL\s?\(RM\)|合計|合计|总计|總計|应收|应付|实付|"
    r"TOTAL\s?:|\bTOTAL\s+(?:RM|\$|€|£|EUR|USD|MYR)",
    re.IGNORECASE,
)
"""Wording that names the final amount rather than some total."""
NOT_TOTAL: Final = re.compile(
    r"SUB\s?-?\s?TOTAL|SUBTOTAL|SUB\s?TTL|SOUS[\s-]?TOTAL|小計|\bQTY\b|QUANTITY|\bITEMS?\b|\bITEM\(S\)|\bPCS\b|CASH|"
    r"CHANGE|TENDER|\bPAID\b|" + _ROUNDING_WORD + r"|\bADJ|DISCOUNT|SAVING|\bGST\b(?!.*INCL)|\bTAX\b(?!.*INCL)|"
    r"\bVAT\b|EXCL|\bMWST\b|\bUST\b|\bTVA\b|\bHT\b|NETTO|\bCARD\b|VISA|MASTER|\bDEBIT|\bCREDIT|\bTIPS?\b|GRATUITY|"
    r"\bPOINTS?\b|RÜCKGELD|RENDU|WECHSELGELD|\bGEGEBEN|\bBAR\b|ESPÈCES|ESPECES|\bDEPOSIT|\bWEIGHT\b|\bKG\b|"
    r"\bSERVICE\s?CHARGE|お預|預り|お釣|おつり|釣銭|小计|现金|現金|实收|實收|找零|找赎|找贖|优惠|優惠",
    re.IGNORECASE,
)
"""A line whose amount is something else, even though it may say "total"."""
ROUNDED_OK: Final = re.compile(
    r"ROUNDED|ROUNDING\s?TOTAL|TOTAL\s?ROUND|AFTER\s?ROUND|INCL|INCLUSIVE|^\s*ROUNDING\b(?!.*ADJ)", re.IGNORECASE
)
"""A total line that says "rounding" or "incl. GST" and is still a total."""
ROUNDED: Final = re.compile(
    r"ROUNDED|ROUNDING\s?TOTAL|TOTAL\s?ROUND|AFTER\s?ROUND|^\s*ROUNDING\b(?!.*ADJ)", re.IGNORECASE
)
"""The rounded total of a receipt that rounds cash payments."""
ROUNDING_LINE: Final = re.compile(_ROUNDING_WORD + r"|ROUNDED|ROUND\s?ADJ", re.IGNORECASE)
"""A rounding line: the adjustment or the rounded total."""
REFUND: Final = re.compile(
    r"REFUND|RETURN|ERSTATTUNG|REMBOURSEMENT|GUTSCHRIFT|\bAVOIR\b|\bRETOUR|DEVOLUCI[OÓ]N|\bSTORNO\b|返品|返金",
    re.IGNORECASE,
)
"""A refund or return receipt (see :data:`REFUND_POLICY` for the lines that only state a policy)."""
REFUND_POLICY: Final = re.compile(
    r"\bNO\b.{0,20}(?:REFUND|RETURN)|NON[\s-]?REFUND|REFUNDABLE|RETURNABLE|\bRETURNS\b|(?:REFUND|RETURN)\s?POLICY|"
    r"EXCHANGE|WITHIN\s+\d+\s*DAYS|APPLICABLE|\bKEEP\b|\bRECEIPT\s+(?:FOR|IS\s+REQUIRED)|REQUIRED\s+FOR|"
    r"NOT\s+(?:BE\s+)?(?:REFUND|RETURN|ACCEPT)|\bIF\b|\bMAY\b",
    re.IGNORECASE,
)
"""Policy and footer wording ("No refund or exchange", "Keep this receipt for returns"): not a refund."""
SUMMARY: Final = re.compile(r"(?:GST|TAX|VAT)\s?SUMMARY|TAX\s?CODE|MWST\s?%|\bSUMMARY\b", re.IGNORECASE)
"""Start of a tax summary table: amounts below it restate the receipt."""
CASH: Final = re.compile(
    r"CASH|TENDER|\bPAID\b|\bGEGEBEN|\bBAR\b|ESP[EÈ]CES|\bRECEIVED\b|\bTUNAI\b|お預|預り|現金|现金|实收|實收|\bEFECTIVO\b",
    re.IGNORECASE,
)
"""Money handed over."""
CHANGE: Final = re.compile(
    r"CHANGE|RÜCKGELD|WECHSELGELD|RENDU|\bBALANCE\b(?!\s?DUE)|\bKEMBALI(?:AN)?\b|お釣|おつり|釣銭|找零|找赎|找贖|\bCAMBIO\b|\bVUELTO\b",
    re.IGNORECASE,
)
"""Money given back."""
CASH_NOT: Final = re.compile(r"TOTAL|\bDUE\b|PAYABLE|INCL|EXCL|GST|\bTAX\b", re.IGNORECASE)
"""A line that says "cash" but carries a total or a tax."""
SUBTOTAL: Final = re.compile(
    r"SUB\s?-?\s?TOTAL|SUBTOTAL|SUB\s?TTL|SOUS[\s-]?TOTAL|小計|小计|EXCL|EXCLUDING|BEFORE\s?(?:GST|TAX)|\bNETTO\b|"
    r"\bTOTAL\s?HT\b|\bHT\b|NET\s?AMOUNT|ZWISCHENSUMME|AMOUNT\s?\(?EXCL|TOTAL\s?SALES(?!.*INCL)",
    re.IGNORECASE,
)
"""The amount before tax (and before tip)."""
TAX: Final = re.compile(
    r"\bGST\b|\bSST\b|\bHST\b|\bPST\b|\bQST\b|\bTAX\b|\bVAT\b|\bMWST\b|\bUST\b|\bTVA\b|\bMWST\.|SALES\s?TAX|消費税|税额|稅額|增值税|"
    r"\bIVA\b|\bMOMS\b|\bBTW\b|\bPPN\b|\bPB1\b",
    re.IGNORECASE,
)
"""A tax line."""
NOT_TAX: Final = re.compile(
    r"^(?=.*(?:\bINC|\bINKL|INCLUS))(?=.*(?:TOTAL|TOTAAL|AMOUNT|\bAMT\b|SALES|SUMME|SUPPLIES|MONTANT|BETRAG))|EXCL|EXCLUSIVE|(?:GST|TAX|VAT)\s?(?:ID|REG|NO\b|NUMBER|#)|"
    r"REG\s?NO|INVOICE|BEFORE|\bTOTAL\s?SALES|SUMMARY|TAX\s?CODE|NUMMER|\bNR\b",
    re.IGNORECASE,
)
"""Lines that mention tax but carry another amount (a registration number, a tax-inclusive total)."""
TIP: Final = re.compile(r"\bTIPS?\b|GRATUITY|TRINKGELD|POURBOIRE|\bPROPINA\b|\bMANCIA\b", re.IGNORECASE)
"""A tip or gratuity."""
SUGGESTED: Final = re.compile(r"SUGGEST|GUIDE|VORSCHLAG|SUGG|\bFOR\s+YOUR\s+CONVENIENCE\b", re.IGNORECASE)
"""A suggested-gratuity table: percentages offered, not paid."""
DISCOUNT: Final = re.compile(
    r"DISCOUNT|\bDISC\b|\bD[I1l]SC\b|RABATT|REMISE|DESCUENTO|SCONTO|KORTING|\bVOUCHER\b|\bCOUPON\b|\bPROMO\b|"
    r"値引|割引|优惠|優惠|折扣|POTONGAN|DISKON|\bLESS\b",
    re.IGNORECASE,
)
"""A discount, coupon or voucher taken off the bill."""
SERVICE: Final = re.compile(
    r"SERVICE\s?CHARGE|SERVICE\s?CHG|SVC\s?CHG|SERV\.?\s?CHG|\bS/C\b|\bSERVIS\b|SERVICE\s?\d{1,2}\s?%|サービス料",
    re.IGNORECASE,
)
"""A service charge added to the bill (not a tip the customer chose)."""


def is_refund_document(texts: list[str]) -> bool:
    """Whether the receipt is a refund or return, not a sale with a returns policy in its footer.

    Args:
        texts: Line texts.

    Returns:
        True when some line says refund/return/avoir/… and is not a policy line.
    """
    return any(REFUND.search(t) and not REFUND_POLICY.search(t) for t in texts)
