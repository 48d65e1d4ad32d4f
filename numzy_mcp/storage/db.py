"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (psycopg 3), plus migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in cast(dict[Any, Any], value).items()}
    if isinstance(value, list | tuple):
        return type(cast(Any, value))(_without_nul(item) for item in cast(list[Any], value))
    return value


def _refuse_nul(engine: AsyncEngine) -> AsyncEngine:
    """Bind every NUL character as U+FFFD, on every dialect.

    PostgreSQL text cannot hold NUL at all (psycopg raises DataError), so an id, a filter or a file
    name with one in it would fail the whole request there and pass on SQLite. With this, both
    behave the same: such a value never matches a stored id, and stored text keeps a visible mark.
    """

    @event.listens_for(engine.sync_engine, "before_cursor_execute", retval=True)
    def _replace(  # pyright: ignore[reportUnusedFunction]
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> tuple[str, Any]:
        return statement, _without_nul(parameters)

    return engine


def make_engine(url: str) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, foreign keys and a busy timeout; NUL is never bound."""
    if url.startswith("sqlite"):
        if ":///" in url and ":memory:" not in url:
            Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # pyright: ignore[reportUnusedFunction]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return _refuse_nul(engine)
    return _refuse_nul(create_async_engine(url, pool_pre_ping=True))


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at the package's migration tree and ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (blocking; run it off the event loop)."""
    command.upgrade(alembic_config(url), revision)


async def migrate_async(url: str, revision: str = "head") -> None:
    """Apply migrations from async code without blocking the loop."""
    await asyncio.to_thread(migrate, url, revision)
