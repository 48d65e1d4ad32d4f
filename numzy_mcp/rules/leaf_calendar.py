"""Calendar parts of the ``time`` condition: date ranges, public holidays and receipt age at submission.

Public holidays come from the ``holidays`` package for the receipt's ``country`` (ISO 3166 alpha-2);
a receipt without a country, or in a country the package does not know, leaves that part undecided.
Age is whole days from the purchase date to ``RuleContext.submitted_at`` (its date, UTC).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Self

import holidays
from pydantic import BaseModel, ConfigDict, Field, model_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import field_read


class DateRange(BaseModel):
    """Purchase dates from ``start`` to ``end``, both included; either end may be left open."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date | None = Field(default=None, description="First date, YYYY-MM-DD (open when absent).")
    end: dt.date | None = Field(default=None, description="Last date, YYYY-MM-DD, included (open when absent).")

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.start is None and self.end is None:
            raise ValueError("a date range needs start, end or both (YYYY-MM-DD)")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls in the range."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        if self.start is None:
            return f"on or before {self.end}"
        if self.end is None:
            return f"on or after {self.start}"
        return f"between {self.start} and {self.end}"


@lru_cache(maxsize=512)
def _holiday_name(country: str, day: dt.date) -> str | None:
    calendar = holidays.country_holidays(country, years=day.year)
    return calendar.get(day)


def holiday_name(country: str, day: dt.date) -> str | None:
    """The public holiday on ``day`` in ``country``, or None.

    Raises:
        LookupError: the ``holidays`` package has no calendar for ``country``.
    """
    try:
        return _holiday_name(country.upper(), day)
    except NotImplementedError:
        raise LookupError(f"no public-holiday calendar for country {country!r}") from None


def check_dates(ranges: list[DateRange], receipt: ExtractedFields) -> Check:
    """Whether the purchase date falls in one of ``ranges``."""
    reads = (field_read(receipt, "date"),)
    if receipt.date is None:
        return Check(None, "the receipt has no date", reads)
    holds = any(item.contains(receipt.date) for item in ranges)
    shown = " or ".join(str(item) for item in ranges)
    return Check(holds, f"the purchase date {receipt.date} is {'' if holds else 'not '}{shown}", reads)


def check_holiday(receipt: ExtractedFields) -> Check:
    """Whether the purchase was made on a public holiday of the receipt's country."""
    reads = (field_read(receipt, "date"), field_read(receipt, "country"))
    if receipt.date is None or not receipt.country:
        return Check(None, "the receipt has no date or no country", reads)
    try:
        name = holiday_name(receipt.country, receipt.date)
    except LookupError as error:
        return Check(None, str(error), reads)
    if name is None:
        return Check(False, f"{receipt.date} is not a public holiday in {receipt.country.upper()}", reads)
    return Check(True, f"{receipt.date} is a public holiday in {receipt.country.upper()} ({name})", reads)


def check_age(max_days: int, receipt: ExtractedFields, ctx: RuleContext) -> Check:
    """Whether the receipt was submitted more than ``max_days`` days after the purchase."""
    submitted = ctx.submitted_at
    shown = None if submitted is None else submitted.date().isoformat()
    reads = (field_read(receipt, "date"), FieldRead(field="submitted_at", value=shown))
    if receipt.date is None or submitted is None:
        return Check(None, "the receipt has no date or no submission time", reads)
    age = (submitted.date() - receipt.date).days
    holds = age > max_days
    return Check(
        holds,
        f"it was submitted {age} days after the purchase, {'over' if holds else 'within'} the {max_days}-day limit",
        reads,
    )
