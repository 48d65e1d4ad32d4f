"""Expense category from what kind of business the merchant is, then from what was bought.

Evidence comes in three strengths, per category:

- **shop**: a brand or a kind of business ("TESCO", "SUPERMARKET", "DELTA AIR LINES", "UBER EATS",
  "HARDWARE"). In the merchant name it outweighs any number of item words: a supermarket that sells
  chicken and bread is still groceries, a hotel bill with a minibar beer is still lodging.
- **cue**: receipt furniture only that kind of business prints ("TABLE NO 12", "BOARDING PASS",
  "PUMP 07", "ROOM NO", "BILLING PERIOD").
- **word**: things sold ("NASI LEMAK", "EGGS", "A4 PAPER"), counted in item descriptions and, with less
  weight, in the other lines.

Where two phrases overlap, the longer one wins and the phrase inside it is ignored: "UBER EATS" is a
food delivery, not an Uber ride; "COFFEE BEANS" are groceries, not a coffee; "FUEL SURCHARGE" on a
flight is not fuel; "PAPER BAG" is no office supply. Some business kinds have no expense category of
their own (hardware, pharmacy, clothing); their shop words vote for "other", so item words such as
"TAPE" or "FILE" do not drag a hardware store into office supplies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from numzy_mcp.extraction.merchant import looks_like_address
from numzy_mcp.receipts import Category

__all__ = ["guess_category"]

Kind = Literal["shop", "cue", "word"]


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Rule:
    shop: re.Pattern[str] | None = None
    cue: re.Pattern[str] | None = None
    word: re.Pattern[str] | None = None


_AIRLINE_BRANDS: Final = (
    r"\bAIR\s?ASIA\b|\bAIR\s?LINES?\b|\bAIRWAYS\b|\bLUFTHANSA\b|\bRYANAIR\b|\bEASYJET\b|\bWIZZ\s?AIR\b|\bJETBLUE\b|"
    r"\bDELTA\s?(?:AIR|AIRLINES|\.COM)\b|\bKLM\b|\bIBERIA\b|\bQANTAS\b|\bJETSTAR\b|\bEMIRATES\b|\bETIHAD\b|"
    r"\bCATHAY\s?PACIFIC\b|\bVIRGIN\s?(?:ATLANTIC|AUSTRALIA)\b|\bAEROMEXICO\b|\bAEROFLOT\b|\bVUELING\b|\bEUROWINGS\b|"
    r"\bTRANSAVIA\b|\bFINNAIR\b|\bSCOOT\b|\bFIREFLY\b|\bCEBU\s?PACIFIC\b|\bVIETJET\b|\bCITILINK\b|\bGARUDA\b|"
    r"\b(?:LION|BATIK|ALASKA|HAWAIIAN|SPIRIT|AEGEAN|NORWEGIAN|GULF|MALINDO|SRIWIJAYA|TIGER|JEJU|SUN\s?COUNTRY)\s?AIR\b|"
    r"\bAIR\s(?:CANADA|INDIA|FRANCE|CHINA|NEW\sZEALAND|ARABIA|EUROPA|MACAU|BALTIC|TRANSAT|ASTANA|MAURITIUS|SERBIA)\b"
)
_RULES: Final[dict[Category, _Rule]] = {
    "fuel": _Rule(
        shop=_rx(
            r"\bPETRO(?:L|NAS|N|KIOSK)?\b|\bSHELL\b|\bCALTEX\b|\bBHPETROL\b|\bESSO\b|\bEXXON|\bMOBIL\b|\bTOTALENERGIES\b",
            r"\bARAL\b|\bCHEVRON\b|\bBP\b|\bTEXACO\b|\bSUNOCO\b|\bVALERO\b|\bAGIP\b|\bREPSOL\b|\bOMV\b|\bPERTAMINA\b",
            r"\b(?:GAS|PETROL|FILLING|SERVICE)\s?STATION\b|\bTANKSTELLE\b|\bSTATION[-\s]SERVICE\b",
        ),
        cue=_rx(
            r"\bPUMP\s?#?\s?\d|\bLITRES?\b|\bLITERS?\b|\bLTR\b|\bGALLONS?\b|\bNOZZLE\b|\bZAPFS[ÄA]ULE\b|\bPOMPE\s?\d"
        ),
        word=_rx(
            r"\bFUEL|\bDIESEL\b|\bUNLEADED\b|\bRON\s?9[5578]\b|\bBENZIN\b|\bSUPER\s?E(?:5|10)\b|\bCARBURANT\b|\bGAZOLE\b",
            r"\bSP9[58]\b|\bPERTALITE\b|\bPERTAMAX\b|\bGASOLINE\b|\bV-?POWER\b|\bPRIMAX\b",
        ),
    ),
    "airfare": _Rule(
        shop=_rx(_AIRLINE_BRANDS),
        cue=_rx(
            r"\bBOARDING\s?PASS\b|\bE-?TICKET\s?(?:NO|NUMBER|RECEIPT)\b|\bTICKET\s?(?:NO\.?|NUMBER|#)?\s?:?\s?\d{3}[-\s]?\d{10}\b",
            r"\bFLIGHT\s?(?:NO|NUMBER|#)\b|\bFLT\s?#?\s?[A-Z\d]{2}\s?\d{2,4}\b|\bPNR\b|\bRECORD\s?LOCATOR\b",
            r"\bFARE\s?(?:BASIS|CLASS)\b|\b(?:ECONOMY|BUSINESS|FIRST|CABIN)\s?CLASS\b|\bPREMIUM\s?ECONOMY\b",
            r"\bBAGGAGE\b|\bCHECKED\s?BAGS?\b|\bSEAT\s?(?:SELECTION|\d{1,2}[A-K])\b|\bAIRPORT\s?(?:TAX|FEE|CHARGE)S?\b",
            r"\bPASSENGER\s?SERVICE\s?CHARGE\b|\bIATA\b|\bGATE\s?[A-Z]?\d{1,3}\b|\bFUEL\s?SURCHARGE\b",
        ),
        word=_rx(r"\bFLIGHTS?\b|\bAIR\s?FARE\b|\bAIR(?:LINE)?\s?TICKETS?\b"),
    ),
    "lodging": _Rule(
        shop=_rx(
            r"\bHOTELS?\b|\bH[ÔO]TEL\b|\bMOTEL\b|\bINN\b|\bHOSTEL\b|\bRESORT\b|\bLODGE\b|\bHOMESTAY\b|\bAIRBNB\b",
            r"\bGUEST\s?HOUSE\b|\bB\s?&\s?B\b|\bRYOKAN\b|\bMARRIOTT\b|\bHILTON\b|\bHYATT\b|\bSHERATON\b|\bWESTIN\b|\bIBIS\b",
            r"\bNOVOTEL\b|\bRADISSON\b|\bINTERCONTINENTAL\b|\bSHANGRI-?LA\b|\bBOOKING\.COM\b|\bAGODA\b|\bEXPEDIA\b",
        ),
        cue=_rx(
            r"\bROOM\s?(?:CHARGE|RATE|NO|NUMBER|#)|\bCHECK[-\s]?(?:IN|OUT)\b|\b(?:ARRIVAL|DEPARTURE)\s?DATE\b|\bNIGHTS?\b",
            r"\bFOLIO\b|\bTOURISM\s?TAX\b|\bCITY\s?TAX\b|\bTAXE\s?DE\s?S[ÉE]JOUR\b|\bKURTAXE\b|\b[ÜU]BERNACHTUNG",
        ),
        word=_rx(r"\bACCOMMODATION\b|\bLODGING\b"),
    ),
    "transport": _Rule(
        shop=_rx(
            r"\bTAXI\b|\bGRAB\b|\bUBER\b|\bLYFT\b|\bBOLT\b|\bGOJEK\b|\bDIDI\b|\bCABIFY\b|\bRAPID\s?(?:RAIL|KL|BUS)\b",
            r"\bPRASARANA\b|\bKTM\b|\bLRT\b|\bMRT\b|\bSMRT\b|\bDB\s?FERNVERKEHR\b|\bDEUTSCHE\s?BAHN\b|\bSNCF\b|\bTGV\b",
            r"\bEUROSTAR\b|\bAMTRAK\b|\bNATIONAL\s?RAIL\b|\bGREYHOUND\b|\bFLIXBUS\b|\bHERTZ\b|\bAVIS\b|\bEUROPCAR\b",
            r"\bSIXT\b|\bCAR\s?RENTAL\b|\bRENT-?A-?CAR\b|\bPARKING\b|\bCAR\s?PARK\b|\bPARKIR\b|\bPARKHAUS\b",
            r"\bTOUCH\s?['’]?N\s?['’]?\s?GO\b|\bAMANO\b",
        ),
        cue=_rx(
            r"\bPICK[-\s]?UP\b|\bDROP[-\s]?OFF\b|\bTRIP\s?FARE\b|\bDISTANCE\b|\b(?:ENTRY|EXIT)\s?TIME\b|\bPLATE\s?NO\b",
            r"\bVEHICLE\s?NO\b|\bCAR\s?PLATE\b|\bLETAK\s?KERETA\b|\bTOLL?\b",
        ),
        word=_rx(
            r"\bFARE\b|\bRAIL\b|\bTRAIN\b|\bBUS\b|\bFERRY\b|\bMETRO\b|\bFAHRKARTE\b|\bRIDE\b|\bTRIP\b|\bTNG\b|\bRELOAD\b"
        ),
    ),
    "groceries": _Rule(
        shop=_rx(
            r"\bSUPER\s?(?:MARKET|MARKT|MERCADO|MARCH[ÉE])\b|\bHYPER\s?(?:MARKET|MART|MARCH[ÉE])\b|\bGROCER(?:Y|IES|S)?\b",
            r"\bMINI\s?MARKET\b|\bMINI\s?MART\b|\bMART\b|\bPASARAYA\b|\b[ÉE]PICERIE\b|\bPRIMEUR\b|\bMARKT\b|\bKONBINI\b",
            r"\bCONVENIENCE\s?STORE\b|\bAEON\b|\bGIANT\b|\bTESCO\b|\bLOTUS'?S\b|\bMYDIN\b|\bNSK\b|\bECONSAVE\b",
            r"\b99\s?SPEED\s?MART\b|\bWAL-?MART\b|\bKROGER\b|\bSAFEWAY\b|\bWHOLE\s?FOODS\b|\bTRADER\s?JOE'?S\b|\bALDI\b",
            r"\bLIDL\b|\bREWE\b|\bEDEKA\b|\bKAUFLAND\b|\bNETTO\b|\bCARREFOUR\b|\bMONOPRIX\b|\bFRANPRIX\b|\bAUCHAN\b",
            r"\bLECLERC\b|\bINTERMARCH[ÉE]\b|\bSAINSBURY'?S\b|\bASDA\b|\bMORRISONS\b|\bWAITROSE\b|\bCO-?OP\b|\bMIGROS\b",
            r"\bINDOMARET\b|\bALFAMART\b|\bLAWSON\b|\bFAMILY\s?MART\b|\b7-?ELEVEN\b|\bCOSTCO\b|\bPUBLIX\b|\bCOLES\b",
            r"\bWOOLWORTHS\b|\bFAIRPRICE\b|\bCOLD\s?STORAGE\b|\bINSTACART\b|\bGRAB\s?MART\b|ローソン|ファミリーマート|セブン",
        ),
        cue=_rx(r"\bPER\s?(?:KG|LB)\b|\b\d+(?:[.,]\d+)?\s?KG\s?@|[@/]\s?KG\b|/\s?LB\b"),
        word=_rx(
            r"\bEGGS?\b|\bMILK\b|\bBREAD\b|\bRICE\s?\d+\s?KG\b|\bVEGETABLES?\b|\bSAYUR\b|\bFRESH\s?PRODUCE\b",
            r"\bBANANAS\b|\bAPPLES\b|\bTOMATOES\b|\bPOTATOES\b|\bONIONS\b|\bCARROTS\b|\bCHEESE\b",
            r"\bCHEDDAR\b|\bBUTTER\b|\bYOG(?:H)?URT\b|\bFLOUR\b|\bSUGAR\b|\b(?:OLIVE|COOKING)\s?OIL\b|\bCEREAL\b",
            r"\bCOFFEE\s?BEANS\b|\bGROUND\s?COFFEE\b|\bTEA\s?BAGS\b|\bDETERGENT\b|\bTELUR\b|\bSUSU\b|\bLAIT\b",
            r"\bFROMAGE\b|\bBAGUETTE\b|\bMILCH\b|\bBROT\b|\bK[ÄA]SE\b|\bEIER\b|\bL[ÉE]GUMES\b|牛乳",
        ),
    ),
    "office_supplies": _Rule(
        shop=_rx(
            r"\bSTATIONERY\b|\bSTATIONERS?\b|\bBOOK\s?(?:STORE|SHOP)S?\b|\bBOOKSTORES?\b|\bKEDAI\s?BUKU\b|\bPOPULAR\b",
            r"\bMPH\b|\bOFFICE\s?(?:DEPOT|MAX|WORKS)\b|\bSTAPLES\b|\bRYMAN\b|\bB[ÜU]ROBEDARF\b|\bPAPETERIE\b",
        ),
        word=_rx(
            r"\bPAPER\b|\bA4\b|\bPENS?\b|\bPENCILS?\b|\bNOTEBOOK\s?A\d\b|\bFILE\b|\bFOLDER\b|\bENVELOPES?\b|\bMARKER\b",
            r"\bTONER\b|\bINK\s?CARTRIDGE\b|\bSTAPLER\b|\bGLUE\b|\bTAPE\b|\bHIGHLIGHTER\b|\bERASER\b|\bBINDER\b",
        ),
    ),
    "electronics": _Rule(
        shop=_rx(
            r"\bELECTRONICS?\b|\bELEKTRONIK\b|\bBEST\s?BUY\b|\bMEDIA\s?MARKT\b|\bSATURN\b|\bFNAC\b|\bDARTY\b",
            r"\bCURRYS\b|\bHARVEY\s?NORMAN\b|\bSENHENG\b|\bAPPLE\s?STORE\b|\bBIC\s?CAMERA\b|\bYODOBASHI\b|\bCOOLBLUE\b",
        ),
        word=_rx(
            r"\bCOMPUTER\b|\bLAPTOP\b|\bPHONE\s?CASE\b|\bSMARTPHONE\b|\bCHARGER\b|\bCABLE\b|\bUSB\b|\bHDMI\b",
            r"\bHEADPHONES?\b|\bEARPHONES?\b|\bBATTER(?:Y|IES)\b|\bMONITOR\b|\bKEYBOARD\b|\bPOWER\s?BANK\b|\bROUTER\b",
            r"\bSSD\b|\bIPHONE\b|\bIPAD\b|\bMACBOOK\b",
        ),
    ),
    "alcohol": _Rule(
        shop=_rx(
            r"\bWINE\s?(?:SHOP|STORE|CELLAR|MERCHANTS?)\b|\bBOTTLE\s?SHOP\b|\bLIQUOR\s?(?:STORE|SHOP)\b|\bCAVISTE\b",
            r"\bLA\s?CAVE\b|\bWEINHANDLUNG\b|\bTAPROOM\b",
        ),
        word=_rx(
            r"\bBEERS?\b|\bWINES?\b|\bWHISK(?:E)?Y\b|\bVODKA\b|\bGIN\b|\bRUM\b|\bTEQUILA\b|\bLIQUOR\b|\bSPIRITS\b",
            r"\bBRANDY\b|\bCHAMPAGNE\b|\bPROSECCO\b|\bCIDER\b|\bBIER\b|\bWEIN\b|\bVIN\b|\bBI[ÈE]RE\b|\bCARLSBERG\b",
            r"\bHEINEKEN\b|\bGUINNESS\b|\bTIGER\s?BEER\b|\bLAGER\b|\bSTOUT\b",
        ),
    ),
    "subscriptions": _Rule(
        shop=_rx(
            r"\bNETFLIX\b|\bSPOTIFY\b|\bAPPLE\.COM/BILL\b|\bGOOGLE\s?(?:WORKSPACE|ONE|CLOUD)\b|\bMICROSOFT\s?365\b",
            r"\bOFFICE\s?365\b|\bADOBE\b|\bDROPBOX\b|\bGITHUB\b|\bATLASSIAN\b|\bAMAZON\s?WEB\s?SERVICES\b|\bAWS\b",
            r"\bDISNEY\+|\bYOUTUBE\s?PREMIUM\b|\bPATREON\b|\bOPENAI\b|\bICLOUD\b",
        ),
        cue=_rx(
            r"\bSUBSCRIPTION\b|\bMONTHLY\s?PLAN\b|\bANNUAL\s?PLAN\b|\bRENEWAL\b|\bMEMBERSHIP\s?FEE\b|\bABONNEMENT\b",
            r"\bABO\b|\bBILLING\s?(?:PERIOD|CYCLE)\b|\bNEXT\s?BILLING\b|\bPER\s?MONTH\b|\b/\s?MO\b|\bSAAS\b",
            r"\bLICEN[CS]E\b|\bAUTO-?RENEW",
        ),
        word=_rx(r"HOSTING\b"),
    ),
    "events": _Rule(
        shop=_rx(
            r"\bTICKETMASTER\b|\bEVENTBRITE\b|\bEVENTIM\b|\bLIVE\s?NATION\b|\bSTUBHUB\b|\bCINEMAS?\b|\bCINEPLEX\b|\bGSC\b",
            r"\bTGV\s?CINEMAS?\b|\bCINEMARK\b|\bODEON\b|\bCINEWORLD\b|\bMUSEUM\b|\bTHEATRE\b|\bTHEATER\b|\bZOO\b",
            r"\bAQUARIUM\b|\bTHEME\s?PARK\b|\bSTADIUM\b|\bARENA\b",
        ),
        cue=_rx(r"\bROW\s?[A-Z\d]{1,2}\s?SEAT\s?\d|\bDOORS\s?OPEN\b|\bSHOWTIME\b|\bVENUE\b"),
        word=_rx(
            r"\bTICKETS?\b|\bADMISSION\b|\bCONCERT\b|\bEVENT\b|\bCONFERENCE\b|\bSEMINAR\b|\bWORKSHOP\b|\bEXHIBITION\b",
            r"\bEINTRITT\b|\bBILLET\b|\bREGISTRATION\s?FEE\b|\bENTRY\s?FEE\b",
        ),
    ),
    "meals": _Rule(
        shop=_rx(
            r"\bRESTAURANTS?\b|\bRESTORAN\b|\bRESTAURANTE\b|\bCAF[EÉ]\b|\bCOFFEE\b|\bKOPITIAM\b|\bBAKERY\b|\bBISTRO\b",
            r"\bDINER\b|GRILL\b|\bKITCHEN\b|\bBRASSERIE\b|\bBOULANGERIE\b|\bTRATTORIA\b|\bPIZZERIA\b|\bSTEAK\s?HOUSE\b",
            r"\bFOOD\s?COURT\b|\bMAMAK\b|\bWARUNG\b|\bKEDAI\s?(?:MAKAN|KOPI)\b|\bIZAKAYA\b|\bMCDONALD'?S\b|\bKFC\b",
            r"\bSTARBUCKS\b|\bTEALIVE\b|\bSECRET\s?RECIPE\b|\bSUBWAY\b|\bBURGER\s?KING\b|\bPIZZA\s?HUT\b|\bDOMINO'?S\b",
            r"\bTIM\s?HORTONS\b|\bDUNKIN\b|\bNANDO'?S\b|\bPAPPARICH\b|\bMARRYBROWN\b|\bCHATIME\b|\bCHIPOTLE\b",
            r"\bUBER\s?EATS\b|\bGRAB\s?FOOD\b|\bFOOD\s?PANDA\b|\bDELIVEROO\b|\bDOOR\s?DASH\b|\bGRUBHUB\b|\bJUST\s?EAT\b",
            r"\bLIEFERANDO\b|\bPOSTMATES\b|\bSWIGGY\b|\bZOMATO\b|\bSHOPEE\s?FOOD\b|\bGO-?FOOD\b|\bWOLT\b|\bGLOVO\b",
        ),
        cue=_rx(
            r"\bTABLE\s?(?:NO\.?|NUMBER|#|:)\s?:?\s?\d|^\W*TABLE\s?\d{1,3}(?![\d.,])|\bTBL\s?#?\s?:?\s?\d",
            r"\bMEJA\s?(?:NO\.?)?\s?:?\s?\d|\bTISCH\s?(?:NR\.?)?\s?:?\s?\d|\bCOVERS?\s?:?\s?\d|\bPAX\b",
            r"\bSERVER\s?[:#]|\bSERVED\s?BY\b|\bGUESTS?\s?[:#]?\s?\d|\bDINE[-\s]?IN\b|\bTAKE[-\s]?AWAY\b|\bTAKE\s?OUT\b",
            r"\bTIP\b|\bGRATUITY\b|\bSERVICE\s?CHARGE\b",
        ),
        word=_rx(
            # drinks made with milk, not a carton of milk (first: the longest phrase must match first)
            r"\b(?:KOPI|TEH|NESCAFE|MILO)\s?(?:SUSU|TARIK|O|C|PENG|AIS)\b|\bMILK\s?TEA\b|\bBUBBLE\s?TEA\b",
            r"\bICED\s?(?:TEA|COFFEE|LATTE|MILO)\b",
            r"\bFOOD\b|\bMAKAN\b|\bNASI\b|\bMEE\b|\bMIE\b|\bAYAM\b|\bTEH\b|\bTEA\b|\bBURGERS?\b|\bPIZZA\b|\bSUSHI\b",
            r"\bRAMEN\b|\bNOODLES?\b|\bCHICKEN\b|\bCOFFEE\b|\bLATTE\b|\bCAPPUCCINO\b|\bESPRESSO\b|\bAMERICANO\b",
            r"\bFLAT\s?WHITE\b|\bSANDWICH\b|\bSOUP\b|\bFRIES\b|\bSTEAK\b|\bPASTA\b|\bLUNCH\b|\bDINNER\b|\bBREAKFAST\b",
            r"\bBENTO\b|\bSPEISEN\b|\bGETR[ÄA]NKE\b|\bSET\s?MEAL\b|\bMEALS?\b|弁当|おにぎり|\bKOPI\b",
        ),
    ),
    "other": _Rule(
        shop=_rx(
            r"\bHARDWARE\b|\bBAUMARKT\b|\bD\.?I\.?Y\b|\bPHARMACY\b|\bFARMASI\b|\bAPOTHEKE\b|\bPHARMACIE\b|\bCHEMIST\b",
            r"\bHEALTH\s?(?:AND|&)\s?BEAUTY\b|\bGUARDIAN\b|\bWATSONS\b|\bIKEA\b|\bFURNITURE\b|\bHOME\s?GOODS\b",
            r"\bWERKZEUG\b|\bKEDAI\s?PAPAN\b|\bCOSMETICS?\b|\bFASHION\b|\bCLOTHING\b|\bH\s?&\s?M\b|\bZARA\b|\bUNIQLO\b",
            r"\bPRIMARK\b|\bUHREN\b|\bJEWELL?E?RY\b|\bOPTICAL\b|\bFLORIST\b|\bPET\s?SHOP\b|\bTOYS?\b",
        ),
    ),
}
# Phrases that belong to no category; words inside them do not count ("PAPER BAG", "GRAB PAY").
_NEUTRAL: Final = _rx(
    r"\b(?:PAPER|PLASTIC|CARRIER|SHOPPING)\s?BAGS?\b|\bGRAB\s?PAY\b|\b(?:TOUCH\s?['’]?N\s?['’]?\s?GO|TNG)\s?E-?WALLET\b",
    r"\bGIFT\s?CARD\b|\bSERVICE\s?TAX\b",
)
_HEADER_LINES: Final = 5
_SHOP_IN_MERCHANT: Final = 6.0
_SHOP_IN_HEADER: Final = 3.0
_SHOP_IN_TEXT: Final = 1.0
_CUE: Final = 2.0
_ITEM_WORD: Final = 1.0
_TEXT_WORD: Final = 0.5


@dataclass(frozen=True, slots=True)
class _Match:
    category: Category | None
    kind: Kind | None
    start: int
    end: int


def _hits(text: str) -> set[tuple[Category, Kind]]:
    """The (category, kind) pairs whose phrases occur in ``text``, after longer phrases took theirs."""
    matches = [_Match(None, None, m.start(), m.end()) for m in _NEUTRAL.finditer(text)]
    for category, rule in _RULES.items():
        patterns: tuple[tuple[Kind, re.Pattern[str] | None], ...] = (
            ("shop", rule.shop),
            ("cue", rule.cue),
            ("word", rule.word),
        )
        for kind, pattern in patterns:
            if pattern is not None:
                matches += [
                    _Match(category, kind, m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()
                ]

    def swallowed(inner: _Match) -> bool:
        return any(
            outer.category != inner.category
            and outer.start <= inner.start
            and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start
            for outer in matches
        )

    return {(m.category, m.kind) for m in matches if m.category is not None and m.kind is not None and not swallowed(m)}


def _header_lines(merchant: str | None, texts: list[str]) -> list[int]:
    """The first lines that may name the brand: not the merchant's own line, not the address."""
    key = re.sub(r"[^A-Z0-9]", "", (merchant or "").upper())[:8]
    return [
        index
        for index, text in enumerate(texts[:_HEADER_LINES])
        if not (key and key in re.sub(r"[^A-Z0-9]", "", text.upper())) and not looks_like_address(text)
    ]


