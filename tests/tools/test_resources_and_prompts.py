"""Resources and prompts through the in-memory client, in both eras."""

from __future__ import annotations

import base64
import json

import pytest
from fastmcp import Client
from fastmcp.exceptions import McpError

from tests.images import image_bytes


async def upload(client: Client, seed: int) -> str:
    data = base64.b64encode(image_bytes(seed=seed)).decode()
    result = await client.call_tool("upload_receipt", {"content_base64": data, "filename": "r.png"})
    assert result.structured_content is not None
    return result.structured_content["receipt"]["id"]


async def test_resources_and_templates_are_listed(mcp_client: Client) -> None:
    resources = {str(resource.uri) for resource in await mcp_client.list_resources()}
    templates = {template.uri_template for template in await mcp_client.list_resource_templates()}

    assert resources == {"rules://active", "numzy://schema/receipt"}
    assert templates == {"receipt://{receipt_id}", "receipt://{receipt_id}/file"}


async def test_receipt_resource_is_the_json_of_get_receipt_and_the_file_is_the_original_blob(
    mcp_client: Client,
) -> None:
    receipt_id = await upload(mcp_client, 60)

    as_json = await mcp_client.read_resource(f"receipt://{receipt_id}")
    as_file = await mcp_client.read_resource(f"receipt://{receipt_id}/file")

    receipt = json.loads(as_json[0].text)  # pyright: ignore[reportAttributeAccessIssue]
    assert receipt["id"] == receipt_id
    assert receipt["fields"]["merchant"] == "KEDAI MAJU SDN BHD"
    assert as_file[0].mime_type == "image/png"
    assert base64.b64decode(as_file[0].blob) == image_bytes(seed=60)  # pyright: ignore[reportAttributeAccessIssue]


async def test_unknown_receipt_resource_is_an_error_naming_the_way_to_find_ids(mcp_client: Client) -> None:
    with pytest.raises(McpError) as caught:
        await mcp_client.read_resource("receipt://rcp_missing")

    assert "list_receipts" in str(caught.value)


async def test_active_rules_and_the_receipt_schema(mcp_client: Client) -> None:
    rules = json.loads((await mcp_client.read_resource("rules://active"))[0].text)  # pyright: ignore[reportAttributeAccessIssue]
    schema = json.loads((await mcp_client.read_resource("numzy://schema/receipt"))[0].text)  # pyright: ignore[reportAttributeAccessIssue]

    assert [rule["name"] for rule in rules] == ["Large total", "Weekend purchase", "Missing total or date"]
    assert {"merchant", "date", "total", "currency"} <= set(schema["properties"])


async def test_every_prompt_has_a_description_and_described_arguments(mcp_client: Client) -> None:
    prompts = {prompt.name: prompt for prompt in await mcp_client.list_prompts()}

    assert set(prompts) == {"audit_receipt", "explain_decision", "write_rule", "monthly_spend_review"}
    for prompt in prompts.values():
        assert prompt.description
        assert all(argument.description for argument in prompt.arguments or [])


async def test_prompts_render_live_data(mcp_client: Client) -> None:
    receipt_id = await upload(mcp_client, 61)

    audit = await mcp_client.get_prompt("audit_receipt", {"receipt_id": receipt_id})
    explain = await mcp_client.get_prompt("explain_decision", {"receipt_id": receipt_id})
    rule = await mcp_client.get_prompt("write_rule", {"policy": "Flag taxi receipts over 80"})
    month = await mcp_client.get_prompt("monthly_spend_review", {"month": "2018-03"})

    audit_text = audit.messages[0].content.text  # pyright: ignore[reportAttributeAccessIssue]
    assert f"receipt://{receipt_id}" in audit_text
    assert "- merchant: KEDAI MAJU SDN BHD" in audit_text
    assert "Large total" in audit_text
    assert "approved" in explain.messages[0].content.text  # pyright: ignore[reportAttributeAccessIssue]
    assert '"Flag taxi receipts over 80"' in rule.messages[0].content.text  # pyright: ignore[reportAttributeAccessIssue]
    month_text = month.messages[0].content.text  # pyright: ignore[reportAttributeAccessIssue]
    assert "Total spend: 11.50 MYR." in month_text
    assert f"KEDAI MAJU SDN BHD: 11.50 MYR — completed, approved ({receipt_id})" in month_text


async def test_a_prompt_with_a_bad_argument_says_what_is_allowed(mcp_client: Client) -> None:
    with pytest.raises(McpError) as caught:
        await mcp_client.get_prompt("monthly_spend_review", {"month": "March"})

    assert "YYYY-MM" in str(caught.value)
