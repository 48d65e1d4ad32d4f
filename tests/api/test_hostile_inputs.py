"""Inputs found by an adversarial review: each gets a clear 4xx, and nothing stored is lost."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from numzy_mcp.service import NumzyService
from tests.images import image_bytes
from tests.test_service import NeverRuns

LOOPING_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
)


def cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


async def upload(client: httpx.AsyncClient, data: bytes, name: str = "r.png") -> httpx.Response:
    return await client.post("/receipts", files={"file": (name, data, "application/octet-stream")})


async def test_a_pdf_whose_page_tree_loops_is_invalid_input(client: httpx.AsyncClient) -> None:
    response = await upload(client, LOOPING_PDF, "loop.pdf")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


async def test_deleting_a_receipt_never_removes_the_file_of_a_reupload(
    client: httpx.AsyncClient, service: NumzyService
) -> None:
    data = image_bytes(seed=5)
    first = (await upload(client, data)).json()["receipt"]["id"]
    await service.wait_idle()
    assert (await client.delete(f"/receipts/{first}")).status_code == 204

    again = (await upload(client, data)).json()["receipt"]["id"]
    await service.wait_idle()

    assert again != first
    file = await client.get(f"/receipts/{again}/file")
    assert file.status_code == 200
    assert file.content == data


async def test_a_non_ascii_filename_is_served_with_an_rfc5987_header(
    client: httpx.AsyncClient, service: NumzyService
) -> None:
    receipt_id = (await upload(client, image_bytes(seed=6), "收据 résumé.png")).json()["receipt"]["id"]
    await service.wait_idle()

    response = await client.get(f"/receipts/{receipt_id}/file")

    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert "filename*=UTF-8''%E6%94%B6%E6%8D%AE%20r%C3%A9sum%C3%A9.png" in disposition
    assert 'filename="?? r?sum?.png"' in disposition


@pytest.mark.parametrize(
    "bad",
    [
        cursor(["2030-01-01T00:00:00", "x"]),
        cursor(["2030-01-01", "x"]),
        cursor(["0001-01-01T00:00:00", "rcp"]),
        base64.urlsafe_b64encode(b"[" * 3000).decode(),
    ],
    ids=["naive-time", "date-only", "year-one", "deep-json"],
)
async def test_tampered_cursors_are_422(client: httpx.AsyncClient, bad: str) -> None:
    response = await client.get("/receipts", params={"cursor": bad})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize("value", ["1e400", "-1e20", "1e999999999"])
async def test_a_threshold_beyond_any_amount_is_refused_at_save(client: httpx.AsyncClient, value: str) -> None:
    spec = {"type": "threshold", "field": "total", "operator": ">", "value": value}
    response = await client.post("/audit_rules", json={"name": "huge", "spec": spec})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "rule_invalid"


async def test_a_rule_name_without_letters_or_digits_is_refused(client: httpx.AsyncClient) -> None:
    spec = {"type": "missing", "fields": ["total"]}
    response = await client.post("/audit_rules", json={"name": " \u200b\u2028 ", "spec": spec})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "rule_invalid"


async def test_concurrent_reprocess_calls_queue_the_receipt_once(
    client: httpx.AsyncClient, service: NumzyService
) -> None:
    receipt_id = (await upload(client, image_bytes(seed=7))).json()["receipt"]["id"]
    await service.wait_idle()
    workers = service._jobs
    service._jobs = NeverRuns()  # hold the requeued receipt in "pending", as a busy worker pool would
    try:
        responses = await asyncio.gather(*(client.post(f"/receipts/{receipt_id}/reprocess") for _ in range(6)))
    finally:
        service._jobs = workers

    assert sorted(r.status_code for r in responses) == [202] + [409] * 5
    assert (await client.get(f"/receipts/{receipt_id}")).json()["status"] == "pending"


async def test_concurrent_deletes_delete_once(client: httpx.AsyncClient, service: NumzyService) -> None:
    receipt_id = (await upload(client, image_bytes(seed=8))).json()["receipt"]["id"]
    await service.wait_idle()

    responses = await asyncio.gather(*(client.delete(f"/receipts/{receipt_id}") for _ in range(4)))

    assert sorted(r.status_code for r in responses) == [204, 404, 404, 404]


async def _chunks(total: int, prefix: bytes = b"") -> AsyncIterator[bytes]:
    yield prefix
    sent = 0
    while sent < total:
        yield b"A" * 65536
        sent += 65536


@pytest.mark.parametrize(
    ("path", "content_type", "prefix"),
    [
        ("/audit_rules", "application/json", b'{"name": "'),
        (
            "/receipts",
            "multipart/form-data; boundary=xx",
            b'--xx\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n',
        ),
    ],
)
async def test_a_chunked_body_past_the_cap_is_413_without_being_read_whole(
    client: httpx.AsyncClient, service: NumzyService, path: str, content_type: str, prefix: bytes
) -> None:
    cap = service.settings.limits.max_upload_bytes * 4 // 3 + (1 << 20)
    response = await client.post(
        path,
        content=_chunks(cap + (1 << 20), prefix),  # no Content-Length: sent chunked
        headers={"content-type": content_type, "accept": "application/json, text/event-stream"},
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert (await client.get("/receipts")).json()["items"] == []


async def test_a_declared_length_past_the_cap_is_refused_before_reading(
    client: httpx.AsyncClient, service: NumzyService
) -> None:
    cap = service.settings.limits.max_upload_bytes * 4 // 3 + (1 << 20)
    response = await client.post(
        "/audit_rules", content=b"{}", headers={"content-type": "application/json", "content-length": str(cap + 1)}
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
