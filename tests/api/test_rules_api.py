"""REST /audit_rules: CRUD, enable/disable, dry-run, refusals as 422 rule_invalid."""

from __future__ import annotations

import httpx

from numzy_mcp.service import NumzyService
from tests.images import image_bytes

RULE = {
    "name": "Over five",
    "action": "flag",
    "spec": {"type": "threshold", "field": "total", "operator": ">", "value": "5"},
}


async def test_rule_crud_over_rest(client: httpx.AsyncClient) -> None:
    created = await client.post("/audit_rules", json=RULE)
    assert created.status_code == 201
    rule_id = created.json()["id"]

    assert rule_id in {r["id"] for r in (await client.get("/audit_rules")).json()}
    updated = await client.put(f"/audit_rules/{rule_id}", json={**RULE, "action": "review"})
    assert updated.json()["version"] == 2
    assert (await client.post(f"/audit_rules/{rule_id}/disable")).json()["enabled"] is False
    assert (await client.post(f"/audit_rules/{rule_id}/enable")).json()["enabled"] is True
    assert (await client.delete(f"/audit_rules/{rule_id}")).status_code == 204
    missing = await client.get(f"/audit_rules/{rule_id}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


async def test_a_refused_rule_is_422_rule_invalid_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/audit_rules", json={"name": "bad", "spec": {"type": "category", "operator": "in", "categories": ["snacks"]}}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "rule_invalid"
    assert "snacks" in response.json()["error"]["message"]


async def test_dry_run_over_rest(client: httpx.AsyncClient, service: NumzyService) -> None:
    await client.post("/receipts", files={"file": ("a.png", image_bytes(seed=1), "image/png")})
    await service.wait_idle()

    result = await client.post("/audit_rules/dry_run", json={"rule": RULE})
    assert result.status_code == 200
    assert result.json()["count"] == 1
    assert result.json()["matches"][0]["total"] == "11.50"
    neither = await client.post("/audit_rules/dry_run", json={})
    assert neither.status_code == 422
    assert neither.json()["error"]["code"] == "invalid_input"
