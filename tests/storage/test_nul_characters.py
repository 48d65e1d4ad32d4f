"""NUL characters: PostgreSQL text cannot hold them, so both databases bind them as U+FFFD."""

from __future__ import annotations

import httpx

from numzy_mcp.api import create_app
from numzy_mcp.receipts import ReceiptStatus
from numzy_mcp.settings import Settings
from numzy_mcp.tools import build_mcp
from tests.conftest import RECEIPT_LINES, LinesEngine, build_service
from tests.images import image_bytes

TEAM = "local"


async def test_nul_in_read_text_ids_and_filters_never_fails_a_request_or_a_receipt(settings: Settings) -> None:
    lines = ["KEDAI\x00 MAJU SDN BHD", *RECEIPT_LINES[1:]]
    service = build_service(settings, LinesEngine(lines))
    await service.start()
    try:
        stored = await service.upload(TEAM, image_bytes(seed=5), "nul.png")
        await service.wait_idle()
        receipt = await service.get_receipt(TEAM, stored.receipt.id)
        assert receipt.status is ReceiptStatus.COMPLETED  # on PostgreSQL the merchant column used to refuse it
        assert receipt.fields is not None and receipt.fields.merchant is not None
        assert "\x00" not in receipt.fields.merchant

        app = create_app(service, build_mcp(service), manage_service=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
            missing = await http.get("/receipts/rcp_abc%00")
            assert missing.status_code == 404
            assert missing.json()["error"]["code"] == "not_found"
            filtered = await http.get("/receipts", params={"merchant": "KEDAI\x00"})
            assert filtered.status_code == 200
            renamed = await http.post(
                "/audit_rules", json={"name": "a\x00b", "spec": {"type": "missing", "fields": ["total"]}}
            )
            assert renamed.status_code == 201
            assert "\x00" not in renamed.json()["name"]
            listed = await http.get(f"/receipts/{stored.receipt.id}")
            assert listed.status_code == 200  # what was stored reads back
    finally:
        await service.close()
