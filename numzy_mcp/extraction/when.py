"""The receipt's date and time: chosen among every candidate on the page, day/month order from evidence."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from numzy_mcp.extraction.currency import DMY_CURRENCIES
from numzy_mcp.extraction.dates import DateCandidate, find_dates, find_times

__all__ = ["choose_date", "choose_time"]

_DATE_LABEL: Final = re.compile(r"DATE|DATUM|\bDT\b|TARIKH|日付", re.IGNORECASE)
_BAD_DATE_CONTEXT: Final = re.compile(r"EXP(?:IRY|\.|\b)|VALID|BEST\s?BEFORE|USE\s?BY|\bBB\b|PRINTED", re.IGNORECASE)
_TIME_LABEL: Final = re.compile(r"TIME|ZEIT|HEURE", re.IGNORECASE)


def _date_score(candidate: DateCandidate, index: int, text: str, total_lines: int) -> float:
    score = 1.0
    if _DATE_LABEL.search(text):
        score += 2.0
    if _BAD_DATE_CONTEXT.search(text):
        score -= 3.0
    if candidate.order == "named":
        score += 0.3
    today = dt.datetime.now(dt.UTC).date()
    if candidate.value > today + dt.timedelta(days=400):
        score -= 2.0
    score -= 0.5 * index / max(total_lines, 1)
    return score


def choose_date(texts: list[str], currency: str | None, country: str | None) -> tuple[DateCandidate, int, bool] | None:
    """The receipt's date among every date printed on it.

    Args:
        texts: Line texts in reading order.
        currency: The receipt's currency, evidence for the day/month order.
        country: The receipt's country, if known; evidence for the order too.

    Returns:
        (the date, its line, True when day and month could not be told apart), or None.
    """
    candidates: list[tuple[float, DateCandidate, int]] = []
    for index, text in enumerate(texts):
        for candidate in find_dates(text):
            candidates.append((_date_score(candidate, index, text, len(texts)), candidate, index))
    if not candidates:
        return None
    _, best, line = max(candidates, key=lambda c: (c[0], -c[2]))
    ambiguous = False
    if best.alternative is not None:
        # Evidence for the order: another date on the receipt that only one reading allows,
        # then the country or currency.
        orders = {c.order for _, c, _ in candidates if c.alternative is None and c.order in ("dmy", "mdy")}
        if orders == {"mdy"}:
            best = DateCandidate(best.alternative, best.raw, best.start, best.end, "mdy")
        elif orders == {"dmy"} or country in ("MY", "SG", "DE", "FR", "GB", "CH") or currency in DMY_CURRENCIES:
            pass
        elif country == "US" or currency == "USD":
            best = DateCandidate(best.alternative, best.raw, best.start, best.end, "mdy")
        else:
            ambiguous = True
    return best, line, ambiguous


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
        masked = text
        for date in find_dates(text):
            masked = masked[: date.start] + " " * (date.end - date.start) + masked[date.end :]
        for candidate in find_times(masked):
            score = 1.0
            if index == date_line:
                score += 2.0
            elif date_line is not None and abs(index - date_line) <= 1:
                score += 1.0
            if _TIME_LABEL.search(text):
                score += 1.5
            candidates.append((score, candidate.value, candidate.raw, index))
    if not candidates:
        return None
    _, value, raw, line = max(candidates, key=lambda c: (c[0], -c[3]))
    return value, raw, line
