"""Tool results that carry structured content plus ``resource_link`` blocks to the receipt resources."""

from __future__ import annotations

from fastmcp.tools import ToolResult
from mcp.types import ContentBlock, ResourceLink, TextContent
from pydantic import BaseModel

from numzy_mcp.views import ReceiptView


def receipt_links(receipt: ReceiptView) -> list[ResourceLink]:
    """Links to the receipt as JSON and to its original file."""
    return [
        ResourceLink(
            type="resource_link", uri=receipt.resource_uri, name=f"receipt {receipt.id}", mime_type="application/json",
            description="The receipt's fields, findings and decision.",
        ),
        ResourceLink(
            type="resource_link", uri=receipt.file_uri, name=receipt.filename, mime_type=receipt.mime_type,
            description="The original file as uploaded.", size=receipt.size_bytes,
        ),
    ]  # fmt: skip


def linked(result: BaseModel, links: list[ResourceLink]) -> ToolResult:
    """``result`` as structuredContent and as JSON text, followed by ``links``."""
    content: list[ContentBlock] = [TextContent(type="text", text=result.model_dump_json()), *links]
    return ToolResult(content=content, structured_content=result.model_dump(mode="json"))
