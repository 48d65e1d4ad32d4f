"""A photo the offline OCR cannot read is still read by a vision model, when settings choose one."""

from __future__ import annotations

from pathlib import Path

from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.service import NumzyService
from numzy_mcp.settings import Settings
from numzy_mcp.storage.blobs import LocalBlobStore
from numzy_mcp.storage.db import make_engine, make_sessions
from tests.conftest import LinesEngine
from tests.images import image_bytes
from tests.test_llm_receipts import TEAM, ScriptedModel, llm_settings


async def _service(settings: Settings, model: ScriptedModel) -> NumzyService:
    db = make_engine(settings.resolved_database_url())
    service = NumzyService(
        settings=settings,
        engine=db,
        sessions=make_sessions(db),
        blobs=LocalBlobStore(settings.resolved_blob_dir()),
        extractor=OfflineExtractor(settings.limits, engine=LinesEngine([])),  # the OCR finds no text
        llm_model=model.model,
    )
    await service.start()
    return service


async def test_a_photo_without_ocr_text_is_read_by_the_vision_model(tmp_path: Path, sqlite_url: str) -> None:
    model = ScriptedModel()
    service = await _service(llm_settings(tmp_path, sqlite_url, mode="vision"), model)
    try:
        uploaded = await service.upload(TEAM, image_bytes(seed=61), "handwritten.png")
        view = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)
    finally:
        await service.close()
    assert view.status.value == "completed"
    assert view.extractor == "llm:gpt-4o-mini"
    assert view.fields is not None and view.fields.merchant == "Kedai Maju Sdn Bhd"
    assert len(model.images()) == 1


async def test_a_photo_neither_reader_can_read_fails_with_the_offline_reason(tmp_path: Path, sqlite_url: str) -> None:
    model = ScriptedModel(error=RuntimeError("model down"))
    service = await _service(llm_settings(tmp_path, sqlite_url, mode="vision"), model)
    try:
        uploaded = await service.upload(TEAM, image_bytes(seed=62), "blank.png")
        view = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)
        usage = await service.get_usage(TEAM)
    finally:
        await service.close()
    assert view.status.value == "failed"
    assert view.error is not None and "No text could be read" in view.error.message
    assert usage.llm.calls >= 1  # the attempt is still accounted for


async def test_text_mode_does_not_send_an_unreadable_photo_to_the_model(tmp_path: Path, sqlite_url: str) -> None:
    model = ScriptedModel()
    service = await _service(llm_settings(tmp_path, sqlite_url, mode="text"), model)
    try:
        uploaded = await service.upload(TEAM, image_bytes(seed=63), "blank.png")
        view = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)
    finally:
        await service.close()
    assert view.status.value == "failed"
    assert model.calls == 0


async def test_reprocessing_a_model_read_photo_when_the_model_fails_fails_and_keeps_its_fields(
    tmp_path: Path, sqlite_url: str
) -> None:
    model = ScriptedModel()
    service = await _service(llm_settings(tmp_path, sqlite_url, mode="vision"), model)
    try:
        uploaded = await service.upload(TEAM, image_bytes(seed=64), "handwritten.png")
        first = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)
        model.error = RuntimeError("model down")
        await service.reprocess(TEAM, uploaded.receipt.id)
        again = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)
    finally:
        await service.close()
    assert first.status.value == "completed"
    assert again.status.value == "failed"  # never "completed" with every field empty
    assert again.error is not None and "No text could be read" in again.error.message
    assert first.fields is not None and again.fields is not None
    assert again.fields.merchant == first.fields.merchant == "Kedai Maju Sdn Bhd"
