"""The ``delete_receipt`` tool: destructive, so it asks the user first.

2026-07-28 clients get an ``InputRequiredResult`` (multi-round-trip elicitation); 2025-11-25 clients get
``ctx.elicit``. A client that can show neither passes ``confirm=true`` after asking the user itself.
"""

from collections.abc import Callable
from typing import Annotated

from fastmcp import Context, FastMCP
from fastmcp.exceptions import ToolError
from mcp.types import (
    ElicitRequest,
    ElicitRequestFormParams,
    ElicitResult,
    InputRequiredResult,
    ToolAnnotations,
)
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import BaseModel, Field

from numzy_mcp.service import NumzyService
from numzy_mcp.tools.errors import numzy_tool
from numzy_mcp.tools.receipts_ids import ReceiptId

CONFIRM_KEY = "confirm_delete"
NO_ELICITATION = (
    "Nothing was deleted: this client cannot ask the user for confirmation. Ask the user yourself, then call "
    "delete_receipt again with confirm=true."
)
CONFIRM_SCHEMA = {
    "type": "object",
    "properties": {"delete": {"type": "boolean", "title": "Delete it", "description": "Yes, delete it for good."}},
    "required": ["delete"],
}


class DeleteResult(BaseModel):
    """Whether the receipt was deleted."""

    receipt_id: str
    deleted: bool = Field(description="False when the user declined or cancelled; nothing was changed then.")
    message: str


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """Add ``delete_receipt`` to ``mcp``."""

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True))
    async def delete_receipt(
        ctx: Context,
        receipt_id: ReceiptId,
        confirm: Annotated[
            bool,
            Field(description="true only after the user agreed to delete; skips the confirmation question."),
        ] = False,
    ) -> DeleteResult | InputRequiredResult:
        """Delete a receipt, its audits and its original file for good. Asks the user to confirm first.

        If your client cannot show the confirmation, ask the user yourself and call again with confirm=true.
        """
        team_id = team()
        receipt = await service.get_receipt(team_id, receipt_id)  # NotFound before asking
        question = f"Delete receipt {receipt.id} ({receipt.filename}) with its audits and file? This cannot be undone."
        if not confirm:
            if not _can_elicit(ctx):
                raise ToolError(NO_ELICITATION)
            rc = ctx.request_context
            if rc is not None and rc.protocol_version in MODERN_PROTOCOL_VERSIONS:
                answers = ctx.input_responses
                if answers is None or CONFIRM_KEY not in answers:
                    return InputRequiredResult(
                        result_type="input_required",
                        request_state=receipt.id,
                        input_requests={
                            CONFIRM_KEY: ElicitRequest(
                                method="elicitation/create",
                                params=ElicitRequestFormParams(message=question, requested_schema=CONFIRM_SCHEMA),
                            )
                        },
                    )
                answer = answers[CONFIRM_KEY]
                confirm = (
                    isinstance(answer, ElicitResult)
                    and answer.action == "accept"
                    and bool((answer.content or {}).get("delete"))
                    and ctx.request_state == receipt.id
                )
            else:
                try:
                    response = await ctx.elicit(question, bool)
                except Exception as error:
                    raise ToolError(NO_ELICITATION) from error
                confirm = response.action == "accept" and bool(getattr(response, "data", False))
        if not confirm:
            return DeleteResult(receipt_id=receipt.id, deleted=False, message="Not deleted: the user did not confirm.")
        await service.delete_receipt(team_id, receipt.id)
        return DeleteResult(receipt_id=receipt.id, deleted=True, message=f"Deleted {receipt.id} ({receipt.filename}).")


def _can_elicit(ctx: Context) -> bool:
    """Whether the client declared the elicitation capability (per session, or per request on 2026-07-28)."""
    try:
        capabilities = ctx.session.client_capabilities
    except (AttributeError, RuntimeError):
        return False
    return capabilities is not None and capabilities.elicitation is not None
