"""Shared fixtures: settings in a temp folder, a started service on SQLite (and PostgreSQL when configured)."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.receipts import OcrLine
from numzy_mcp.service import NumzyService
from numzy_mcp.settings import Settings
from numzy_mcp.storage.blobs import LocalBlobStore
from numzy_mcp.storage.db import make_engine, make_sessions

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_URL = os.environ.get("NUMZY_TEST_POSTGRES_URL")
POSTGRES_SKIP_REASON = (
    "NUMZY_TEST_POSTGRES_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test); "
    ".ci/run sets it to test the PostgreSQL path."
)


@dataclass(frozen=True)
class SroieReceipt:
    """A real SROIE receipt copied into tests/fixtures with its labels."""

    path: Path
    company: str
    date: str
    address: str
    total: str

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @property
    def total_value(self) -> Decimal:
        """The labelled total as a number ("RM 8.60", "$6.90" → 8.60, 6.90)."""
        return Decimal(re.sub(r"[^0-9.]", "", self.total))


def sroie_receipts() -> list[SroieReceipt]:
    receipts: list[SroieReceipt] = []
    for label in sorted((FIXTURES / "sroie").glob("*.json")):
        raw: dict[str, Any] = json.loads(label.read_text(encoding="utf-8"))
        receipts.append(
            SroieReceipt(
                path=label.with_suffix(".jpg"),
                company=raw.get("company", ""),
                date=raw.get("date", ""),
                address=raw.get("address", ""),
                total=raw.get("total", ""),
            )
        )
    return receipts


@pytest.fixture(scope="session")
def sroie() -> list[SroieReceipt]:
    receipts = sroie_receipts()
    assert len(receipts) >= 3, "tests/fixtures/sroie must hold at least 3 labelled receipts"
    return receipts


def _create_pg_database(base_url: str) -> tuple[str, str]:
    url = make_url(base_url)
    name = f"numzy_t_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url.set(database=name).render_as_string(hide_password=False), name


def _drop_pg_database(base_url: str, name: str) -> None:
    admin = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.skipif(POSTGRES_URL is None, reason=POSTGRES_SKIP_REASON)),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'numzy.db'}"
        return
    assert POSTGRES_URL is not None
    url, name = _create_pg_database(POSTGRES_URL)
    try:
        yield url
    finally:
        _drop_pg_database(POSTGRES_URL, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'numzy.db'}"


def make_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        process_samples=False,
        retry_backoff_seconds=0.01,
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on a fresh database: every test using it runs on SQLite and, when configured, PostgreSQL."""
    return make_settings(tmp_path, database_url)


class LinesEngine:
    """A test double for the OCR engine: returns the lines given, so plumbing tests need no model.

    Real OCR runs in the tests that check extraction (``real_service``).
    """

    name = "test-lines"

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.calls = 0

    def recognize(self, image: Any) -> list[OcrLine]:
        self.calls += 1
        return [
            OcrLine(text=text, box=(0, i * 20, 300, i * 20 + 18), confidence=0.99) for i, text in enumerate(self.lines)
        ]


RECEIPT_LINES = [
    "KEDAI MAJU SDN BHD",
    "NO 12, JALAN BESAR, 50000 KUALA LUMPUR",
    "DATE: 14/03/2018 13:05",
    "NASI LEMAK 1 8.50",
    "TEH TARIK 1 3.00",
    "TOTAL RM 11.50",
    "CASH 20.00",
    "CHANGE 8.50",
]


def build_service(settings: Settings, engine: Any | None = None) -> NumzyService:
    db = make_engine(settings.resolved_database_url())
    extractor = (
        OfflineExtractor(settings.limits, engine=engine) if engine is not None else OfflineExtractor(settings.limits)
    )
    return NumzyService(
        settings=settings,
        engine=db,
        sessions=make_sessions(db),
        blobs=LocalBlobStore(settings.resolved_blob_dir()),
        extractor=extractor,
    )


@pytest.fixture
async def service(settings: Settings) -> AsyncIterator[NumzyService]:
    """A started service on SQLite whose OCR engine is the fast ``LinesEngine`` double."""
    svc = build_service(settings, LinesEngine(RECEIPT_LINES))
    await svc.start()
    try:
        yield svc
    finally:
        await svc.close()


@pytest.fixture
async def real_service(tmp_path: Path, sqlite_url: str) -> AsyncIterator[NumzyService]:
    """A started service with the real offline OCR engine (SQLite; the database path is covered elsewhere)."""
    svc = build_service(make_settings(tmp_path, sqlite_url))
    await svc.start()
    try:
        yield svc
    finally:
        await svc.close()
