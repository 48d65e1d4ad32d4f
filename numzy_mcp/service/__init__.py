"""NumzyService: every use case. Both adapters (MCP tools, REST routes) call this and nothing below it.

The use cases are grouped by resource, one module each, over a shared ``ServiceBase``.
"""

from __future__ import annotations

from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.service.audits import AuditUseCases
from numzy_mcp.service.base import ServiceBase, new_id, utcnow
from numzy_mcp.service.receipts import ReceiptUseCases
from numzy_mcp.service.rules import RuleUseCases
from numzy_mcp.settings import Settings
from numzy_mcp.storage.blobs import LocalBlobStore
from numzy_mcp.storage.db import make_engine, make_sessions


class NumzyService(ReceiptUseCases, AuditUseCases, RuleUseCases):
    """Every Numzy use case, scoped to the caller's team."""

    @classmethod
    def from_settings(cls, settings: Settings) -> NumzyService:
        """Build the service for ``settings`` (nothing runs until ``start``)."""
        engine = make_engine(settings.resolved_database_url())
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_sessions(engine),
            blobs=LocalBlobStore(settings.resolved_blob_dir()),
            extractor=OfflineExtractor(settings.limits, default_currency=None),
        )


__all__ = ["NumzyService", "ServiceBase", "new_id", "utcnow"]
