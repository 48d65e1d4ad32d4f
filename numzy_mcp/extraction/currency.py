"""Currency, country and number style of a receipt, decided from the whole document.

Symbols and ISO codes weigh most; country hints (legal forms, states and postcodes, tax words, city
names, scripts) add evidence and name the currency of a bare "$". A currency that only one country
uses ("RM", "CHF", "¥") is evidence for that country too. The number style (whole units, three
decimals) follows from the currency or from how the document itself prints its amounts.

A bare "$" is the dollar the receipt names (a country, "A$", "USD"...); with nothing named it is the
team's default currency when that is itself a "$" currency (AUD, CAD, SGD...), else USD. Either way the
reading keeps confidence 0.6 at most, below the review threshold; a USD reading does not decide the date
order (see :mod:`numzy_mcp.extraction.when`), a day-first default such as AUD does.

A bare "¥" is yen or yuan: simplified-Chinese words, Chinese cities and amounts printed with fen
("¥25.80") make it CNY; kana, Japanese tax words, "円", Japanese cities and whole amounts ("¥1,280")
make it JPY, which is also the reading when the evidence is even and the default is not CNY.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from numzy_mcp.extraction.amounts import has_symbol_whole_amount

__all__ = [
    "DMY_CURRENCIES",
    "DOLLAR_CURRENCIES",
    "NO_ACCENT_COUNTRIES",
    "YMD_CURRENCIES",
    "amount_style",
    "detect_currency",
    "strip_accents",
]

_I: Final = re.IGNORECASE
_YEN_SIGN: Final = re.compile(r"(?<!JP)(?<!CN)[¥￥]")
_BARE_DOLLAR: Final = re.compile(r"(?<!\b[SACR])(?<!\b(?:US|HK|NZ|NT|MX|CA))\$\s?\d|\d\s?\$")
_CURRENCY_MARKS: Final[list[tuple[re.Pattern[str], str, float]]] = [
    (re.compile(r"(?<![A-Z])RM\s?\d|\(RM\)|\bRM\b|\bMYR\b", _I), "MYR", 2.0),
    (re.compile(r"\bS\$|\bSGD\b"), "SGD", 3.0),
    (re.compile(r"\bUS\$|\bUSD\b"), "USD", 3.0),
    (re.compile(r"\bA\$|\bAUD\b"), "AUD", 3.0),
    (re.compile(r"\bCA?\$|\bCAD\b"), "CAD", 3.0),
    (re.compile(r"\bNZ\$|\bNZD\b"), "NZD", 3.0),
    (re.compile(r"\bHK\$|\bHKD\b"), "HKD", 3.0),
    (re.compile(r"\bMX\$|\bMXN\b"), "MXN", 3.0),
    (re.compile(r"\bNT\$|\bTWD\b"), "TWD", 3.0),
    (re.compile(r"\bR\$|\bBRL\b"), "BRL", 3.0),
    (re.compile(r"€|\bEUR\b|\bEURO\b", _I), "EUR", 2.0),
    (re.compile(r"£|\bGBP\b"), "GBP", 2.0),
    (re.compile(r"JP[¥￥]|円|\bJPY\b"), "JPY", 2.0),
    (
        re.compile(r"\b(?:CNY|RMB)\s?\d|\d\s?(?:CNY|RMB)\b|人民币|CN[¥￥]|\d\s?元"),
        "CNY",
        2.5,
    ),  # "CNY" alone: Chinese New Year
    (re.compile(r"\bCHF\b|\bFr\.\s?\d|\bSFr"), "CHF", 2.5),
    (re.compile(r"\bKWD\b|\bKD\s?\d"), "KWD", 2.5),
    (re.compile(r"\bBHD\s?\d|\d\s?BHD\b|\bBD\s?\d"), "BHD", 2.5),  # "SDN BHD" is Berhad
    (re.compile(r"\bOMR\b|\bR\.?O\.?\s?\d"), "OMR", 2.5),
    (re.compile(r"\bAED\b|\bDHS?\.?\s?\d|\d\s?DHS?\b|د\.إ", _I), "AED", 2.5),
    (re.compile(r"\bSAR\s?\d|\d\s?SAR\b|\(SAR\)|ر\.س"), "SAR", 2.5),  # "SR" alone: the "standard rated" tax code
    (re.compile(r"\bQAR\b|\bQR\s?\d+[.,]\d\d\b"), "QAR", 2.5),
    (re.compile(r"\bIDR\b|\bRp\.?\s?\d", _I), "IDR", 2.5),
    (re.compile(r"₹|\bINR\b|\bRs\.?\s?\d"), "INR", 2.5),
    (re.compile(r"฿|\bTHB\b|\bBAHT\b", _I), "THB", 2.5),
    (re.compile(r"₱|\bPHP\s?\d"), "PHP", 2.5),
    (re.compile(r"₩|\bKRW\b"), "KRW", 2.5),
    (re.compile(r"₫|\bVND\b"), "VND", 2.5),
]
_HOME: Final = {
    "MYR": "MY", "SGD": "SG", "AUD": "AU", "CAD": "CA", "NZD": "NZ", "HKD": "HK", "MXN": "MX", "TWD": "TW",
    "BRL": "BR", "GBP": "GB", "JPY": "JP", "CNY": "CN", "CHF": "CH", "KWD": "KW", "BHD": "BH", "OMR": "OM",
    "AED": "AE", "SAR": "SA", "QAR": "QA", "IDR": "ID", "INR": "IN", "THB": "TH", "PHP": "PH", "KRW": "KR",
    "VND": "VN",
}  # fmt: skip
"""The country of a currency only one country uses (USD and EUR have no single home)."""
_CURRENCY_OF: Final = {home: code for code, home in _HOME.items()} | {
    "US": "USD", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR", "AT": "EUR",
    "PT": "EUR", "IE": "EUR",
}  # fmt: skip
_US_STATES: Final = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|"
    "OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_JP_WORDS: Final = r"[\u3041-\u3096\u30a1-\u30fa]|〒\s?\d{3}-?\d{4}|税込|税抜|消費税|内税|外税|領収書|軽減税率"
"""Kana (only Japanese writes them), the postcode mark, and tax words of Japanese receipts."""
_CN_WORDS: Final = r"发票|小计|合计|总计|应收|应付|实收|实付|找零|现金|收银|微信|支付宝|人民币"
"""Words of mainland-Chinese receipts, most in simplified script (Japanese writes 合計, 現金)."""
_CN_YEN_EVIDENCE: Final = re.compile(
    _CN_WORDS + r"|[计总应实现钱银额价单币购买卖货费积员优馆饭东门间账处务]|超市|\bRMB\b|\d\s?元|"
    r"北京|上海|广州|深圳|天津|重庆|成都|杭州|南京|武汉|西安|苏州|中国|"
    r"BEIJING|SHANGHAI|GUANGZHOU|SHENZHEN|TIANJIN|CHONGQING|CHENGDU|HANGZHOU|NANJING|WUHAN|SUZHOU|\bCHINA\b",
    _I,
)
"""What makes a "¥" yuan: simplified characters Japanese never writes, Chinese words and cities. City names
only decide the sign: "Shanghai Garden" on a "$" receipt is a restaurant's name, not a country."""
_JP_YEN_EVIDENCE: Final = re.compile(
    _JP_WORDS + r"|円|JAPAN|TOKYO|OSAKA|KYOTO|YOKOHAMA|NAGOYA|SAPPORO|FUKUOKA|SHINJUKU|SHIBUYA|"
    r"東京|大阪|京都|横浜|名古屋|札幌|福岡|[\u4e00-\u9fff]{1,3}[県府]",
    _I,
)
_YEN_FEN: Final = re.compile(r"[¥￥]\s?-?\d[\d,]*\.\d\d(?!\d)")
"""A "¥" amount with fen: the yen has no minor units."""
_YEN_WHOLE: Final = re.compile(r"[¥￥]\s?-?\d+(?:,\d{3})*(?![\d.,])")
_COUNTRY_HINTS: Final[list[tuple[re.Pattern[str], str, float]]] = [
    (
        re.compile(
            r"S[DO]N\.?\s?B[HN][DO]|MALAYSIA|SELANGOR|KUALA\s?LUMPUR|\bJOHOR\b|PENANG|\bJALAN\b|\bJLN\b|\bTAMAN\b", _I
        ),
        "MY",
        1.0,
    ),
    (re.compile(r"SINGAPORE|\bPTE\.?\s?LTD", _I), "SG", 1.0),
    (re.compile(r"INDONESIA|JAKARTA|\bKEMBALI(?:AN)?\b|\bPB1\b|\bPPN\b", _I), "ID", 1.0),
    (re.compile(r"KUWAIT", _I), "KW", 1.0),
    (re.compile(r"BAHRAIN|MANAMA", _I), "BH", 1.0),
    (re.compile(r"\bOMAN\b|MUSCAT", _I), "OM", 1.0),
    (re.compile(r"\bU\.?A\.?E\b|EMIRATES|DUBAI|ABU\s?DHABI|SHARJAH|AJMAN|\bTRN\b|الإمارات", _I), "AE", 1.0),
    (re.compile(r"SAUDI|RIYADH|JEDDAH|DAMMAM|\bK\.?S\.?A\b|السعودية", _I), "SA", 1.0),
    (re.compile(r"QATAR|\bDOHA\b", _I), "QA", 1.0),
    (re.compile(r"\bMWST\b|\bUST-?ID|\bGMBH\b|STRASSE\b|STRAßE|\bKASSENBON\b|\bSUMME\b|DEUTSCHLAND", _I), "DE", 1.0),
    (re.compile(r"\bTVA\b|\bTTC\b|\bSIRET\b|\bMERCI\b", _I), "FR", 1.0),
    (re.compile(r"ESPAÑA|\bMADRID\b|BARCELONA|\bN\.?I\.?F\b|\bC\.?I\.?F\b", _I), "ES", 1.0),
    (re.compile(r"\bP\.?\s?IVA\b|PARTITA\s?IVA|\bTOTALE\b|SCONTRINO|\bITALIA\b|\bMILANO\b|\bROMA\b", _I), "IT", 1.0),
    (re.compile(r"\bBTW\b|\bB\.V\.|NEDERLAND|AMSTERDAM|ROTTERDAM|\bKVK\b|\bTOTAAL\b", _I), "NL", 1.0),
    (re.compile(r"ÖSTERREICH|OESTERREICH|\bWIEN\b", _I), "AT", 1.0),
    (
        re.compile(
            r"\bVAT\s?(?:NO|REG)|\bUNITED\s?KINGDOM\b|\bLONDON\b|\bPOSTCODE\b|\bENGLAND\b|MANCHESTER|BIRMINGHAM|"
            r"EDINBURGH|GLASGOW|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}\b"
        ),
        "GB",
        1.0,
    ),
    (
        re.compile(r"\bMWST\.?\s?NR|\bSCHWEIZ\b|\bSUISSE\b|\bZ[ÜU]E?RICH\b|\bCHE-\d|\bGEN[ÈE]VE\b|\bBASEL\b", _I),
        "CH",
        1.5,
    ),
    (
        re.compile(r"\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b|\bSALES\s?TAX\b|\bU\.?S\.?A\b|,\s?(?:" + _US_STATES + r")\b"),
        "US",
        1.0,
    ),
    (
        re.compile(
            r"\b(?:ON|QC|BC|AB|MB|SK|NS|NB|NL|PE|YT|NU)\b,?\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b[A-Z]\d[A-Z]\s\d[A-Z]\d\b|"
            r"\bCANADA\b|\bHST\b|\bTVQ\b|GST/HST|TPS/TVQ|TORONTO|MONTR[EÉ]AL|VANCOUVER|CALGARY|OTTAWA|"
            r"\d,\d\d\s?\$"
        ),
        "CA",
        1.5,
    ),
    (re.compile(r"\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b|\bA\.?B\.?N\.?:?\s?\d{2}\s?\d{3}"), "AU", 1.5),
    (re.compile(r"AUSTRALIA|\bPTY\.?\s?LTD|SYDNEY|MELBOURNE|BRISBANE|ADELAIDE|CANBERRA|HOBART", _I), "AU", 1.0),
    (
        re.compile(
            r"NEW\s?ZEALAND|\bNZ\b|AUCKLAND|WELLINGTON|CHRISTCHURCH|\bGST\s?(?:NO|#)\.?:?\s?\d{2,3}-\d{3}-\d{3}\b", _I
        ),
        "NZ",
        1.5,
    ),
    (re.compile(r"HONG\s?KONG|KOWLOON|香港|\bH\.K\.", _I), "HK", 1.5),
    (re.compile(r"M[EÉ]XICO|\bCDMX\b|\bR\.?F\.?C\.?:|S\.A\.\s?DE\s?C\.V\.|\bM\.N\.", _I), "MX", 1.5),
    (re.compile(_JP_WORDS), "JP", 1.5),
    (re.compile(r"JAPAN|TOKYO|OSAKA|KYOTO|YOKOHAMA|NAGOYA|SAPPORO|FUKUOKA|SHINJUKU|SHIBUYA", _I), "JP", 1.0),
    (re.compile(r"(?:東京都|北海道|大阪府|京都府|[\u4e00-\u9fff]{2,3}県)[\u4e00-\u9fff]{1,4}[市区町村郡]"), "JP", 1.5),
    (re.compile(_CN_WORDS), "CN", 1.5),
    (re.compile(r"GSTIN|\bCGST\b|\bSGST\b"), "IN", 1.5),
]
DMY_CURRENCIES: Final = frozenset(
    {"MYR", "EUR", "GBP", "SGD", "CHF", "AUD", "NZD", "INR", "HKD", "IDR", "MXN", "BRL", "THB", "VND"}
    | {"AED", "SAR", "QAR", "KWD", "BHD", "OMR"}
    | {"CLP", "COP", "ARS", "UYU", "BND", "FJD"}
)
"""Currencies whose countries print dates day first."""
YMD_CURRENCIES: Final = frozenset({"JPY", "CNY", "KRW", "TWD"})
"""Currencies whose countries print dates year first ("25/05/26" is 26 May 2025)."""


