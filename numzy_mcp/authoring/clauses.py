"""Where one sentence asks for several rules: "Reject anything from Harbor Grill and review tips above 15%".

A rule has one action, so a sentence whose second action comes with conditions of its own is two
rules, never one rule whose conditions are joined by "and". The sentence is cut into segments at
"and" / "or" / "but" and at punctuation (",", ";", "."); a segment that has an action and a
condition of its own starts a new clause once the clause before it has both too. Segments without
an action join the clause before them ("Flag receipts over $100 and on weekends", "Reject alcohol
and tobacco"), as do actions without a condition ("... and send them for review"), and "for review"
after a plain "flag" ("Flag meals over $50 and tips over 20% for review": one review rule).
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


@dataclass
class _Segment:
    start: int
    end: int
    actions: int = 0
    modifiers: int = 0
    flag_only: bool = True
    content: bool = False


def split(sentence: Sentence, pieces: Sequence[tuple[int, int, Piece]], breaks: Sequence[int]) -> list[tuple[int, int]]:
    """The token spans of the sentence's clauses, one per rule asked for (one span for most sentences).

    Args:
        sentence: the tokenized sentence.
        pieces: what the grammar recognised, as ``(start, end, piece)`` in sentence order.
        breaks: positions of the punctuation tokens (``BREAKS``) no grammar piece read.
    """
    cuts = sorted([(index, index + 1) for index in breaks] + _connectives(pieces))
    bounds = [0] + [edge for cut in cuts for edge in cut] + [len(sentence)]
    segments = [_Segment(bounds[at], bounds[at + 1]) for at in range(0, len(bounds), 2)]
    for start, _end, piece in pieces:
        segment = next((segment for segment in reversed(segments) if segment.start <= start), segments[0])
        if isinstance(piece, ActionWord | Approval):
            modifier = isinstance(piece, ActionWord) and sentence.norm(start) in _MODIFIERS
            segment.actions += 1
            segment.modifiers += modifier
            segment.flag_only = segment.flag_only and isinstance(piece, ActionWord) and piece.action == "flag"
        elif isinstance(piece, Cond | Comparison | CurrencyScope | FieldMention | Note):
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
    return [(clause[0].start, clause[-1].end) for clause in clauses]


def _connectives(pieces: Sequence[tuple[int, int, Piece]]) -> list[tuple[int, int]]:
    return [
        (start, end) for start, end, piece in pieces if isinstance(piece, Connective) and piece.word in ("and", "or")
    ]


def _opens_clause(segment: _Segment, clause: list[_Segment]) -> bool:
    """Whether ``segment`` asks for a rule of its own after ``clause``, which already is one."""
    if not (segment.actions and segment.content):
        return False
    if not (any(part.actions for part in clause) and any(part.content for part in clause)):
        return False
    only_modifies = segment.actions == segment.modifiers
    return not (only_modifies and all(part.flag_only for part in clause if part.actions))


__all__ = ["BREAKS", "split"]
