"""Every structured result validates against its tool's output schema, formats included.

Strict clients (the MCP Inspector uses Ajv with ajv-formats) check ``format`` too; ``jsonschema`` skips
"time" and "date-time" unless optional packages are installed, so the RFC 3339 checks are written here.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from fastmcp import Client
from jsonschema import Draft202012Validator, FormatChecker

from tests.images import image_bytes

_CHECKER = FormatChecker(formats=())


@_CHECKER.checks("date")
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


@_CHECKER.checks("date-time")
def _is_date_time(value: object) -> bool:
    pattern = r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
    return not isinstance(value, str) or re.fullmatch(pattern, value) is not None


@_CHECKER.checks("time")
def _is_time(value: object) -> bool:  # RFC 3339 full-time: the offset is required
    return (
        not isinstance(value, str)
        or re.fullmatch(r"\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value) is not None
    )


def _formats(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(_formats(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_formats(value) for value in schema))
    return set()


async def test_receipt_results_validate_against_their_output_schemas_with_formats_checked(mcp_client: Client) -> None:
    tools = {tool.name: tool for tool in await mcp_client.list_tools()}
    assert "time" not in set().union(*(_formats(tool.output_schema) for tool in tools.values()))

    content = base64.b64encode(image_bytes(seed=77)).decode()
    uploaded = await mcp_client.call_tool_mcp("upload_receipt", {"content_base64": content, "filename": "lunch.png"})
    assert uploaded.structured_content is not None
    receipt_id = uploaded.structured_content["receipt"]["id"]
    results = {
        "upload_receipt": uploaded,
        "get_receipt": await mcp_client.call_tool_mcp("get_receipt", {"receipt_id": receipt_id}),
        "list_receipts": await mcp_client.call_tool_mcp("list_receipts", {}),
        "reprocess_receipt": await mcp_client.call_tool_mcp("reprocess_receipt", {"receipt_id": receipt_id}),
    }
    got = results["get_receipt"].structured_content
    assert got is not None and got["fields"]["time"] == "13:05:00"  # the case strict clients refused
    for name, result in results.items():
        assert not result.is_error, name
        assert result.structured_content is not None, name
        validator = Draft202012Validator(tools[name].output_schema or {}, format_checker=_CHECKER)
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(result.structured_content)
        ]
        assert errors == [], f"{name}: {errors}"
