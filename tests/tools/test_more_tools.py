"""The batch, search, delete, usage and prompt-template tools through the in-memory client, in both eras."""

from __future__ import annotations

import base64
import itertools
from typing import Any

from fastmcp import Client
from fastmcp.client.elicitation import ElicitResult

from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp
from tests.images import image_bytes


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def text_of(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def upload(client: Client, seed: int) -> str:
    result = await client.call_tool(
        "upload_receipt", {"content_base64": b64(image_bytes(seed=seed)), "filename": "a.png"}
    )
    assert result.structured_content is not None
    return result.structured_content["receipt"]["id"]


async def test_upload_result_links_to_the_receipt_resources_and_keeps_structured_content(mcp_client: Client) -> None:
    result = await mcp_client.call_tool_mcp(
        "upload_receipt", {"content_base64": b64(image_bytes(seed=40)), "filename": "lunch.png"}
    )

    assert result.structured_content is not None
    receipt_id = result.structured_content["receipt"]["id"]
    links = [block for block in result.content if block.type == "resource_link"]
    assert [str(link.uri) for link in links] == [f"receipt://{receipt_id}", f"receipt://{receipt_id}/file"]
    got = await mcp_client.call_tool_mcp("get_receipt", {"receipt_id": receipt_id})
    assert got.structured_content is not None
    assert got.structured_content["id"] == receipt_id
    assert any(block.type == "resource_link" for block in got.content)


async def test_batch_upload_reports_each_receipt_and_keeps_going_past_a_refused_file(mcp_client: Client) -> None:
    seen: list[tuple[float, float | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total))

    files = [
        {"content_base64": b64(image_bytes(seed=41)), "filename": "one.png"},
        {"content_base64": b64(b"not an image"), "filename": "notes.txt"},
        {"content_base64": b64(image_bytes(seed=42)), "filename": "two.png"},
    ]
    result = await mcp_client.call_tool("upload_receipts", {"files": files}, progress_handler=on_progress)
    body = result.structured_content
    assert body is not None

    assert [item["index"] for item in body["items"]] == [0, 1, 2]
    assert body["items"][1]["error"]["code"] == "unsupported"
    assert body["items"][0]["receipt"]["status"] == "completed"
    assert body["items"][2]["receipt"]["status"] == "completed"
    assert (body["completed"], body["failed"], body["pending"]) == (2, 1, 0)
    assert seen[-1] == (3, 3)
    counts = [done for done, _ in seen]
    assert all(a < b for a, b in itertools.pairwise(counts)), counts  # MCP progress only ever increases


async def test_search_finds_receipts_by_printed_text_and_by_merchant(mcp_client: Client) -> None:
    receipt_id = await upload(mcp_client, 43)

    by_text = (await mcp_client.call_tool("search_receipts", {"query": "teh tarik"})).structured_content
    by_merchant = (await mcp_client.call_tool("search_receipts", {"query": "kedai maju"})).structured_content
    nothing = (await mcp_client.call_tool("search_receipts", {"query": "confidence"})).structured_content

    assert by_text is not None and by_merchant is not None and nothing is not None
    assert [(hit["receipt"]["id"], hit["matched"], hit["snippet"]) for hit in by_text["items"]] == [
        (receipt_id, "text", "TEH TARIK 1 3.00")
    ]
    assert [hit["matched"] for hit in by_merchant["items"]] == ["merchant"]
    assert nothing["items"] == []


async def test_search_pages_with_a_cursor(mcp_client: Client) -> None:
    ids = [await upload(mcp_client, seed) for seed in (44, 45, 46)]

    first = (await mcp_client.call_tool("search_receipts", {"query": "nasi", "limit": 2})).structured_content
    assert first is not None and first["next_cursor"]
    second = (
        await mcp_client.call_tool("search_receipts", {"query": "nasi", "limit": 2, "cursor": first["next_cursor"]})
    ).structured_content
    assert second is not None

    found = [hit["receipt"]["id"] for hit in first["items"] + second["items"]]
    assert found == list(reversed(ids))
    assert second["next_cursor"] is None


async def test_delete_with_confirm_true_deletes_without_asking(mcp_client: Client) -> None:
    receipt_id = await upload(mcp_client, 47)

    result = await mcp_client.call_tool("delete_receipt", {"receipt_id": receipt_id, "confirm": True})
    missing = await mcp_client.call_tool_mcp("get_receipt", {"receipt_id": receipt_id})

    assert result.structured_content == {
        "receipt_id": receipt_id,
        "deleted": True,
        "message": f"Deleted {receipt_id} (a.png).",
    }
    assert missing.is_error


async def confirm_client(service: NumzyService, era: str, answer: str) -> Client:
    asked: list[str] = []

    async def handler(message: str, response_type: Any, params: Any, context: Any) -> Any:
        asked.append(message)
        if answer == "accept":
            return ElicitResult(action="accept", content={"delete": True} if era == "auto" else {"value": True})
        return ElicitResult(action=answer)  # pyright: ignore[reportArgumentType]

    client = Client(build_mcp(service), mode=era, elicitation_handler=handler)  # pyright: ignore[reportArgumentType]
    client.asked = asked  # pyright: ignore[reportAttributeAccessIssue]
    return client


async def test_delete_asks_the_user_and_deletes_only_on_accept(service: NumzyService, era: str) -> None:
    async with await confirm_client(service, era, "decline") as client:
        receipt_id = await upload(client, 48)
        declined = (await client.call_tool("delete_receipt", {"receipt_id": receipt_id})).structured_content
        still_there = await client.call_tool_mcp("get_receipt", {"receipt_id": receipt_id})
        asked = list(client.asked)  # pyright: ignore[reportAttributeAccessIssue]
    async with await confirm_client(service, era, "accept") as client:
        accepted = (await client.call_tool("delete_receipt", {"receipt_id": receipt_id})).structured_content
        gone = await client.call_tool_mcp("get_receipt", {"receipt_id": receipt_id})

    assert declined is not None and declined["deleted"] is False
    assert not still_there.is_error
    assert len(asked) == 1 and receipt_id in asked[0]
    assert accepted is not None and accepted["deleted"] is True
    assert gone.is_error


async def test_delete_without_elicitation_support_deletes_nothing_and_says_to_pass_confirm(
    mcp_client: Client,
) -> None:
    receipt_id = await upload(mcp_client, 51)

    result = await mcp_client.call_tool_mcp("delete_receipt", {"receipt_id": receipt_id})
    still_there = await mcp_client.call_tool_mcp("get_receipt", {"receipt_id": receipt_id})

    assert result.is_error
    assert "confirm=true" in text_of(result)
    assert not still_there.is_error


async def test_delete_of_an_unknown_receipt_says_how_to_find_ids(mcp_client: Client) -> None:
    result = await mcp_client.call_tool_mcp("delete_receipt", {"receipt_id": "rcp_nope", "confirm": True})

    assert result.is_error
    assert "list_receipts" in text_of(result)


async def test_usage_counts_this_months_receipts_by_status(mcp_client: Client) -> None:
    await upload(mcp_client, 49)

    usage = (await mcp_client.call_tool("get_usage", {})).structured_content

    assert usage is not None
    assert usage["receipts_this_month"] == 1
    assert usage["receipts_by_status"]["completed"] == 1
    assert (usage["rules"], usage["rules_enabled"], usage["api_keys_active"]) == (3, 3, 0)


async def test_prompt_template_edits_are_versioned_and_used_by_the_prompt(mcp_client: Client) -> None:
    receipt_id = await upload(mcp_client, 50)
    listed = (await mcp_client.call_tool("list_prompt_templates", {})).structured_content
    assert listed is not None
    assert {(t["name"], t["version"], t["source"]) for t in listed["result"]} == {
        ("audit_receipt", 0, "builtin"),
        ("explain_decision", 0, "builtin"),
        ("write_rule", 0, "builtin"),
        ("monthly_spend_review", 0, "builtin"),
    }

    saved = (
        await mcp_client.call_tool(
            "update_prompt_template",
            {"name": "audit_receipt", "body": "Audit {{ receipt.id }} against {{ rules | length }} rules."},
        )
    ).structured_content
    prompt = await mcp_client.get_prompt("audit_receipt", {"receipt_id": receipt_id})
    builtin = (
        await mcp_client.call_tool("get_prompt_template", {"name": "audit_receipt", "version": 0})
    ).structured_content

    assert saved is not None and (saved["version"], saved["source"]) == (1, "team")
    assert prompt.messages[0].content.text == f"Audit {receipt_id} against 3 rules."  # pyright: ignore[reportAttributeAccessIssue]
    assert builtin is not None and "Extracted fields" in builtin["body"]


async def test_a_template_with_an_unknown_variable_is_refused_with_the_allowed_ones(mcp_client: Client) -> None:
    result = await mcp_client.call_tool_mcp(
        "update_prompt_template", {"name": "write_rule", "body": "Write {{ polcy }} please"}
    )

    assert result.is_error
    assert "polcy" in text_of(result)
    assert "policy, rules" in text_of(result)
