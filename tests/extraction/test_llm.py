from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic_ai.models
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pydantic import SecretStr, ValidationError
from pydantic_ai import BinaryContent
from pydantic_ai.exceptions import ModelAPIError
from pydantic_ai.messages import (
    ModelMessage,
    ModelResponse,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from numzy_mcp.errors import ExtractionFailed, Unsupported
from numzy_mcp.extraction.llm import LlmExtractionFailed, LlmExtractor, cost_usd, vision_images
from numzy_mcp.extraction.llm_schema import LlmReceipt
from numzy_mcp.settings import DEFAULT_PRICES, LimitSettings, LlmSettings, Settings

from .helpers import lines

LIMITS = LimitSettings()
HEIC = Path(__file__).parents[1] / "fixtures" / "extraction" / "receipt.heic"
RECEIPT: dict[str, Any] = {
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


def _prompts(messages: list[ModelMessage]) -> list[object]:
    parts: list[object] = []
    for message in messages:
        for part in message.parts:
            if isinstance(part, UserPromptPart):
                content = part.content
                parts.extend([content] if isinstance(content, str) else content)
    return parts


def _answer(seen: list[object], *answers: dict[str, Any]) -> FunctionModel:
    """A model that records what it is sent and gives ``answers`` in turn (the last one from then on)."""
    replies = list(answers) or [RECEIPT]

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.extend(_prompts(messages))
        seen.extend(p for m in messages for p in m.parts if isinstance(p, ToolReturnPart))
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, json.dumps(reply))])

    return FunctionModel(respond, model_name="gpt-4o-mini")


def test_the_vision_extractor_sends_the_image_and_maps_the_validated_output_onto_the_fields() -> None:
    seen: list[object] = []
    extraction = LlmExtractor(model=_answer(seen)).extract_image(b"\xff\xd8\xffjpeg", "image/jpeg")

    images = [part for part in seen if isinstance(part, BinaryContent)]
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
    assert fields.confidence["total"] == 0.8
    assert extraction.mode == "vision"


def test_the_text_extractor_sends_numbered_ocr_lines_and_records_tokens_and_cost() -> None:
    seen: list[object] = []
    extraction = LlmExtractor(model=_answer(seen)).extract_text(lines("HARBOR GRILL", "TOTAL 63.57"))

    assert any("[0] HARBOR GRILL\n[1] TOTAL 63.57" in str(part) for part in seen)
    assert extraction.usage.input_tokens > 0
    assert extraction.usage.output_tokens > 0
    expected = (Decimal("0.15") * extraction.usage.input_tokens + Decimal("0.60") * extraction.usage.output_tokens) / (
        Decimal(1_000_000)
    )
    assert extraction.usage.cost_usd == expected


def test_cited_lines_become_sources_and_lines_outside_the_document_are_dropped() -> None:
    answer = {**RECEIPT, "sources": {"merchant": [0], "total": [1, 7, -1, 1], "tip": [9], "shoe_size": [0]}}
    extraction = LlmExtractor(model=_answer([], answer)).extract_text(lines("HARBOR GRILL", "TOTAL 63.57"))

    assert extraction.fields.sources == {"merchant": [0], "total": [1]}


def test_an_image_has_no_lines_so_cited_sources_are_dropped() -> None:
    answer = {**RECEIPT, "sources": {"merchant": [0], "total": [1]}}
    extraction = LlmExtractor(model=_answer([], answer)).extract_image(b"\xff\xd8\xffjpeg")

    assert extraction.fields.sources == {}


