"""The receipt's date and time: chosen among every candidate on the page, day/month order from evidence.

The order of a numeric date ("03/04/19") is decided once per document, strongest evidence first:

1. readings that cannot be: a month over 12, a date after today;
2. a year-first country (Japan, China, Korea, Taiwan) for "yy/mm/dd";
3. another date on the same receipt that only one order can read ("13/04/2019" → day first);
4. the country's convention (US month first; Canada mixed, so undecided; elsewhere day first);
5. the currency when no country is known (euro, ringgit, pound... day first; yen year first).

A bare "$" or "USD" alone names no country: the date is read month first, as in the US, and flagged
ambiguous when day first would also be valid. A date that stays undecided is flagged ambiguous.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Final

from numzy_mcp.extraction.currency import DMY_CURRENCIES, YMD_CURRENCIES
from numzy_mcp.extraction.dates import DateCandidate, find_dates, find_times

__all__ = ["choose_date", "choose_time", "date_order"]

_DATE_LABEL: Final = re.compile(
    r"DATE|DATUM|\bDT\b|TARIKH|\bTGL\b|TANGGAL|FECHA|\bDATA\b|日付|日時|年月日|取引日", re.IGNORECASE
)
_BAD_DATE_CONTEXT: Final = re.compile(
    r"EXP(?:IR\w*|\.|\b)|VALID|G[ÜU]LTIG|BEST\s?BEFORE|USE\s?BY|SELL\s?BY|\bBB\b|\bMHD\b|PRINT|DRUCK|IMPRIM|"
    r"\bDUE\b|F[ÄA]LLIG|VERVAL|[ÉE]CH[ÉE]ANCE|VENCIMIENTO|SCADENZA|RETURNS?\s?(?:BY|UNTIL|BEFORE)|"
    r"\bUNTIL\b|\bBIS\b|JUSQU|MEMBER\s?SINCE|BIRTH|期限|有効",
    re.IGNORECASE,
)
_TIME_LABEL: Final = re.compile(r"TIME|ZEIT|HEURE|HORA|\bJAM\b|時刻", re.IGNORECASE)

_YEAR_FIRST_COUNTRIES: Final = frozenset({"JP", "CN", "KR", "TW"})
_MONTH_FIRST_COUNTRIES: Final = frozenset({"US", "PH"})
_MIXED_COUNTRIES: Final = frozenset({"CA"})  # receipts print both; only other evidence decides
_FUTURE_SLACK: Final = dt.timedelta(days=2)  # time zones and a shop clock running ahead
_FAR_FUTURE: Final = dt.timedelta(days=366)


def date_order(country: str | None, currency: str | None) -> tuple[str | None, bool]:
    """The numeric date order a receipt's country, else its currency, suggests.

    Args:
        country: ISO 3166 country of the receipt, if known.
        currency: ISO 4217 currency of the receipt, if known.

    Returns:
        ("dmy", "mdy", "ymd" or None, True when the convention decides; False when it only leans).
    """
    if country in _YEAR_FIRST_COUNTRIES:
        return "ymd", True
    if country in _MONTH_FIRST_COUNTRIES:
        return "mdy", True
    if country in _MIXED_COUNTRIES:
        return None, False
    if country is not None:
        return "dmy", True
    if currency in YMD_CURRENCIES:
        return "ymd", True
    if currency in DMY_CURRENCIES:
        return "dmy", True
    if currency == "USD":
        return "mdy", False
    return None, False


def _possible(candidate: DateCandidate, latest: dt.date, *, year_first: bool) -> dict[str, dt.date]:
    """The readings that can be the date: not after ``latest``; year-first only where receipts print it."""
    options = candidate.options()
    if not year_first and len(options) > 1:
        options = {order: value for order, value in options.items() if order != "ymd"} or options
    past = {order: value for order, value in options.items() if value <= latest}
    return past or options


def _forced_order(candidates: list[DateCandidate], latest: dt.date, *, year_first: bool) -> str | None:
    """The day/month order that another date on the receipt proves, when they agree on one."""
    forced: set[str] = set()
    for candidate in candidates:
        options = _possible(candidate, latest, year_first=year_first)
        if len(options) == 1 and next(iter(options)) in ("dmy", "mdy"):
            forced.add(next(iter(options)))
    return forced.pop() if len(forced) == 1 else None


def _resolve(
    candidate: DateCandidate, latest: dt.date, *, forced: str | None, convention: tuple[str | None, bool]
) -> tuple[DateCandidate, bool]:
    """The candidate read in the document's order, and True when that order stays undecided."""
    order, certain = convention
    options = _possible(candidate, latest, year_first=order == "ymd")
    if len(options) == 1:
        chosen = next(iter(options))
        decided = True
    elif order == "ymd" and "ymd" in options:
        chosen, decided = "ymd", True
    elif forced in options:
        chosen, decided = forced, True
    elif order in options:
        chosen, decided = order, certain
    else:
        chosen = next(iter(options))
        decided = False
    value = options[chosen]
    others = [v for o, v in options.items() if o != chosen]
    resolved = dataclasses.replace(
        candidate, value=value, order=chosen, alternative=None if decided else (others[0] if others else None)
    )
    return resolved, not decided


