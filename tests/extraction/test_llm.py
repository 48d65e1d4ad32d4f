from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal

import pydantic_ai.models
import pytest
from pydantic import SecretStr
from pydantic_ai import BinaryContent
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from numzy_mcp.errors import Unsupported
from numzy_mcp.extraction.llm import LlmExtractor, cost_usd
from numzy_mcp.settings import LlmSettings

from .helpers import lines

RECEIPT = {
    "merchant": "Harbor Grill",
    "date": "2026-05-14",
    "time": "21:06",
    "currency": "usd",
    "subtotal": "51.32",
    "tax": "4.55",
    "tip": "7.70",
    "total": "63.57",
    "items": [{"description": "CAESAR SALAD", "quantity": "1", "unit_price": "11.20", "amount": "11.20"}],
    "payment_method": "card",
    "card_last4": "4242",
    "category": "meals",
}


@pytest.fixture(autouse=True)
def _no_model_requests() -> Iterator[None]:
    previous = pydantic_ai.models.ALLOW_MODEL_REQUESTS
    pydantic_ai.models.ALLOW_MODEL_REQUESTS = False
    yield
    pydantic_ai.models.ALLOW_MODEL_REQUESTS = previous


def _answer(seen: list[list[object]]) -> FunctionModel:
    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        for message in messages:
            for part in message.parts:
                if isinstance(part, UserPromptPart):
                    content = part.content
                    seen.append(list(content) if not isinstance(content, str) else [content])
        tool = info.output_tools[0].name
        return ModelResponse(parts=[ToolCallPart(tool, json.dumps(RECEIPT))])

    return FunctionModel(respond, model_name="gpt-4o-mini")


def test_the_vision_extractor_sends_the_image_and_maps_the_validated_output_onto_the_fields() -> None:
    seen: list[list[object]] = []
    extraction = LlmExtractor(model=_answer(seen)).extract_image(b"\xff\xd8\xffjpeg", "image/jpeg")

    images = [part for prompt in seen for part in prompt if isinstance(part, BinaryContent)]
    assert images and images[0].data == b"\xff\xd8\xffjpeg"
    fields = extraction.fields
    assert fields.merchant == "Harbor Grill"
    assert fields.date == dt.date(2026, 5, 14)
    assert fields.currency == "USD"
    assert fields.total == Decimal("63.57")
    assert fields.tip == Decimal("7.70")
    assert fields.items[0].amount == Decimal("11.20")
    assert fields.card_last4 == "4242"
    assert fields.category == "meals"
    assert 0 < fields.confidence["total"] <= 1


def test_the_text_extractor_sends_the_ocr_lines_and_records_tokens_and_cost() -> None:
    seen: list[list[object]] = []
    extraction = LlmExtractor(model=_answer(seen)).extract_text(lines("HARBOR GRILL", "TOTAL 63.57"))

    assert any("TOTAL 63.57" in str(part) for prompt in seen for part in prompt)
    assert extraction.usage.input_tokens > 0
    assert extraction.usage.output_tokens > 0
    expected = (Decimal("0.15") * extraction.usage.input_tokens + Decimal("0.60") * extraction.usage.output_tokens) / (
        Decimal(1_000_000)
    )
    assert extraction.usage.cost_usd == expected


def test_the_cost_uses_the_longest_matching_price_and_an_overriding_table() -> None:
    assert cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 0) == Decimal("0.15")
    assert cost_usd("my-local-model", 1000, 1000) is None
    assert cost_usd("my-local-model", 2_000_000, 1_000_000, {"my-local-model": (Decimal(1), Decimal(2))}) == 4


def test_an_unconfigured_llm_is_refused_without_any_request() -> None:
    with pytest.raises(Unsupported, match="NUMZY_LLM__MODEL"):
        LlmExtractor(LlmSettings(model=None))


def test_real_model_requests_are_blocked_in_tests() -> None:
    extractor = LlmExtractor(
        LlmSettings(model="gpt-4o-mini", api_key=SecretStr("sk-test"), base_url="http://127.0.0.1:9/v1")
    )
    with pytest.raises(RuntimeError, match="ALLOW_MODEL_REQUESTS"):
        extractor.extract_text(lines("TOTAL 1.00"))
