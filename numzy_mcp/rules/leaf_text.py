"""Leaf conditions on text: ``keyword`` (words in merchant / items) and ``membership`` (in / not in a list)."""

from __future__ import annotations

import re
from typing import Literal, Self, assert_never

from pydantic import Field, field_validator, model_validator

from numzy_mcp.receipts import CATEGORIES, ExtractedFields
from numzy_mcp.rules.base import RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import field_read, join_words, label
from numzy_mcp.rules.leaf_field import ConditionBase, MatchMode

KeywordField = Literal["merchant", "items", "merchant_or_items"]
_CLOSED_VALUES: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "payment_method": ("card", "cash", "other"),
    "kind": ("purchase", "refund"),
}
MEMBERSHIP_FIELDS = ("category", "payment_method", "kind", "currency", "country", "merchant")


class KeywordCondition(ConditionBase):
    """Words or phrases in the merchant name and/or item descriptions (case-insensitive, whole words)."""

    type: Literal["keyword"] = "keyword"
    field: KeywordField = Field(default="merchant_or_items", description="Where to look.")
    words: list[str] = Field(description="Words or phrases to look for; at least one.")
    match: MatchMode = Field(default="any", description="any: one word is enough; all: every word must appear.")

    @field_validator("words")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        cleaned = [" ".join(word.split()) for word in words]
        if not cleaned:
            raise ValueError('words must list at least one word or phrase to look for, e.g. ["uber", "lyft"]')
        if any(not word for word in cleaned):
            raise ValueError("words must not contain empty strings")
        return cleaned

    def _where(self) -> str:
        return {"merchant": "the merchant name", "items": "the items", "merchant_or_items": "the merchant or items"}[
            self.field
        ]

    def evaluate(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look for the words; skipped when there is no text to look in."""
        fields = ["merchant", "items"] if self.field == "merchant_or_items" else [self.field]
        reads = tuple(field_read(receipt, name) for name in fields)
        texts = [item.value for item in reads if item.value]
        if not texts:
            return Check(None, f"the receipt has no {' or '.join(label(name) for name in fields)}", reads)
        haystack = " \n ".join(texts).casefold()
        found = [word for word in self.words if _contains(haystack, word)]
        absent = [word for word in self.words if word not in found]
        quoted = [f'"{word}"' for word in found]
        match self.match:
            case "any":
                holds = bool(found)
            case "all":
                holds = not absent
            case _ as unreachable:
                assert_never(unreachable)
        if holds:
            verb = "appears" if len(found) == 1 else "appear"
            return Check(True, f"{join_words(quoted)} {verb} in {self._where()}", reads)
        if not found:
            listed = ", ".join(f'"{word}"' for word in self.words)
            return Check(False, f"none of {listed} appears in {self._where()}", reads)
        verb = "does not" if len(absent) == 1 else "do not"
        missing = join_words([f'"{word}"' for word in absent])
        return Check(False, f"{missing} {verb} appear in {self._where()}", reads)

    def describe(self, negated: bool = False) -> str:
        """``whose merchant or items mention "uber" or "lyft"``."""
        where = {"merchant": "merchant name", "items": "items", "merchant_or_items": "merchant or items"}[self.field]
        verb = "mentions" if self.field == "merchant" else "mention"
        do = "does" if self.field == "merchant" else "do"
        quoted = [f'"{word}"' for word in self.words]
        match (self.match, negated):
            case ("any", False):
                return f"whose {where} {verb} {join_words(quoted, 'or')}"
            case ("any", True):
                return f"whose {where} {verb} none of {', '.join(quoted)}"
            case ("all", False):
                return f"whose {where} {verb} {join_words(quoted)}"
            case ("all", True):
                return f"whose {where} {do} not mention all of {', '.join(quoted)}"


def _contains(haystack: str, word: str) -> bool:
    pattern = r"\s+".join(re.escape(part) for part in word.casefold().split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", haystack) is not None


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
