"""REST through the ASGI app: uploads, reads, lists, errors as 4xx with stable codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from numzy_mcp.service import NumzyService
from tests.conftest import SroieReceipt
from tests.images import image_bytes


def upload(client: httpx.AsyncClient, data: bytes, name: str = "r.png", mime: str = "image/png") -> Any:
    return client.post("/receipts", files={"file": (name, data, mime)})


@pytest.mark.slow
async def test_real_receipts_flow_through_rest_to_an_explained_audit(
    real_client: httpx.AsyncClient, real_service: NumzyService, sroie: list[SroieReceipt]
) -> None:
    sample = sroie[0]
    created = await upload(real_client, sample.data, sample.path.name, "image/jpeg")
    assert created.status_code == 201
    body = created.json()["receipt"]
    assert body["status"] in {"pending", "processing", "completed"}
    await real_service.wait_idle()

    got = (await real_client.get(f"/receipts/{body['id']}")).json()
    assert got["status"] == "completed"
    assert Decimal(got["fields"]["total"]) == sample.total_value
    assert got["fields"]["raw"]["date"] == sample.date
    assert 0 < got["fields"]["confidence"]["total"] <= 1
    assert got["decision"] in {"approved", "needs_review", "rejected"}

    audit = (await real_client.get(f"/receipts/{body['id']}/audit")).json()
    assert audit["decision"] == got["decision"]
    assert {f["rule_name"] for f in audit["findings"]} >= {"Large total", "Weekend purchase", "Missing total or date"}
    explanation = (await real_client.get(f"/receipts/{body['id']}/explanation")).json()
    assert explanation["decision"] == got["decision"]
    assert explanation["text"]

    file = await real_client.get(f"/receipts/{body['id']}/file")
    assert file.status_code == 200
    assert file.headers["content-type"] == "image/jpeg"
    assert file.content == sample.data


async def test_duplicate_upload_returns_200_and_the_same_id(client: httpx.AsyncClient) -> None:
    data = image_bytes(seed=1)
    first = await upload(client, data)
    second = await upload(client, data, "again.png")

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["receipt"]["id"] == first.json()["receipt"]["id"]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 422, "invalid_input"),
        (b"just some text, not an image", 415, "unsupported"),
        (image_bytes("JPEG")[:300], 422, "invalid_input"),
        (b"GIF89a" + b"\x00" * 100, 415, "unsupported"),
    ],
    ids=["empty", "text", "truncated", "gif"],
)
async def test_bad_uploads_get_4xx_with_a_code_and_store_nothing(
    client: httpx.AsyncClient, data: bytes, status: int, code: str
) -> None:
    response = await upload(client, data, "bad.bin", "application/octet-stream")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert (await client.get("/receipts")).json()["items"] == []


async def test_oversized_upload_gets_413(client: httpx.AsyncClient, service: NumzyService) -> None:
    limit = service.settings.limits.max_upload_bytes
    response = await upload(client, b"\xff\xd8\xff" + b"\x00" * (limit + 10), "huge.jpg", "image/jpeg")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert (await client.get("/receipts")).json()["items"] == []


async def test_missing_file_field_is_invalid_input(client: httpx.AsyncClient) -> None:
    response = await client.post("/receipts", data={"nothing": "here"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


async def test_unknown_receipt_is_404_not_found(client: httpx.AsyncClient) -> None:
    for path in ("/receipts/rcp_nope", "/receipts/rcp_nope/audit", "/receipts/rcp_nope/file"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


async def test_list_paginates_with_a_cursor_and_filters(client: httpx.AsyncClient, service: NumzyService) -> None:
    ids = [(await upload(client, image_bytes(seed=50 + i))).json()["receipt"]["id"] for i in range(3)]
    await service.wait_idle()

    first = (await client.get("/receipts", params={"limit": 2})).json()
    second = (await client.get("/receipts", params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [r["id"] for r in first["items"] + second["items"]] == list(reversed(ids))
    assert second["next_cursor"] is None
    assert first["items"][0]["total"] == {"amount": "11.50", "currency": "MYR"}
    filtered = (await client.get("/receipts", params={"min_total": "100"})).json()
    assert filtered["items"] == []
    completed = (await client.get("/receipts", params={"status": "completed"})).json()
    assert len(completed["items"]) == 3


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"status": "done"}, {"min_total": "abc"}, {"cursor": "garbage"}],
)
async def test_bad_list_parameters_are_422(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    response = await client.get("/receipts", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


async def test_reprocess_requeues_and_completes_again(client: httpx.AsyncClient, service: NumzyService) -> None:
    receipt_id = (await upload(client, image_bytes(seed=60))).json()["receipt"]["id"]
    await service.wait_idle()

    response = await client.post(f"/receipts/{receipt_id}/reprocess")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    await service.wait_idle()
    assert (await client.get(f"/receipts/{receipt_id}")).json()["status"] == "completed"


async def test_health_reports_the_database(client: httpx.AsyncClient, database_url: str) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert database_url.startswith(response.json()["database"])


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nope", 404, "not_found"),
        ("GET", "/receipts/rcp_x/nothing", 404, "not_found"),
        ("PUT", "/receipts", 405, "method_not_allowed"),
    ],
)
async def test_unknown_routes_and_methods_get_the_json_error_body(
    client: httpx.AsyncClient, method: str, path: str, status: int, code: str
) -> None:
    response = await client.request(method, path)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
