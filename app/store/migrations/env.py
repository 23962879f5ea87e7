"""Alembic environment: always run from app.store.db with a connection handed in."""

from __future__ import annotations

from alembic import context

from app.store.models import FTS_TABLES, Base


def include_object(obj, name, type_, reflected, compare_to):
    """The FTS5 index and its shadow tables are made by hand in migrations."""
    return not (type_ == "table" and name and name.startswith(FTS_TABLES))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=True,  # SQLite alters tables by copy
)
with context.begin_transaction():
    context.run_migrations()
