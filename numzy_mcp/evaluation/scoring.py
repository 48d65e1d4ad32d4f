"""Compare extracted fields with expected values: per-field checks and SROIE task-3 items.

Values are compared as values: amounts as ``Decimal`` (so "31.00" equals 31), dates as calendar dates,
times to the minute, text after :func:`normalise_text` (upper case, whitespace collapsed). Line items
match as a multiset of (description, amount) pairs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Final

from numzy_mcp.evaluation.datasets import EvalDocument, Expected
from numzy_mcp.receipts import ExtractedFields, LineItem

__all__ = [
    "FIELD_RULES",
    "REFERENCE_FIELDS",
    "SPACE_BLIND_FIELDS",
    "TASK3_FIELDS",
    "TASK3_NORMALISER",
    "FieldCheck",
    "check_document",
    "items_matched",
    "normalise_text",
    "task3_items",
]

TASK3_FIELDS: Final = ("company", "date", "address", "total")
TASK3_NORMALISER: Final = (
    "strip, collapse internal whitespace to one space, upper-case; no date or amount normalisation"
)
FIELD_RULES: Final = {
    "amounts": "compared as Decimal values (label currency marks removed); an expected null needs a null",
    "date": "compared as calendar dates (printed labels read day-first)",
    "time": "compared to the minute",
    "text": "upper-cased, whitespace collapsed, stripped",
    "items": "multiset of (description text, amount value); accuracy = matched / max(expected, extracted) items",
    "address_ignoring_spaces": (
        "a secondary column beside the strict address score: upper-cased with every space removed, so OCR spacing "
        'around punctuation ("NO.53,JALAN" vs "NO. 53, JALAN") is not counted; never listed as a miss'
    ),
    "merchant_vs_issuer": (
        "pdf-dev only: the merchant against invoice2data's template issuer name, which its README says is not "
        "printed text; compared as text (no legal-form folding), a secondary column, never listed as a miss"
    ),
}
SPACE_BLIND_FIELDS: Final = {"address": "address_ignoring_spaces"}
"""Text fields that also get a secondary, whitespace-insensitive column (strict column kept)."""
REFERENCE_FIELDS: Final = {"merchant": "merchant_vs_issuer"}
"""Fields a dataset gives a reference value for (``EvalDocument.reference``) → their secondary column."""


def normalise_text(text: str | None) -> str:
    """Upper-case, strip and collapse whitespace (the text comparison used everywhere here).

    Args:
        text: Any text or None.

    Returns:
        The normalised text ("" for None).
    """
    return " ".join((text or "").upper().split())


def _item_key(item: LineItem) -> tuple[str, Decimal | None]:
    amount = item.amount.normalize() if item.amount is not None else None
    return normalise_text(item.description), amount


def items_matched(expected: list[LineItem], got: list[LineItem]) -> int:
    """How many expected line items were extracted with the same description and amount.

    Args:
        expected: The labelled items.
        got: The extracted items.

    Returns:
        The size of the multiset intersection.
    """
    common = Counter(_item_key(i) for i in expected) & Counter(_item_key(i) for i in got)
    return sum(common.values())


class FieldCheck:
    """The outcome of comparing one field of one document."""

    __slots__ = ("correct", "expected", "field", "got", "scored", "secondary")

    def __init__(
        self, field: str, correct: int, scored: int, expected: str, got: str, *, secondary: bool = False
    ) -> None:
        """Record a comparison.

        Args:
            field: The field name.
            correct: Units right (1/0 for a scalar field; matched items for ``items``).
            scored: Units scored (1 for a scalar field; max(expected, extracted) items for ``items``).
            expected: The expected value as text, for reports.
            got: The extracted value as text, for reports.
            secondary: A derived, more lenient column: reported, but not a miss or part of a document's score.
        """
        self.field = field
        self.correct = correct
        self.scored = scored
        self.expected = expected
        self.got = got
        self.secondary = secondary


def _show(value: object) -> str:
    if value is None:
        return "∅"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        shown = "; ".join(f"{i.description} {_show(i.amount)}" for i in value if isinstance(i, LineItem))
        return f"[{shown}]"
    return str(value)


def _same(field: str, want: Expected, got: object) -> bool:
    if want is None:
        return got is None or got == ""
    if isinstance(want, Decimal):
        return isinstance(got, Decimal) and got.normalize() == want.normalize()
    if isinstance(want, dt.time):
        return isinstance(got, dt.time) and (got.hour, got.minute) == (want.hour, want.minute)
    if isinstance(want, dt.date):
        return isinstance(got, dt.date) and got == want
    if isinstance(want, str):
        return isinstance(got, str) and normalise_text(got) == normalise_text(want)
    return False


def check_document(document: EvalDocument, fields: ExtractedFields) -> list[FieldCheck]:
    """Compare every expected field of one document with what was extracted.

    Args:
        document: The labelled document.
        fields: The extractor's output.

    Returns:
        One check per expected field.
    """
    checks: list[FieldCheck] = []
    for name, want in document.expected.items():
        got = getattr(fields, name, None)
        if name == "items" and isinstance(want, list):
            extracted = fields.items
            matched = items_matched(want, extracted)
            scored = max(len(want), len(extracted))
            checks.append(FieldCheck(name, matched, scored, _show(want), _show(extracted)))
            continue
        correct = int(_same(name, want, got))
        checks.append(FieldCheck(name, correct, 1, _show(want), _show(got)))
        blind = SPACE_BLIND_FIELDS.get(name)
        if blind is not None and isinstance(want, str):
            same = isinstance(got, str) and _no_spaces(got) == _no_spaces(want)
            checks.append(FieldCheck(blind, int(same), 1, _show(want), _show(got), secondary=True))
    for name, want in document.reference.items():
        got = getattr(fields, name, None)
        column = REFERENCE_FIELDS.get(name, f"{name}_reference")
        checks.append(FieldCheck(column, int(_same(name, want, got)), 1, _show(want), _show(got), secondary=True))
    return checks


def _no_spaces(text: str) -> str:
    return "".join(text.upper().split())


def task3_items(fields: ExtractedFields) -> dict[str, str]:
    """The SROIE task-3 strings an extraction submits: the printed text of each key field.

    Args:
        fields: The extractor's output.

    Returns:
        Key (company, date, address, total) → the printed string; empty when not found.
    """
    return {
        "company": fields.raw.get("merchant") or fields.merchant or "",
        "date": fields.raw.get("date", ""),
        "address": fields.raw.get("address") or fields.address or "",
        "total": fields.raw.get("total", ""),
    }
