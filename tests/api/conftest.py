from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from numzy_mcp.api import create_app
from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp


@pytest.fixture
async def client(service: NumzyService) -> AsyncIterator[httpx.AsyncClient]:
    """Real HTTP through the ASGI app (service already started by its fixture)."""
    app = create_app(service, build_mcp(service), manage_service=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def real_client(real_service: NumzyService) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(real_service, build_mcp(real_service), manage_service=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http
