"""The one Alembic tree applies to SQLite and PostgreSQL and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from numzy_mcp.storage.db import make_engine, migrate_async
from numzy_mcp.storage.tables import Base


async def test_migrations_create_every_table_and_match_the_models(database_url: str) -> None:
    await migrate_async(database_url)
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))

            def diff(sync: Connection) -> list[object]:
                return compare_metadata(MigrationContext.configure(sync), Base.metadata)

            differences = await connection.run_sync(diff)
    finally:
        await engine.dispose()

    assert {"teams", "receipts", "rules", "audits", "alembic_version"} <= tables
    assert differences == []


async def test_migrating_twice_is_a_no_op(database_url: str) -> None:
    await migrate_async(database_url)
    await migrate_async(database_url)  # must not fail or duplicate anything
