"""Expense category from merchant and item keywords.

Each category has a list of keyword patterns (English, Malay, German, French, Indonesian, Japanese
where receipts commonly use them). The merchant name weighs most, then the line items, then the rest
of the text; the category with the highest score wins, and "other" is returned when nothing matches.
"""

from __future__ import annotations

import re
from typing import Final

from numzy_mcp.receipts import Category

__all__ = ["guess_category"]

_RULES: Final[dict[Category, re.Pattern[str]]] = {
    "fuel": re.compile(
        r"\bPETRO(?:L|NAS|N)?\b|\bSHELL\b|\bCALTEX\b|\bBHPETROL\b|\bESSO\b|\bTOTALENERGIES\b|\bARAL\b|\bCHEVRON\b|"
        r"\bGAS\s?STATION\b|\bFUEL\b|\bDIESEL\b|\bUNLEADED\b|\bRON\s?9[578]\b|\bPUMP\s?\d|\bLITRES?\b|\bGALLONS?\b|"
        r"\bBENZIN\b|\bTANKSTELLE\b|\bCARBURANT\b|\bGAZOLE\b|\bSP95\b|\bPERTAMINA\b|\bPERTALITE\b",
        re.IGNORECASE,
    ),
    "airfare": re.compile(
        r"\bAIR\s?ASIA\b|\bAIRLINES?\b|\bAIRWAYS\b|\bBOARDING\s?PASS\b|\bFLIGHT\b|\bLUFTHANSA\b|\bRYANAIR\b|"
        r"\bEASYJET\b|\bAIR\s?FRANCE\b|\bBAGGAGE\s?FEE\b|\bFARE\s?CLASS\b",
        re.IGNORECASE,
    ),
    "lodging": re.compile(
        r"\bHOTEL\b|\bMOTEL\b|\bINN\b|\bHOSTEL\b|\bRESORT\b|\bLODGE\b|\bROOM\s?(?:CHARGE|RATE|NO)\b|\bCHECK[-\s]?OUT\b|"
        r"\bNIGHTS?\b|\bHOMESTAY\b|\bAIRBNB\b|\bÜBERNACHTUNG\b|\bHÔTEL\b",
        re.IGNORECASE,
    ),
    "transport": re.compile(
        r"\bTAXI\b|\bGRAB\b|\bUBER\b|\bLYFT\b|\bPARKING\b|\bPARKIR\b|\bLETAK\s?KERETA\b|\bTOLL?\b|\bTOUCH\s?N\s?GO\b|"
        r"\bRAIL\b|\bTRAIN\b|\bKTM\b|\bLRT\b|\bMRT\b|\bBUS\b|\bFERRY\b|\bMETRO\b|\bDB\s?FERNVERKEHR\b|\bSNCF\b|"
        r"\bCAR\s?RENTAL\b|\bFAHRKARTE\b|\bPARKHAUS\b",
        re.IGNORECASE,
    ),
    "groceries": re.compile(
        r"\bSUPERMARKET\b|\bSUPERMARKT\b|\bHYPERMARKET\b|\bGROCER(?:Y|IES)\b|\bMINI\s?MARKET\b|\bMINIMART\b|\bMART\b|"
        r"\bAEON\b|\bGIANT\b|\bTESCO\b|\bLOTUS'?S\b|\bMYDIN\b|\bJAYA\s?GROCER\b|\bNSK\b|\bECONSAVE\b|\b99\s?SPEEDMART\b|"
        r"\bWALMART\b|\bKROGER\b|\bSAFEWAY\b|\bWHOLE\s?FOODS\b|\bTRADER\s?JOE'?S\b|\bALDI\b|\bLIDL\b|\bREWE\b|\bEDEKA\b|"
        r"\bCARREFOUR\b|\bMONOPRIX\b|\bSAINSBURY'?S\b|\bMIGROS\b|\bCOOP\b|\bINDOMARET\b|\bALFAMART\b|\bFRESH\s?PRODUCE\b|"
        r"\bEGGS?\b|\bMILK\b|\bBREAD\b|\bRICE\s?\d+\s?KG\b|\bVEGETABLES?\b|\bSAYUR\b|\bKONBINI\b|\bLAWSON\b|\bFAMILYMART\b|"
        r"\b7-?ELEVEN\b|ローソン|ファミリーマート|セブン",
        re.IGNORECASE,
    ),
    "office_supplies": re.compile(
        r"\bSTATIONERY\b|\bSTATIONERS?\b|\bBOOK\s?(?:STORE|SHOP)\b|\bKEDAI\s?BUKU\b|\bPOPULAR\b|\bOFFICE\s?DEPOT\b|"
        r"\bSTAPLES\b|\bPAPER\b|\bA4\b|\bPEN\b|\bPENS\b|\bPENCIL\b|\bNOTEBOOK\s?A\d\b|\bFILE\b|\bFOLDER\b|\bENVELOPE\b|"
        r"\bMARKER\b|\bTONER\b|\bINK\s?CARTRIDGE\b|\bSTAPLER\b|\bGLUE\b|\bTAPE\b|\bBÜROBEDARF\b|\bPAPETERIE\b",
        re.IGNORECASE,
    ),
    "electronics": re.compile(
        r"\bELECTRONICS?\b|\bELEKTRONIK\b|\bCOMPUTER\b|\bLAPTOP\b|\bPHONE\s?CASE\b|\bSMARTPHONE\b|\bCHARGER\b|\bCABLE\b|"
        r"\bUSB\b|\bHDMI\b|\bHEADPHONES?\b|\bEARPHONES?\b|\bBATTER(?:Y|IES)\b|\bBEST\s?BUY\b|\bMEDIA\s?MARKT\b|\bSATURN\b|"
        r"\bFNAC\b|\bDARTY\b|\bCURRYS\b|\bHARVEY\s?NORMAN\b|\bSENHENG\b|\bAPPLE\s?STORE\b|\bMONITOR\b|\bKEYBOARD\b",
        re.IGNORECASE,
    ),
    "alcohol": re.compile(
        r"\bBEER\b|\bWINE\b|\bWHISK(?:E)?Y\b|\bVODKA\b|\bGIN\b|\bRUM\b|\bTEQUILA\b|\bSAKE\b|\bLIQUOR\b|\bSPIRITS\b|"
        r"\bBRANDY\b|\bCHAMPAGNE\b|\bPROSECCO\b|\bCIDER\b|\bBIER\b|\bWEIN\b|\bVIN\b|\bBIÈRE\b|\bTIGER\s?BEER\b|\bCARLSBERG\b|"
        r"\bHEINEKEN\b|\bGUINNESS\b|\bWINE\s?SHOP\b|\bBOTTLE\s?SHOP\b",
        re.IGNORECASE,
    ),
    "subscriptions": re.compile(
        r"\bSUBSCRIPTION\b|\bMONTHLY\s?PLAN\b|\bANNUAL\s?PLAN\b|\bRENEWAL\b|\bMEMBERSHIP\s?FEE\b|\bNETFLIX\b|\bSPOTIFY\b|"
        r"\bABONNEMENT\b|\bABO\b|\bBILLING\s?PERIOD\b|\bNEXT\s?BILLING\b|\bPER\s?MONTH\b|\b/\s?MO\b|\bSAAS\b|\bLICEN[CS]E\b",
        re.IGNORECASE,
    ),
    "events": re.compile(
        r"\bTICKETS?\b|\bADMISSION\b|\bCONCERT\b|\bEVENT\b|\bCONFERENCE\b|\bSEMINAR\b|\bWORKSHOP\b|\bEXHIBITION\b|"
        r"\bCINEMA\b|\bGSC\b|\bTGV\b|\bMUSEUM\b|\bTHEATRE\b|\bTHEATER\b|\bEINTRITT\b|\bBILLET\b|\bREGISTRATION\s?FEE\b",
        re.IGNORECASE,
    ),
    "meals": re.compile(
        r"\bRESTAURANT\b|\bRESTORAN\b|\bRESTAURANTE?\b|\bCAFE\b|\bCAFÉ\b|\bCOFFEE\b|\bKOPI\b|\bKOPITIAM\b|\bBAKERY\b|"
        r"\bBISTRO\b|\bDINER\b|\bGRILL\b|\bKITCHEN\b|\bFOOD\b|\bMAKAN\b|\bNASI\b|\bMEE\b|\bMIE\b|\bAYAM\b|\bTEH\b|\bTEA\b|"
        r"\bBURGER\b|\bPIZZA\b|\bSUSHI\b|\bRAMEN\b|\bNOODLES?\b|\bCHICKEN\b|\bMCDONALD'?S\b|\bKFC\b|\bSTARBUCKS\b|"
        r"\bTEALIVE\b|\bSECRET\s?RECIPE\b|\bTABLE\s?\d|\bSERVER\b|\bGUESTS?\b|\bDINE\s?IN\b|\bTAKE\s?AWAY\b|\bTIP\b|"
        r"\bGRATUITY\b|\bSERVICE\s?CHARGE\b|\bSPEISEN\b|\bGETRÄNKE\b|\bBRASSERIE\b|\bBOULANGERIE\b|\bLUNCH\b|\bDINNER\b|"
        r"\bBREAKFAST\b|\bBENTO\b|弁当|おにぎり",
        re.IGNORECASE,
    ),
}
_MERCHANT_WEIGHT: Final = 3.0
_ITEM_WEIGHT: Final = 1.0
_TEXT_WEIGHT: Final = 0.5


def guess_category(merchant: str | None, items: list[str], texts: list[str]) -> tuple[Category, float]:
    """Choose an expense category from keywords.

    Args:
        merchant: The merchant name, if found.
        items: Line item descriptions.
        texts: Every line of the receipt.

    Returns:
        (category, confidence); ("other", 0.3) when no keyword matched.
    """
    scores: dict[Category, float] = {}
    for category, pattern in _RULES.items():
        score = 0.0
        if merchant and pattern.search(merchant):
            score += _MERCHANT_WEIGHT
        score += _ITEM_WEIGHT * min(sum(1 for item in items if pattern.search(item)), 5)
        score += _TEXT_WEIGHT * min(sum(1 for text in texts if pattern.search(text)), 5)
        if score:
            scores[category] = score
    if not scores:
        return "other", 0.3
    best = max(scores, key=lambda c: scores[c])
    runner_up = max((v for c, v in scores.items() if c != best), default=0.0)
    confidence = 0.5 + 0.4 * (scores[best] - runner_up) / scores[best]
    return best, round(min(0.9, confidence), 2)
