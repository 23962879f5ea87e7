"""Alembic environment of the central: run from sync.central.db with a connection."""

from __future__ import annotations

from alembic import context

from sync.central.models import CentralBase

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=CentralBase.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
