"""Settings: one class, ``NUMZY_`` prefix, safe embedded defaults (SQLite, a local folder, no keys)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ExtractorChoice = Literal["offline", "llm", "auto"]
"""Which extractor reads receipts: ``offline`` (bundled OCR and parser, the default), ``llm`` (the configured
model, with the offline result as fallback; refused without a model) or ``auto`` (the model when one is
configured, otherwise offline)."""
LlmMode = Literal["text", "vision"]
"""What the model is sent: ``text`` (the numbered OCR lines) or ``vision`` (the page images)."""
UsdPerMillion = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Price = tuple[UsdPerMillion, UsdPerMillion]
"""(USD per million input tokens, USD per million output tokens)."""

DEFAULT_PRICES: Final[Mapping[str, tuple[Decimal, Decimal]]] = {
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "gpt-4.1": (Decimal("2.00"), Decimal("8.00")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    "gpt-4.1-nano": (Decimal("0.10"), Decimal("0.40")),
    "gpt-5": (Decimal("1.25"), Decimal("10.00")),
    "gpt-5-mini": (Decimal("0.25"), Decimal("2.00")),
    "gpt-5-nano": (Decimal("0.05"), Decimal("0.40")),
}
"""Model → (USD per million input tokens, USD per million output tokens): list prices, the default table."""


def default_data_dir() -> Path:
    """One data folder per user, whatever the current directory, so every command sees the same receipts."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "numzy"


class LimitSettings(BaseSettings):
    """Upload limits: bytes, decoded pixels (decompression bombs), PDF pages, MCP base64 size."""

    max_upload_bytes: int = Field(default=20 * 1024 * 1024, description="Largest accepted file, in bytes.")
    max_pixels: int = Field(default=60_000_000, description="Largest decoded image, in pixels (width × height).")
    max_pages: int = Field(default=10, description="Most pages accepted in one PDF.")
    max_base64_bytes: int = Field(
        default=2 * 1024 * 1024, description="Largest decoded file accepted as base64 through an MCP tool."
    )


class LlmSettings(BaseSettings):
    """An OpenAI-compatible model; unset means fully offline."""

    model: str | None = Field(default=None, description="Model name, e.g. 'gpt-4o-mini'. Unset: no LLM is ever called.")
    base_url: str | None = Field(default=None, description="OpenAI-compatible base URL; unset means OpenAI.")
    api_key: SecretStr | None = Field(default=None, description="API key for the endpoint; never logged or shown.")
    mode: LlmMode = Field(
        default="text",
        description="What the extractor sends: 'text' (numbered OCR lines) or 'vision' (page images; a PDF with a "
        "text layer is still sent as text).",
    )
    timeout_seconds: float = Field(
        default=60.0, gt=0, description="Time limit of one extraction call; past it the offline result is kept."
    )
    prices: dict[str, Price] = Field(
        default_factory=lambda: dict(DEFAULT_PRICES),
        description="Model → [USD per million input tokens, per million output tokens], as JSON; entries are added "
        "to the default table (a listed model's price is replaced). A dated name uses its longest listed prefix.",
    )

    @field_validator("prices")
    @classmethod
    def _over_defaults(cls, value: dict[str, tuple[Decimal, Decimal]]) -> dict[str, tuple[Decimal, Decimal]]:
        return {**DEFAULT_PRICES, **{name.strip(): price for name, price in value.items() if name.strip()}}


class RuleSettings(BaseSettings):
    """How rules run. Whether Python rules may run is decided here, never by a rule."""

    allow_python: bool = Field(default=False, description="Let sandboxed Python rules run (otherwise: skipped).")
    sandbox_workers: int = Field(default=2, ge=1, le=16, description="Warm sandbox worker processes.")
    sandbox_cpu_seconds: float = Field(default=1.0, gt=0, description="CPU limit of one Python rule evaluation.")
    sandbox_wall_seconds: float = Field(default=3.0, gt=0, description="Wall-clock limit of one Python rule.")
    sandbox_memory_mb: int = Field(default=256, ge=32, description="Address-space limit of a sandbox worker.")
    llm_timeout_seconds: float = Field(default=30.0, gt=0, description="Time limit of one LLM rule judgement.")
    history_days: int = Field(default=400, ge=1, description="How far back cross-receipt rules look.")
    history_limit: int = Field(default=20_000, ge=1, description="Most past receipts cross-receipt rules read.")


class Settings(BaseSettings):
    """Everything Numzy reads from the environment (``NUMZY_*``; nested with ``__``)."""

    model_config = SettingsConfigDict(env_prefix="NUMZY_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: default_data_dir(),
        description="Where the SQLite file and blobs live by default ($XDG_DATA_HOME/numzy, ~/.local/share/numzy).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default sqlite+aiosqlite in data_dir. PostgreSQL: postgresql+psycopg://",
    )
    blob_dir: Path | None = Field(default=None, description="Local blob folder; default data_dir/blobs.")
    default_team: str = Field(default="local", description="Team used by stdio MCP and the CLI (the local owner).")
    default_currency: str = Field(default="USD", description="Currency of a new team (ISO 4217).")
    workers: int = Field(default=1, ge=1, le=16, description="In-process job workers.")
    max_attempts: int = Field(default=3, ge=1, le=10, description="Tries for a job that hits a transient error.")
    retry_backoff_seconds: float = Field(default=0.5, ge=0, description="First retry delay; doubles each try.")
    host: str = "127.0.0.1"
    port: int = 8000
    process_samples: bool = Field(
        default=True, description="Process the bundled sample receipts at `numzy serve` start."
    )
    limits: LimitSettings = Field(default_factory=LimitSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    extractor: ExtractorChoice = Field(
        default="offline",
        description="Which extractor reads receipts: 'offline' (never calls a model), 'llm' (the configured model, "
        "offline result kept when the model fails; needs NUMZY_LLM__MODEL) or 'auto' (the model when configured).",
    )
    stdio_allowed_roots: list[Path] = Field(
        default_factory=list, description="Folders `upload_receipt(path=...)` may read on stdio; empty: any."
    )
    require_auth: bool = Field(
        default=False,
        description="Refuse requests without an API key even from loopback (REST and MCP over HTTP).",
    )
    upload_ttl_seconds: int = Field(
        default=3600, ge=60, description="How long a file staged with POST /uploads is kept for upload_receipt."
    )
    evaluation_roots: list[Path] = Field(
        default_factory=list, description="Folders `run_evaluation` may read datasets from; empty: any folder."
    )
    large_total_threshold: Decimal = Field(default=Decimal(50), description="Default rule: flag totals above this.")

    @field_validator("extractor")
    @classmethod
    def _llm_needs_a_model(cls, value: ExtractorChoice, info: ValidationInfo) -> ExtractorChoice:
        llm = info.data.get("llm")
        if value == "llm" and not (isinstance(llm, LlmSettings) and llm.model):
            raise ValueError(
                "NUMZY_EXTRACTOR=llm needs a model: set NUMZY_LLM__MODEL (and NUMZY_LLM__API_KEY), or choose "
                "'auto' (the model when configured) or 'offline'."
            )
        return value

    def uses_llm_extractor(self) -> bool:
        """True when receipts are read by the configured model (with the offline result as fallback)."""
        return self.extractor != "offline" and bool(self.llm.model)

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'numzy.db').resolve()}"

    def resolved_blob_dir(self) -> Path:
        """The blob folder, defaulting to ``data_dir/blobs``."""
        return self.blob_dir or (self.data_dir / "blobs")
