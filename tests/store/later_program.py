"""A later program for the upgrade tests: today's migrations plus one more revision, in a
temporary script location that ``app.store.db`` is pointed at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.store import db as store_db

LATER_REVISION = "9999"

TEMPLATE = '''"""a later schema (test only)"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''

#: Adds a table: a later program's harmless change.
ADD_TABLE = 'op.create_table("upgrade_marker", sa.Column("id", sa.Integer, primary_key=True))'


def later_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *body: str) -> str:
    """Pretend the program was updated: its migrations gain revision 9999 after today's
    head, whose ``upgrade()`` runs the statements ``body`` (ADD_TABLE by default)."""
    migrations = tmp_path / "later-migrations"
    shutil.copytree(store_db.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    text = TEMPLATE.format(
        revision=LATER_REVISION,
        head=store_db.head_revision(),
        body="\n".join(f"    {line}" for line in (body or (ADD_TABLE,))),
    )
    (migrations / "versions" / f"{LATER_REVISION}_later.py").write_text(text, encoding="utf-8")
    monkeypatch.setattr(store_db, "MIGRATIONS", migrations)
    return LATER_REVISION
