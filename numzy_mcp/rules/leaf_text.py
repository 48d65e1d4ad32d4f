"""Leaf conditions on text: ``keyword`` (words in merchant / items / raw text) and ``membership`` (in / not in)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, Self, assert_never

from pydantic import Field, field_validator, model_validator

from numzy_mcp.receipts import CATEGORIES, ExtractedFields
from numzy_mcp.rules.base import FieldRead, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.concepts import CONCEPT_NAMES, ConceptName, concept_words
from numzy_mcp.rules.fields import field_read, join_words, label
from numzy_mcp.rules.leaf_field import ConditionBase, MatchMode
from numzy_mcp.rules.text import contains_word, fold, shorten

KeywordField = Literal["merchant", "items", "merchant_or_items", "raw_text", "all_text"]
_CLOSED_VALUES: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "payment_method": ("card", "cash", "other"),
    "kind": ("purchase", "refund"),
}
MEMBERSHIP_FIELDS = ("category", "payment_method", "kind", "currency", "country", "merchant")
_SOURCES: dict[str, tuple[str, ...]] = {
    "merchant": ("merchant",),
    "items": ("items",),
    "merchant_or_items": ("merchant", "items"),
    "raw_text": ("raw_text",),
    "all_text": ("merchant", "items", "raw_text"),
}
_WHERE = {
    "merchant": "merchant name",
    "items": "items",
    "merchant_or_items": "merchant or items",
    "raw_text": "receipt text",
    "all_text": "merchant, items or receipt text",
}


def _text_reads(receipt: ExtractedFields, ctx: RuleContext, field: KeywordField) -> tuple[FieldRead, ...]:
    reads: list[FieldRead] = []
    for name in _SOURCES[field]:
        if name == "raw_text":
            text = ctx.text()
            reads.append(FieldRead(field="raw_text", value=text if text and text.strip() else None))
        else:
            reads.append(field_read(receipt, name))
    return tuple(reads)


class KeywordCondition(ConditionBase):
    """Words, phrases or concepts in the receipt's text: whole words, case- and accent-insensitive.

    ``field`` says where to look: ``merchant``, ``items``, ``merchant_or_items``, ``raw_text`` (the OCR
    text, from ``RuleContext.raw_text``) or ``all_text``. ``concepts`` names built-in word lists
    (``numzy_mcp.rules.concepts``) that a team can extend through ``RuleContext.concepts``.
    """

    type: Literal["keyword"] = "keyword"
    field: KeywordField = Field(default="merchant_or_items", description="Where to look.")
    words: list[str] = Field(default_factory=list, description="Words or phrases to look for.")
    concepts: list[ConceptName] = Field(
        default_factory=list, description=f"Built-in word lists: {', '.join(CONCEPT_NAMES)}."
    )
    match: MatchMode = Field(
        default="any", description="any: one word or concept is enough; all: every one must appear."
    )

    @field_validator("words")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        cleaned = [" ".join(word.split()) for word in words]
        if any(not word for word in cleaned):
            raise ValueError("words must not contain empty strings")
        if any(len(word) > 200 for word in cleaned) or len(cleaned) > 500:
            raise ValueError("words allows at most 500 words of at most 200 characters each")
        return list(dict.fromkeys(cleaned))

    @model_validator(mode="after")
    def _check_something(self) -> Self:
        if not self.words and not self.concepts:
            raise ValueError(
                'a keyword rule needs words (e.g. ["uber", "lyft"]) or concepts '
                f"(one or more of: {', '.join(CONCEPT_NAMES)})"
            )
        self.concepts = list(dict.fromkeys(self.concepts))
        return self

    def _terms(self) -> list[str]:
        return [f'"{word}"' for word in self.words] + [name.replace("_", " ") for name in self.concepts]

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look for the words and concepts; skipped when there is no text to look in."""
        reads = _text_reads(receipt, ctx, self.field)
        texts = [item.value for item in reads if item.value]
        if not texts:
            names = " or ".join("receipt text" if r.field == "raw_text" else label(r.field) for r in reads)
            return Check(None, f"the receipt has no {names}", _shown(reads))
        haystack = fold(" \n ".join(texts))
        found: list[str] = []
        absent: list[str] = []
        for word in self.words:
            (found if contains_word(haystack, word) else absent).append(f'"{word}"')
        for name in self.concepts:
            hit = next((w for w in concept_words(name, ctx.concepts) if contains_word(haystack, w)), None)
            label_ = name.replace("_", " ")
            found.append(f'{label_} ("{hit}")') if hit else absent.append(label_)
        match self.match:
            case "any":
                holds = bool(found)
            case "all":
                holds = not absent
            case _ as unreachable:
                assert_never(unreachable)
        where = f"the {_WHERE[self.field]}"
        if holds:
            return Check(
                True, f"{join_words(found)} {'appears' if len(found) == 1 else 'appear'} in {where}", _shown(reads)
            )
        if not found:
            return Check(False, f"none of {', '.join(self._terms())} appears in {where}", _shown(reads))
        verb = "does not" if len(absent) == 1 else "do not"
        return Check(False, f"{join_words(absent)} {verb} appear in {where}", _shown(reads))

    def describe(self, negated: bool = False) -> str:
        """``whose merchant or items mention "uber" or "lyft"``."""
        where = _WHERE[self.field]
        singular = self.field in ("merchant", "raw_text")
        verb = "mentions" if singular else "mention"
        do = "does" if singular else "do"
        terms = self._terms()
        match (self.match, negated):
            case ("any", False):
                return f"whose {where} {verb} {join_words(terms, 'or')}"
            case ("any", True):
                return f"whose {where} {verb} none of {', '.join(terms)}"
            case ("all", False):
                return f"whose {where} {verb} {join_words(terms)}"
            case ("all", True):
                return f"whose {where} {do} not mention all of {', '.join(terms)}"


