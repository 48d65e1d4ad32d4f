r"""``pattern``: a regular expression on a text field, run by google-re2 (linear time, never backtracks).

JSON: ``{"type": "pattern", "field": "raw_text", "pattern": "gift\\s*card", "ignore_case": true}``.
The pattern is compiled when the rule is saved; RE2 refuses backreferences (``\1``), lookahead and
lookbehind (``(?=``, ``(?<=``), atomic groups, possessive quantifiers and repetitions over 1000
(``a{2000}``), and the refusal carries RE2's own reason. Patterns are capped at 1,024 characters;
the text searched at 20,000 (longer text is searched up to the cap, and the finding says so).

What RE2's classes mean, for rule authors:

- ``\d`` is ASCII ``[0-9]`` only: Arabic-Indic or full-width digits do not match; use ``\p{Nd}``.
- ``\w`` is ASCII ``[0-9A-Za-z_]`` only: "é" or "ß" are not word characters; use ``\p{L}``.
- ``\s`` is ASCII whitespace and ``\b`` an ASCII word boundary.
- ``(?i)`` and ``ignore_case`` fold Unicode case ("é" matches "É").
- A match anywhere fires the rule (search, not full match); anchor with ``^`` / ``$`` when needed.

``field`` is one of merchant, address, items (item descriptions joined by newlines), raw_text (the
OCR text from ``RuleContext``), payment_method, card_last4, category.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, Self

import re2
from pydantic import BaseModel, ConfigDict, Field, model_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import field_read, label
from numzy_mcp.rules.text import shorten

MAX_PATTERN = 1024
MAX_SUBJECT = 20_000
PatternField = Literal["merchant", "address", "items", "raw_text", "payment_method", "card_last4", "category"]


class PatternRefused(ValueError):
    """RE2 refused to compile a pattern; the message is RE2's reason."""


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str, ignore_case: bool) -> Any:
    """The compiled RE2 program for ``pattern`` (cached).

    Raises:
        PatternRefused: the pattern is too long or RE2 refuses it.
    """
    if len(pattern) > MAX_PATTERN:
        raise PatternRefused(f"pattern is {len(pattern)} characters long; at most {MAX_PATTERN} are allowed")
    if "\x00" in pattern:
        raise PatternRefused("pattern must not contain NUL characters")
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternRefused(f"RE2 refused the pattern: {reason}") from None


class PatternSpec(BaseModel):
    """Flag a receipt whose ``field`` matches the RE2 ``pattern`` somewhere."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["pattern"] = "pattern"
    field: PatternField = Field(default="raw_text", description="The text searched.")
    pattern: str = Field(min_length=1, description="An RE2 regular expression (no backreferences or lookaround).")
    ignore_case: bool = Field(default=True, description="Unicode case-insensitive matching.")

    @model_validator(mode="after")
    def _compile(self) -> Self:
        try:
            compile_pattern(self.pattern, self.ignore_case)
        except PatternRefused as refused:
            raise ValueError(f"pattern {shorten(self.pattern, 60)!r} was refused: {refused}") from None
        return self

    def _subject(self, receipt: ExtractedFields, ctx: RuleContext) -> FieldRead:
        if self.field == "raw_text":
            text = ctx.text()
            return FieldRead(field="raw_text", value=text if text else None)
        if self.field == "items":
            lines = [item.description for item in receipt.items if item.description.strip()]
            return FieldRead(field="items", value="\n".join(lines) or None)
        return field_read(receipt, self.field)

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Search the field; skipped when the receipt has no such text."""
        subject = self._subject(receipt, ctx)
        shown = (FieldRead(field=subject.field, value=None if subject.value is None else shorten(subject.value)),)
        where = "receipt text" if self.field == "raw_text" else label(self.field)
        if subject.value is None:
            return Check(None, f"the receipt has no {where}", shown)
        text = subject.value[:MAX_SUBJECT]
        cut = f" (only its first {MAX_SUBJECT} characters were searched)" if len(subject.value) > MAX_SUBJECT else ""
        found: Any = compile_pattern(self.pattern, self.ignore_case).search(text)
        if found is None:
            return Check(False, f"the {where} does not match /{shorten(self.pattern, 80)}/{cut}", shown)
        return Check(
            True,
            f'the {where} matches /{shorten(self.pattern, 80)}/ at "{shorten(str(found.group(0)), 80)}"{cut}',
            shown,
        )

    def describe(self, negated: bool = False) -> str:
        r"""``whose receipt text matches /gift\s*card/``."""
        where = "receipt text" if self.field == "raw_text" else label(self.field)
        return f"whose {where} {'does not match' if negated else 'matches'} /{shorten(self.pattern, 80)}/"
