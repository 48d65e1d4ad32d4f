"""A full card number printed on a receipt is never stored, searched or shown beyond its last four digits."""

from __future__ import annotations

from sqlalchemy import select

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
