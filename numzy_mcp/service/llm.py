"""The configured language model, if any."""

from __future__ import annotations

from pydantic_ai.models import Model

from numzy_mcp.extraction.llm import build_model
from numzy_mcp.settings import LlmSettings


def build_llm_model(settings: LlmSettings) -> Model | None:
    """The configured model, or None when no model is configured (fully offline)."""
    return build_model(settings) if settings.model else None


__all__ = ["Model", "build_llm_model"]
