"""What every rule shares: the stored envelope, findings, and the context a rule runs in.

A rule is an envelope (``Rule``: id, name, enabled, severity, action, version) around a ``spec``,
one member of the ``RuleSpec`` discriminated union (see ``numzy_mcp.rules``). Evaluating a spec
against a receipt gives a ``Finding``; a spec that fails gives an ``error`` finding, never a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from numzy_mcp.receipts import ExtractedFields

Severity = Literal["low", "medium", "high"]
Action = Literal["flag", "review", "reject"]
Outcome = Literal["flag", "pass", "error", "skipped"]


class FieldRead(BaseModel):
    """One field a rule read and the value it saw (as a JSON-friendly string, or null when missing)."""

    field: str
    value: str | None


class Finding(BaseModel):
    """The result of one rule on one receipt."""

    rule_id: str
    rule_name: str
    rule_version: int = 1
    outcome: Outcome
    severity: Severity
    action: Action
    fields: list[FieldRead] = Field(default_factory=list)
    message: str = Field(description="One sentence saying what the rule saw.")


@dataclass(frozen=True)
class HistoricReceipt:
    """A past receipt of the same team, as cross-receipt rules see it."""

    receipt_id: str
    fields: ExtractedFields
    sha256: str | None = None
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know beyond the receipt itself."""

    team_currency: str = "USD"
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    submitted_at: dt.datetime | None = None
    receipt_id: str | None = None
    sha256: str | None = None
    history: Sequence[HistoricReceipt] = ()
    extra: dict[str, Any] = field(default_factory=dict)
