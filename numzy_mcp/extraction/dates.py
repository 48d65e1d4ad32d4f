"""Dates and times on receipt lines, as scored candidates.

OCR glues words ("11/03/1821:30", "19Mar201818:26"), so the patterns avoid word boundaries and split
a time glued to the year. A numeric date carries every reading its numbers allow (day-first,
month-first, and for a two-digit year in front, year-first as Japanese receipts print "25/05/26"), so
the caller can decide from the whole document's evidence. Month names are read in English, German,
French, Spanish, Italian, Dutch, Portuguese, Malay and Indonesian; Japanese dates in both Western
and era years (令和6年, R6, H30).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

__all__ = ["DateCandidate", "TimeCandidate", "find_dates", "find_times"]


def _month_table() -> dict[str, int]:
    names = (
        "january januar janvier enero gennaio januari janeiro jänner jan janv ene gen",
        "february februar février fevrier febrero febbraio februari fevereiro feb febr fév fev févr fevr",
        "march märz maerz mars marzo maart março marco mac maret mar mär mrz mrt",
        "april avril abril aprile apr avr abr",
        "may mai mayo maggio mei maio mag",
        "june juni juin junio giugno junho jun giu",
        "july juli juillet julio luglio julai julho jul juil lug",
        "august août aout agosto augustus ogos agustus aug aoû ago agt ogo",
        "september septembre septiembre setiembre settembre setembro sep sept set",
        "october oktober octobre octubre ottobre outubro okt oct ott",
        "november novembre noviembre novembro nov",
        "december dezember décembre decembre diciembre dicembre disember desember dezembro dec dez déc dic des dis",
    )
    return {name: month for month, line in enumerate(names, start=1) for name in line.split()}


_MONTHS: Final = _month_table()
_SHORT_WORDS: Final = frozenset(
    {"set", "gen", "mag", "ago", "des", "dis", "mac", "ogo", "agt", "ene", "abr", "dic", "ott"}
)
"""Abbreviations that are also words or codes ("2 SET 10", "1 DIS 15"): read only with a four-digit year."""
_MONTH_RE: Final = (
    r"(?P<mon>" + "|".join(re.escape(n) for n in sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-zà-ÿ])\.?"
)
_YEAR_TAIL: Final = r"(?P<year>\d{2,6})(?![.,]\d)"
_NUMERIC_RE: Final = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)" + _YEAR_TAIL)
_ISO_RE: Final = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,2})(?!\d)")
_DMY_NAME_RE: Final = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|°)?[\s\-./,]*(?:del?\s+)?"
    + _MONTH_RE
    + r"[\s\-./,']*(?:del?\s+)?"
    + _YEAR_TAIL,
    re.IGNORECASE,
)
_MDY_NAME_RE: Final = re.compile(
    r"(?<![a-zà-ÿ])" + _MONTH_RE + r"[\s\-./]*(?P<day>\d{1,2})(?:st|nd|rd|th)?\s?,?[\s\-./']*" + _YEAR_TAIL,
    re.IGNORECASE,
)
_DASH_LIKE: Final = re.compile(r"(?<=\d)[~–—_](?=\d)")  # OCR reads a printed "-" between digits as these
_JP_RE: Final = re.compile(r"(?P<year>(?:19|20)?\d{2})\s?年\s?(?P<b>\d{1,2})\s?月\s?(?P<c>\d{1,2})\s?日")
_ERA_START: Final = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989}
_ERA_RE: Final = re.compile(
    r"(?:(?P<kanji>令和|平成)\s?(?P<ky>元|\d{1,2})\s?年\s?(?P<kb>\d{1,2})\s?月\s?(?P<kc>\d{1,2})\s?日"
    r"|(?<![A-Za-z])(?P<latin>[RH])\s?(?P<ly>\d{1,2})(?P<sep>[/.\-])(?P<lb>\d{1,2})(?P=sep)(?P<lc>\d{1,2})(?!\d))"
)
_AMPM: Final = r"(?P<ampm>[AaPp]\.?\s?[Mm]\.?)(?![A-Za-z])"
_HALF_DAY: Final = r"(?:(?P<pre>午前|午後|오전|오후|上午|下午)\s?)?"
_TIME_RE: Final = re.compile(
    r"(?<!\d)" + _HALF_DAY + r"(?P<h>[01]?\d|2[0-3])\s?[:hH]\s?(?P<m>[0-5]\d)(?:\s?:\s?(?P<s>[0-5]\d))?(?!\d)"
    r"(?:\s?" + _AMPM + r")?"
)
_UHR_RE: Final = re.compile(r"(?<![\d.,])(?P<h>[01]?\d|2[0-3])\.(?P<m>[0-5]\d)\s?Uhr(?![a-z])", re.IGNORECASE)
_JP_TIME_RE: Final = re.compile(r"(?<!\d)" + _HALF_DAY + r"(?P<h>[01]?\d|2[0-3])\s?時\s?(?P<m>[0-5]?\d)\s?分")
_PM_WORDS: Final = frozenset({"午後", "오후", "下午", "PM"})


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One date printed on a line.

    ``value`` is the first valid reading (day-first, then month-first, then year-first) and ``order``
    names it: "dmy", "mdy", "ymd" or "named" (month spelled out). ``readings`` lists every valid
    reading of the numbers as (order, date); a date with more than one reading needs the document's
    evidence. ``alternative`` is the month-first reading when it differs from a day-first ``value``.
    """

    value: dt.date
    raw: str
    start: int
    end: int
    order: str
    alternative: dt.date | None = None
    readings: tuple[tuple[str, dt.date], ...] = ()

    def options(self) -> dict[str, dt.date]:
        """Every reading of this date, by order ("dmy", "mdy", "ymd" or "named")."""
        return dict(self.readings) if self.readings else {self.order: self.value}