def test_model_confidences_are_bounded_to_zero_and_one_and_unscored_fields_get_the_default() -> None:
    answer = {**RECEIPT, "confidence": {"total": 1.7, "merchant": -0.2, "date": 0.55, "tax": float("nan")}}
    fields = LlmExtractor(model=_answer([], answer)).extract_text(lines("TOTAL 63.57")).fields

    assert (fields.confidence["total"], fields.confidence["merchant"], fields.confidence["date"]) == (1.0, 0.0, 0.55)
    assert fields.confidence["tax"] == 0.8
    assert fields.confidence["currency"] == 0.8
    assert "address" not in fields.confidence  # not printed, not scored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "RM"),
        ("currency", "US$"),
        ("total", "NaN"),
        ("total", "1e30"),
        ("total", "12.34567"),
        ("category", "food"),
        ("payment_method", "crypto"),
        ("card_last4", "42"),
        ("date", "14/03/2018"),
        ("tax_rate", "600"),
        ("country", "Malaysia"),
    ],
)
def test_the_output_schema_refuses_what_the_domain_cannot_store(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        LlmReceipt.model_validate({**RECEIPT, field: value})
    assert refused.value.errors()[0]["loc"][0] == field


def test_the_output_schema_normalises_codes_and_keeps_only_the_last_four_card_digits() -> None:
    receipt = LlmReceipt.model_validate({**RECEIPT, "currency": " myr", "country": "my", "card_last4": "**** 4242"})
    full = LlmReceipt.model_validate({**RECEIPT, "card_last4": "4111 1111 1111 1234"})

    assert (receipt.currency, receipt.country, receipt.card_last4, full.card_last4) == ("MYR", "MY", "4242", "1234")


def test_an_invalid_answer_is_sent_back_and_the_corrected_one_is_used() -> None:
    seen: list[object] = []
    model = _answer(seen, {**RECEIPT, "currency": "RM"}, RECEIPT)
    extraction = LlmExtractor(model=model).extract_text(lines("TOTAL 63.57"))

    retries = [part for part in seen if isinstance(part, ToolReturnPart) and part.outcome == "retried"]
    assert any("currency" in str(part.content) for part in retries), "the model was told what to fix"
    assert extraction.fields.currency == "USD"


def test_an_answer_still_invalid_after_the_retry_fails_cleanly_with_the_tokens_spent() -> None:
    calls: list[object] = []
    model = _answer(calls, {**RECEIPT, "card_last4": "12"})
    with pytest.raises(LlmExtractionFailed) as failed:
        LlmExtractor(model=model).extract_text(lines("TOTAL 63.57"))

    assert isinstance(failed.value, ExtractionFailed)
    assert failed.value.code == "extraction_failed"
    assert "no valid receipt in 2 tries" in failed.value.message
    assert failed.value.usage.input_tokens > 0
    assert failed.value.usage.cost_usd is not None and failed.value.usage.cost_usd > 0


def test_a_model_that_never_answers_times_out_as_a_clean_failure() -> None:
    async def never(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    settings = LlmSettings(model="gpt-4o-mini", timeout_seconds=0.05)
    with pytest.raises(LlmExtractionFailed) as failed:
        asyncio.run(LlmExtractor(settings, model=FunctionModel(never)).aextract_text(lines("TOTAL 1.00")))
    assert "did not answer within 0.05 s" in failed.value.message


def test_the_api_key_never_appears_in_a_failure_reason() -> None:
    def leaky(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise ModelAPIError("gpt-4o-mini", "Incorrect API key provided: sk-live-abcdef123456 (also sk-proj-zzzz9999xx)")

    settings = LlmSettings(model="gpt-4o-mini", api_key=SecretStr("sk-live-abcdef123456"))
    with pytest.raises(LlmExtractionFailed) as failed:
        LlmExtractor(settings, model=FunctionModel(leaky)).extract_text(lines("TOTAL 1.00"))

    assert "endpoint failed" in failed.value.message
    assert "abcdef123456" not in failed.value.message
    assert "zzzz9999" not in failed.value.message


def test_the_cost_uses_the_longest_matching_price_and_an_overriding_table() -> None:
    assert cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 0) == Decimal("0.15")
    assert cost_usd("my-local-model", 1000, 1000) is None
    assert cost_usd("my-local-model", 2_000_000, 1_000_000, {"my-local-model": (Decimal(1), Decimal(2))}) == 4


def test_the_price_table_is_a_setting_whose_environment_json_adds_to_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NUMZY_LLM__PRICES", '{"my-local-model": ["0.5", 1.25], "gpt-4o-mini": [0, 0]}')
    prices = Settings().llm.prices

    assert prices["my-local-model"] == (Decimal("0.5"), Decimal("1.25"))
    assert prices["gpt-4o-mini"] == (Decimal(0), Decimal(0))
    assert prices["gpt-4o"] == DEFAULT_PRICES["gpt-4o"]
    assert LlmSettings().prices == dict(DEFAULT_PRICES)


def test_an_extractor_prices_its_calls_from_the_settings_table() -> None:
    settings = LlmSettings(model="my-local-model", prices={"my-local-model": (Decimal(1_000_000), Decimal(0))})
    extraction = LlmExtractor(settings, model=_answer([])).extract_text(lines("TOTAL 63.57"))

    assert extraction.usage.model == "my-local-model"
    assert extraction.usage.cost_usd == extraction.usage.input_tokens


def test_a_negative_price_in_settings_is_refused() -> None:
    with pytest.raises(ValidationError):
        LlmSettings(prices={"m": (Decimal(-1), Decimal(0))})


def test_the_llm_extractor_setting_without_a_model_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(extractor="llm")
    assert refused.value.errors()[0]["loc"] == ("extractor",)
    assert Settings(extractor="auto").uses_llm_extractor() is False
    assert Settings(extractor="offline", llm=LlmSettings(model="gpt-4o-mini")).uses_llm_extractor() is False
    assert Settings(extractor="auto", llm=LlmSettings(model="gpt-4o-mini")).uses_llm_extractor() is True


def test_an_unconfigured_llm_is_refused_without_any_request() -> None:
    with pytest.raises(Unsupported):
        LlmExtractor(LlmSettings(model=None))


def test_real_model_requests_are_blocked_in_tests() -> None:
    extractor = LlmExtractor(
        LlmSettings(model="gpt-4o-mini", api_key=SecretStr("sk-test"), base_url="http://127.0.0.1:9/v1")
    )
    with pytest.raises(LlmExtractionFailed) as failed:
        extractor.extract_text(lines("TOTAL 1.00"))
    assert "ALLOW_MODEL_REQUESTS" in failed.value.message


def _png(size: tuple[int, int] = (60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _blank_pdf(pages: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(200, 300)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


def test_an_upright_png_goes_to_the_vision_model_as_it_is() -> None:
    data = _png()
    assert [(image.media_type, image.data) for image in vision_images(data, LIMITS)] == [("image/png", data)]


def test_a_heic_photo_goes_to_the_vision_model_as_an_upright_jpeg() -> None:
    images = vision_images(HEIC.read_bytes(), LIMITS)

    assert [image.media_type for image in images] == ["image/jpeg"]
    with Image.open(io.BytesIO(images[0].data)) as decoded:
        assert decoded.format == "JPEG"
        assert max(decoded.size) <= 2048


def test_scanned_pdf_pages_go_to_the_vision_model_as_rendered_pngs() -> None:
    images = vision_images(_blank_pdf(pages=2), LIMITS)

    assert [image.media_type for image in images] == ["image/png", "image/png"]
    assert all(image.data.startswith(b"\x89PNG") for image in images)