NO_ACCENT_COUNTRIES: Final = frozenset({"MY", "SG", "US", "GB", "ID"})
_WHOLE_UNIT_CURRENCIES: Final = frozenset({"JPY", "IDR", "KRW", "VND", "CLP", "ISK"})
_THREE_DECIMAL_CURRENCIES: Final = frozenset({"KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD"})
_GROUPED_WHOLE: Final = re.compile(r"(?<![\d.,'])\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?![\d]|[.,]\d)")
_TWO_DECIMALS: Final = re.compile(r"(?<![\d.,])\d+[.,](\d{2})(?!\d)")
_BARE_DOLLAR_CONFIDENCE: Final = 0.6
_WEAK_YEN_CONFIDENCE: Final = 0.6
"""The most a "¥" read as yen or yuan earns when no words or places on the receipt decided which."""
DOLLAR_CURRENCIES: Final = frozenset(
    {"USD", "AUD", "CAD", "NZD", "SGD", "HKD", "MXN", "TWD", "CLP", "COP", "ARS", "UYU", "BND", "FJD"}
    | {"JMD", "TTD", "BSD", "BBD", "BZD", "XCD", "NAD"}
)
"""Currencies whose receipts print a bare "$" for their own money."""


def amount_style(texts: list[str], currency: str | None) -> tuple[bool, int]:
    """How this receipt prints money: (whole units only, number of decimals).

    Whole units come from the currency (yen, rupiah, ...) or from the document itself: amounts
    grouped by three ("60.000", "28,000") and no amount with two non-zero decimals anywhere, or
    whole amounts marked with a currency symbol ("TOTAL $35") and no two-decimal amount anywhere.

    Args:
        texts: Line texts.
        currency: The detected currency, if any.

    Returns:
        (True when whole numbers with thousands separators are amounts, 2 or 3 decimals; 0 when only
        whole numbers marked with a currency symbol are amounts).
    """
    if currency in _THREE_DECIMAL_CURRENCIES:
        return False, 3
    if currency in _WHOLE_UNIT_CURRENCIES:
        return True, 2
    grouped = sum(len(_GROUPED_WHOLE.findall(t)) for t in texts)
    two_decimals = [m.group(1) for t in texts for m in _TWO_DECIMALS.finditer(t)]
    whole = grouped >= 2 and grouped > len(two_decimals) and all(d == "00" for d in two_decimals)
    # "TOTAL $35" on a taxi or parking receipt: symbol-marked whole amounts and no decimals anywhere
    if whole:
        return True, 2
    if not two_decimals and any(has_symbol_whole_amount(t) for t in texts):
        return False, 0  # only symbol-marked whole numbers are money: never a ZIP code or a lot number
    return False, 2