@dataclass(frozen=True, slots=True)
class TimeCandidate:
    """One time of day printed on a line."""

    value: dt.time
    raw: str
    start: int
    end: int


def _year(digits: str, following: str) -> tuple[int, int] | None:
    """Interpret the digits after the month as a year; return (year, digits used) or None.

    ``following`` is the character after the digits ("" at the end of the line).

    A time glued to the year ("1821:30", "201818:26") keeps only the year's digits.
    """
    if len(digits) >= 4 and digits[:2] in ("19", "20") and (len(digits) == 4 or following.startswith(":")):
        year = int(digits[:4])
        if 1990 <= year <= 2099 and (len(digits) == 4 or len(digits) in (5, 6)):
            return year, 4
    if len(digits) == 2 or (len(digits) in (3, 4) and following.startswith(":")):
        return 2000 + int(digits[:2]), 2
    return None


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if 1990 <= value.year <= 2099 else None


def _numeric(a: str, b: str, year: int, year_digits: str) -> list[tuple[str, dt.date]]:
    """Every valid reading of "a/b/year": day-first, month-first, and year-first for "yy/mm/dd"."""
    readings: list[tuple[str, dt.date]] = []
    for order, value in (
        ("dmy", _make(year, int(b), int(a))),
        ("mdy", _make(year, int(a), int(b))),
        ("ymd", _make(2000 + int(a), int(b), int(year_digits)) if len(a) == 2 and len(year_digits) == 2 else None),
    ):
        if value is not None and all(value != seen for _, seen in readings):
            readings.append((order, value))
    return readings


def _era_dates(text: str) -> list[DateCandidate]:
    found: list[DateCandidate] = []
    for match in _ERA_RE.finditer(text):
        era = match["kanji"] or match["latin"]
        year_text = match["ky"] or match["ly"]
        year = _ERA_START[era] + (0 if year_text == "元" else int(year_text) - 1)
        month, day = int(match["kb"] or match["lb"]), int(match["kc"] or match["lc"])
        value = _make(year, month, day)
        if value:
            found.append(DateCandidate(value, match.group(0), match.start(), match.end(), "ymd"))
    return found


