"""Leaf conditions ``time`` (weekday, hour, dates, holidays, age of the purchase) and ``missing``."""

from __future__ import annotations

from typing import Annotated, Literal, Self, assert_never

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check, all_of
from numzy_mcp.rules.fields import FIELD_KINDS, WEEKDAYS, field_read, join_words, label
from numzy_mcp.rules.leaf_calendar import DateRange, check_age, check_dates, check_holiday
from numzy_mcp.rules.leaf_field import ConditionBase, MatchMode

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class HourRange(BaseModel):
    """Hours of the day, both ends included: 22–5 means 22:00 to 05:59 (it wraps past midnight)."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, le=23, description="First hour, 0–23.")
    end: int = Field(ge=0, le=23, description="Last hour, 0–23, included.")

    def contains(self, hour: int) -> bool:
        """True when ``hour`` falls in the range."""
        if self.start <= self.end:
            return self.start <= hour <= self.end
        return hour >= self.start or hour <= self.end

    def __str__(self) -> str:
        return f"{self.start:02d}:00–{self.end:02d}:59"


_GROUPS = {"weekdays": WEEKDAYS[:5], "weekday": WEEKDAYS[:5], "weekends": WEEKDAYS[5:], "weekend": WEEKDAYS[5:]}


def _lower_weekdays(value: object) -> object:
    if isinstance(value, list):
        days: list[object] = []
        for item in value:
            name = item.strip().lower() if isinstance(item, str) else item
            days.extend(_GROUPS.get(name, (name,)) if isinstance(name, str) else (name,))
        return days
    return value


class TimeCondition(ConditionBase):
    """When the purchase was made: weekdays, hours, date ranges, public holidays, age at submission.

    Every part given must hold (AND). ``weekdays`` accepts the shorthands ``"weekdays"`` (Monday–Friday)
    and ``"weekends"`` (Saturday, Sunday); ``hours`` wrap past midnight (22–5);
    ``public_holiday`` uses the receipt's country; ``submitted_after_days`` fires when the receipt was
    submitted more than that many days after the purchase.
    """

    type: Literal["time"] = "time"
    weekdays: Annotated[list[Weekday], BeforeValidator(_lower_weekdays)] = Field(
        default_factory=list, description="Lower-case English day names, e.g. saturday, sunday."
    )
    hours: list[HourRange] = Field(default_factory=list, description="Hour ranges, 0–23, ends included.")
    dates: list[DateRange] = Field(default_factory=list, description="Date ranges, ends included.")
    public_holiday: bool = Field(default=False, description="Only purchases on a public holiday of the country.")
    submitted_after_days: int | None = Field(
        default=None, ge=0, le=3650, description="Fires when submitted more than this many days after purchase."
    )

    @model_validator(mode="after")
    def _check_something(self) -> Self:
        if not (self.weekdays or self.hours or self.dates or self.public_holiday) and self.submitted_after_days is None:
            raise ValueError(
                "a time condition needs weekdays (monday … sunday, weekdays, weekends), hours (start/end 0–23), "
                "dates, public_holiday or submitted_after_days"
            )
        self.weekdays = sorted(set(self.weekdays), key=WEEKDAYS.index)
        return self

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Check the day and the hour; each part is skipped when its field is missing."""
        checks: list[Check] = []
        if self.weekdays:
            reads = (field_read(receipt, "date"),)
            if receipt.date is None:
                checks.append(Check(None, "the receipt has no date", reads))
            else:
                day = WEEKDAYS[receipt.date.weekday()]
                seen = f"the purchase was on {day.capitalize()} {receipt.date.isoformat()}"
                holds = day in self.weekdays
                wanted = join_words([name.capitalize() for name in self.weekdays], "or")
                checks.append(Check(holds, seen if holds else f"{seen}, not on {wanted}", reads))
        if self.hours:
            reads = (field_read(receipt, "time"),)
            if receipt.time is None:
                checks.append(Check(None, "the receipt has no time", reads))
            else:
                holds = any(hours.contains(receipt.time.hour) for hours in self.hours)
                where = "within" if holds else "outside"
                shown = join_words([str(hours) for hours in self.hours], "or")
                checks.append(Check(holds, f"the purchase time {receipt.time:%H:%M} is {where} {shown}", reads))
        if self.dates:
            checks.append(check_dates(self.dates, receipt))
        if self.public_holiday:
            checks.append(check_holiday(receipt))
        if self.submitted_after_days is not None:
            checks.append(check_age(self.submitted_after_days, receipt, ctx))
        return all_of(checks)

    def describe(self, negated: bool = False) -> str:
        """``made on Saturday or Sunday``, ``made between 22:00–05:59``."""
        parts: list[str] = []
        if self.weekdays:
            parts.append(f"on {join_words([name.capitalize() for name in self.weekdays], 'or')}")
        if self.hours:
            parts.append(f"at {join_words([str(hours) for hours in self.hours], 'or')}")
        if self.dates:
            parts.append(" or ".join(str(item) for item in self.dates))
        if self.public_holiday:
            parts.append("on a public holiday")
        made = f"{'not ' if negated else ''}made {' '.join(parts)}" if parts else ""
        if self.submitted_after_days is None:
            return made
        late = f"{'not ' if negated else ''}submitted more than {self.submitted_after_days} days after the purchase"
        return f"{made} {'or' if negated else 'and'} {late}" if made else late


class MissingCondition(ConditionBase):
    """Fields extraction did not find: fires when any (or all) of them are missing."""

    type: Literal["missing"] = "missing"
    fields: list[str] = Field(
        description="Receipt fields that must be present.", json_schema_extra={"items": {"enum": list(FIELD_KINDS)}}
    )
    match: MatchMode = Field(
        default="any", description="any: one missing field is enough; all: every field must be missing."
    )

    @field_validator("fields")
    @classmethod
    def _check_fields(cls, fields: list[str]) -> list[str]:
        if not fields:
            raise ValueError(f"fields must list at least one field; known fields: {', '.join(FIELD_KINDS)}")
        unknown = [name for name in fields if name not in FIELD_KINDS]
        if unknown:
            raise ValueError(f"unknown field {', '.join(map(repr, unknown))}; known fields: {', '.join(FIELD_KINDS)}")
        return list(dict.fromkeys(fields))

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Never skipped: a missing field is exactly what this condition looks for."""
        reads = tuple(field_read(receipt, name) for name in self.fields)
        missing = [label(item.field) for item in reads if item.value is None]
        present = [label(item.field) for item in reads if item.value is not None]
        match self.match:
            case "any":
                holds = bool(missing)
            case "all":
                holds = not present
            case _ as unreachable:
                assert_never(unreachable)
        if missing:
            fact = f"the receipt has no {join_words(missing, 'or')}"
            if present:
                fact += f" (it has a {join_words(present)})"
        else:
            fact = f"the receipt has a {join_words(present)}"
        return Check(holds, fact, reads)

    def describe(self, negated: bool = False) -> str:
        """``missing a total or date``."""
        names = [label(name) for name in self.fields]
        if self.match == "any":
            return f"with a {join_words(names)}" if negated else f"missing a {join_words(names, 'or')}"
        return (
            f"with at least one of {join_words(names, 'or')}"
            if negated
            else f"missing every one of {join_words(names)}"
        )
