"""Prompt templates: Jinja2 (sandboxed, ``StrictUndefined``), built-ins as files, team overrides validated here.

Each built-in lives in ``templates/<name>.md.j2``; ``BUILTINS`` says what it is for and which variables it
may use. A team's edited version must only use those variables and must render with the example context,
so a template that would fail at prompt time is refused when it is saved.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, Field

from numzy_mcp.errors import InvalidInput, NotFound

TEMPLATES_DIR = Path(__file__).parent / "templates"
MAX_TEMPLATE_CHARS = 20_000


class PromptArgument(BaseModel):
    """An argument the MCP client supplies when it asks for the prompt."""

    name: str
    description: str
    required: bool = True


class TemplateSpec(BaseModel):
    """A built-in prompt: what it is for, its arguments, and the variables its template may use."""

    name: str
    description: str
    arguments: list[PromptArgument]
    variables: dict[str, str] = Field(description="Variable name → what it holds.")
    example: dict[str, Any] = Field(description="A context used to check edited templates render.")


_RECEIPT_EXAMPLE: dict[str, Any] = {
    "id": "rcp_example",
    "filename": "lunch.jpg",
    "status": "completed",
    "fields": {"merchant": "Cafe Uno", "date": "2026-03-14", "total": "12.50", "currency": "EUR", "tax": "2.00"},
    "decision": "needs_review",
    "findings": [
        {"rule_name": "Weekend purchase", "outcome": "flag", "action": "flag", "message": "2026-03-14 is a Saturday."}
    ],
    "resource_uri": "receipt://rcp_example",
    "file_uri": "receipt://rcp_example/file",
}
_RULES_EXAMPLE: list[dict[str, Any]] = [
    {"name": "Large total", "action": "flag", "severity": "medium", "enabled": True, "description": "total > 50"}
]

BUILTINS: dict[str, TemplateSpec] = {
    spec.name: spec
    for spec in [
        TemplateSpec(
            name="audit_receipt",
            description="Review one receipt's extracted fields and findings against the team's rules, like an auditor.",
            arguments=[PromptArgument(name="receipt_id", description="The receipt to audit (rcp_…).")],
            variables={"receipt": "The receipt: id, filename, status, fields, decision, findings, resource_uri.",
                       "rules": "The team's enabled rules: name, action, severity, description."},
            example={"receipt": _RECEIPT_EXAMPLE, "rules": _RULES_EXAMPLE},
        ),
        TemplateSpec(
            name="explain_decision",
            description="Explain to the person who submitted a receipt why it was approved, flagged or rejected.",
            arguments=[PromptArgument(name="receipt_id", description="The receipt whose decision to explain (rcp_…).")],
            variables={"receipt": "The receipt, as in audit_receipt.",
                       "explanation": "headline, reasons (list), passed (rule names), text (Markdown)."},
            example={"receipt": _RECEIPT_EXAMPLE, "explanation": {
                "headline": "Needs review: flagged by Weekend purchase.", "reasons": ["2026-03-14 is a Saturday."],
                "passed": ["Large total"], "text": "**Needs review** …"}},
        ),
        TemplateSpec(
            name="write_rule",
            description="Turn a policy sentence into a Numzy audit rule, checking it against the existing rules.",
            arguments=[PromptArgument(name="policy", description="The policy in one sentence, e.g. 'No alcohol'.")],
            variables={"policy": "The sentence to turn into a rule.", "rules": "The team's rules, as in audit_receipt."},
            example={"policy": "Flag taxi receipts over 80", "rules": _RULES_EXAMPLE},
        ),
        TemplateSpec(
            name="monthly_spend_review",
            description="Summarise a month of receipts: spend per merchant and currency, flagged and failed ones.",
            arguments=[PromptArgument(name="month", description="The month to review, YYYY-MM (default: this month).",
                                      required=False)],
            variables={"month": "The month reviewed, YYYY-MM.",
                       "receipts": "That month's receipts: id, merchant, date, total, currency, status, decision.",
                       "totals": "Currency → total spend that month (decimal strings).",
                       "truncated": "True when there were more receipts than listed."},
            example={"month": "2026-03", "truncated": False, "totals": {"EUR": "12.50"}, "receipts": [
                {"id": "rcp_example", "merchant": "Cafe Uno", "date": "2026-03-14", "total": "12.50",
                 "currency": "EUR", "status": "completed", "decision": "needs_review"}]},
        ),
    ]
}  # fmt: skip


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def spec(name: str) -> TemplateSpec:
    """The built-in spec of ``name``.

    Raises:
        NotFound: no prompt template has that name.
    """
    try:
        return BUILTINS[name]
    except KeyError:
        raise NotFound(f"No prompt template is named {name!r}. Templates: {', '.join(BUILTINS)}.") from None


def builtin_body(name: str) -> str:
    """The shipped template text of ``name``."""
    spec(name)
    return (TEMPLATES_DIR / f"{name}.md.j2").read_text(encoding="utf-8")


def render(body: str, context: dict[str, Any]) -> str:
    """Render a template; a missing variable or attribute raises instead of printing nothing.

    Raises:
        InvalidInput: the template does not compile or fails while rendering.
    """
    try:
        return _environment().from_string(body).render(context).strip()
    except TemplateError as error:
        raise InvalidInput(f"The prompt template failed to render: {error}.") from error


def validate(name: str, body: str) -> None:
    """Refuse a team's template that does not compile, uses unknown variables or fails on the example context.

    Raises:
        NotFound: unknown template name.
        InvalidInput: what is wrong, with the allowed variables.
    """
    template_spec = spec(name)
    if not body.strip():
        raise InvalidInput("The template is empty. Send the full Jinja2 text of the prompt.")
    if len(body) > MAX_TEMPLATE_CHARS:
        raise InvalidInput(f"The template has {len(body)} characters; at most {MAX_TEMPLATE_CHARS} are allowed.")
    allowed = ", ".join(template_spec.variables)
    try:
        parsed = _environment().parse(body)
    except TemplateSyntaxError as error:
        raise InvalidInput(f"Template syntax error on line {error.lineno}: {error.message}.") from error
    unknown = sorted(meta.find_undeclared_variables(parsed) - set(template_spec.variables))
    if unknown:
        raise InvalidInput(f"The template uses unknown variable(s) {', '.join(unknown)}. Available: {allowed}.")
    render(body, template_spec.example)