def _context(text: str, candidates: list[DateCandidate], index: int) -> str:
    """The words in front of one date on its line: its label ("Due date", "EXP")."""
    start = candidates[index - 1].end if index else 0
    return text[start : candidates[index].start]


@dataclasses.dataclass(frozen=True, slots=True)
class _LineWords:
    """What a whole line says about the dates on it, read once per line (not once per date)."""

    bad: bool
    """An expiry, due, "valid until" or "printed" word somewhere on the line."""
    label: bool
    """A date label ("DATE", "Datum", "TARIKH") somewhere on the line."""


def _line_words(text: str) -> _LineWords:
    return _LineWords(bad=_BAD_DATE_CONTEXT.search(text) is not None, label=_DATE_LABEL.search(text) is not None)


def _date_score(candidate: DateCandidate, context: str, line: _LineWords, position: float, today: dt.date) -> float:
    score = 1.0
    if _BAD_DATE_CONTEXT.search(context):
        score -= 3.0
    elif _DATE_LABEL.search(context):
        score += 2.0
    elif line.bad:
        score -= 1.5
    elif line.label:
        score += 1.0
    if candidate.order == "named":
        score += 0.3
    if candidate.value > today + _FUTURE_SLACK:
        score -= 3.0
    return score - 0.5 * position


def choose_date(
    texts: list[str], currency: str | None, country: str | None, *, today: dt.date | None = None
) -> tuple[DateCandidate, int, bool] | None:
    """The receipt's date among every date printed on it.

    Dates more than a year after ``today`` are misreads and never chosen; a date labelled as an
    expiry, due, "valid until" or "printed" date only wins when nothing else is printed.

    Args:
        texts: Line texts in reading order.
        currency: The receipt's currency, evidence for the day/month order.
        country: The receipt's country, if known; evidence for the order too.
        today: The current date (default: today in UTC); no purchase happens after it.

    Returns:
        (the date, its line, True when day and month could not be told apart), or None.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    latest = today + _FUTURE_SLACK
    found: list[tuple[DateCandidate, int, str]] = []
    for index, text in enumerate(texts):
        on_line = find_dates(text)
        found.extend((candidate, index, _context(text, on_line, i)) for i, candidate in enumerate(on_line))
    if not found:
        return None
    convention = date_order(country, currency)
    forced = _forced_order([c for c, _, _ in found], latest, year_first=convention[0] == "ymd")
    words = {index: _line_words(texts[index]) for index in {index for _, index, _ in found}}
    scored: list[tuple[float, int, DateCandidate, bool]] = []
    for candidate, index, context in found:
        resolved, ambiguous = _resolve(candidate, latest, forced=forced, convention=convention)
        if resolved.value > today + _FAR_FUTURE:
            continue
        score = _date_score(resolved, context, words[index], index / max(len(texts), 1), today)
        scored.append((score, index, resolved, ambiguous))
    if not scored:
        return None
    _, line, best, ambiguous = max(scored, key=lambda s: (s[0], -s[1]))
    return best, line, ambiguous


def _masked(text: str, dates: list[DateCandidate]) -> str:
    """The line with its dates blanked out (same length, so positions stay valid)."""
    parts: list[str] = []
    position = 0
    for date in dates:  # in order of position, never overlapping
        parts.extend((text[position : date.start], " " * (date.end - date.start)))
        position = date.end
    parts.append(text[position:])
    return "".join(parts)


def choose_time(texts: list[str], date_line: int | None) -> tuple[dt.time, str, int] | None:
    """The time of the purchase: a time on the date's line or next to it wins.

    Args:
        texts: Line texts in reading order.
        date_line: The line the date was read from, if any.

    Returns:
        (the time, as printed, its line), or None.
    """
    candidates: list[tuple[float, dt.time, str, int]] = []
    for index, text in enumerate(texts):
        times = find_times(_masked(text, find_dates(text)))
        if not times:
            continue
        labelled = _TIME_LABEL.search(text) is not None
        # An expiry or due word before the time: the first such word on the line, found once.
        bad = _BAD_DATE_CONTEXT.search(text)
        bad_end = bad.end() if bad is not None else len(text) + 1
        for candidate in times:
            score = 1.0
            if index == date_line:
                score += 2.0
            elif date_line is not None and abs(index - date_line) <= 1:
                score += 1.0
            if labelled:
                score += 1.5
            if bad_end <= candidate.start:
                score -= 1.5
            candidates.append((score, candidate.value, candidate.raw, index))
    if not candidates:
        return None
    _, value, raw, line = max(candidates, key=lambda c: (c[0], -c[3]))
    return value, raw, line
