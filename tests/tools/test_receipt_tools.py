"""MCP tools through the in-memory FastMCP client, in both protocol eras."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from fastmcp import Client
from fastmcp.exceptions import ToolError

from numzy_mcp.service import NumzyService
from tests.conftest import SroieReceipt
from tests.images import image_bytes


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def test_tools_are_listed_with_output_schemas_and_annotations(mcp_client: Client) -> None:
    tools = {tool.name: tool for tool in await mcp_client.list_tools()}

    assert {"upload_receipt", "get_receipt", "list_receipts", "audit_receipt", "explain_receipt"} <= set(tools)
    for tool in tools.values():
        assert tool.description
        assert tool.output_schema is not None
    assert tools["get_receipt"].annotations is not None
    assert tools["get_receipt"].annotations.read_only_hint is True
    assert tools["upload_receipt"].annotations is not None
    assert tools["upload_receipt"].annotations.idempotent_hint is True


async def test_upload_waits_reports_progress_and_returns_fields(mcp_client: Client) -> None:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    result = await mcp_client.call_tool(
        "upload_receipt",
        {"content_base64": b64(image_bytes(seed=1)), "filename": "a.png"},
        progress_handler=on_progress,
    )
    receipt: dict[str, Any] = result.structured_content["receipt"]  # pyright: ignore[reportOptionalSubscript]

    assert receipt["status"] == "completed"
    assert Decimal(receipt["fields"]["total"]) == Decimal("11.50")
    assert receipt["decision"] == "approved"
    assert seen
    assert seen[-1] == 100


async def test_same_file_uploaded_twice_is_the_same_receipt(mcp_client: Client) -> None:
    args = {"content_base64": b64(image_bytes(seed=2)), "filename": "a.png"}
    first = (await mcp_client.call_tool("upload_receipt", args)).structured_content
    second = (await mcp_client.call_tool("upload_receipt", args)).structured_content

    assert first is not None
    assert second is not None
    assert second["duplicate"] is True
    assert second["receipt"]["id"] == first["receipt"]["id"]


async def test_get_list_audit_and_explain(mcp_client: Client) -> None:
    uploaded = (
        await mcp_client.call_tool("upload_receipt", {"content_base64": b64(image_bytes(seed=3)), "filename": "a.png"})
    ).structured_content
    assert uploaded is not None
    receipt_id = uploaded["receipt"]["id"]

    got = (await mcp_client.call_tool("get_receipt", {"receipt_id": receipt_id})).structured_content
    listed = (await mcp_client.call_tool("list_receipts", {"limit": 5})).structured_content
    audited = (await mcp_client.call_tool("audit_receipt", {"receipt_id": receipt_id})).structured_content
    explained = (await mcp_client.call_tool("explain_receipt", {"receipt_id": receipt_id})).structured_content

    assert got is not None and listed is not None and audited is not None and explained is not None
    assert got["fields"]["merchant"]
    assert [item["id"] for item in listed["items"]] == [receipt_id]
    assert audited["decision"] == got["decision"]
    assert explained["decision"] == got["decision"]
    assert explained["text"]


@pytest.mark.parametrize(
    ("tool", "args", "hint"),
    [
        ("get_receipt", {"receipt_id": "rcp_missing"}, "list_receipts"),
        ("upload_receipt", {"content_base64": "%%%not base64%%%", "filename": "a.png"}, "base64"),
        ("upload_receipt", {"content_base64": b64(b"plain text"), "filename": "a.txt"}, "JPEG"),
        ("upload_receipt", {}, "exactly one"),
        ("upload_receipt", {"path": "/nonexistent/receipt.jpg"}, "No file"),
        ("upload_receipt", {"path": "\u0000"}, "not a usable file path"),
        ("upload_receipt", {"path": "/"}, "No file"),
        ("list_receipts", {"cursor": "garbage"}, "cursor"),
    ],
)
async def test_bad_calls_are_errors_that_say_what_to_do(
    mcp_client: Client, tool: str, args: dict[str, Any], hint: str
) -> None:
    result = await mcp_client.call_tool_mcp(tool, args)

    assert result.is_error
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert hint in text
    assert result.structured_content is None


async def test_oversized_base64_is_refused_before_decoding(service: NumzyService, era: str) -> None:
    limit = service.settings.limits.max_base64_bytes
    async with Client(service_mcp(service), mode=era) as client:  # pyright: ignore[reportArgumentType]
        with pytest.raises(ToolError) as caught:
            await client.call_tool("upload_receipt", {"content_base64": "A" * (limit * 2), "filename": "a.jpg"})
    assert "POST /uploads" in str(caught.value) and "upload_id" in str(caught.value)


def service_mcp(service: NumzyService) -> Any:
    from numzy_mcp.tools import build_mcp

    return build_mcp(service)


async def test_path_upload_is_refused_over_http_style_servers(service: NumzyService, era: str) -> None:
    async with Client(service_mcp(service), mode=era) as client:  # pyright: ignore[reportArgumentType]
        result = await client.call_tool_mcp("upload_receipt", {"path": "/etc/hostname"})
    assert result.is_error
    assert "content_base64" in " ".join(getattr(block, "text", "") for block in result.content)


@pytest.mark.slow
async def test_a_real_receipt_through_mcp(real_mcp_client: Client, sroie: list[SroieReceipt]) -> None:
    sample = sroie[1]
    result = await real_mcp_client.call_tool(
        "upload_receipt", {"content_base64": b64(sample.data), "filename": sample.path.name}
    )
    receipt = result.structured_content["receipt"]  # pyright: ignore[reportOptionalSubscript]

    assert receipt["status"] == "completed"
    assert Decimal(receipt["fields"]["total"]) == sample.total_value
    assert receipt["fields"]["raw"]["date"] == sample.date


@pytest.mark.parametrize(
    ("tool", "arguments", "said"),
    [
        ("get_receipt", {}, "receipt_id is required"),
        ("list_receipts", {"limit": 1000}, "limit: Input should be less than or equal to 100"),
        ("get_receipt", {"receipt_id": "r", "verbose": True}, "verbose is not an argument of this tool"),
    ],
)
async def test_bad_arguments_are_one_plain_sentence_with_a_code(
    service: NumzyService, era: str, tool: str, arguments: dict[str, Any], said: str
) -> None:
    async with Client(service_mcp(service), mode=era) as client:  # pyright: ignore[reportArgumentType]
        result = await client.call_tool_mcp(tool, arguments)
    text = result.content[0].text  # pyright: ignore[reportAttributeAccessIssue]
    assert result.is_error
    assert said in text and text.endswith("(code: invalid_input)")
    assert "pydantic.dev" not in text
