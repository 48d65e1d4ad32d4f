"""MCP resources: a receipt as JSON, its original file, the team's active rules, the receipt field schema."""

import json
from collections.abc import Callable

from fastmcp import FastMCP
from fastmcp.exceptions import ResourceError
from fastmcp.resources import ResourceContent, ResourceResult

from numzy_mcp.errors import NumzyError
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.service import NumzyService
from numzy_mcp.tools.auth import require_scopes


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """Add the resources and resource templates to ``mcp``."""

    def allowed() -> str:
        require_scopes(("receipts:read",))
        return team()

    @mcp.resource(
        "receipt://{receipt_id}",
        name="receipt",
        mime_type="application/json",
        description="One receipt as JSON: status, extracted fields with confidences, findings and decision.",
    )
    async def receipt(receipt_id: str) -> str:
        try:
            view = await service.get_receipt(allowed(), receipt_id)
        except NumzyError as error:
            raise ResourceError(f"{error.message} (code: {error.code})") from error
        return view.model_dump_json()

    @mcp.resource(
        "receipt://{receipt_id}/file",
        name="receipt_file",
        mime_type="application/octet-stream",
        description="The original receipt file (image or PDF) as uploaded, as a blob.",
    )
    async def receipt_file(receipt_id: str) -> ResourceResult:
        try:
            stored = await service.get_file(allowed(), receipt_id)
        except NumzyError as error:
            raise ResourceError(f"{error.message} (code: {error.code})") from error
        return ResourceResult([ResourceContent(stored.data, mime_type=stored.mime_type)])

    @mcp.resource(
        "rules://active",
        name="active_rules",
        mime_type="application/json",
        description="The team's enabled audit rules, in evaluation order, as JSON.",
    )
    async def active_rules() -> str:
        rules = await service.list_rules(allowed())
        return json.dumps([rule.model_dump(mode="json") for rule in rules if rule.enabled], ensure_ascii=False)

    @mcp.resource(
        "numzy://schema/receipt",
        name="receipt_schema",
        mime_type="application/schema+json",
        description="JSON Schema of the fields Numzy extracts from a receipt (what rules and filters can use).",
    )
    def receipt_schema() -> str:
        return json.dumps(ExtractedFields.model_json_schema(), ensure_ascii=False)
