"""What the grammar pieces recognise in a sentence, before the compiler assembles a rule from it.

A recogniser looks at one token position and, when it knows the words there, returns a ``Hit``: how
far it read and the pieces it found. Pieces are conditions (``Cond``, a finished rule spec), parts
the compiler still has to combine (``FieldMention`` + ``Comparison`` → a threshold), structure
(``Connective``, ``Negation``), the ``Action``, or ``Note``: words understood well enough to say
why they cannot be compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from numzy_mcp.authoring.tokens import Sentence
from numzy_mcp.rules import RuleSpec
from numzy_mcp.rules.base import Action
from numzy_mcp.rules.conditions import Operator

ComparedField = Literal["total", "subtotal", "tax", "tip", "tax_rate", "item", "item_count"]
Unit = Literal["money", "percent", "count"]


@dataclass(frozen=True, slots=True)
class Cond:
    """A finished condition."""

    spec: RuleSpec


@dataclass(frozen=True, slots=True)
class FieldMention:
    """A receipt amount named in the sentence ("the tip", "a single item"); later comparisons apply to it."""

    field: ComparedField


@dataclass(frozen=True, slots=True)
class Comparison:
    """``over $100``, ``at least 20%``, ``between 1,000 and 5,000 EUR``, ``more than 5 items``.

    ``high`` is set for ``between`` (``operator`` is then ``>=`` and ``high`` is included);
    ``base`` is what a percentage is of ("total", "subtotal"), when the sentence says.
    """

    operator: Operator
    value: Decimal
    currency: str | None
    unit: Unit
    high: Decimal | None = None
    base: str | None = None
    base_text: str = ""


@dataclass(frozen=True, slots=True)
class CurrencyScope:
    """``in EUR`` with no amount of its own: amounts without a currency take it.

    ``foreign``: "in a foreign currency", any currency but the team's (``currency`` is then empty).
    """

    currency: str
    foreign: bool = False


@dataclass(frozen=True, slots=True)
class Connective:
    """``and``, ``or`` (``hard`` after a comma: it never joins two parts into one list), ``unless``."""

    word: Literal["and", "or", "unless"]
    hard: bool = False


@dataclass(frozen=True, slots=True)
class Negation:
    """``not`` / ``non-``: the next condition is negated."""


@dataclass(frozen=True, slots=True)
class ActionWord:
    """What a firing rule asks for."""

    action: Action


@dataclass(frozen=True, slots=True)
class Approval:
    """An "approve ..." / "allow ..." opening a clause: letting receipts through, which no rule does.

    Receipts no rule fires on are approved already, so a clause that approves is never compiled
    into a rule (it would flag the very receipts it means to let through).
    """


@dataclass(frozen=True, slots=True)
class Note:
    """Words understood but not compilable; ``text`` says why (reported as unrecognised)."""

    text: str


@dataclass(frozen=True, slots=True)
class Soft:
    """A word that is filler only when the sentence also gives ``needs`` (e.g. "nights" with an hour)."""

    needs: Literal["hours", "frequency"]


Piece = Cond | FieldMention | Comparison | CurrencyScope | Connective | Negation | ActionWord | Approval | Note | Soft


@dataclass(frozen=True, slots=True)
class Hit:
    """A recogniser's result: it read tokens up to ``end`` (exclusive) and found ``pieces``."""

    end: int
    pieces: tuple[Piece, ...] = ()


Recogniser = Callable[[Sentence, int], Hit | None]
"""Looks at one token position; None when it does not know the words there."""
