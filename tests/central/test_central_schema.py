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


def test_upgrading_hangs_an_offices_structure_under_it(central_url) -> None:
    """Before c0006 a seeded office's units and slots hung under nothing; after it, under
    their organization, where the structure's handlers read them (an old slot's state from
    its vacant flag)."""
    from sqlalchemy.orm import Session

    from app.domain.entities import SlotState
    from sync.central import structure_ops
    from sync.central.batch import Batch

    engine = make_engine(central_url)
    rows = [("org_unit", "u1", {"name": "กองคลัง", "unit_kind": "division"}),
            ("position", "p1", {"position_number": "34-1", "unit_id": "u1", "vacant": False}),
            ("person", "x1", {"first_name_th": "สมชาย"})]  # fmt: skip
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "c0005")
            command.downgrade(alembic_config(conn), "c0005")  # a database made at head too
            for seq, (table, row_id, data) in enumerate(rows, start=1):
                conn.execute(
                    text(
                        "INSERT INTO central_row (table_name, id, org_id, parent_id, version, "
                        "seq, deleted, data, updated_at, updated_by) VALUES (:t, :id, 'o1', "
                        "NULL, 1, :seq, false, :data, '2026-01-01T00:00:00+00:00', NULL)"
                    ),
                    {"t": table, "id": row_id, "seq": seq, "data": json.dumps(data)},
                )
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            parents = dict(conn.execute(text("SELECT id, parent_id FROM central_row")).all())
        assert parents == {"u1": "o1", "p1": "o1", "x1": None}
        with Session(engine) as session:
            batch = Batch(session)
            assert set(structure_ops.units(batch, "o1")) == {"u1"}
            [slot] = structure_ops.slots(batch, "o1")
            assert (slot.id, slot.state, slot.unit_id) == ("p1", SlotState.FILLED, "u1")
    finally:
        engine.dispose()
