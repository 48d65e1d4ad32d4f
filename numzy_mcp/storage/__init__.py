"""Persistence: SQLAlchemy 2 async tables and repositories, one Alembic tree, and blob stores."""
