"""Tokens of a rule sentence, and the phrase tables the grammar pieces match against them.

``tokenize("Flag receipts over $1,000 from 'Acme Ltd'")`` gives words (lower-cased in ``norm``),
numbers (``1,000`` → ``1000``; ``1.5k`` → ``1500``), clock times (``22:00``), ISO dates, quoted
phrases (their inside, quotes dropped), currency symbols and punctuation. Every token keeps its
character span so the parts of a sentence nobody understood can be quoted back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, Literal, TypeVar

TokenKind = Literal["word", "number", "clock", "date", "quoted", "symbol", "punct"]

_TOKEN = re.compile(
    r"""
    (?P<quoted>"(?P<q1>[^"\n]{1,80})"|“(?P<q2>[^”\n]{1,80})”|(?<![\w'’])['‘](?P<q3>[^'‘’\n]{1,80})['’](?!\w))
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<clock>\d{1,2}:\d{2})
  | (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<suffix>[kKmM](?![A-Za-z]))?
  | (?P<word>[A-Za-z]+(?:['’][A-Za-z]+)*)
  | (?P<symbol>[$€£¥])
  | (?P<punct>[,;/&()%.:!?+<>=-])
    """,
    re.VERBOSE,
)
_SCALE = {"k": Decimal(1000), "m": Decimal(1_000_000)}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its original ``text``, a normalised form ``norm``, its kind and character span."""

    text: str
    norm: str
    kind: TokenKind
    start: int
    end: int

    @property
    def number(self) -> Decimal | None:
        """The value of a number token, else None."""
        return Decimal(self.norm) if self.kind == "number" else None


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (anything else, such as emoji, is skipped)."""
    tokens: list[Token] = []
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup
        if kind == "suffix":  # pragma: no cover - the suffix group closes after number
            kind = "number"
        start, end = found.span()
        if found.group("quoted") is not None:
            inside = " ".join((found.group("q1") or found.group("q2") or found.group("q3") or "").split())
            tokens.append(Token(found.group(0), inside.lower(), "quoted", start, end))
        elif found.group("number") is not None:
            digits = found.group("number").replace(",", "")
            value = Decimal(digits)
            suffix = found.group("suffix")
            if suffix:
                value *= _SCALE[suffix.lower()]
            tokens.append(Token(found.group(0), _plain(value), "number", start, end))
        elif found.group("word") is not None:
            word = found.group("word").replace("’", "'")
            tokens.append(Token(found.group(0), word.lower(), "word", start, end))
        else:
            name: TokenKind = "date" if found.group("date") else "clock" if found.group("clock") else "punct"
            if found.group("symbol"):
                name = "symbol"
            tokens.append(Token(found.group(0), found.group(0).lower(), name, start, end))
    return tokens


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class Sentence:
    """A tokenized sentence with the look-ups the grammar pieces use."""

    __slots__ = ("text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)

    def __len__(self) -> int:
        return len(self.tokens)

    def norm(self, index: int) -> str:
        """The normalised token at ``index``; "" past the end."""
        return self.tokens[index].norm if 0 <= index < len(self.tokens) else ""

    def kind(self, index: int) -> TokenKind | None:
        """The kind of the token at ``index``; None past the end."""
        return self.tokens[index].kind if 0 <= index < len(self.tokens) else None

    def is_capitalised(self, index: int) -> bool:
        """True when the word at ``index`` starts with a capital letter as typed."""
        return 0 <= index < len(self.tokens) and self.tokens[index].text[:1].isupper()

    def span_text(self, start: int, end: int) -> str:
        """The original text of tokens ``start`` to ``end`` (exclusive)."""
        if start >= end:
            return ""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def skip(self, index: int, words: Iterable[str]) -> int:
        """The first index at or after ``index`` whose token is not one of ``words``."""
        wanted = set(words)
        while index < len(self.tokens) and self.tokens[index].norm in wanted:
            index += 1
        return index


V = TypeVar("V")


class PhraseTable(Generic[V]):
    """Phrases (space-separated normalised words) mapped to values, matched longest first."""

    __slots__ = ("_longest", "_phrases")

    def __init__(self, phrases: Mapping[str, V]) -> None:
        self._phrases: dict[tuple[str, ...], V] = {tuple(key.split()): value for key, value in phrases.items()}
        self._longest = max((len(key) for key in self._phrases), default=0)

    def match(self, sentence: Sentence, index: int) -> tuple[int, V] | None:
        """``(end, value)`` of the longest phrase starting at ``index``, or None."""
        for size in range(min(self._longest, len(sentence) - index), 0, -1):
            key = tuple(sentence.norm(index + offset) for offset in range(size))
            if key in self._phrases:
                return index + size, self._phrases[key]
        return None

    def __contains__(self, phrase: str) -> bool:
        return tuple(phrase.split()) in self._phrases

    def first_words(self) -> frozenset[str]:
        """The first word of every phrase."""
        return frozenset(key[0] for key in self._phrases)


def phrases(*groups: tuple[str, Iterable[str]]) -> dict[str, str]:
    """``{"meals": ["meal", "lunch"]}``-style groups flattened to ``{"meal": "meals", "lunch": "meals"}``."""
    table: dict[str, str] = {}
    for value, keys in groups:
        for key in keys:
            table[key] = value
    return table
