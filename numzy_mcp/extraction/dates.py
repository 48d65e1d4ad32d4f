"""Dates and times on receipt lines, as scored candidates.

OCR glues words ("11/03/1821:30", "19Mar201818:26"), so the patterns avoid word boundaries and split
a time glued to the year. Numeric dates whose day and month could be swapped are reported with both
readings so the caller can decide from evidence (other dates, the currency, the country).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

__all__ = ["DateCandidate", "TimeCandidate", "find_dates", "find_times"]

_MONTHS: Final = {
    "jan": 1, "januar": 1, "janv": 1, "janvier": 1,
    "feb": 2, "febr": 2, "fev": 2, "fév": 2, "févr": 2, "fevr": 2,
    "mar": 3, "mär": 3, "maer": 3, "mars": 3, "marz": 3, "maar": 3, "mrt": 3,
    "apr": 4, "avr": 4, "avril": 4,
    "may": 5, "mai": 5, "mei": 5,
    "jun": 6, "juin": 6,
    "jul": 7, "juil": 7, "juillet": 7,
    "aug": 8, "aoû": 8, "aout": 8, "août": 8,
    "sep": 9, "sept": 9,
    "oct": 10, "okt": 10,
    "nov": 11,
    "dec": 12, "dez": 12, "déc": 12,
}  # fmt: skip
_MONTH_RE: Final = (
    r"(?P<mon>jan(?:uary|uar|vier|v)?|f[eé]v(?:r(?:ier)?)?|feb(?:ruary|ruar|r)?|m(?:ar|är)(?:ch|s|z)?|maerz|maart|mrt|mei|"
    r"apr(?:il)?|avr(?:il)?|ma[yi]|jun[ie]?|juin|jul[iy]?|juil(?:let)?|aug(?:ust)?|ao[uû]t?|"
    r"sep(?:t(?:ember)?)?|o[ck]t(?:ober|obre)?|nov(?:ember|embre)?|d[eé][cz](?:ember|embre)?)\.?"
)
_YEAR_TAIL: Final = r"(?P<year>\d{2,6})"
_NUMERIC_RE: Final = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)" + _YEAR_TAIL)
_ISO_RE: Final = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,2})(?!\d)")
_DMY_NAME_RE: Final = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s\-./,]*" + _MONTH_RE + r"[\s\-./,']*" + _YEAR_TAIL, re.IGNORECASE
)
_MDY_NAME_RE: Final = re.compile(
    r"(?<![a-z])" + _MONTH_RE + r"[\s\-./]*(?P<day>\d{1,2})(?:st|nd|rd|th)?\s?,?[\s\-./']*" + _YEAR_TAIL, re.IGNORECASE
)
_DASH_LIKE: Final = re.compile(r"(?<=\d)[~–—_](?=\d)")  # OCR reads a printed "-" between digits as these
_JP_RE: Final = re.compile(r"(?P<year>(?:19|20)\d{2})\s?年\s?(?P<b>\d{1,2})\s?月\s?(?P<c>\d{1,2})\s?日")
_TIME_RE: Final = re.compile(
    r"(?<!\d)(?P<h>[01]?\d|2[0-3])\s?[:hH]\s?(?P<m>[0-5]\d)(?:\s?:\s?(?P<s>[0-5]\d))?(?!\d)\s?(?P<ampm>[AaPp]\.?[Mm]\.?)?"
)


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One date printed on a line.

    ``alternative`` is the other reading when day and month could be swapped (both ≤ 12).
    ``order`` is "dmy", "mdy", "ymd" or "named" (month spelled out: unambiguous).
    """

    value: dt.date
    raw: str
    start: int
    end: int
    order: str
    alternative: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TimeCandidate:
    """One time of day printed on a line."""

    value: dt.time
    raw: str
    start: int
    end: int


def _year(digits: str, following: str) -> tuple[int, int] | None:
    """Interpret the digits after the month as a year; return (year, digits used) or None.

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


def find_dates(text: str) -> list[DateCandidate]:
    """Find every plausible date printed on one line.

    Args:
        text: One line of text.

    Returns:
        Date candidates in order of position. Numeric dates are read day-first; when the month-first
        reading is also valid it is given as ``alternative``.
    """
    found: list[DateCandidate] = []
    taken: list[tuple[int, int]] = []

    def add(candidate: DateCandidate) -> None:
        if any(s < candidate.end and candidate.start < e for s, e in taken):
            return
        taken.append((candidate.start, candidate.end))
        found.append(candidate)

    for match in _JP_RE.finditer(text):
        value = _make(int(match["year"]), int(match["b"]), int(match["c"]))
        if value:
            add(DateCandidate(value, match.group(0), match.start(), match.end(), "ymd"))
    dashed = _DASH_LIKE.sub("-", text)  # same length: positions stay valid
    for match in _ISO_RE.finditer(dashed):
        value = _make(int(match["year"]), int(match["b"]), int(match["c"]))
        if value:
            add(DateCandidate(value, match.group(0), match.start(), match.end(), "ymd"))
    for regex in (_DMY_NAME_RE, _MDY_NAME_RE):
        for match in regex.finditer(text):
            month = _MONTHS.get(match["mon"].lower().rstrip(".")[:4]) or _MONTHS.get(match["mon"].lower()[:3])
            parsed = _year(match["year"], text[match.end() :])
            if month is None or parsed is None:
                continue
            year, used = parsed
            value = _make(year, month, int(match["day"]))
            if value:
                end = match.start("year") + used
                add(DateCandidate(value, text[match.start() : end], match.start(), end, "named"))
    for match in _NUMERIC_RE.finditer(dashed):
        parsed = _year(match["year"], dashed[match.end() :])
        if parsed is None:
            continue
        year, used = parsed
        end = match.start("year") + used
        a, b = int(match["a"]), int(match["b"])
        dmy, mdy = _make(year, b, a), _make(year, a, b)
        raw = dashed[match.start() : end]
        if dmy:
            add(DateCandidate(dmy, raw, match.start(), end, "dmy", mdy if mdy and mdy != dmy else None))
        elif mdy:
            add(DateCandidate(mdy, raw, match.start(), end, "mdy"))
    found.sort(key=lambda c: c.start)
    return found


def find_times(text: str) -> list[TimeCandidate]:
    """Find times of day ("13:58", "8:13 PM", "11:18:05", "12h30") on one line.

    Args:
        text: One line of text.

    Returns:
        Time candidates in order of position.
    """
    found: list[TimeCandidate] = []
    for match in _TIME_RE.finditer(text):
        hour, minute = int(match["h"]), int(match["m"])
        second = int(match["s"]) if match["s"] else 0
        ampm = (match["ampm"] or "").replace(".", "").upper()
        if ampm:
            if hour > 12:
                continue
            hour = hour % 12 + (12 if ampm == "PM" else 0)
        raw = match.group(0).strip()
        found.append(TimeCandidate(dt.time(hour, minute, second), raw, match.start(), match.end()))
    return found
