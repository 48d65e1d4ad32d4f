"""API keys and the bearer policy: REST and MCP over HTTP share one key; loopback without a key is the owner."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
from collections.abc import AsyncGenerator
from typing import Any

import httpx
import pytest
import uvicorn
from fastmcp import Client

from numzy_mcp.api import create_app
from numzy_mcp.errors import InvalidInput, Unauthorized
from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp
from tests.images import image_bytes


def upload(client: httpx.AsyncClient, seed: int, headers: dict[str, str] | None = None) -> Any:
    return client.post("/receipts", files={"file": ("r.png", image_bytes(seed=seed), "image/png")}, headers=headers)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_a_key_is_shown_once_stored_hashed_and_stops_working_when_revoked(service: NumzyService) -> None:
    created = await service.create_key("acme", "ci", ["receipts:read"])
    principal = await service.authenticate(created.secret)
    listed = await service.list_keys("acme")
    await service.revoke_key("acme", created.id)

    assert created.secret.startswith("nzk_")
    assert (principal.team_id, principal.scopes, principal.key_id) == ("acme", frozenset({"receipts:read"}), created.id)
    assert [key.id for key in listed] == [created.id]
    assert "secret" not in listed[0].model_dump()
    assert created.secret not in repr(listed)
    with pytest.raises(Unauthorized):
        await service.authenticate(created.secret)


async def test_unknown_scopes_and_made_up_keys_are_refused(service: NumzyService) -> None:
    with pytest.raises(InvalidInput):
        await service.create_key("acme", "ci", ["receipts:delete"])
    with pytest.raises(Unauthorized):
        await service.authenticate("nzk_made-up")
    with pytest.raises(Unauthorized):
        await service.authenticate("some-other-token")


async def test_loopback_without_a_key_is_the_local_owner(client: httpx.AsyncClient, service: NumzyService) -> None:
    created = await upload(client, 70)
    await service.wait_idle()

    assert created.status_code == 201
    assert (await client.get("/receipts")).json()["items"][0]["id"] == created.json()["receipt"]["id"]


async def test_an_invalid_key_is_refused_even_from_loopback(client: httpx.AsyncClient) -> None:
    response = await client.get("/receipts", headers=bearer("nzk_not-a-real-key"))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_without_a_key_requests_are_refused_when_auth_is_required(service: NumzyService) -> None:
    app = create_app(service, build_mcp(service), manage_service=False, require_auth=True)
    key = await service.create_key(service.settings.default_team, "owner")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        refused = await http.get("/receipts")
        allowed = await http.get("/receipts", headers=bearer(key.secret))
        health = await http.get("/health")

    assert refused.status_code == 401
    assert allowed.status_code == 200
    assert health.status_code == 200


async def test_a_read_only_key_reads_but_cannot_upload(service: NumzyService, client: httpx.AsyncClient) -> None:
    key = await service.create_key(service.settings.default_team, "reader", ["receipts:read"])

    listed = await client.get("/receipts", headers=bearer(key.secret))
    refused = await upload(client, 71, bearer(key.secret))

    assert listed.status_code == 200
    assert refused.status_code == 403
    assert "receipts:write" in refused.json()["error"]["message"]


async def test_a_key_sees_only_its_own_teams_receipts(service: NumzyService, client: httpx.AsyncClient) -> None:
    acme = await service.create_key("acme", "acme-bot")
    await upload(client, 72)  # the local owner's team
    mine = await upload(client, 73, bearer(acme.secret))

    listed = (await client.get("/receipts", headers=bearer(acme.secret))).json()["items"]
    await service.wait_idle()

    assert [item["id"] for item in listed] == [mine.json()["receipt"]["id"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(service: NumzyService, *, require_auth: bool) -> AsyncGenerator[str]:
    """The real app on a loopback port, in this event loop."""
    app = create_app(service, build_mcp(service), manage_service=False, require_auth=require_auth)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


@pytest.mark.parametrize("era", ["auto", "legacy"])
async def test_mcp_over_http_acts_as_the_keys_team_with_its_scopes(service: NumzyService, era: str) -> None:
    reader = await service.create_key("acme", "reader", ["receipts:read"])
    writer = await service.create_key("acme", "writer", ["receipts:read", "receipts:write"])
    await service.upload(service.settings.default_team, image_bytes(seed=74), "owner.png")
    data = {"content_base64": base64.b64encode(image_bytes(seed=75)).decode(), "filename": "a.png"}

    async with serving(service, require_auth=True) as url:
        async with Client(url, auth=reader.secret, mode=era) as client:  # pyright: ignore[reportArgumentType]
            listed = (await client.call_tool("list_receipts", {})).structured_content
            refused = await client.call_tool_mcp("upload_receipt", data)
        async with Client(url, auth=writer.secret, mode=era) as client:  # pyright: ignore[reportArgumentType]
            uploaded = (await client.call_tool("upload_receipt", data)).structured_content
        async with httpx.AsyncClient() as http:
            anonymous = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})

    await service.wait_idle()
    assert anonymous.status_code == 401
    assert listed == {"items": [], "next_cursor": None}
    assert refused.is_error
    assert "receipts:write" in " ".join(getattr(block, "text", "") for block in refused.content)
    assert uploaded is not None
    assert uploaded["receipt"]["status"] == "completed"
    assert [r.id for r in (await service.list_receipts("acme")).items] == [uploaded["receipt"]["id"]]
