"""MCP prompts rendered from the team's templates, and the tools that read and edit those templates."""

from collections.abc import Callable
from typing import Annotated, Literal

from fastmcp import FastMCP
from fastmcp.exceptions import PromptError
from mcp.types import ToolAnnotations
from pydantic import Field

from numzy_mcp import prompts as templates
from numzy_mcp.errors import NumzyError
from numzy_mcp.service import NumzyService
from numzy_mcp.service.prompts import PromptTemplate, PromptTemplateInfo
from numzy_mcp.tools.auth import require_scopes
from numzy_mcp.tools.errors import numzy_tool

TemplateName = Literal["audit_receipt", "explain_decision", "write_rule", "monthly_spend_review"]
assert set(TemplateName.__args__) == set(templates.BUILTINS), "TemplateName must list every built-in template"


def register(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """Add the four MCP prompts and the prompt-template tools to ``mcp``."""
    register_prompts(mcp, service, team)

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def list_prompt_templates() -> list[PromptTemplateInfo]:
        """List the prompt templates behind Numzy's MCP prompts: purpose, arguments, variables, version in use.

        version 0 / source "builtin" means the team has not edited it.
        """
        return await service.list_prompt_templates(team())

    @numzy_tool(mcp, annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    async def get_prompt_template(
        name: Annotated[TemplateName, Field(description="Template name.")],
        version: Annotated[
            int | None, Field(ge=0, description="A saved version; 0 is the built-in; omit for the one in use.")
        ] = None,
    ) -> PromptTemplate:
        """Read a prompt template's Jinja2 text and the variables it may use, before editing it."""
        return await service.get_prompt_template(team(), name, version)

    @numzy_tool(
        mcp,
        scopes=("rules:write",),
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False),
    )
    async def update_prompt_template(
        name: Annotated[TemplateName, Field(description="Template name.")],
        body: Annotated[
            str,
            Field(
                min_length=1,
                max_length=templates.MAX_TEMPLATE_CHARS,
                description="The full new Jinja2 text. Use only the variables get_prompt_template lists.",
            ),
        ],
    ) -> PromptTemplate:
        """Save a new version of a prompt template for the team; the MCP prompt uses it from now on.

        The text is checked first: a syntax error, an unknown variable or a failed trial render is refused
        with the reason. Earlier versions are kept (get_prompt_template with version); to go back, save
        the old text again.
        """
        return await service.update_prompt_template(team(), name, body)


def register_prompts(mcp: FastMCP, service: NumzyService, team: Callable[[], str]) -> None:
    """The MCP prompts; each renders the team's current template with live data."""

    async def render(name: str, arguments: dict[str, str | None]) -> str:
        require_scopes(("receipts:read",))
        try:
            return await service.render_prompt(team(), name, arguments)
        except NumzyError as error:
            raise PromptError(f"{error.message} (code: {error.code})") from error

    described = {name: spec.description for name, spec in templates.BUILTINS.items()}

    @mcp.prompt(name="audit_receipt", description=described["audit_receipt"])
    async def audit_receipt(
        receipt_id: Annotated[str, Field(description="The receipt to audit (rcp_…).")],
    ) -> str:
        return await render("audit_receipt", {"receipt_id": receipt_id})

    @mcp.prompt(name="explain_decision", description=described["explain_decision"])
    async def explain_decision(
        receipt_id: Annotated[str, Field(description="The receipt whose decision to explain (rcp_…).")],
    ) -> str:
        return await render("explain_decision", {"receipt_id": receipt_id})

    @mcp.prompt(name="write_rule", description=described["write_rule"])
    async def write_rule(
        policy: Annotated[str, Field(description="The policy in one sentence, e.g. 'Flag taxi receipts over 80'.")],
    ) -> str:
        return await render("write_rule", {"policy": policy})

    @mcp.prompt(name="monthly_spend_review", description=described["monthly_spend_review"])
    async def monthly_spend_review(
        month: Annotated[
            str | None,
            Field(
                description="The month to review, YYYY-MM (default: this month); receipts count by the purchase date printed on them."
            ),
        ] = None,
    ) -> str:
        return await render("monthly_spend_review", {"month": month})
