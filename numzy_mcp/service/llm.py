"""What the service needs to know about models and rules before running them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_ai.models import Model

from numzy_mcp.extraction.llm import build_model
from numzy_mcp.settings import LlmSettings

HISTORY_RULE_TYPES = frozenset({"duplicate", "split", "frequency", "anomaly"})


def build_llm_model(settings: LlmSettings) -> Model | None:
    """The configured model, or None when no model is configured (fully offline)."""
    return build_model(settings) if settings.model else None


def reads_history(spec: BaseModel) -> bool:
    """Whether a rule (or any rule nested in a composite) reads the team's past receipts."""

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            return node.get("type") in HISTORY_RULE_TYPES or any(walk(value) for value in node.values())
        if isinstance(node, list):
            return any(walk(value) for value in node)
        return False

    return walk(spec.model_dump())


__all__ = ["Model", "build_llm_model", "reads_history"]
