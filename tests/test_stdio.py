"""`numzy mcp` as a real stdio subprocess, driven by the official `mcp` client in both eras."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from tests.conftest import SroieReceipt


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize("era", ["auto", "legacy"])
async def test_stdio_server_uploads_by_path_and_reads_back(tmp_path: Path, sroie: list[SroieReceipt], era: str) -> None:
    sample = sroie[2]
    env = {**os.environ, "NUMZY_DATA_DIR": str(tmp_path), "NUMZY_DATABASE_URL": ""}
    env.pop("NUMZY_DATABASE_URL")
    params = StdioServerParameters(command=sys.executable, args=["-m", "numzy_mcp.cli", "mcp"], env=env)

    async with Client(params, mode=era) as client:  # pyright: ignore[reportArgumentType]
        tools = await client.list_tools()
        assert "upload_receipt" in {tool.name for tool in tools.tools}
        uploaded = await client.call_tool("upload_receipt", {"path": str(sample.path)})
        assert not uploaded.is_error, uploaded.content
        receipt = (uploaded.structured_content or {})["receipt"]
        assert receipt["status"] == "completed"
        assert Decimal(receipt["fields"]["total"]) == sample.total_value

        got = await client.call_tool("get_receipt", {"receipt_id": receipt["id"]})
        assert (got.structured_content or {})["id"] == receipt["id"]
        missing = await client.call_tool("get_receipt", {"receipt_id": "rcp_missing"})
        assert missing.is_error


@pytest.mark.timeout(60)
@pytest.mark.parametrize("era", ["auto", "legacy"])
async def test_stdio_server_serves_prompts_resources_and_the_new_tools(tmp_path: Path, era: str) -> None:
    env = {**os.environ, "NUMZY_DATA_DIR": str(tmp_path), "NUMZY_PROCESS_SAMPLES": "false"}
    env.pop("NUMZY_DATABASE_URL", None)
    params = StdioServerParameters(command=sys.executable, args=["-m", "numzy_mcp.cli", "mcp"], env=env)

    async with Client(params, mode=era) as client:  # pyright: ignore[reportArgumentType]
        prompts = await client.list_prompts()
        schema = await client.read_resource("numzy://schema/receipt")
        usage = await client.call_tool("get_usage", {})
        search = await client.call_tool("search_receipts", {"query": "coffee"})

    assert {prompt.name for prompt in prompts.prompts} == {
        "audit_receipt",
        "explain_decision",
        "write_rule",
        "monthly_spend_review",
    }
    assert "merchant" in schema.contents[0].text  # pyright: ignore[reportAttributeAccessIssue]
    assert (usage.structured_content or {})["receipts_total"] == 0
    assert (search.structured_content or {})["items"] == []