def find_dates(text: str) -> list[DateCandidate]:
    """Find every plausible date printed on one line.

    Args:
        text: One line of text.

    Returns:
        Date candidates in order of position. A numeric date's ``value`` is read day-first when it
        can be; every other valid reading is in ``readings``.
    """
    found: list[DateCandidate] = []
    taken = bytearray(len(text))  # 1 where a date was read: overlap checks stay linear on long lines

    def add(candidate: DateCandidate) -> None:
        if any(taken[candidate.start : candidate.end]):
            return
        taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        found.append(candidate)

    for candidate in _era_dates(text):
        add(candidate)
    for match in _JP_RE.finditer(text):
        year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
        value = _make(year, int(match["b"]), int(match["c"]))
        if value:
            add(DateCandidate(value, match.group(0), match.start(), match.end(), "ymd"))
    dashed = _DASH_LIKE.sub("-", text)  # same length: positions stay valid
    for match in _ISO_RE.finditer(dashed):
        value = _make(int(match["year"]), int(match["b"]), int(match["c"]))
        if value:
            add(DateCandidate(value, match.group(0), match.start(), match.end(), "ymd"))
    for regex in (_DMY_NAME_RE, _MDY_NAME_RE):
        for match in regex.finditer(text):
            month = _MONTHS.get(match["mon"].lower())
            parsed = _year(match["year"], text[match.end() : match.end() + 1])
            if month is None or parsed is None:
                continue
            year, used = parsed
            between = text[match.end("day") : match.start("year")]
            if used == 2 and (match["mon"].lower() in _SHORT_WORDS or between in (".", ",")):
                continue  # "2 SET 10", "MAY 10.00": a word and a quantity or an amount
            value = _make(year, month, int(match["day"]))
            if value:
                end = match.start("year") + used
                add(DateCandidate(value, text[match.start() : end], match.start(), end, "named"))
    for match in _NUMERIC_RE.finditer(dashed):
        parsed = _year(match["year"], dashed[match.end() : match.end() + 1])
        if parsed is None:
            continue
        year, used = parsed
        end = match.start("year") + used
        readings = _numeric(match["a"], match["b"], year, match["year"][:used])
        if not readings:
            continue
        order, value = readings[0]
        options = dict(readings)
        alternative = options.get("mdy") if order == "dmy" else None
        raw = dashed[match.start() : end]
        add(DateCandidate(value, raw, match.start(), end, order, alternative, tuple(readings)))
    found.sort(key=lambda c: c.start)
    return found


def _clock(hour: int, minute: int, second: int, half: str) -> dt.time | None:
    """A time of day; ``half`` is "AM", "PM" (or their Japanese, Korean, Chinese words) or ""."""
    if half:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if half in _PM_WORDS else 0)
    return dt.time(hour, minute, second)


def find_times(text: str) -> list[TimeCandidate]:
    """Find times of day on one line.

    Reads "13:58", "8:13 PM", "8:13 p.m.", "11:18:05", "12h30" and "14h05" (French), "14.05 Uhr"
    (German), "午後3:15" and "15時05分" (Japanese).

    Args:
        text: One line of text.

    Returns:
        Time candidates in order of position.
    """
    found: list[TimeCandidate] = []
    taken = bytearray(len(text))  # 1 where a time was read
    for regex in (_TIME_RE, _UHR_RE, _JP_TIME_RE):
        for match in regex.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            groups = match.groupdict()
            second = int(groups["s"]) if groups.get("s") else 0
            half = groups.get("pre") or (groups.get("ampm") or "").replace(".", "").replace(" ", "").upper()
            value = _clock(int(match["h"]), int(match["m"]), second, half)
            if value is not None:
                taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
                found.append(TimeCandidate(value, match.group(0).strip(), match.start(), match.end()))
    found.sort(key=lambda c: c.start)
    return found
