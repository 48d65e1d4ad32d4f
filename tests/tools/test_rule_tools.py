"""MCP rule tools through the in-memory client, both eras."""

from __future__ import annotations

from typing import Any

from fastmcp import Client

RULE: dict[str, Any] = {
    "name": "Over five",
    "action": "review",
    "spec": {"type": "threshold", "field": "total", "operator": ">", "value": "5"},
}


async def test_create_list_test_update_and_delete_rules(mcp_client: Client) -> None:
    created = (await mcp_client.call_tool("create_rule", {"rule": RULE})).structured_content
    assert created is not None
    rule_id = created["id"]

    listed = (await mcp_client.call_tool("list_rules", {})).structured_content
    assert listed is not None
    assert rule_id in {r["id"] for r in listed["result"]}
    tested = (await mcp_client.call_tool("test_rule", {"rule_id": rule_id})).structured_content
    assert tested is not None
    assert tested["evaluated"] == 0
    updated = (
        await mcp_client.call_tool("update_rule", {"rule_id": rule_id, "rule": {**RULE, "enabled": False}})
    ).structured_content
    assert updated is not None
    assert updated["version"] == 2
    await mcp_client.call_tool("delete_rule", {"rule_id": rule_id})
    gone = await mcp_client.call_tool_mcp("delete_rule", {"rule_id": rule_id})
    assert gone.is_error
    assert "list_rules" in " ".join(getattr(block, "text", "") for block in gone.content)


async def test_a_refused_rule_is_an_error_naming_the_problem(mcp_client: Client) -> None:
    bad = {**RULE, "spec": {"type": "pattern", "field": "merchant", "pattern": "(a)\\1"}}
    result = await mcp_client.call_tool_mcp("create_rule", {"rule": bad})

    assert result.is_error
    assert "pattern" in " ".join(getattr(block, "text", "") for block in result.content)


async def test_rule_tools_are_annotated_truthfully(mcp_client: Client) -> None:
    tools = {tool.name: tool for tool in await mcp_client.list_tools()}

    assert tools["delete_rule"].annotations is not None
    assert tools["delete_rule"].annotations.destructive_hint is True
    assert tools["test_rule"].annotations is not None
    assert tools["test_rule"].annotations.read_only_hint is True
