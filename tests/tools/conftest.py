from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastmcp import Client

from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp


@pytest.fixture(params=["auto", "legacy"])
def era(request: pytest.FixtureRequest) -> str:
    """Both protocol eras: 2026-07-28 (auto) and 2025-11-25 (legacy)."""
    return request.param


@pytest.fixture
async def mcp_client(service: NumzyService, era: str) -> AsyncIterator[Client]:
    async with Client(build_mcp(service, allow_local_paths=True), mode=era) as client:  # pyright: ignore[reportArgumentType]
        yield client


@pytest.fixture
async def real_mcp_client(real_service: NumzyService) -> AsyncIterator[Client]:
    async with Client(build_mcp(real_service, allow_local_paths=True)) as client:
        yield client
