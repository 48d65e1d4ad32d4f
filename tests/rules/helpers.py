"""Builders shared by the rule tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import HistoricReceipt, Rule, parse_rule_draft


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


def make_rule(spec: dict[str, Any], **envelope: Any) -> Rule:
    """A stored rule from a spec dict, validated as a client's draft would be."""
    draft = parse_rule_draft({"name": envelope.pop("name", "Test rule"), **envelope, "spec": spec})
    return Rule.from_draft(draft, rule_id="r1", version=envelope.get("version", 1))


def past(
    receipt_id: str,
    merchant: str | None = "Cafe Nero",
    date: dt.date = dt.date(2024, 6, 5),
    total: str = "12.50",
    sha256: str | None = None,
    **values: object,
) -> HistoricReceipt:
    """A historic receipt with the usual fields."""
    fields = make_fields(**{"merchant": merchant, "date": date, "total": Decimal(total), "currency": "USD", **values})
    return HistoricReceipt(receipt_id=receipt_id, fields=fields, sha256=sha256)