def _shown(reads: tuple[FieldRead, ...]) -> tuple[FieldRead, ...]:
    return tuple(
        FieldRead(field=r.field, value=shorten(r.value)) if r.field == "raw_text" and r.value else r for r in reads
    )


def membership(field: str, operator: Literal["in", "not_in"], values: tuple[str, ...]) -> MembershipCondition:
    """A membership condition, built once per distinct configuration (rule types wrap it)."""
    return _membership(field, operator, values)


class MembershipCondition(ConditionBase):
    """A field's value is in (or not in) a list: ``category in [alcohol, events]``."""

    type: Literal["membership"] = "membership"
    field: str = Field(
        description="Field whose value is looked up.", json_schema_extra={"enum": list(MEMBERSHIP_FIELDS)}
    )
    operator: Literal["in", "not_in"] = "in"
    values: list[str] = Field(description="The list; at least one value.")

    @model_validator(mode="after")
    def _check_values(self) -> Self:
        if self.field not in MEMBERSHIP_FIELDS:
            raise ValueError(f"unknown field {self.field!r}; in / not_in works on: {', '.join(MEMBERSHIP_FIELDS)}")
        values = [value.strip() for value in self.values]
        if not values or any(not value for value in values):
            raise ValueError(f"values must list at least one non-empty {label(self.field)}")
        allowed = _CLOSED_VALUES.get(self.field)
        if self.field == "currency":
            values = [value.upper() for value in values]
            allowed_note = "3-letter ISO 4217 codes such as USD"
            bad = [value for value in values if not re.fullmatch(r"[A-Z]{3}", value)]
        else:
            allowed_note = ", ".join(allowed or ())
            bad = [value for value in values if allowed is not None and value not in allowed]
        if bad:
            raise ValueError(f"unknown {label(self.field)} {', '.join(map(repr, bad))}; allowed: {allowed_note}")
        self.values = values
        return self

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look the value up; skipped when the field is missing."""
        reads = (field_read(receipt, self.field),)
        value = reads[0].value
        if value is None:
            return Check(None, f"the receipt has no {label(self.field)}", reads)
        inside = value.casefold() in {item.casefold() for item in self.values}
        listed = join_words(self.values, "or")
        fact = f"{label(self.field).capitalize()} {value} is {'' if inside else 'not '}{listed}"
        match self.operator:
            case "in":
                return Check(inside, fact, reads)
            case "not_in":
                return Check(not inside, fact, reads)
            case _ as unreachable:
                assert_never(unreachable)

    def describe(self, negated: bool = False) -> str:
        """``whose category is alcohol or events``."""
        excluded = (self.operator == "not_in") != negated
        listed = join_words(self.values, "nor" if excluded and len(self.values) > 1 else "or")
        if excluded:
            return f"whose {label(self.field)} is {'neither ' if len(self.values) > 1 else 'not '}{listed}"
        return f"whose {label(self.field)} is {listed}"


@lru_cache(maxsize=4096)
def _membership(field: str, operator: Literal["in", "not_in"], values: tuple[str, ...]) -> MembershipCondition:
    return MembershipCondition(field=field, operator=operator, values=list(values))
