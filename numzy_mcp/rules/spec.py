"""The registry of rule types (``RuleSpec``) and the stored rule envelope (``Rule`` / ``RuleDraft``).

Adding a rule type: write one module with a pydantic model that has a ``type`` literal, a
``check(receipt, ctx) -> Check`` and a ``describe(negated=False) -> str`` method, then add it to
``RuleSpec`` below. Validation, storage, the authoring agent's output type and composites pick it up.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.rules.anomaly import AnomalySpec
from numzy_mcp.rules.base import Action, Severity
from numzy_mcp.rules.category import CategorySpec
from numzy_mcp.rules.composite import AllSpec, AnySpec, NotSpec
from numzy_mcp.rules.history import DuplicateSpec, FrequencySpec, RoundAmountSpec, SplitSpec
from numzy_mcp.rules.integrity import IntegritySpec
from numzy_mcp.rules.keyword import KeywordSpec
from numzy_mcp.rules.llm_judge import LlmSpec
from numzy_mcp.rules.membership import CurrencySpec, PaymentMethodSpec
from numzy_mcp.rules.missing import MissingSpec
from numzy_mcp.rules.pattern import PatternSpec
from numzy_mcp.rules.python_rule import PythonSpec
from numzy_mcp.rules.threshold import ThresholdSpec
from numzy_mcp.rules.timing import TimeSpec

DeclarativeSpec = (
    ThresholdSpec
    | KeywordSpec
    | CategorySpec
    | PaymentMethodSpec
    | CurrencySpec
    | TimeSpec
    | MissingSpec
    | PatternSpec
    | IntegritySpec
    | DuplicateSpec
    | SplitSpec
    | FrequencySpec
    | RoundAmountSpec
    | AnomalySpec
    | AllSpec
    | AnySpec
    | NotSpec
)
"""Rule types evaluated in process, synchronously (``check``)."""

AsyncSpec = PythonSpec | LlmSpec
"""Rule types evaluated out of process (``acheck``): the sandbox and a model."""

RuleSpec = Annotated[DeclarativeSpec | AsyncSpec, Field(discriminator="type")]
"""Every rule type, told apart by its ``type`` field."""

for _composite in (AllSpec, AnySpec, NotSpec):
    _composite.model_rebuild(_types_namespace={"RuleSpec": RuleSpec})


class RuleDraft(BaseModel):
    """What a client sends to create or replace a rule: everything but the id and version."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Short name shown in findings.")
    enabled: bool = True
    severity: Severity = "medium"
    action: Action = Field(default="flag", description="What a firing rule asks for: flag, review or reject.")
    spec: RuleSpec

    @model_validator(mode="after")
    def _llm_cannot_reject(self) -> Self:
        if isinstance(self.spec, LlmSpec) and self.action == "reject":
            raise ValueError("an llm rule may only flag or ask for review: action must be flag or review, not reject")
        return self

    @field_validator("name")
    @classmethod
    def _strip_name(cls, name: str) -> str:
        name = " ".join("".join(ch for ch in name if ch.isprintable()).split())
        if not name or not any(ch.isalnum() for ch in name):
            raise ValueError("name must contain at least one letter or digit")
        return name


class Rule(RuleDraft):
    """A stored rule: a ``RuleDraft`` with its id and version (bumped on every change)."""

    id: str = Field(min_length=1)
    version: int = Field(default=1, ge=1)

    @classmethod
    def from_draft(cls, draft: RuleDraft, *, rule_id: str, version: int = 1) -> Rule:
        """The stored rule for ``draft`` under ``rule_id``."""
        return cls(id=rule_id, version=version, **draft.model_dump())


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "rule"


def _describe_error(error: ErrorDetails) -> str:
    message = error["msg"].removeprefix("Value error, ")
    value: Any = error.get("input")
    shown = ""
    if error["type"] not in ("missing", "value_error") and isinstance(value, str | int | float | bool):
        shown = f" (got {json.dumps(value)})"
    return f"{_location(error['loc'])}: {message}{shown}"


def parse_rule_draft(data: object) -> RuleDraft:
    """Validate a rule a client sent (a dict, or JSON text) into a ``RuleDraft``.

    Raises:
        RuleInvalid: the configuration is refused; the message lists each problem as
            ``location: what is wrong and what is allowed``.
    """
    try:
        if isinstance(data, str | bytes | bytearray):
            return RuleDraft.model_validate_json(data)
        return RuleDraft.model_validate(data)
    except ValidationError as error:
        problems = [_describe_error(item) for item in error.errors(include_url=False)]
        noun = "problem" if len(problems) == 1 else "problems"
        lines = "\n".join(f"- {problem}" for problem in problems)
        raise RuleInvalid(f"The rule was refused ({len(problems)} {noun}):\n{lines}") from None
