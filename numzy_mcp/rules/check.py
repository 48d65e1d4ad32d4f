"""The result of checking one condition, and how results combine (three-valued logic).

A ``Check`` is True (the condition holds), False (it does not) or None (it cannot be decided because
a field it needs is missing; the rule is then ``skipped``). ``all_of``, ``any_of`` and ``negate``
combine checks the way SQL combines NULLs (Kleene logic): a known False decides an ``all``, a known
True decides an ``any``, otherwise an unknown stays unknown.

``detail`` is a clause stating what was seen on the receipt ("total 62.40 USD is over the limit of
50.00 USD"). It is true whatever the outcome, so negation keeps it unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from numzy_mcp.rules.base import Action, FieldRead
from numzy_mcp.rules.fields import join_words


@dataclass(frozen=True)
class Check:
    """What one condition saw: whether it holds, a factual clause, the fields it read (and an action override)."""

    matched: bool | None
    detail: str
    reads: tuple[FieldRead, ...] = ()
    action: Action | None = None
    """An action the check asks for instead of the rule's (LLM rules asking for review); None: the rule's."""

    def sentence(self) -> str:
        """``detail`` as one sentence: capitalised, with a full stop."""
        text = self.detail.strip()
        if not text:
            return "No detail."
        return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def merge_reads(groups: Iterable[Sequence[FieldRead]]) -> tuple[FieldRead, ...]:
    """All reads of ``groups`` in order, each field once (the first read wins)."""
    seen: dict[str, FieldRead] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item.field, item)
    return tuple(seen.values())


_NO = "the receipt has no "


def join_details(details: Sequence[str]) -> str:
    """Join factual clauses: ``a and b``, or ``a; b; c`` for three or more; "has no" clauses merge."""
    absent = [detail.removeprefix(_NO) for detail in details if detail.startswith(_NO) and "," not in detail]
    merged = [detail for detail in details if detail.removeprefix(_NO) not in absent]
    if absent:
        merged.insert(0, _NO + join_words(list(dict.fromkeys(absent)), "or"))
    if len(merged) <= 2:
        return " and ".join(merged)
    return "; ".join(merged)


def _combine(checks: Sequence[Check], deciding: bool) -> Check:
    if not checks:
        raise ValueError("cannot combine an empty list of checks")
    reads = merge_reads(check.reads for check in checks)
    for wanted in (deciding, None):
        picked = [check.detail for check in checks if check.matched is wanted]
        if picked:
            return Check(wanted, join_details(picked), reads)
    return Check(not deciding, join_details([check.detail for check in checks]), reads)


def all_of(checks: Sequence[Check]) -> Check:
    """True when every check holds; False as soon as one does not; otherwise None."""
    return _combine(checks, deciding=False)


def any_of(checks: Sequence[Check]) -> Check:
    """True as soon as one check holds; False when none does; otherwise None."""
    return _combine(checks, deciding=True)


def negate(check: Check) -> Check:
    """The opposite of ``check``; an undecided check stays undecided. The detail is unchanged."""
    matched = None if check.matched is None else not check.matched
    return Check(matched, check.detail, check.reads)


def describe_group(phrases: Sequence[str], conjunction: str) -> str:
    """Join sub-phrases of a composite: ``A and B``; nested groups are parenthesised by the caller."""
    return join_words(list(phrases), conjunction)
