"""Assembling conditions into one canonical rule spec: lists, alternatives, conjunctions and exceptions.

The compiler reads a sentence into a flat sequence of conditions joined by "and" / "or"; this module
turns them into a tree with one canonical shape, so that equal meanings give equal specs:

- an "or" between two conditions of the same family (two day lists, two categories, two amounts)
  joins just those two ("meals or hotels over $100" is one category list); any other "or" (and every
  "or" after a comma) separates alternatives, "and" binding tighter;
- conditions of a conjunction are flattened, de-duplicated, time parts merged into one ``time``
  condition where they do not overlap, and sorted by family;
- a negated membership or threshold flips its operator; a negated "any" becomes several negations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

from numzy_mcp.rules import (
    AllSpec,
    AnySpec,
    CategorySpec,
    CurrencySpec,
    KeywordSpec,
    MissingSpec,
    NotSpec,
    PaymentMethodSpec,
    RuleSpec,
    ThresholdSpec,
    TimeSpec,
)
from numzy_mcp.rules.conditions import Operator
from numzy_mcp.rules.leaf_time import HourRange

_FLIP: dict[Operator, Operator] = {">": "<=", "<=": ">", ">=": "<", "<": ">=", "==": "!=", "!=": "=="}
_RANK = (
    "category", "merchant", "keyword", "amount", "payment", "currency", "time", "missing", "integrity",
    "duplicate", "frequency", "round_amount", "split", "anomaly", "pattern", "python", "llm", "not",
)  # fmt: skip


def family(spec: RuleSpec) -> str:
    """The family of a condition: conditions of one family joined by "or" form one list."""
    if isinstance(spec, ThresholdSpec):
        return "amount"
    if isinstance(spec, KeywordSpec):
        return "merchant" if spec.field == "merchant" else "keyword"
    if isinstance(spec, PaymentMethodSpec):
        return "payment"
    if isinstance(spec, AnySpec | AllSpec):
        families = {family(child) for child in spec.rules}
        return families.pop() if len(families) == 1 else "composite"
    return spec.type


@dataclass
class Item:
    """One condition of the sentence, with the connective before it."""

    spec: RuleSpec
    joined_by: Literal["and", "or"] = "and"
    hard: bool = False
    bare_money: bool = False
    """An amount the sentence gave without a currency (it may take the sentence's or the team's)."""


def negate(spec: RuleSpec) -> list[RuleSpec]:
    """The conjunction of conditions meaning "not ``spec``" (flipped operators where possible)."""
    if isinstance(spec, CategorySpec | CurrencySpec | PaymentMethodSpec):
        flipped = "not_in" if spec.operator == "in" else "in"
        return [spec.model_copy(update={"operator": flipped})]
    if isinstance(spec, ThresholdSpec):
        return [spec.model_copy(update={"operator": _FLIP[spec.operator]})]
    if isinstance(spec, NotSpec):
        return [spec.rule]
    if isinstance(spec, AnySpec):
        return [negated for child in spec.rules for negated in negate(child)]
    return [NotSpec(rule=spec)]


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _only(spec: TimeSpec, part: str) -> bool:
    parts = {
        "weekdays": bool(spec.weekdays),
        "hours": bool(spec.hours),
        "dates": bool(spec.dates),
        "public_holiday": spec.public_holiday,
        "age": spec.submitted_after_days is not None,
    }
    return parts[part] and sum(parts.values()) == 1


def _merge_or(first: RuleSpec, second: RuleSpec) -> RuleSpec:
    """``first`` or ``second`` (same family): one list where the rule type allows it, else an ``any``."""
    merged = _merge_list(first, second) or disjoin([first, second])
    assert merged is not None  # two conditions never disjoin to nothing
    return merged


def _merge_list(first: RuleSpec, second: RuleSpec) -> RuleSpec | None:
    """One list meaning ``first`` or ``second`` ("meals" or "hotels" → meals, lodging); None when none exists."""
    match first, second:
        case (CategorySpec(operator="in"), CategorySpec(operator="in")):
            return CategorySpec(categories=cast("list", _union(first.categories, second.categories)))
        case (CurrencySpec(operator="in"), CurrencySpec(operator="in")):
            return CurrencySpec(currencies=_union(first.currencies, second.currencies))
        case (PaymentMethodSpec(operator="in"), PaymentMethodSpec(operator="in")):
            return PaymentMethodSpec(methods=cast("list", _union(first.methods, second.methods)))
        case (MissingSpec(match="any"), MissingSpec(match="any")):
            return MissingSpec(fields=_union(first.fields, second.fields))
        case (KeywordSpec(), KeywordSpec()) if first.field == second.field and _any_of(first) and _any_of(second):
            return KeywordSpec(
                field=first.field,
                words=_union(first.words, second.words),
                concepts=cast("list", _union(first.concepts, second.concepts)),
            )
        case (TimeSpec(), TimeSpec()) if _only(first, "weekdays") and _only(second, "weekdays"):
            return TimeSpec(weekdays=cast("list", _union(first.weekdays, second.weekdays)))
        case (TimeSpec(), TimeSpec()) if _only(first, "hours") and _only(second, "hours"):
            return TimeSpec(hours=[*first.hours, *second.hours])
        case (TimeSpec(), TimeSpec()) if _only(first, "dates") and _only(second, "dates"):
            return TimeSpec(dates=[*first.dates, *second.dates])
        case _:
            return None


def _any_of(spec: KeywordSpec) -> bool:
    return spec.match == "any" or len(spec.words) + len(spec.concepts) == 1


def _parts(spec: TimeSpec) -> list[TimeSpec]:
    """A time condition split into one condition per part (days, hours, dates, holiday, age)."""
    parts: list[TimeSpec] = []
    if spec.weekdays:
        parts.append(TimeSpec(weekdays=spec.weekdays))
    if spec.hours:
        parts.append(TimeSpec(hours=spec.hours))
    if spec.dates:
        parts.append(TimeSpec(dates=spec.dates))
    if spec.public_holiday:
        parts.append(TimeSpec(public_holiday=True))
    if spec.submitted_after_days is not None:
        parts.append(TimeSpec(submitted_after_days=spec.submitted_after_days))
    return parts


def _merge_time(specs: list[TimeSpec]) -> list[TimeSpec]:
    """AND-ed time conditions as one ``time`` condition, whatever order their parts came in.

    Day lists intersect (one purchase date), "after 11 pm" and "before 5 am" make one range past
    midnight, ages keep the longest; parts that cannot be merged stay conditions of their own.
    """
    atoms = [part for spec in specs for part in _parts(spec)]
    days = [atom for atom in atoms if atom.weekdays]
    hours = list({atom.model_dump_json(): atom for atom in atoms if atom.hours}.values())
    dates = list({atom.model_dump_json(): atom for atom in atoms if atom.dates}.values())
    ages = [atom.submitted_after_days for atom in atoms if atom.submitted_after_days is not None]
    merged: dict[str, object] = {}
    separate: list[TimeSpec] = []
    common = set.intersection(*(set(atom.weekdays) for atom in days)) if days else set()
    if common:
        merged["weekdays"] = [day for day in days[0].weekdays if day in common]
    else:
        separate.extend(days)
    wrapped = _wrap(hours[0].hours, hours[1].hours) if len(hours) == 2 else None
    if len(hours) == 1 or wrapped is not None:
        merged["hours"] = wrapped or hours[0].hours
    else:
        separate.extend(hours)
    if len(dates) == 1:
        merged["dates"] = dates[0].dates
    else:
        separate.extend(dates)
    if any(atom.public_holiday for atom in atoms):
        merged["public_holiday"] = True
    if ages:
        merged["submitted_after_days"] = max(ages)
    return ([TimeSpec.model_validate(merged)] if merged else []) + separate


def _wrap(first: list[HourRange], second: list[HourRange]) -> list[HourRange] | None:
    """Read "after 11 pm and before 5 am": 23:00–23:59 and 00:00–04:59 read as one range past midnight."""
    if len(first) != 1 or len(second) != 1:
        return None
    late, early = (first[0], second[0]) if first[0].end == 23 else (second[0], first[0])
    if late.end == 23 and early.start == 0 and late.start > early.end + 1:
        return [HourRange(start=late.start, end=early.end)]
    return None


def _sort_key(spec: RuleSpec) -> tuple[int, str]:
    name = "not" if isinstance(spec, NotSpec) else family(spec)
    rank = _RANK.index(name) if name in _RANK else len(_RANK) - 1
    return rank, spec.model_dump_json()


def conjoin(specs: Sequence[RuleSpec]) -> RuleSpec | None:
    """The canonical conjunction of ``specs``: flattened, merged, de-duplicated and sorted."""
    flat: list[RuleSpec] = []
    for spec in specs:
        flat.extend(spec.rules if isinstance(spec, AllSpec) else [spec])
    times = _merge_time([spec for spec in flat if isinstance(spec, TimeSpec)])
    others = [spec for spec in flat if not isinstance(spec, TimeSpec)]
    unique: dict[str, RuleSpec] = {}
    for spec in [*others, *times]:
        unique.setdefault(spec.model_dump_json(), spec)
    ordered = sorted(unique.values(), key=_sort_key)
    if not ordered:
        return None
    return ordered[0] if len(ordered) == 1 else AllSpec(rules=ordered)


def build(items: Sequence[Item]) -> RuleSpec | None:
    """The spec of a sequence of conditions joined by "and" / "or" ("and" binds tighter)."""
    units: list[Item] = []
    for item in items:
        last = units[-1] if units else None
        if last is not None and item.joined_by == "or" and not item.hard and family(last.spec) == family(item.spec):
            last.spec = _merge_or(last.spec, item.spec)
        else:
            units.append(Item(item.spec, item.joined_by, item.hard, item.bare_money))
    disjuncts: list[list[RuleSpec]] = []
    for unit in units:
        if unit.joined_by == "or" and disjuncts:
            disjuncts.append([unit.spec])
        elif disjuncts:
            disjuncts[-1].append(unit.spec)
        else:
            disjuncts.append([unit.spec])
    return disjoin([spec for spec in (conjoin(group) for group in disjuncts) if spec is not None])


def disjoin(specs: Sequence[RuleSpec]) -> RuleSpec | None:
    """The canonical disjunction of ``specs``: flattened and de-duplicated, in order."""
    parts: list[RuleSpec] = []
    for spec in specs:
        for part in spec.rules if isinstance(spec, AnySpec) else [spec]:
            merged = _merge_list(parts[-1], part) if parts and family(parts[-1]) == family(part) else None
            if merged is not None:
                parts[-1] = merged
            elif all(part != kept for kept in parts):
                parts.append(part)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AnySpec(rules=parts)


def _several(spec: RuleSpec) -> bool:
    """Whether ``spec`` reads as several conditions joined by "and" (a conjunction, a multi-part time)."""
    if isinstance(spec, TimeSpec):
        parts = (spec.weekdays, spec.hours, spec.dates, spec.public_holiday, spec.submitted_after_days is not None)
        return sum(bool(part) for part in parts) > 1
    return isinstance(spec, AllSpec)


def distribute(spec: RuleSpec) -> RuleSpec:
    """(A and B, or C) and E → (A and B and E), or (C and E): alternatives stay on top, so they read clearly."""
    if not isinstance(spec, AllSpec):
        return spec
    grouped = next(
        (
            child
            for child in spec.rules
            if isinstance(child, AnySpec)
            and (family(child) == "composite" or any(_several(part) for part in child.rules))
        ),
        None,
    )
    if grouped is None:
        return spec
    others = [child for child in spec.rules if child is not grouped]
    parts = [conjoin([alternative, *others]) for alternative in grouped.rules]
    return disjoin([part for part in parts if part is not None]) or spec
