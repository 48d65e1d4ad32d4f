"""Prompt use cases: the team's templates (built-in or their own saved versions) and rendering MCP prompts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from numzy_mcp import prompts
from numzy_mcp.authoring import describe
from numzy_mcp.errors import InvalidInput, NotFound
from numzy_mcp.explain import Explanation
from numzy_mcp.prompts import PromptArgument
from numzy_mcp.receipts import ReceiptStatus
from numzy_mcp.rules import Rule
from numzy_mcp.service.audits import AuditUseCases
from numzy_mcp.service.base import new_id
from numzy_mcp.service.receipts import ReceiptUseCases
from numzy_mcp.service.rules import RuleUseCases
from numzy_mcp.storage.repositories import PromptTemplateRepo
from numzy_mcp.storage.tables import PromptTemplateRow
from numzy_mcp.views import ReceiptFilters, ReceiptPage, ReceiptView

REVIEW_LIMIT = 100
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PromptTemplateInfo(BaseModel):
    """A prompt template as listed: which version is in use and what it is for."""

    name: str
    description: str
    arguments: list[PromptArgument]
    variables: dict[str, str] = Field(description="Variables the template may use, with what each holds.")
    version: int = Field(description="0 for the built-in; the team's saved versions count from 1.")
    source: Literal["builtin", "team"]
    updated_at: dt.datetime | None = None


class PromptTemplate(PromptTemplateInfo):
    """A prompt template with its Jinja2 text."""

    body: str = Field(description="Jinja2 text; variables fail loudly when missing (StrictUndefined).")


class PromptUseCases(ReceiptUseCases, AuditUseCases, RuleUseCases):
    """Prompt templates per team, versioned, with the built-ins as the fallback."""

    @staticmethod
    def _template(name: str, row: PromptTemplateRow | None) -> PromptTemplate:
        spec = prompts.spec(name)
        return PromptTemplate(
            name=name, description=spec.description, arguments=spec.arguments, variables=spec.variables,
            version=row.version if row else 0, source="team" if row else "builtin",
            updated_at=row.created_at if row else None, body=row.body if row else prompts.builtin_body(name),
        )  # fmt: skip

    async def list_prompt_templates(self, team_id: str) -> list[PromptTemplateInfo]:
        """Every prompt template with the version the team uses."""
        await self._ensure_team(team_id)
        async with self._sessions() as session:
            saved = await PromptTemplateRepo(session, team_id).latest_all()
        return [
            PromptTemplateInfo.model_validate(self._template(name, saved.get(name)).model_dump(exclude={"body"}))
            for name in prompts.BUILTINS
        ]

    async def get_prompt_template(self, team_id: str, name: str, version: int | None = None) -> PromptTemplate:
        """The template in use (or one saved ``version``; 0 is the built-in).

        Raises:
            NotFound: unknown name or version.
        """
        prompts.spec(name)
        if version == 0:
            return self._template(name, None)
        async with self._sessions() as session:
            repo = PromptTemplateRepo(session, team_id)
            row = await (repo.latest(name) if version is None else repo.version(name, version))
        if version is not None and row is None:
            raise NotFound(f"Template {name!r} has no version {version}. Use list_prompt_templates to see versions.")
        return self._template(name, row)

    async def update_prompt_template(self, team_id: str, name: str, body: str) -> PromptTemplate:
        """Save a new version of the team's template; it is used from now on. The old versions are kept.

        Raises:
            NotFound: unknown template name.
            InvalidInput: the template does not compile, uses unknown variables or fails to render.
        """
        prompts.validate(name, body)
        await self._ensure_team(team_id)
        async with self._sessions.begin() as session:
            repo = PromptTemplateRepo(session, team_id)
            latest = await repo.latest(name)
            row = PromptTemplateRow(
                id=new_id("tpl"), team_id=team_id, name=name, version=(latest.version if latest else 0) + 1,
                body=body, created_at=self._clock(),
            )  # fmt: skip
            await repo.add(row)
        return self._template(name, row)

    async def render_prompt(self, team_id: str, name: str, arguments: dict[str, str | None]) -> str:
        """Render the team's template ``name`` with live data for ``arguments``.

        Raises:
            NotFound: unknown template, or a receipt id that is not the team's.
            InvalidInput: a bad argument.
        """
        template = await self.get_prompt_template(team_id, name)
        context = await self._prompt_context(team_id, name, arguments)
        return prompts.render(template.body, context)

    async def _prompt_context(self, team_id: str, name: str, arguments: dict[str, str | None]) -> dict[str, Any]:
        if name in ("audit_receipt", "explain_decision"):
            receipt = await self._receipt_for_prompt(team_id, arguments.get("receipt_id"))
            if name == "audit_receipt":
                return {"receipt": receipt, "rules": await self._rules_for_prompt(team_id, enabled_only=True)}
            explanation: Explanation = await self.explain_receipt(team_id, receipt["id"])
            return {"receipt": receipt, "explanation": explanation.model_dump(mode="json")}
        if name == "write_rule":
            policy = (arguments.get("policy") or "").strip()
            if not policy:
                raise InvalidInput("Give policy: the rule in one sentence, e.g. 'Flag hotel receipts over 200'.")
            return {"policy": policy, "rules": await self._rules_for_prompt(team_id, enabled_only=False)}
        if name == "monthly_spend_review":
            return await self._month_context(team_id, arguments.get("month"))
        raise NotFound(f"No prompt is named {name!r}.")

    async def _receipt_for_prompt(self, team_id: str, receipt_id: str | None) -> dict[str, Any]:
        if not receipt_id:
            raise InvalidInput("Give receipt_id (rcp_…); list_receipts shows the ids.")
        view: ReceiptView = await self.get_receipt(team_id, receipt_id)
        return view.model_dump(mode="json")

    async def _rules_for_prompt(self, team_id: str, *, enabled_only: bool) -> list[dict[str, Any]]:
        rules: list[Rule] = await self.list_rules(team_id, enabled_only=enabled_only)
        return [
            {"name": rule.name, "action": rule.action, "severity": rule.severity, "enabled": rule.enabled,
             "description": describe(rule.spec)}
            for rule in rules
        ]  # fmt: skip

    async def _month_context(self, team_id: str, month: str | None) -> dict[str, Any]:
        month = (month or self._clock().strftime("%Y-%m")).strip()
        match = MONTH.match(month)
        if match is None:
            raise InvalidInput(f"month must be YYYY-MM, e.g. 2026-03; got {month!r}.")
        year, number = int(match[1]), int(match[2])
        first = dt.date(year, number, 1)
        last = (dt.date(year + number // 12, number % 12 + 1, 1)) - dt.timedelta(days=1)
        page: ReceiptPage = await self.list_receipts(
            team_id, ReceiptFilters(date_from=first, date_to=last), None, REVIEW_LIMIT
        )
        totals: dict[str, Decimal] = {}
        receipts: list[dict[str, Any]] = []
        for item in page.items:
            if item.total is not None and item.status == ReceiptStatus.COMPLETED:
                totals[item.total.currency] = totals.get(item.total.currency, Decimal(0)) + item.total.amount
            receipts.append(
                {"id": item.id, "merchant": item.merchant, "date": item.date.isoformat() if item.date else None,
                 "total": str(item.total.amount) if item.total else None,
                 "currency": item.total.currency if item.total else None, "status": item.status.value,
                 "decision": item.decision}
            )  # fmt: skip
        return {
            "month": month,
            "receipts": receipts,
            "totals": {currency: str(amount) for currency, amount in sorted(totals.items())},
            "truncated": page.next_cursor is not None,
        }
