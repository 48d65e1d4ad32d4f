"""The rule playground: one rule on one receipt in the probe format of the nl-rules corpus.

A probe receipt is JSON with merchant, date (YYYY-MM-DD), time (HH:MM), currency, total, subtotal,
tax, tip, category, payment_method, country, items ({description, quantity, unit_price, amount}) and
submitted_at (YYYY-MM-DD); keys starting with ``_`` are notes and ignored. Optional extras:
``id``, ``raw_text`` and ``sha256``. A negative total makes the receipt a refund.

``try_rule(rule_json, receipt_json, history_json)`` returns the finding; ``numzy rules try`` prints it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from numzy_mcp.errors import InvalidInput
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import Finding, HistoricReceipt, RuleContext
from numzy_mcp.rules.dry_run import as_rule
from numzy_mcp.rules.engine import evaluate_rule_async
from numzy_mcp.rules.spec import Rule, RuleDraft

if TYPE_CHECKING:
    from pydantic_ai.models import Model

    from numzy_mcp.rules.sandbox import SandboxPool

_AMOUNTS = ("total", "subtotal", "tax", "tip")
_TEXTS = ("merchant", "currency", "category", "payment_method", "country", "address")


def _number(value: object, key: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(f"probe field {key!r} must be a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"probe field {key!r} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise InvalidInput(f"probe field {key!r} must be a finite number, got {value!r}")
    return number


def probe_to_fields(probe: Mapping[str, Any]) -> tuple[ExtractedFields, dt.datetime | None, str | None]:
    """A probe receipt as extracted fields, its submission time (midnight UTC) and its country.

    Raises:
        InvalidInput: a field has the wrong shape (the message names it).
    """
    data: dict[str, Any] = {key: probe.get(key) for key in _TEXTS if probe.get(key) is not None}
    for key in _AMOUNTS:
        data[key] = _number(probe.get(key), key)
    try:
        if probe.get("date"):
            data["date"] = dt.date.fromisoformat(str(probe["date"]))
        if probe.get("time"):
            data["time"] = dt.time.fromisoformat(str(probe["time"]))
        submitted = probe.get("submitted_at")
        submitted_at = (
            None
            if not submitted
            else dt.datetime.combine(dt.date.fromisoformat(str(submitted)[:10]), dt.time(), dt.UTC)
        )
    except ValueError as error:
        raise InvalidInput(f"probe date, time or submitted_at is not ISO formatted: {error}") from None
    items: list[dict[str, Any]] = []
    for item in probe.get("items") or []:
        if not isinstance(item, Mapping):
            raise InvalidInput("probe items must be objects with description, quantity, unit_price, amount")
        entry: Mapping[str, Any] = item
        items.append(
            {"description": str(entry.get("description") or "")}
            | {key: _number(entry.get(key), f"items.{key}") for key in ("quantity", "unit_price", "amount")}
        )
    data["items"] = items
    total = data.get("total")
    data["kind"] = "refund" if total is not None and total < 0 else "purchase"
    try:
        fields = ExtractedFields.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_url=False))
        raise InvalidInput(f"the probe receipt is malformed: {problems}") from None
    return fields, submitted_at, fields.country


def _load(value: object) -> Any:
    return json.loads(value) if isinstance(value, str | bytes | bytearray) else value


def _historic(probes: Sequence[Mapping[str, Any]]) -> list[HistoricReceipt]:
    history: list[HistoricReceipt] = []
    for number, probe in enumerate(probes, start=1):
        fields, submitted_at, _ = probe_to_fields(probe)
        receipt_id = str(probe.get("id") or f"history-{number}")
        history.append(HistoricReceipt(receipt_id, fields, probe.get("sha256"), submitted_at))
    return history


async def try_rule_async(
    rule_json: Rule | RuleDraft | dict[str, Any] | str,
    receipt_json: Mapping[str, Any] | str,
    history_json: Sequence[Mapping[str, Any]] | str | None = None,
    *,
    allow_python: bool = False,
    sandbox: SandboxPool | None = None,
    llm_model: Model | None = None,
    concepts: Mapping[str, Sequence[str]] | None = None,
) -> Finding:
    """Evaluate one rule (the JSON the REST API accepts) on one probe receipt.

    Args:
        rule_json: the rule draft (dict or JSON text), or a ``Rule`` / ``RuleDraft``.
        receipt_json: the probe receipt (dict or JSON text).
        history_json: earlier probe receipts of the same team, for cross-receipt rules.
        allow_python: whether a Python rule may run (needs ``sandbox``).
        sandbox: the worker pool for Python rules.
        llm_model: the model for LLM rules; None skips them.
        concepts: a team's additions to the keyword concept lists.

    Returns:
        The finding.

    Raises:
        RuleInvalid: the rule is refused.
        InvalidInput: the receipt or history is malformed.
    """
    rule = as_rule(rule_json)
    probe = _load(receipt_json)
    if not isinstance(probe, Mapping):
        raise InvalidInput("the receipt must be a JSON object in the probe-receipt format")
    loaded = _load(history_json) if history_json is not None else []
    if not isinstance(loaded, list):
        raise InvalidInput("the history must be a JSON list of probe receipts")
    fields, submitted_at, _ = probe_to_fields(probe)
    ctx = RuleContext(
        team_currency=fields.currency or "USD",
        now=submitted_at or dt.datetime.now(dt.UTC),
        submitted_at=submitted_at,
        receipt_id=str(probe.get("id") or "probe"),
        sha256=probe.get("sha256"),
        history=_historic(loaded),
        raw_text=probe.get("raw_text"),
        concepts=concepts or {},
        allow_python=allow_python,
        sandbox=sandbox,
        llm_model=llm_model,
    )
    return await evaluate_rule_async(rule.model_copy(update={"enabled": True}), fields, ctx)


def try_rule(
    rule_json: Rule | RuleDraft | dict[str, Any] | str,
    receipt_json: Mapping[str, Any] | str,
    history_json: Sequence[Mapping[str, Any]] | str | None = None,
    **options: Any,
) -> Finding:
    """``try_rule_async`` from synchronous code (the CLI); not callable inside a running event loop."""
    return asyncio.run(try_rule_async(rule_json, receipt_json, history_json, **options))
