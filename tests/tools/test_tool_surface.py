"""The public MCP surface (tools/list, prompts/list, resources) against a reviewed JSON snapshot.

Any change to a tool's name, description, schemas or annotations fails here until the snapshot is
regenerated and the diff reviewed. To accept a change:

    NUMZY_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/tools/test_tool_surface.py
    git diff tests/tools/snapshots/
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastmcp import Client

from numzy_mcp.service import NumzyService
from numzy_mcp.tools import build_mcp

SNAPSHOT = Path(__file__).parent / "snapshots" / "mcp_surface.json"


async def surface(client: Client) -> dict[str, Any]:
    tools = await client.list_tools_mcp()
    prompts = await client.list_prompts_mcp()
    resources = await client.list_resources_mcp()
    templates = await client.list_resource_templates_mcp()
    return {
        "tools": [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools.tools],
        "prompts": [prompt.model_dump(mode="json", by_alias=True, exclude_none=True) for prompt in prompts.prompts],
        "resources": [item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in resources.resources],
        "resource_templates": [
            item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in templates.resource_templates
        ],
    }


async def test_the_mcp_surface_matches_the_reviewed_snapshot(service: NumzyService, era: str) -> None:
    async with Client(build_mcp(service), mode=era) as client:  # pyright: ignore[reportArgumentType]
        current = await surface(client)
    rendered = json.dumps(current, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("NUMZY_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(rendered, encoding="utf-8")

    assert rendered == SNAPSHOT.read_text(encoding="utf-8"), (
        "The MCP surface changed. If intended: NUMZY_UPDATE_SNAPSHOTS=1 .venv/bin/pytest "
        "tests/tools/test_tool_surface.py, then review git diff tests/tools/snapshots/."
    )


async def test_every_tool_is_snake_case_described_and_annotated(service: NumzyService) -> None:
    async with Client(build_mcp(service)) as client:
        tools = await client.list_tools()

    for tool in tools:
        assert tool.name.replace("_", "").isalpha() and tool.name.islower(), tool.name
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.annotations is not None, tool.name
        assert tool.output_schema is not None, tool.name
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert "description" in schema or "$ref" in schema, f"{tool.name}.{name} has no description"