def guess_category(merchant: str | None, items: list[str], texts: list[str]) -> tuple[Category, float]:
    """Choose an expense category: the merchant's kind of business first, then cues and items.

    Args:
        merchant: The merchant name, if found.
        items: Line item descriptions.
        texts: Every line of the receipt.

    Returns:
        (category, confidence); ("other", 0.3) when nothing matched.
    """
    in_merchant = _hits(merchant) if merchant else set()
    in_items = [_hits(item) for item in items]
    in_lines = [_hits(text) for text in texts]
    header = _header_lines(merchant, texts)
    item_lines = {i for i, text in enumerate(texts) for item in items if len(item) >= 3 and item in text}
    # a brand printed lower down ("THANK YOU FOR SHOPPING AT TESCO"), but not a product's brand in an item
    later = [hits for i, hits in enumerate(in_lines) if i >= _HEADER_LINES and i not in item_lines]
    scores: dict[Category, float] = {}
    for category in _RULES:
        shop = (category, "shop")
        if shop in in_merchant:
            score = _SHOP_IN_MERCHANT
        elif any(shop in in_lines[i] for i in header):
            score = _SHOP_IN_HEADER  # the brand by the legal name: "SIZZLING STONEGRILL" / "Dimiliki Oleh: ..."
        else:
            score = 0.0
        score += _SHOP_IN_TEXT * min(sum(shop in hits for hits in later), 2)
        score += _CUE * min(sum((category, "cue") in hits for hits in in_lines), 2)
        item_words = sum((category, "word") in hits for hits in in_items)
        line_words = sum((category, "word") in hits for hits in in_lines)
        score += _ITEM_WORD * min(item_words, 3) + _TEXT_WORD * min(max(line_words - item_words, 0), 3)
        if score:
            scores[category] = score
    if not scores:
        return "other", 0.3
    best = max(scores, key=lambda c: scores[c])
    runner_up = max((v for c, v in scores.items() if c != best), default=0.0)
    confidence = 0.5 + 0.4 * (scores[best] - runner_up) / scores[best]
    return best, round(min(0.9, confidence), 2)
