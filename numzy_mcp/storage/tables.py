"""Database tables. One schema for SQLite and PostgreSQL; every row belongs to a team."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from numzy_mcp.storage.types import ScaledDecimal, UtcDateTime

JsonType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base; naming convention keeps constraint names stable across databases."""


class TeamRow(Base):
    """A team: the unit of tenancy."""

    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ReceiptRow(Base):
    """An uploaded receipt, its processing state and its extracted fields."""

    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("team_id", "sha256", name="uq_receipts_team_sha256"),
        Index("ix_receipts_team_created", "team_id", "created_at", "id"),
        Index("ix_receipts_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    blob_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(40), default="queued")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    extractor: Mapped[str | None] = mapped_column(String(60), nullable=True)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    ocr: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    # Denormalised copies of a few fields, for filtering and sorting in SQL.
    merchant: Mapped[str | None] = mapped_column(String(300), nullable=True)
    receipt_date: Mapped[dt.date | None] = mapped_column(nullable=True)
    total: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    processed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class RuleRow(Base):
    """An audit rule of a team; editing bumps ``version``."""

    __tablename__ = "rules"
    __table_args__ = (Index("ix_rules_team", "team_id", "position"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(default=True)
    severity: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    spec: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AuditRow(Base):
    """One audit of one receipt; the newest is the receipt's current decision."""

    __tablename__ = "audits"
    __table_args__ = (Index("ix_audits_receipt", "team_id", "receipt_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(20))
    report: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ApiKeyRow(Base):
    """An API key of a team. Only the SHA-256 of the secret is stored; ``prefix`` identifies it to people."""

    __tablename__ = "api_keys"
    __table_args__ = (
        UniqueConstraint("secret_sha256", name="uq_api_keys_secret_sha256"),
        Index("ix_api_keys_team", "team_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(20))
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JsonType)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class PromptTemplateRow(Base):
    """One saved version of a team's prompt template; the highest version is the one in use."""

    __tablename__ = "prompt_templates"
    __table_args__ = (UniqueConstraint("team_id", "name", "version", name="uq_prompt_templates_version"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class StagedUploadRow(Base):
    """A file sent to ``POST /uploads`` and kept until ``expires_at`` for ``upload_receipt(upload_id=…)``."""

    __tablename__ = "staged_uploads"
    __table_args__ = (Index("ix_staged_uploads_expires", "expires_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    blob_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class EvaluationRow(Base):
    """One stored run of an extractor over a labelled dataset."""

    __tablename__ = "evaluations"
    __table_args__ = (Index("ix_evaluations_team_created", "team_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    dataset: Mapped[str] = mapped_column(String(300))
    extractor: Mapped[str] = mapped_column(String(60))
    documents: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


COST_SCALE = 10
"""Costs are stored exactly in units of 10⁻¹⁰ USD (see ``ScaledDecimal``)."""


class LlmCallRow(Base):
    """One language-model call made to extract a receipt: tokens, cost, and why its answer was not used.

    Kept when the receipt is deleted (``receipt_id`` becomes NULL): the money was spent all the same.
    """

    __tablename__ = "llm_calls"
    __table_args__ = (
        Index("ix_llm_calls_team_created", "team_id", "created_at"),
        Index("ix_llm_calls_receipt", "receipt_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    receipt_id: Mapped[str | None] = mapped_column(ForeignKey("receipts.id", ondelete="SET NULL"), nullable=True)
    purpose: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(10))
    input_tokens: Mapped[int] = mapped_column(Integer)
    output_tokens: Mapped[int] = mapped_column(Integer)
    cost_usd: Mapped[Decimal | None] = mapped_column(ScaledDecimal(COST_SCALE), nullable=True)
    fallback_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
