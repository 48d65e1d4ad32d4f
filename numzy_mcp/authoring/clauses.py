"""Where one sentence asks for several rules: "Reject anything from Harbor Grill and review tips above 15%".

A rule has one action, so a sentence whose second action comes with conditions of its own is two
rules, never one rule whose conditions are joined by "and". The sentence is cut into segments at
its connectives ("and", "or", "but", "plus", "while", ...) and at punctuation (",", ";", "."), and
also where an action word is followed by a condition of its own (or by "if" / "when"), whatever
joins it to what went before ("then", "&", a dash, a parenthesis, or nothing: "Reject receipts over
$5000 review receipts over $500"), and at an "if" whose condition is followed by an action ("... if
over $500 review them"). A segment that has an action and a condition of its own starts a new
clause once the clause before it has both too. Segments without an action join the clause before
them ("Flag receipts over $100 and on weekends", "Reject alcohol and tobacco"), as do actions without
a condition ("... and send them for review"), and "for review" after a plain "flag" ("Flag meals over
$50 and tips over 20% for review": one review rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from numzy_mcp.authoring.pieces import (
    ActionWord,
    Approval,
    Comparison,
    Cond,
    Connective,
    CurrencyScope,
    FieldMention,
    Note,
    Piece,
)
from numzy_mcp.authoring.tokens import Sentence

BREAKS = frozenset((",", ";", ".", ":", "!", "?"))
"""Punctuation that ends a segment when no grammar piece read it."""

_MODIFIERS = frozenset(("for", "to"))
"""Words opening an action that only qualifies a "flag" before it ("for review", "to review")."""

_CONDITION_OPENERS = frozenset(("if", "when", "whenever"))
"""Words opening a condition: after an action word ("reject if ...") it is that action's own."""

_OBJECTS = frozenset(("it", "them", "those", "these", "they", "ones", "receipts", "any", "anything"))
"""Words between an action and its "if" ("reject it if ...", "review them when ...")."""

_JOINERS = frozenset(
    ("then", "otherwise", "and", "but", "or", "also", "plus", "so", "&", "-", "/", "+", "(", ",", ";", ":")
)
"""What may be left at either edge of a clause cut where an action starts it ("... then", "& ...", "( ...")."""


@dataclass
class _Segment:
    start: int
    end: int
    actions: int = 0
    modifiers: int = 0
    flag_only: bool = True
    content: bool = False


_RELATIVE = frozenset({"that", "which", "who", "whose"})


def split(sentence: Sentence, pieces: Sequence[tuple[int, int, Piece]], breaks: Sequence[int]) -> list[tuple[int, int]]:
    """The token spans of the sentence's clauses, one per rule asked for (one span for most sentences).

    Args:
        sentence: the tokenized sentence.
        pieces: what the grammar recognised, as ``(start, end, piece)`` in sentence order.
        breaks: positions of the punctuation tokens (``BREAKS``) no grammar piece read.
    """
    cuts = sorted([(index, index + 1) for index in breaks] + _connectives(pieces))
    cuts = sorted(cuts + [(at, at) for at in _openings(sentence, pieces, cuts)])
    bounds = [0] + [edge for cut in cuts for edge in cut] + [len(sentence)]
    segments = [_Segment(bounds[at], bounds[at + 1]) for at in range(0, len(bounds), 2)]
    for start, end, piece in pieces:
        segment = next((segment for segment in reversed(segments) if segment.start <= start), segments[0])
        if isinstance(piece, ActionWord | Approval):
            modifier = isinstance(piece, ActionWord) and sentence.norm(start) in _MODIFIERS
            segment.actions += 1
            segment.modifiers += modifier
            segment.flag_only = segment.flag_only and isinstance(piece, ActionWord) and piece.action == "flag"
            segment.content = segment.content or _owns_condition(sentence, end)
        elif _is_content(piece):
            segment.content = True
    clauses: list[list[_Segment]] = []
    for segment in segments:
        if segment.start >= segment.end:
            continue
        if clauses and _opens_clause(segment, clauses[-1]):
            clauses.append([segment])
        elif clauses:
            clauses[-1].append(segment)
        else:
            clauses.append([segment])
    spans = [(clause[0].start, clause[-1].end) for clause in clauses]
    return spans if len(spans) < 2 else [_trimmed(sentence, start, end) for start, end in spans]


