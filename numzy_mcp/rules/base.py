"""What every rule shares: the stored envelope, findings, and the context a rule runs in.

A rule is an envelope (``Rule``: id, name, enabled, severity, action, version) around a ``spec``,
one member of the ``RuleSpec`` discriminated union (see ``numzy_mcp.rules``). Evaluating a spec
against a receipt gives a ``Finding``; a spec that fails gives an ``error`` finding, never a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from numzy_mcp.receipts import ExtractedFields

if TYPE_CHECKING:
    from pydantic_ai.models import Model

    from numzy_mcp.rules.sandbox import SandboxPool

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
    """What a rule may know beyond the receipt itself, and what the server lets rules use.

    Attributes:
        team_currency: the team's ISO 4217 currency.
        now: the evaluation time (stamps reports).
        submitted_at: when the receipt was uploaded (receipt-age rules).
        receipt_id: the receipt evaluated; cross-receipt rules never pair it with itself.
        sha256: the hash of the receipt's file (duplicate-image rules).
        history: the team's other receipts (cross-receipt and anomaly rules).
        extra: free-form values; ``extra["raw_text"]`` is read when ``raw_text`` is None.
        raw_text: the receipt's OCR text, for keyword, pattern and LLM rules on ``raw_text``.
        concepts: a team's additions to the built-in keyword concept lists (concept → extra words).
        allow_python: whether Python rules may run; set by the service from a setting, never by a rule.
        sandbox: the worker pool Python rules run in (``numzy_mcp.rules.sandbox.SandboxPool``).
        llm_model: the pydantic-ai model LLM rules use; None: LLM rules are skipped.
        llm_timeout_s: wall-clock limit of one LLM judgement; over it the rule asks for review.
    """

    team_currency: str = "USD"
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    submitted_at: dt.datetime | None = None
    receipt_id: str | None = None
    sha256: str | None = None
    history: Sequence[HistoricReceipt] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    raw_text: str | None = None
    concepts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    allow_python: bool = False
    sandbox: SandboxPool | None = None
    llm_model: Model | None = None
    llm_timeout_s: float = 30.0

    def text(self) -> str | None:
        """The receipt's raw OCR text: ``raw_text``, else ``extra["raw_text"]`` when it is a string."""
        if self.raw_text is not None:
            return self.raw_text
        value = self.extra.get("raw_text")
        return value if isinstance(value, str) else None
