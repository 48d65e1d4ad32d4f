r"""``python``: a rule written in (restricted) Python, run in the sandbox (see ``sandbox.py``).

JSON: ``{"type": "python", "source": "receipt.total > 100 and receipt.date.weekday() >= 5"}`` (an
expression) or ``{"type": "python", "mode": "block", "source": "n = 0\nfor i in receipt.items:\n
    n += 1\nresult = n > 10"}`` (statements that set ``result``). ``True`` flags, ``False`` passes,
``None`` skips, a text flags with that text as the finding's sentence; anything else is an error.

The source is compiled under the sandbox policy when the rule is saved, so refused constructs
(``import``, ``class``, ``while``, underscore names, …) are refused at once. Whether Python rules
may run at all is a server setting (``RuleContext.allow_python``), never a field of the rule: when
it is off the rule is skipped and the finding says so.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from numzy_mcp.errors import SandboxRefused
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.sandbox_worker import MAX_SOURCE, RuleRefused, check_source
from numzy_mcp.rules.text import shorten

DISABLED = "this server does not allow Python rules (an administrator can enable them), so the rule was not run"


def receipt_json(receipt: ExtractedFields, ctx: RuleContext) -> dict[str, Any]:
    """The receipt as the worker builds its immutable view from: amounts as strings, ISO dates."""
    data = receipt.model_dump(
        mode="json",
        include={"merchant", "address", "date", "time", "currency", "subtotal", "tax", "tax_rate", "tip", "total",
                 "items", "payment_method", "card_last4", "category", "kind", "country"},
    )  # fmt: skip
    data["raw_text"] = ctx.text()
    return data


class PythonSpec(BaseModel):
    """Flag a receipt when the sandboxed Python ``source`` returns True (or a text)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["python"] = "python"
    source: str = Field(min_length=1, max_length=MAX_SOURCE, description="An expression, or statements setting result.")
    mode: Literal["expression", "block"] = "expression"

    @model_validator(mode="after")
    def _compile(self) -> Self:
        try:
            check_source(self.source, self.mode)
        except RuleRefused as refused:
            raise ValueError(f"the sandbox refused the source: {refused}") from None
        return self

    async def acheck(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Run the rule in a sandbox worker.

        Raises:
            SandboxRefused: the sandbox refused or stopped the rule (the engine reports an ``error``).
        """
        reads = (FieldRead(field="python", value=shorten(self.source, 120)),)
        if not ctx.allow_python:
            return Check(None, DISABLED, reads)
        if ctx.sandbox is None:
            raise SandboxRefused("Python rules are enabled but no sandbox worker pool is running")
        outcome = await ctx.sandbox.arun(self.source, self.mode, receipt_json(receipt, ctx))
        if not outcome.ok:
            raise SandboxRefused(f"{outcome.kind}: {outcome.error}")
        result = outcome.result
        if result is True:
            return Check(True, "the Python rule returned True", reads)
        if result is False:
            return Check(False, "the Python rule returned False", reads)
        if result is None:
            return Check(None, "the Python rule returned None (it could not decide)", reads)
        if isinstance(result, str):
            return Check(True, shorten(result.strip() or "the Python rule flagged the receipt", 300), reads)
        raise SandboxRefused(f"the rule must return True, False, None or a text, not {type(result).__name__}")

    def describe(self, negated: bool = False) -> str:
        """``for which the Python rule `…` returns True``."""
        return (
            f"for which the Python rule `{shorten(self.source, 60)}` {'does not return' if negated else 'returns'} True"
        )
