"""Long tools stop when the client gives up: the server-side wait is cancelled, in both eras."""

from __future__ import annotations

import asyncio
import base64
import threading
from typing import Any

import pytest
from fastmcp import Client

from numzy_mcp.receipts import OcrLine
from numzy_mcp.service import NumzyService
from numzy_mcp.settings import Settings
from numzy_mcp.tools import build_mcp
from tests.conftest import RECEIPT_LINES, LinesEngine, build_service
from tests.images import image_bytes


class BlockedEngine(LinesEngine):
    """OCR that does not finish until the test releases it."""

    def __init__(self) -> None:
        super().__init__(RECEIPT_LINES)
        self.release = threading.Event()

    def recognize(self, image: Any) -> list[OcrLine]:
        self.release.wait(timeout=20)
        return super().recognize(image)


@pytest.mark.parametrize("tool", ["upload_receipt", "upload_receipts"])
async def test_a_client_timeout_cancels_the_servers_wait(settings: Settings, era: str, tool: str) -> None:
    engine = BlockedEngine()
    service: NumzyService = build_service(settings, engine)
    await service.start()
    cancelled = asyncio.Event()
    wait = service.wait_for_receipt

    async def observed_wait(*args: Any, **kwargs: Any) -> Any:
        try:
            return await wait(*args, **kwargs)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    service.wait_for_receipt = observed_wait  # pyright: ignore[reportAttributeAccessIssue]
    file = {"content_base64": base64.b64encode(image_bytes(seed=95)).decode(), "filename": "slow.png"}
    arguments = file if tool == "upload_receipt" else {"files": [file]}
    try:
        async with Client(build_mcp(service), mode=era, timeout=0.5) as client:  # pyright: ignore[reportArgumentType]
            with pytest.raises(Exception):  # noqa: B017 (the client's timeout error type differs per era)
                await client.call_tool(tool, arguments)
            await asyncio.wait_for(cancelled.wait(), timeout=5)
    finally:
        engine.release.set()
        await service.wait_idle()
        await service.close()

    assert cancelled.is_set()
