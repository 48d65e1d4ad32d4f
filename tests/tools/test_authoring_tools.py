"""create_rule_from_text and activate_rule through the in-memory MCP client, both eras."""

from __future__ import annotations

from fastmcp import Client


async def test_create_rule_from_text_then_activate_rule_over_mcp(mcp_client: Client) -> None:
    preview = (
        await mcp_client.call_tool("create_rule_from_text", {"text": "Flag alcohol purchases"})
    ).structured_content
    assert preview is not None
    assert preview["dry_run"]["evaluated"] == 0
    activated = (await mcp_client.call_tool("activate_rule", {"draft": preview["draft"]})).structured_content
    assert activated is not None
    assert activated["enabled"] is True
    tools = {tool.name: tool for tool in await mcp_client.list_tools()}
    assert tools["activate_rule"].annotations is not None
    assert tools["activate_rule"].annotations.destructive_hint is True
    refused = await mcp_client.call_tool_mcp("create_rule_from_text", {"text": "Be careful with money"})
    assert refused.is_error
