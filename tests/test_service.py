"""The service end to end on SQLite, with the OCR engine replaced by a line double (plumbing, not OCR)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from numzy_mcp.errors import Conflict, ExtractionFailed, InvalidInput, NotFound, TooLarge, Unsupported
from numzy_mcp.receipts import OcrLine, ReceiptStatus
from numzy_mcp.service import NumzyService
from numzy_mcp.settings import LimitSettings, Settings
from numzy_mcp.views import ReceiptFilters
from tests.conftest import RECEIPT_LINES, LinesEngine, build_service
from tests.images import image_bytes

TEAM = "local"


async def upload_and_wait(service: NumzyService, data: bytes, name: str = "r.png", team: str = TEAM) -> Any:
    result = await service.upload(team, data, name)
    await service.wait_idle()
    return await service.get_receipt(team, result.receipt.id)


async def test_upload_extracts_audits_and_completes(service: NumzyService) -> None:
    receipt = await upload_and_wait(service, image_bytes())

    assert receipt.status is ReceiptStatus.COMPLETED
    assert receipt.progress.percent == 100
    assert receipt.fields is not None
    assert receipt.fields.total == Decimal("11.50")
    assert receipt.fields.currency == "MYR"
    assert receipt.fields.date == dt.date(2018, 3, 14)
    assert receipt.fields.confidence["total"] > 0
    assert receipt.decision == "approved"
    assert {f.rule_name for f in receipt.findings} >= {"Large total", "Weekend purchase"}


async def test_same_bytes_again_return_the_same_receipt(service: NumzyService) -> None:
    data = image_bytes(seed=3)
    first = await service.upload(TEAM, data, "a.png")
    second = await service.upload(TEAM, data, "renamed.png")

    assert second.duplicate is True
    assert first.duplicate is False
    assert second.receipt.id == first.receipt.id
    page = await service.list_receipts(TEAM)
    assert len(page.items) == 1


async def test_same_bytes_from_another_team_are_a_separate_receipt(service: NumzyService) -> None:
    data = image_bytes(seed=4)
    mine = await service.upload(TEAM, data, "a.png")
    theirs = await service.upload("other", data, "a.png")

    assert theirs.duplicate is False
    assert theirs.receipt.id != mine.receipt.id


async def test_a_team_cannot_read_another_teams_receipt(service: NumzyService) -> None:
    mine = await service.upload(TEAM, image_bytes(seed=5), "a.png")
    await service.wait_idle()

    with pytest.raises(NotFound):
        await service.get_receipt("other", mine.receipt.id)
    with pytest.raises(NotFound):
        await service.explain_receipt("other", mine.receipt.id)
    assert (await service.list_receipts("other")).items == []


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", InvalidInput),
        (b"hello, this is a text file and not a receipt\n", Unsupported),
        (image_bytes("JPEG")[:400], InvalidInput),
        (b"%PDF-1.7\n%broken", InvalidInput),
    ],
    ids=["empty", "text", "truncated-jpeg", "corrupt-pdf"],
)
async def test_bad_files_are_refused_and_nothing_is_stored(
    service: NumzyService, settings: Settings, data: bytes, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await service.upload(TEAM, data, "bad.bin")

    assert (await service.list_receipts(TEAM)).items == []
    blob_dir = settings.resolved_blob_dir()
    assert not blob_dir.exists() or not any(p.is_file() for p in blob_dir.rglob("*"))


async def test_oversized_file_is_refused(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        limits=LimitSettings(max_upload_bytes=1000), process_samples=False,
    )  # fmt: skip
    svc = build_service(settings, LinesEngine(RECEIPT_LINES))
    await svc.start()
    try:
        with pytest.raises(TooLarge):
            await svc.upload(TEAM, image_bytes(size=(900, 900)), "big.png")
        assert (await svc.list_receipts(TEAM)).items == []
    finally:
        await svc.close()


class FlakyEngine(LinesEngine):
    """Fails with an OS error a given number of times, then reads the lines."""

    def __init__(self, failures: int) -> None:
        super().__init__(RECEIPT_LINES)
        self.failures = failures

    def recognize(self, image: Any) -> list[OcrLine]:
        if self.failures > 0:
            self.failures -= 1
            raise OSError("disk hiccup")
        return super().recognize(image)


async def test_transient_errors_are_retried_until_success(settings: Settings) -> None:
    svc = build_service(settings, FlakyEngine(failures=2))
    await svc.start()
    try:
        receipt = await upload_and_wait(svc, image_bytes(seed=7))
        assert receipt.status is ReceiptStatus.COMPLETED
    finally:
        await svc.close()


async def test_transient_errors_give_up_after_three_attempts(settings: Settings) -> None:
    svc = build_service(settings, FlakyEngine(failures=10))
    await svc.start()
    try:
        receipt = await upload_and_wait(svc, image_bytes(seed=8))
        assert receipt.status is ReceiptStatus.FAILED
        assert receipt.error is not None
        assert receipt.error.code == "transient"
        assert "3 attempts" in receipt.error.message
    finally:
        await svc.close()


class PickyEngine(LinesEngine):
    """Refuses one particular image (by its height), reads the others."""

    def recognize(self, image: Any) -> list[OcrLine]:
        if image.height == 111:
            raise ExtractionFailed("The image holds no readable text.")
        return super().recognize(image)


async def test_one_bad_receipt_does_not_stop_the_others(settings: Settings) -> None:
    svc = build_service(settings, PickyEngine(RECEIPT_LINES))
    await svc.start()
    try:
        bad = await svc.upload(TEAM, image_bytes(seed=1, size=(200, 111)), "bad.png")
        good = await svc.upload(TEAM, image_bytes(seed=2), "good.png")
        await svc.wait_idle()
        failed = await svc.get_receipt(TEAM, bad.receipt.id)
        done = await svc.get_receipt(TEAM, good.receipt.id)
        assert failed.status is ReceiptStatus.FAILED
        assert failed.error is not None
        assert failed.error.code == "extraction_failed"
        assert done.status is ReceiptStatus.COMPLETED
        with pytest.raises(Conflict):
            await svc.explain_receipt(TEAM, bad.receipt.id)
    finally:
        await svc.close()


class NeverRuns:
    """A job queue that accepts jobs and runs none, as if the process died right after the upload."""

    async def start(self, handler: Any) -> None: ...
    async def enqueue(self, team_id: str, receipt_id: str, delay: float = 0.0) -> None: ...
    async def join(self) -> None: ...
    async def stop(self) -> None: ...


async def test_unfinished_receipts_are_requeued_at_start_up(settings: Settings) -> None:
    first = build_service(settings, LinesEngine(RECEIPT_LINES))
    first._jobs = NeverRuns()  # the process "dies" before processing
    await first.start()
    result = await first.upload(TEAM, image_bytes(seed=9), "a.png")
    await first.close()
    assert result.receipt.status is ReceiptStatus.PENDING

    second = build_service(settings, LinesEngine(RECEIPT_LINES))
    await second.start()
    try:
        await second.wait_idle()
        receipt = await second.get_receipt(TEAM, result.receipt.id)
        assert receipt.status is ReceiptStatus.COMPLETED
    finally:
        await second.close()


async def test_reprocess_reparses_stored_ocr_without_a_second_ocr_pass(settings: Settings) -> None:
    engine = LinesEngine(RECEIPT_LINES)
    svc = build_service(settings, engine)
    await svc.start()
    try:
        receipt = await upload_and_wait(svc, image_bytes(seed=10))
        assert engine.calls == 1
        await svc.reprocess(TEAM, receipt.id)
        await svc.wait_idle()
        again = await svc.get_receipt(TEAM, receipt.id)
        assert again.status is ReceiptStatus.COMPLETED
        assert engine.calls == 1
        await svc.reprocess(TEAM, receipt.id, ocr=True)
        await svc.wait_idle()
        assert engine.calls == 2
    finally:
        await svc.close()


async def test_list_pages_newest_first_without_overlap(service: NumzyService) -> None:
    ids = [(await service.upload(TEAM, image_bytes(seed=20 + i), f"{i}.png")).receipt.id for i in range(5)]
    await service.wait_idle()

    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = await service.list_receipts(TEAM, cursor=cursor, limit=2)
        assert len(page.items) <= 2
        seen.extend(item.id for item in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(reversed(ids))


async def test_list_filters_by_total_merchant_status_and_date(service: NumzyService) -> None:
    await service.upload(TEAM, image_bytes(seed=30), "a.png")
    await service.wait_idle()

    def count(**kwargs: Any) -> Any:
        return service.list_receipts(TEAM, ReceiptFilters(**kwargs))

    assert len((await count(min_total=Decimal("11.50"))).items) == 1
    assert len((await count(min_total=Decimal("11.51"))).items) == 0
    assert len((await count(max_total=Decimal(5))).items) == 0
    assert len((await count(merchant="maju")).items) == 1
    assert len((await count(merchant="tesco")).items) == 0
    assert len((await count(status=ReceiptStatus.FAILED)).items) == 0
    assert len((await count(date_from=dt.date(2018, 3, 14), date_to=dt.date(2018, 3, 14))).items) == 1
    assert len((await count(date_from=dt.date(2018, 3, 15))).items) == 0


@pytest.mark.parametrize("cursor", ["not-a-cursor", "e30", "!!!"])
async def test_a_bad_cursor_is_invalid_input(service: NumzyService, cursor: str) -> None:
    with pytest.raises(InvalidInput):
        await service.list_receipts(TEAM, cursor=cursor)


async def test_new_team_gets_the_three_default_rules(service: NumzyService) -> None:
    rules = await service.list_rules("fresh-team")
    assert [r.name for r in rules] == ["Large total", "Weekend purchase", "Missing total or date"]
    assert [r.action for r in rules] == ["flag", "flag", "review"]


async def test_explanation_names_the_rules_and_the_decision(service: NumzyService) -> None:
    receipt = await upload_and_wait(service, image_bytes(seed=40))
    explanation = await service.explain_receipt(TEAM, receipt.id)

    assert explanation.decision == "approved"
    assert "approved" in explanation.text.lower()


async def test_an_unexpected_failure_is_stored_without_the_drivers_text(
    service: NumzyService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("(psycopg.errors.NumericValueOutOfRange) INSERT INTO receipts ... parameters: secret")

    monkeypatch.setattr(service._extractor, "extract", explode)  # pyright: ignore[reportPrivateUsage]
    uploaded = await service.upload(TEAM, image_bytes(seed=70), "a.png")
    view = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)

    assert view.status is ReceiptStatus.FAILED
    assert view.error is not None and view.error.code == "internal_error"
    assert "RuntimeError" in view.error.message
    assert "INSERT" not in view.error.message and "secret" not in view.error.message


async def test_a_receipt_is_parsed_in_its_teams_currency_when_it_shows_none(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, default_currency="AUD", process_samples=False)
    service = build_service(settings, LinesEngine(["CORNER STORE", "04/03/2024", "MILK $3.50", "TOTAL $3.50"]))
    await service.start()
    try:
        uploaded = await service.upload(TEAM, image_bytes(seed=71), "a.png")
        view = await service.wait_for_receipt(TEAM, uploaded.receipt.id, timeout=30)
    finally:
        await service.close()
    assert view.fields is not None
    assert view.fields.currency == "AUD"
    assert view.fields.date == dt.date(2024, 3, 4)  # read day-first, as Australian receipts print dates
