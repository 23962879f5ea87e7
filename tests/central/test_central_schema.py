"""The central's migrations, on SQLite and PostgreSQL: the schema they make equals the
SQLAlchemy models, and c0004b takes the central's verifier out of published user rows."""

from __future__ import annotations

import json

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sync.central.db import alembic_config, make_engine
from sync.central.models import CentralBase


def test_migrated_schema_equals_the_models(central_db) -> None:
    with central_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        assert compare_metadata(context, CentralBase.metadata) == []


def test_upgrading_takes_the_centrals_verifier_out_of_published_user_rows(central_url) -> None:
    """Before c0004b the user rows PCs pull carried the central's own verifier."""
    engine = make_engine(central_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "c0003")
            command.downgrade(alembic_config(conn), "c0003")  # a database made at head too
            conn.execute(
                text(
                    "INSERT INTO central_row (table_name, id, org_id, parent_id, version, seq, "
                    "deleted, data, updated_at, updated_by) VALUES ('user', 'u1', 'o1', NULL, "
                    "1, 1, false, :data, '2026-01-01T00:00:00+00:00', NULL)"
                ),
                {"data": json.dumps({"username": "somchai", "password_verifier": "scrypt$x"})},
            )
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            data = conn.execute(text("SELECT data FROM central_row WHERE id = 'u1'")).scalar()
        data = data if isinstance(data, dict) else json.loads(data)
        assert data == {"username": "somchai", "password_verifier": None}
    finally:
        engine.dispose()
