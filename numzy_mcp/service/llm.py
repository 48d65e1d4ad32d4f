"""The configured language model, if any, and the extractor chosen in settings."""

from __future__ import annotations

from pydantic_ai.models import Model

from numzy_mcp.extraction.llm import LlmExtractor, build_model
from numzy_mcp.settings import LlmSettings, Settings


def build_llm_model(settings: LlmSettings) -> Model | None:
    """The configured model, or None when no model is configured (fully offline)."""
    return build_model(settings) if settings.model else None


def choose_llm_extractor(settings: Settings, model: Model | None = None) -> LlmExtractor | None:
    """The LLM extractor that reads receipts, or None when settings keep extraction offline.

    ``NUMZY_EXTRACTOR=offline`` (the default) never calls a model; ``llm`` and ``auto`` use
    ``NUMZY_LLM__MODEL`` (``llm`` without one is refused by ``Settings``; ``auto`` then stays offline).

    Args:
        settings: The deployment's settings; they alone decide whether a model reads receipts.
        model: A ready model to talk to instead of building the OpenAI-compatible one (tests pass a
            ``FunctionModel``); ignored when settings keep extraction offline.

    Returns:
        The extractor, or None.
    """
    if not settings.uses_llm_extractor():
        return None
    return LlmExtractor(settings.llm, model=model)


__all__ = ["Model", "build_llm_model", "choose_llm_extractor"]
