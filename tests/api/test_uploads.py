"""POST /uploads stages a large file; the MCP tool upload_receipt(upload_id=…) turns it into a receipt."""

from __future__ import annotations

import datetime as dt

import httpx
from fastmcp import Client

from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp
from tests.images import image_bytes


async def test_a_staged_upload_becomes_a_receipt_through_the_mcp_tool(
    client: httpx.AsyncClient, service: NumzyService
) -> None:
    staged = await client.post("/uploads", files={"file": ("big.png", image_bytes(seed=80), "image/png")})
    assert staged.status_code == 201
    upload_id = staged.json()["upload_id"]

    async with Client(build_mcp(service)) as mcp:
        first = (await mcp.call_tool("upload_receipt", {"upload_id": upload_id})).structured_content
        again = (await mcp.call_tool("upload_receipt", {"upload_id": upload_id})).structured_content

    assert first is not None and again is not None
    assert first["receipt"]["filename"] == "big.png"
    assert first["receipt"]["status"] == "completed"
    assert (again["duplicate"], again["receipt"]["id"]) == (True, first["receipt"]["id"])


async def test_uploads_refuse_what_receipts_refuse(client: httpx.AsyncClient) -> None:
    empty = await client.post("/uploads", files={"file": ("e.png", b"", "image/png")})
    text = await client.post("/uploads", files={"file": ("t.txt", b"hello", "text/plain")})

    assert (empty.status_code, empty.json()["error"]["code"]) == (422, "invalid_input")
    assert (text.status_code, text.json()["error"]["code"]) == (415, "unsupported")


async def test_an_unknown_or_other_teams_upload_id_is_not_found(service: NumzyService) -> None:
    theirs = await service.stage_upload("acme", image_bytes(seed=81), "x.png")

    async with Client(build_mcp(service)) as mcp:
        unknown = await mcp.call_tool_mcp("upload_receipt", {"upload_id": "upl_nope"})
        other_team = await mcp.call_tool_mcp("upload_receipt", {"upload_id": theirs.upload_id})

    for result in (unknown, other_team):
        assert result.is_error
        assert "POST the file to /uploads again" in " ".join(getattr(b, "text", "") for b in result.content)


async def test_an_expired_upload_is_gone(service: NumzyService) -> None:
    staged = await service.stage_upload("local", image_bytes(seed=82), "x.png")
    service._clock = lambda: staged.expires_at + dt.timedelta(seconds=1)  # pyright: ignore[reportAttributeAccessIssue]

    async with Client(build_mcp(service)) as mcp:
        result = await mcp.call_tool_mcp("upload_receipt", {"upload_id": staged.upload_id})

    assert result.is_error


async def test_a_read_only_key_cannot_stage_uploads(client: httpx.AsyncClient, service: NumzyService) -> None:
    key = await service.create_key("local", "reader", ["receipts:read"])

    response = await client.post(
        "/uploads",
        files={"file": ("a.png", image_bytes(seed=83), "image/png")},
        headers={"Authorization": f"Bearer {key.secret}"},
    )

    assert response.status_code == 403
