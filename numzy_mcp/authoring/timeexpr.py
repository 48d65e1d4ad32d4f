"""Time expressions: days, hours, public holidays, purchase dates and the age of a receipt.

Days: names and abbreviations ("Sunday", "sat/sun", "Mon-Fri", "Friday or Saturday"), "weekends",
"weekdays", "business days". Hours: "after 10 pm" (22:00 or later), "before 6am", "between 10pm and
6am", "after midnight" (00:00–05:59), "at night" (22:00–05:59), "outside business hours"
(18:00–08:59); rules compare whole hours, so minutes are reported as not understood. Dates: "before
2026-01-01", "on or after 2026-03-01", "in 2025". Age: "older than 90 days", "submitted more than
60 days after the purchase" (weeks are 7 days, months 30, years 365).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from numzy_mcp.authoring.pieces import Cond, Hit, Note, Piece, Soft
from numzy_mcp.authoring.quantities import COMPARATORS, number_words
from numzy_mcp.authoring.tokens import PhraseTable, Sentence
from numzy_mcp.rules import TimeSpec
from numzy_mcp.rules.fields import WEEKDAYS
from numzy_mcp.rules.leaf_calendar import DateRange
from numzy_mcp.rules.leaf_time import HourRange, Weekday

_DAY_WORDS: dict[str, tuple[Weekday, ...]] = {}
for _day in WEEKDAYS:
    for _form in {_day, _day + "s", _day[:3], _day[:3] + "s"}:
        _DAY_WORDS[_form] = (_day,)  # type: ignore[assignment]
for _form, _day in (("tue", "tuesday"), ("tues", "tuesday"), ("thur", "thursday"), ("thurs", "thursday")):
    _DAY_WORDS[_form] = (_day,)  # type: ignore[assignment]
_WEEKEND: tuple[Weekday, ...] = ("saturday", "sunday")
_WORKWEEK: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday")
DAYS: PhraseTable[tuple[Weekday, ...]] = PhraseTable(
    _DAY_WORDS
    | {
        "weekend": _WEEKEND, "weekends": _WEEKEND, "the weekend": _WEEKEND, "week end": _WEEKEND,
        "weekday": _WORKWEEK, "weekdays": _WORKWEEK, "business day": _WORKWEEK, "business days": _WORKWEEK,
        "working day": _WORKWEEK, "working days": _WORKWEEK, "workday": _WORKWEEK, "workdays": _WORKWEEK,
        "work days": _WORKWEEK, "week day": _WORKWEEK, "week days": _WORKWEEK,
    }
)  # fmt: skip
_RANGE_WORDS = ("through", "thru", "to", "-", "until", "till")
_LIST_WORDS = (",", "or", "and", "/", "&", "nor")


def days(sentence: Sentence, index: int) -> Hit | None:
    """Days of the week: "on weekends", "Friday or Saturday", "sat/sun", "Monday through Friday"."""
    found = DAYS.match(sentence, index)
    if found is None:
        return None
    end, chosen = found[0], list(found[1])
    while True:
        if sentence.norm(end) in _RANGE_WORDS and len(chosen) == 1:
            last = DAYS.match(sentence, end + 1)
            if last is not None and len(last[1]) == 1:
                first, final = WEEKDAYS.index(chosen[0]), WEEKDAYS.index(last[1][0])
                span = [WEEKDAYS[(first + n) % 7] for n in range((final - first) % 7 + 1)]
                chosen = list(span)
                end = last[0]
                continue
        nxt = sentence.skip(end, _LIST_WORDS) if sentence.norm(end) in _LIST_WORDS else end
        if nxt == end:
            break
        more = DAYS.match(sentence, sentence.skip(nxt, ("on", "a", "the")))
        if more is None:
            break
        end, chosen = more[0], chosen + list(more[1])
    weekdays: list[Weekday] = [day for day in WEEKDAYS if day in chosen]  # type: ignore[misc]
    return Hit(end, (Cond(TimeSpec(weekdays=weekdays)),))


def clock(sentence: Sentence, index: int) -> tuple[int, int, int] | None:
    """``(end, hour, minute)`` of a time of day: "10 pm", "10:30pm", "22:00", "noon", "midnight"."""
    word = sentence.norm(index)
    if word in ("noon", "midday"):
        return index + 1, 12, 0
    if word == "midnight":
        return index + 1, 0, 0
    kind = sentence.kind(index)
    if kind == "clock":
        hour, minute = (int(part) for part in word.split(":"))
    elif kind == "number" and "." not in word and int(word) <= 24:
        hour, minute = int(word), 0
    else:
        return None
    end = index + 1
    suffix = sentence.norm(end)
    if suffix in ("am", "pm", "a", "p") and (suffix in ("am", "pm") or sentence.norm(end + 2) == "m"):
        meridiem = suffix[0]
        end = end + 1 if suffix in ("am", "pm") else sentence.skip(end + 1, (".", "m"))
        if sentence.norm(end) == ".":
            end += 1
        if hour > 12:
            return None
        hour = (hour % 12) + (12 if meridiem == "p" else 0)
    elif kind != "clock" and sentence.norm(end) not in ("h", "hours", "o'clock"):
        return None
    elif sentence.norm(end) in ("h", "hours", "o'clock"):
        end += 1
    if hour > 23 or minute > 59:
        return None
    return end, hour, minute


def _hours(start: int, end: int) -> Cond:
    return Cond(TimeSpec(hours=[HourRange(start=start % 24, end=end % 24)]))


_NAMED_HOURS = PhraseTable(
    {
        "at night": (22, 5), "overnight": (22, 5), "late at night": (22, 5), "late night": (22, 5),
        "late - night": (22, 5), "during the night": (22, 5), "after midnight": (0, 5),
        "outside business hours": (18, 8), "outside working hours": (18, 8), "outside office hours": (18, 8),
        "after hours": (18, 8), "after - hours": (18, 8), "in the evening": (18, 23),
    }
)  # fmt: skip


def _minutes_note(sentence: Sentence, start: int, end: int, *minutes: int) -> tuple[Piece, ...]:
    if any(minutes):
        text = sentence.span_text(start, end)
        return (Note(f"the minutes in '{text}' (time rules compare whole hours)"),)
    return ()


def hours(sentence: Sentence, index: int) -> Hit | None:
    """Hours of the day: "after 10 pm", "before 6am", "between 10pm and 6am", "at night"."""
    named = _NAMED_HOURS.match(sentence, index)
    if named is not None:
        return Hit(named[0], (_hours(*named[1]),))
    word = sentence.norm(index)
    if word in ("after", "past", "before") or (word == "from" and sentence.kind(index + 1) != "date"):
        found = clock(sentence, index + 1)
        if found is None:
            return None
        end, hour, minute = found
        if word in ("after", "past"):
            return Hit(end, (_hours(hour, 23), *_minutes_note(sentence, index, end, minute)))
        if word == "before" and hour > 0:
            last = hour if minute else hour - 1
            return Hit(end, (_hours(0, last),))
        if word == "from" and sentence.norm(end) in ("to", "until", "till", "-"):
            return _between(sentence, index, end + 1, hour, minute)
        return None
    if word == "between":
        found = clock(sentence, index + 1)
        if found is not None and sentence.norm(found[0]) in ("and", "-"):
            return _between(sentence, index, found[0] + 1, found[1], found[2])
    return None


def _between(sentence: Sentence, start: int, index: int, hour: int, minute: int) -> Hit | None:
    found = clock(sentence, index)
    if found is None:
        return None
    end, last, last_minute = found
    final = last if last_minute else last - 1
    return Hit(end, (_hours(hour, final), *_minutes_note(sentence, start, end, minute)))


_HOLIDAYS = PhraseTable(
    dict.fromkeys(
        ("public holiday", "public holidays", "bank holiday", "bank holidays", "national holiday",
         "national holidays", "holiday", "holidays", "statutory holiday", "statutory holidays",
         "federal holiday", "federal holidays"),
        True,
    )
)  # fmt: skip


def holidays(sentence: Sentence, index: int) -> Hit | None:
    """Public holidays of the receipt's country: "on public holidays", "on a bank holiday"."""
    found = _HOLIDAYS.match(sentence, index)
    return None if found is None else Hit(found[0], (Cond(TimeSpec(public_holiday=True)),))