def strip_accents(text: str) -> str:
    """Drop combining accents ("SETIA ÁLAM" → "SETIA ALAM"): OCR noise where none are printed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _yen_currency(texts: list[str], default_currency: str | None) -> tuple[str, bool]:
    """Whether this receipt's "¥" is yen or yuan, and whether the receipt itself says so.

    Words and places (kana, characters only simplified Chinese writes, 円/元, cities) decide. How the
    amounts are printed (with fen or whole) is weak evidence: many Chinese shops print whole yuan and
    many Japanese tills print ".00", so it only decides for a team that keeps neither currency; a yen or
    yuan team's own currency wins over it.

    Returns:
        (JPY or CNY, True when words or places on the receipt decided).
    """
    chinese = sum(bool(_CN_YEN_EVIDENCE.search(text)) for text in texts)
    japanese = sum(bool(_JP_YEN_EVIDENCE.search(text)) for text in texts)
    if chinese != japanese:
        return ("CNY" if chinese > japanese else "JPY"), True
    if default_currency in ("CNY", "JPY"):
        return default_currency, False
    fen = sum(bool(_YEN_FEN.search(text)) for text in texts)
    whole = sum(bool(_YEN_WHOLE.search(text)) for text in texts)
    return ("CNY" if fen > whole else "JPY"), False


def _marks(texts: list[str], default_currency: str | None) -> tuple[dict[str, float], float, tuple[str, float] | None]:
    """Weight of each currency's symbols and codes, and of bare "$" signs (whose currency is open).

    Also, when only weak evidence read the "¥" as yen or yuan, that currency and the weight its "¥" signs gave.
    """
    weights: dict[str, float] = {}
    bare_dollar = 0.0
    yen_weight = 0.0
    yen, sure = _yen_currency(texts, default_currency) if any(_YEN_SIGN.search(t) for t in texts) else ("JPY", True)
    marks = [*_CURRENCY_MARKS, (_YEN_SIGN, yen, 2.0)]
    for text in texts:
        for pattern, code, weight in marks:
            if hits := len(pattern.findall(text)):
                weights[code] = weights.get(code, 0.0) + weight * min(hits, 3)
                if pattern is _YEN_SIGN:
                    yen_weight += weight * min(hits, 3)
        if hits := len(_BARE_DOLLAR.findall(text)):
            bare_dollar += min(hits, 3)
    return weights, bare_dollar, None if sure else (yen, yen_weight)


def _country(texts: list[str], marks: dict[str, float]) -> tuple[str | None, float]:
    """The country with the most evidence, and the weight of its own hints (without the currency's).

    A currency only one country uses counts for that country, and any hinted country whose currency
    is printed gains, so "CHF" on a receipt with German words still makes it Swiss.
    """
    hints: dict[str, float] = {}
    for text in texts:
        for pattern, country, weight in _COUNTRY_HINTS:
            if pattern.search(text):
                hints[country] = hints.get(country, 0.0) + weight
    scores = dict(hints)
    if marks:
        best = max(marks, key=lambda c: marks[c])
        home = _HOME.get(best)
        if home is not None:
            scores[home] = scores.get(home, 0.0) + min(marks[best], 2.5)
        for country in scores:
            if _CURRENCY_OF.get(country) in marks:
                scores[country] += 1.5
    if not scores:
        return None, 0.0
    country = max(scores, key=lambda c: scores[c])
    return country, hints.get(country, 0.0)


def detect_currency(texts: list[str], default_currency: str | None = None) -> tuple[str | None, float, str | None]:
    """Decide the receipt currency from symbols and codes, then from country hints.

    Args:
        texts: Line texts.
        default_currency: Returned (with low confidence) when nothing on the receipt decides.

    Returns:
        (ISO 4217 code or None, confidence, ISO 3166 country code or None).
    """
    default = default_currency.upper() if default_currency else None
    weights, bare_dollar, weak_yen = _marks(texts, default)
    country, hint_weight = _country(texts, weights)
    home_currency = _CURRENCY_OF.get(country) if country is not None else None
    if home_currency is not None:
        weights[home_currency] = weights.get(home_currency, 0.0) + 1.5 * min(hint_weight, 3.0)
    if bare_dollar:
        # A bare "$" names the country's own currency: USD in the US, AUD in Australia, and on a Malaysian
        # receipt printing "$6.90" it is still ringgit. Without a country it is the dollar printed elsewhere
        # on the receipt ("USD", "A$"), else the team's own dollar, else USD; read with doubt.
        named = [c for c in weights if c in DOLLAR_CURRENCIES]
        fallback = default if default in DOLLAR_CURRENCIES else "USD"
        code = home_currency or (max(named, key=lambda c: weights[c]) if named else fallback)
        weights[code] = weights.get(code, 0.0) + bare_dollar
        if home_currency is None and weights[code] == bare_dollar and max(weights.values()) == bare_dollar:
            return code, min(_BARE_DOLLAR_CONFIDENCE, 0.5 + 0.1 * bare_dollar), country
    if weights:
        best = max(weights, key=lambda c: weights[c])
        confidence = min(0.95, 0.5 + 0.1 * weights[best])
        if weak_yen is not None and best == weak_yen[0] and weights[best] - weak_yen[1] < 1.0:
            # only the "¥" signs back it, read as yen or yuan from how the amounts print or the team's currency
            confidence = min(confidence, _WEAK_YEN_CONFIDENCE)
        return best, confidence, country
    if default:
        return default, 0.2, country
    return None, 0.0, country
