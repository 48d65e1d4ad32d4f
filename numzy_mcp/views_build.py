"""Turning stored rows into the views callers see."""

from __future__ import annotations

from decimal import Decimal

from numzy_mcp.audit import AuditReport, Decision
from numzy_mcp.receipts import ExtractedFields, Money, Progress, ReceiptError, ReceiptStatus
from numzy_mcp.rules import Rule
from numzy_mcp.storage.tables import LlmCallRow, ReceiptRow, RuleRow
from numzy_mcp.views import LlmCallView, ReceiptSummary, ReceiptView


def llm_call_view(row: LlmCallRow) -> LlmCallView:
    """A stored model call as callers see it."""
    mode = "vision" if row.mode == "vision" else "text"
    return LlmCallView(
        model=row.model, mode=mode, input_tokens=row.input_tokens, output_tokens=row.output_tokens,
        cost_usd=row.cost_usd, fallback_reason=row.fallback_reason, created_at=row.created_at,
    )  # fmt: skip


def receipt_view(row: ReceiptRow, report: AuditReport | None, llm: LlmCallRow | None = None) -> ReceiptView:
    """The full view of one receipt with its latest audit and the latest model call that read it."""
    error = ReceiptError(code=row.error_code, message=row.error_message or "") if row.error_code else None
    return ReceiptView(
        id=row.id,
        filename=row.filename,
        mime_type=row.mime_type,
        size_bytes=row.size_bytes,
        pages=row.pages,
        sha256=row.sha256,
        status=ReceiptStatus(row.status),
        progress=Progress(stage=row.stage, percent=row.percent),
        error=error,
        extractor=row.extractor,
        llm=llm_call_view(llm) if llm is not None else None,
        fields=ExtractedFields.model_validate(row.fields) if row.fields else None,
        decision=report.decision if report else None,
        findings=report.findings if report else [],
        created_at=row.created_at,
        updated_at=row.updated_at,
        processed_at=row.processed_at,
        resource_uri=f"receipt://{row.id}",
        file_uri=f"receipt://{row.id}/file",
    )


def receipt_summary(row: ReceiptRow, decision: str | None) -> ReceiptSummary:
    """One list row."""
    printed = (row.fields or {}).get("total")
    amount = Decimal(printed) if isinstance(printed, str) else row.total  # keep the printed precision
    total = Money(amount=amount, currency=row.currency) if amount is not None and row.currency else None
    checked: Decision | None = None
    if decision in ("approved", "needs_review", "rejected"):
        checked = decision  # pyright: ignore[reportAssignmentType]
    return ReceiptSummary(
        id=row.id,
        filename=row.filename,
        status=ReceiptStatus(row.status),
        merchant=row.merchant,
        date=row.receipt_date,
        total=total,
        decision=checked,
        created_at=row.created_at,
    )


def rule_from_row(row: RuleRow) -> Rule:
    """The stored rule as the engine and callers see it."""
    return Rule.model_validate(
        {
            "id": row.id,
            "name": row.name,
            "enabled": row.enabled,
            "severity": row.severity,
            "action": row.action,
            "version": row.version,
            "spec": row.spec,
        }
    )