_UNITS = PhraseTable({"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365})
_AFTER = PhraseTable(
    dict.fromkeys(
        ("old", "after the purchase", "after purchase", "after the purchase date", "after the date of purchase",
         "after being made", "late", "later", "after the date", "after they were made"),
        True,
    )
)  # fmt: skip


def _duration(sentence: Sentence, index: int) -> tuple[int, int] | None:
    if sentence.norm(index) == "a" and _UNITS.match(sentence, index + 1):
        amount, end = Decimal(1), index + 1
    elif sentence.kind(index) == "number":
        amount, end = Decimal(sentence.norm(index)), index + 1
    else:
        words = number_words(sentence, index)
        if words is None:
            return None
        end, amount = words
    unit = _UNITS.match(sentence, end)
    if unit is None or amount != amount.to_integral_value():
        return None
    return unit[0], int(amount) * unit[1]


def age(sentence: Sentence, index: int) -> Hit | None:
    """How late a receipt was submitted: "older than 90 days", "more than 2 weeks old"."""
    word = sentence.norm(index)
    if word == "older" and sentence.norm(index + 1) == "than":
        start, strict = index + 2, True
    elif word == "after":
        start, strict = index + 1, True
    else:
        matched = COMPARATORS.match(sentence, index)
        if matched is None or matched[1] not in (">", ">="):
            return None
        start, strict = matched[0], matched[1] == ">"
    found = _duration(sentence, start)
    if found is None:
        return None
    end, days_ = found
    trailing = _AFTER.match(sentence, end)
    if word == "after" and trailing is None:
        return None
    limit = days_ if strict else days_ - 1
    if limit < 0:
        return None
    return Hit(trailing[0] if trailing else end, (Cond(TimeSpec(submitted_after_days=limit)),))


def _date(sentence: Sentence, index: int) -> dt.date | None:
    if sentence.kind(index) != "date":
        return None
    try:
        return dt.date.fromisoformat(sentence.norm(index))
    except ValueError:
        return None


def _range(end: int, start: dt.date | None, last: dt.date | None) -> Hit:
    return Hit(end, (Cond(TimeSpec(dates=[DateRange(start=start, end=last)])),))


_DATE_WORDS = PhraseTable(
    {
        "before": "before", "after": "after", "on or before": "to", "on or after": "from", "since": "from",
        "until": "to", "up to": "to", "from": "from", "on": "on", "dated": "on", "dated on": "on",
    }
)  # fmt: skip


def dates(sentence: Sentence, index: int) -> Hit | None:
    """Purchase dates: "before 2026-01-01", "on or after 2026-03-01", "between D1 and D2", "in 2025"."""
    one_day = dt.timedelta(days=1)
    if sentence.norm(index) == "between":
        first = _date(sentence, index + 1)
        last = _date(sentence, index + 3)
        if first and last and sentence.norm(index + 2) == "and" and first <= last:
            return _range(index + 4, first, last)
        return None
    if sentence.norm(index) in ("in", "during") and sentence.kind(index + 1) == "number":
        year = sentence.norm(index + 1)
        if len(year) == 4 and year.isdigit() and 1990 <= int(year) <= 2100:
            return _range(index + 2, dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
        return None
    word = _DATE_WORDS.match(sentence, index)
    if word is None:
        return None
    day = _date(sentence, word[0])
    if day is None:
        return None
    end = word[0] + 1
    match word[1]:
        case "before":
            return _range(end, None, day - one_day)
        case "after":
            return _range(end, day + one_day, None)
        case "to":
            return _range(end, None, day)
        case "from":
            return _range(end, day, None)
        case _:
            return _range(end, day, day)


_NIGHTS = PhraseTable(dict.fromkeys(("night", "nights", "evening", "evenings"), True))


def nights(sentence: Sentence, index: int) -> Hit | None:
    """Nights: "nights" after a day name: filler when the sentence gives the hours, otherwise not understood."""
    found = _NIGHTS.match(sentence, index)
    return None if found is None else Hit(found[0], (Soft("hours"),))
