"""NumzyService: every use case. Both adapters (MCP tools, REST routes) call this and nothing below it.

The use cases are grouped by resource, one module each, over a shared ``ServiceBase``.
"""

from __future__ import annotations

from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.service.audits import AuditUseCases
from numzy_mcp.service.authoring import AuthoringUseCases, RuleDraftPreview
from numzy_mcp.service.base import ServiceBase, new_id, utcnow
from numzy_mcp.service.evaluations import EvaluationRun, EvaluationUseCases
from numzy_mcp.service.keys import ALL_SCOPES, KeyUseCases, Principal
from numzy_mcp.service.prompts import PromptUseCases
from numzy_mcp.service.receipts import ReceiptUseCases
from numzy_mcp.service.rules import RuleUseCases
from numzy_mcp.service.search import SearchUseCases
from numzy_mcp.service.uploads import UploadUseCases
from numzy_mcp.service.usage import UsageUseCases
from numzy_mcp.settings import Settings
from numzy_mcp.storage.blobs import LocalBlobStore
from numzy_mcp.storage.db import make_engine, make_sessions


class NumzyService(
    # groups built on other groups come before them (method resolution order)
    PromptUseCases,
    UploadUseCases,
    ReceiptUseCases,
    AuditUseCases,
    AuthoringUseCases,
    RuleUseCases,
    EvaluationUseCases,
    KeyUseCases,
    SearchUseCases,
    UsageUseCases,
):
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


__all__ = [
    "ALL_SCOPES",
    "EvaluationRun",
    "NumzyService",
    "Principal",
    "RuleDraftPreview",
    "ServiceBase",
    "new_id",
    "utcnow",
]
