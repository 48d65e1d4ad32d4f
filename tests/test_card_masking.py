"""A full card number printed on a receipt is never stored, searched or shown beyond its last four digits."""

from __future__ import annotations

from sqlalchemy import select

from numzy_mcp.receipts import OcrResult
from numzy_mcp.settings import Settings
from numzy_mcp.storage.tables import ReceiptRow
from tests.conftest import RECEIPT_LINES, LinesEngine, build_service
from tests.images import image_bytes

TEAM = "local"
PAN = "4111 1111 1111 1111"  # a Luhn-valid test card number


async def test_a_printed_card_number_is_masked_in_stored_ocr_fields_and_search(settings: Settings) -> None:
    engine = LinesEngine([*RECEIPT_LINES[:-2], f"VISA {PAN}", "AUTH CODE 123456"])
    service = build_service(settings, engine)
    await service.start()
    try:
        upload = await service.upload(TEAM, image_bytes(seed=41), "card.png")
        await service.wait_idle()
        receipt = await service.get_receipt(TEAM, upload.receipt.id)
        assert receipt.fields is not None
        assert receipt.fields.card_last4 == "1111"
        assert receipt.fields.payment_method == "card"

        async with service._sessions() as session:  # pyright: ignore[reportPrivateUsage] - read the stored row itself
            row = (await session.execute(select(ReceiptRow).where(ReceiptRow.id == upload.receipt.id))).scalar_one()
        stored = repr(row.ocr) + repr(row.fields)
        assert "4111 1111 1111 1111" not in stored and "4111111111111111" not in stored
        assert "1111" in stored  # the last four digits stay, so the payment can still be recognised

        hits = (await service.search_receipts(TEAM, "visa")).items
        assert [h.snippet for h in hits] == ["VISA **** **** **** 1111"]
        assert (await service.search_receipts(TEAM, "4111 1111")).items == []
        assert [h.receipt.id for h in (await service.search_receipts(TEAM, "auth code")).items] == [upload.receipt.id]
    finally:
        await service.close()


async def test_search_never_matches_a_full_card_number_in_rows_stored_before_masking(settings: Settings) -> None:
    service = build_service(settings, LinesEngine([*RECEIPT_LINES[:-2], "AUTH CODE 123456"]))
    await service.start()
    try:
        upload = await service.upload(TEAM, image_bytes(seed=42), "old.png")
        await service.wait_idle()
        async with service._sessions() as session:  # pyright: ignore[reportPrivateUsage] - write a row as older versions stored it
            row = (await session.execute(select(ReceiptRow).where(ReceiptRow.id == upload.receipt.id))).scalar_one()
            assert row.ocr is not None
            ocr = OcrResult.model_validate(row.ocr)
            lines = [*ocr.lines, ocr.lines[-1].model_copy(update={"text": "VISA 4111–1111–1111–1111"})]
            row.ocr = ocr.model_copy(update={"lines": lines}).model_dump(mode="json")
            row.merchant = "KEDAI 5555555555554444"
            await session.commit()

        for query in ("4111–1111–1111–1111", "4111-1111", "1111–1111–1111", "5555555555554444", "55555555"):
            assert (await service.search_receipts(TEAM, query)).items == [], query
        [text_hit] = (await service.search_receipts(TEAM, "visa")).items
        assert text_hit.snippet == "VISA ****–****–****–1111"
        [merchant_hit] = (await service.search_receipts(TEAM, "kedai")).items
        assert (merchant_hit.matched, merchant_hit.snippet) == ("merchant", "KEDAI ************4444")
        assert [h.snippet for h in (await service.search_receipts(TEAM, "–1111")).items] == ["VISA ****–****–****–1111"]
    finally:
        await service.close()
