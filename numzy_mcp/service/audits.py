"""Audit use cases: audit now, the latest report, the explanation."""

from __future__ import annotations

from numzy_mcp.audit import AuditReport
from numzy_mcp.errors import Conflict
from numzy_mcp.explain import Explanation, explain
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.service.base import ServiceBase
from numzy_mcp.storage.repositories import AuditRepo, ReceiptRepo


class AuditUseCases(ServiceBase):
    """Audits of processed receipts."""

    # ---- audit and explain -----------------------------------------------------------------------

    async def audit_receipt(self, team_id: str, receipt_id: str) -> AuditReport:
        """Run the team's enabled rules on a processed receipt again and store the report.

        Raises:
            NotFound: no such receipt.
            Conflict: the receipt has no extracted fields yet.
        """
        async with self._sessions.begin() as session:
            row = await ReceiptRepo(session, team_id).get(receipt_id)
            return await self._audit_row(session, team_id, row)

    async def get_audit(self, team_id: str, receipt_id: str) -> AuditReport:
        """The latest stored audit report (audits now if the receipt was never audited)."""
        async with self._sessions() as session:
            row = await ReceiptRepo(session, team_id).get(receipt_id)
            latest = await AuditRepo(session, team_id).latest(receipt_id)
            if latest is not None:
                return AuditReport.model_validate(latest.report)
            if row.fields is None:
                raise Conflict(self._not_ready(row))
        return await self.audit_receipt(team_id, receipt_id)

    async def explain_receipt(self, team_id: str, receipt_id: str) -> Explanation:
        """Why the receipt got its decision: rule, fields, values, in plain words."""
        report = await self.get_audit(team_id, receipt_id)
        async with self._sessions() as session:
            row = await ReceiptRepo(session, team_id).get(receipt_id)
        fields = ExtractedFields.model_validate(row.fields) if row.fields else None
        return explain(report, fields)
