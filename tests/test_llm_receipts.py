"""Receipts read by the model chosen in settings, through the real service and database (FunctionModel only)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic_ai.models
import pypdfium2 as pdfium
import pytest
from pydantic import SecretStr
from pydantic_ai import BinaryContent
from pydantic_ai.exceptions import ModelAPIError
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.openai import OpenAIChatModel

from numzy_mcp.cli import main
from numzy_mcp.evaluation import EvalDocument, ExtractorOutput
from numzy_mcp.evaluation.extractors import llm_document_extractor
from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.extraction.llm import LlmExtractor
from numzy_mcp.service import NumzyService
from numzy_mcp.settings import ExtractorChoice, LlmMode, LlmSettings, Settings
from numzy_mcp.storage.blobs import LocalBlobStore
from numzy_mcp.storage.db import make_engine, make_sessions
from numzy_mcp.views import ReceiptView
from tests.conftest import RECEIPT_LINES, LinesEngine
from tests.images import image_bytes

TEAM = "local"
SECRET = "sk-test-9f8e7d6c5b4a"
HEIC = Path(__file__).parent / "fixtures" / "extraction" / "receipt.heic"
ANSWER: dict[str, Any] = {
    "merchant": "Kedai Maju Sdn Bhd",
    "address": "No 12, Jalan Besar, 50000 Kuala Lumpur",
    "date": "2018-03-14",
    "time": "13:05",
    "currency": "MYR",
    "total": "11.50",
    "items": [{"description": "NASI LEMAK", "quantity": "1", "amount": "8.50"}],
    "payment_method": "cash",
    "category": "meals",
    "country": "MY",
    "sources": {"merchant": [0], "total": [5, 99], "date": [2]},
    "confidence": {"total": 0.97, "merchant": 1.4},
}


@pytest.fixture(autouse=True)
def _no_model_requests() -> Iterator[None]:
    previous = pydantic_ai.models.ALLOW_MODEL_REQUESTS
    pydantic_ai.models.ALLOW_MODEL_REQUESTS = False
    yield
    pydantic_ai.models.ALLOW_MODEL_REQUESTS = previous


@dataclass
class ScriptedModel:
    """A FunctionModel that records every prompt part and answers with ``answer`` (or raises ``error``)."""

    answer: dict[str, Any] = field(default_factory=lambda: dict(ANSWER))
    error: Exception | None = None
    hang: bool = False
    calls: int = 0
    seen: list[object] = field(default_factory=list[object])

    async def respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self.calls += 1
        for message in messages:
            for part in message.parts:
                if isinstance(part, UserPromptPart):
                    content = part.content
                    self.seen.extend([content] if isinstance(content, str) else content)
        if self.hang:
            await asyncio.Event().wait()
        if self.error is not None:
            raise self.error
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, json.dumps(self.answer))])

    @property
    def model(self) -> FunctionModel:
        return FunctionModel(self.respond, model_name="gpt-4o-mini")

    def images(self) -> list[BinaryContent]:
        return [part for part in self.seen if isinstance(part, BinaryContent)]


def llm_settings(
    tmp_path: Path,
    database_url: str,
    *,
    extractor: ExtractorChoice = "llm",
    model: str | None = "gpt-4o-mini",
    mode: LlmMode = "text",
    timeout: float = 30.0,
) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        process_samples=False,
        retry_backoff_seconds=0.01,
        extractor=extractor,
        llm=LlmSettings(model=model, api_key=SecretStr(SECRET), mode=mode, timeout_seconds=timeout),
    )


@dataclass
class Harness:
    service: NumzyService
    model: ScriptedModel

    async def process(self, data: bytes, name: str = "receipt.png") -> ReceiptView:
        uploaded = await self.service.upload(TEAM, data, name)
        return await self.service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)


@pytest.fixture
def scripted() -> ScriptedModel:
    return ScriptedModel()


async def _started(settings: Settings, model: ScriptedModel) -> NumzyService:
    db = make_engine(settings.resolved_database_url())
    service = NumzyService(
        settings=settings,
        engine=db,
        sessions=make_sessions(db),
        blobs=LocalBlobStore(settings.resolved_blob_dir()),
        extractor=OfflineExtractor(settings.limits, engine=LinesEngine(RECEIPT_LINES)),
        llm_model=model.model,
    )
    await service.start()
    return service


@pytest.fixture
async def harness(tmp_path: Path, database_url: str, scripted: ScriptedModel) -> AsyncIterator[Harness]:
    """The service with NUMZY_EXTRACTOR=llm (text mode) on SQLite and, when configured, PostgreSQL."""
    service = await _started(llm_settings(tmp_path, database_url), scripted)
    try:
        yield Harness(service, scripted)
    finally:
        await service.close()


@pytest.fixture
async def vision(tmp_path: Path, sqlite_url: str, scripted: ScriptedModel) -> AsyncIterator[Harness]:
    """The service with the model in vision mode."""
    service = await _started(llm_settings(tmp_path, sqlite_url, mode="vision"), scripted)
    try:
        yield Harness(service, scripted)
    finally:
        await service.close()


def _expected_cost(view: ReceiptView) -> Decimal:
    assert view.llm is not None
    return (Decimal("0.15") * view.llm.input_tokens + Decimal("0.60") * view.llm.output_tokens) / 1_000_000


async def test_a_receipt_is_read_by_the_model_settings_chose_and_its_tokens_and_cost_are_stored_and_shown(
    harness: Harness,
) -> None:
    view = await harness.process(image_bytes(seed=1))

    assert view.status.value == "completed"
    assert view.extractor == "llm:gpt-4o-mini"
    assert view.fields is not None
    assert view.fields.merchant == "Kedai Maju Sdn Bhd"
    assert view.fields.country == "MY"
    assert view.llm is not None
    assert (view.llm.model, view.llm.mode, view.llm.fallback_reason) == ("gpt-4o-mini", "text", None)
    assert view.llm.input_tokens > 0 and view.llm.output_tokens > 0
    assert view.llm.cost_usd == _expected_cost(view)
    again = await harness.service.get_receipt(TEAM, view.id)  # read back from the database
    assert again.llm is not None and again.llm.cost_usd == _expected_cost(view)
    usage = await harness.service.get_usage(TEAM)
    assert (usage.llm.calls, usage.llm.fallbacks, usage.llm.unpriced_calls) == (1, 0, 0)
    assert (usage.llm.input_tokens, usage.llm.output_tokens) == (view.llm.input_tokens, view.llm.output_tokens)
    assert usage.llm.cost_usd == _expected_cost(view)


async def test_the_model_sees_numbered_ocr_lines_and_its_cited_lines_become_the_field_sources(
    harness: Harness,
) -> None:
    view = await harness.process(image_bytes(seed=2))

    prompt = "\n".join(str(part) for part in harness.model.seen)
    assert "[0] KEDAI MAJU SDN BHD" in prompt and "[5] TOTAL RM 11.50" in prompt
    assert view.fields is not None
    assert view.fields.sources == {"merchant": [0], "total": [5], "date": [2]}  # line 99 does not exist
    # 1.4 is clamped to 1. The model's 0.97 for the total loses 0.2 because its one item does not add up
    # to it, and is raised back to 0.95 because the offline parser read the same total.
    assert (view.fields.confidence["total"], view.fields.confidence["merchant"]) == (0.95, 1.0)
    assert view.fields.confidence["category"] == 0.8


async def test_reprocessing_asks_the_model_again_and_the_usage_adds_up_both_calls(harness: Harness) -> None:
    first = await harness.process(image_bytes(seed=3))
    await harness.service.reprocess(TEAM, first.id)
    second = await harness.service.wait_for_receipt(TEAM, first.id, timeout=30)

    assert harness.model.calls == 2
    usage = await harness.service.get_usage(TEAM)
    assert usage.llm.calls == 2
    assert usage.llm.cost_usd == _expected_cost(first) + _expected_cost(second)


async def test_deleting_a_receipt_keeps_the_model_spend_in_the_usage(harness: Harness) -> None:
    view = await harness.process(image_bytes(seed=4))
    await harness.service.delete_receipt(TEAM, view.id)

    usage = await harness.service.get_usage(TEAM)
    assert (usage.llm.calls, usage.llm.cost_usd) == (1, _expected_cost(view))


async def test_a_model_error_keeps_the_offline_fields_and_records_the_reason(harness: Harness) -> None:
    harness.model.error = ModelAPIError("gpt-4o-mini", "upstream overloaded")
    view = await harness.process(image_bytes(seed=5))

    assert view.status.value == "completed"
    assert view.extractor == "test-lines"
    assert view.fields is not None and view.fields.merchant == "KEDAI MAJU SDN BHD"  # the offline parser's
    assert view.llm is not None and view.llm.fallback_reason is not None
    assert "endpoint failed" in view.llm.fallback_reason
    usage = await harness.service.get_usage(TEAM)
    assert (usage.llm.calls, usage.llm.fallbacks) == (1, 1)


async def test_an_answer_that_stays_invalid_keeps_the_offline_fields_and_records_the_tokens_spent(
    harness: Harness,
) -> None:
    harness.model.answer = {**ANSWER, "currency": "RM", "total": "eleven"}
    view = await harness.process(image_bytes(seed=6))

    assert view.status.value == "completed"
    assert view.fields is not None and view.fields.total == Decimal("11.50")
    assert view.llm is not None and view.llm.fallback_reason is not None
    assert "no valid receipt" in view.llm.fallback_reason
    assert harness.model.calls == 2  # sent back once to be fixed
    assert view.llm.input_tokens > 0 and view.llm.cost_usd is not None and view.llm.cost_usd > 0


async def test_a_model_that_never_answers_times_out_and_the_receipt_keeps_its_offline_fields(
    tmp_path: Path, sqlite_url: str, scripted: ScriptedModel
) -> None:
    scripted.hang = True
    service = await _started(llm_settings(tmp_path, sqlite_url, timeout=0.05), scripted)
    try:
        view = await Harness(service, scripted).process(image_bytes(seed=7))
    finally:
        await service.close()

    assert view.status.value == "completed"
    assert view.fields is not None and view.fields.merchant == "KEDAI MAJU SDN BHD"
    assert view.llm is not None and view.llm.fallback_reason == "the model did not answer within 0.05 s"


async def test_the_api_key_is_never_stored_or_logged_with_a_failure(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.model.error = RuntimeError(f"proxy said: bad key {SECRET}")
    with caplog.at_level(logging.DEBUG):
        view = await harness.process(image_bytes(seed=8))

    assert view.llm is not None and view.llm.fallback_reason is not None
    assert "proxy said" in view.llm.fallback_reason
    assert SECRET not in view.llm.fallback_reason
    assert SECRET not in caplog.text
    assert SECRET not in view.model_dump_json()


@pytest.mark.parametrize(
    ("extractor", "model"),
    [("offline", "gpt-4o-mini"), ("auto", None)],
)
async def test_the_model_never_reads_receipts_unless_settings_choose_it(
    tmp_path: Path, sqlite_url: str, scripted: ScriptedModel, extractor: ExtractorChoice, model: str | None
) -> None:
    service = await _started(llm_settings(tmp_path, sqlite_url, extractor=extractor, model=model), scripted)
    try:
        view = await Harness(service, scripted).process(image_bytes(seed=9))
        usage = await service.get_usage(TEAM)
    finally:
        await service.close()

    assert scripted.calls == 0
    assert (view.extractor, view.llm, usage.llm.calls) == ("test-lines", None, 0)
    assert view.fields is not None and view.fields.merchant == "KEDAI MAJU SDN BHD"


async def test_auto_uses_the_model_when_one_is_configured(
    tmp_path: Path, sqlite_url: str, scripted: ScriptedModel
) -> None:
    service = await _started(llm_settings(tmp_path, sqlite_url, extractor="auto"), scripted)
    try:
        view = await Harness(service, scripted).process(image_bytes(seed=10))
    finally:
        await service.close()

    assert scripted.calls == 1
    assert view.extractor == "llm:gpt-4o-mini"


async def test_the_service_built_from_settings_reads_receipts_with_the_configured_openai_compatible_model(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = llm_settings(tmp_path, sqlite_url, mode="vision").model_copy(update={"process_samples": False})
    service = NumzyService.from_settings(settings)
    try:
        await service.start()
        health = await service.health()
    finally:
        await service.close()
    assert str(health["extractor"]).startswith("llm:gpt-4o-mini (vision; fallback rapidocr")
    assert service._llm_extractor is not None
    assert isinstance(service._llm_extractor.model, OpenAIChatModel)
    offline = NumzyService.from_settings(llm_settings(tmp_path, sqlite_url, extractor="offline"))
    assert offline._llm_extractor is None
    await offline.close()


def _text_pdf(texts: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica, one line per entry)."""
    ops = ["BT /F1 12 Tf", *(f"1 0 0 1 20 {260 - 18 * i} Tm ({text}) Tj" for i, text in enumerate(texts)), "ET"]
    stream = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _scanned_pdf(pages: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(200, 300)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


async def test_a_pdf_with_a_text_layer_is_sent_as_numbered_text_even_in_vision_mode(vision: Harness) -> None:
    view = await vision.process(_text_pdf(["KEDAI MAJU SDN BHD", "TOTAL RM 11.50"]), "receipt.pdf")

    assert view.status.value == "completed"
    assert vision.model.images() == []
    assert any("[0] KEDAI MAJU SDN BHD" in str(part) for part in vision.model.seen)
    assert view.llm is not None and view.llm.mode == "text"
    assert view.fields is not None and view.fields.sources["merchant"] == [0]


async def test_a_heic_photo_is_sent_to_the_vision_model_as_a_jpeg(vision: Harness) -> None:
    view = await vision.process(HEIC.read_bytes(), "receipt.heic")

    assert [image.media_type for image in vision.model.images()] == ["image/jpeg"]
    assert view.llm is not None and (view.llm.mode, view.llm.fallback_reason) == ("vision", None)
    assert view.extractor == "llm:gpt-4o-mini"
    assert view.fields is not None and view.fields.sources == {}  # an image has no numbered lines to cite


async def test_a_scanned_pdf_is_sent_to_the_vision_model_as_rendered_png_pages(vision: Harness) -> None:
    view = await vision.process(_scanned_pdf(pages=2), "scan.pdf")

    assert [image.media_type for image in vision.model.images()] == ["image/png", "image/png"]
    assert view.llm is not None and view.llm.mode == "vision"
    assert view.fields is not None and view.fields.merchant == "Kedai Maju Sdn Bhd"


async def test_reprocessing_in_vision_mode_sends_the_stored_file_again(vision: Harness) -> None:
    view = await vision.process(image_bytes(seed=11), "receipt.png")
    await vision.service.reprocess(TEAM, view.id)
    await vision.service.wait_for_receipt(TEAM, view.id, timeout=30)

    assert [image.media_type for image in vision.model.images()] == ["image/png", "image/png"]


def test_invalid_settings_are_reported_by_name_without_their_values(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("NUMZY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NUMZY_EXTRACTOR", "llm")
    monkeypatch.setenv("NUMZY_LLM__API_KEY", SECRET)
    monkeypatch.delenv("NUMZY_LLM__MODEL", raising=False)

    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "NUMZY_EXTRACTOR" in err and "NUMZY_LLM__MODEL" in err
    assert SECRET not in err


def test_evaluating_the_model_sends_heic_and_scanned_pdfs_as_images_and_text_pdfs_as_lines(
    tmp_path: Path, scripted: ScriptedModel
) -> None:
    (tmp_path / "text.pdf").write_bytes(_text_pdf(["KEDAI MAJU SDN BHD", "TOTAL RM 11.50"]))
    (tmp_path / "scan.pdf").write_bytes(_scanned_pdf(pages=1))
    llm = LlmExtractor(LlmSettings(model="gpt-4o-mini", mode="vision"), model=scripted.model)
    run = llm_document_extractor(llm)

    outputs = [
        run(EvalDocument(id=path.stem, kind="pdf", path=path))
        for path in (HEIC, tmp_path / "scan.pdf", tmp_path / "text.pdf")
    ]

    assert [image.media_type for image in scripted.images()] == ["image/jpeg", "image/png"]
    assert any("[1] TOTAL RM 11.50" in str(part) for part in scripted.seen)
    assert all(isinstance(out, ExtractorOutput) and out.cost_usd and out.input_tokens > 0 for out in outputs)