def _connectives(pieces: Sequence[tuple[int, int, Piece]]) -> list[tuple[int, int]]:
    """Where "and" / "or" / "but" / "plus" ... join two parts (every ``Connective`` but "unless")."""
    return [
        (start, end) for start, end, piece in pieces if isinstance(piece, Connective) and piece.word in ("and", "or")
    ]


def _is_content(piece: Piece) -> bool:
    return isinstance(piece, Cond | Comparison | CurrencyScope | FieldMention | Note)


def _owns_condition(sentence: Sentence, after: int) -> bool:
    """Whether the action word ending at ``after`` is followed by its own "if" / "when" ("reject if ...")."""
    at = sentence.skip(after, _OBJECTS)
    return sentence.norm(at) in _CONDITION_OPENERS and at + 1 < len(sentence)


def _openings(
    sentence: Sentence, pieces: Sequence[tuple[int, int, Piece]], cuts: Sequence[tuple[int, int]]
) -> list[int]:
    """Where a clause may start with nothing (or no known connective) joining it to the one before.

    An action word followed by a condition of its own before the next action or cut ("Reject receipts
    over $5000 review receipts over $500", "... then review ...", "... & review ...", "... (review
    ...)"), and an "if" / "when" whose condition is followed by an action ("... if over $500 review
    them"). Whether such a part really asks for a rule of its own is ``_opens_clause``'s call.
    """
    limits = sorted({edge for cut in cuts for edge in cut} | {len(sentence)})
    covered = {at for start, end, _piece in pieces for at in range(start, end)}
    actions = [(start, end) for start, end, piece in pieces if isinstance(piece, ActionWord | Approval)]
    openings: list[int] = []
    for at in range(1, len(sentence)):
        if at in covered or at in limits or sentence.norm(at) not in _CONDITION_OPENERS:
            continue
        limit = next(edge for edge in limits if edge > at)
        inside = [(start, piece) for start, _end, piece in pieces if at < start < limit]
        first_action = next((start for start, piece in inside if isinstance(piece, ActionWord | Approval)), None)
        if first_action is not None and any(_is_content(piece) for start, piece in inside if start < first_action):
            openings.append(at)
    for start, end in actions:
        if start == 0 or start in limits or sentence.norm(start - 1) in _RELATIVE:
            continue  # "... over $50 that require approval ...": a relative clause, not a second rule
        stops = [edge for edge in (*limits, *openings, *(other for other, _ in actions)) if edge > start]
        limit = min(stops, default=len(sentence))
        has_own = any(_is_content(piece) for other, _end, piece in pieces if end <= other < limit)
        if has_own or _owns_condition(sentence, end):
            openings.append(start)
    return sorted(set(openings) - set(limits))


def _trimmed(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """A clause without what joined it to its neighbours ("then", "&", "-", an unmatched parenthesis)."""
    while start < end and sentence.norm(start) in _JOINERS:
        start += 1
    while end > start and sentence.norm(end - 1) in _JOINERS:
        end -= 1
    words = [sentence.norm(at) for at in range(start, end)]
    if end > start and words[-1] == ")" and "(" not in words:
        end -= 1
    return start, end


def _opens_clause(segment: _Segment, clause: list[_Segment]) -> bool:
    """Whether ``segment`` asks for a rule of its own after ``clause``, which already is one."""
    if not (segment.actions and segment.content):
        return False
    if not (any(part.actions for part in clause) and any(part.content for part in clause)):
        return False
    only_modifies = segment.actions == segment.modifiers
    return not (only_modifies and all(part.flag_only for part in clause if part.actions))


__all__ = ["BREAKS", "split"]
