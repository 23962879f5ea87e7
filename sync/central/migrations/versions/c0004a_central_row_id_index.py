"""central_row: an index on id alone, to find a row id in any table

A client-chosen id must not name a row of another table, organization or record (issue 13,
"ids are owned"): the central looks an id up across tables before it writes a new row.

Revision ID: c0004a
Revises: c0003
"""

from alembic import op

revision = "c0004a"
down_revision = "c0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_central_row_id", "central_row", ["id"])


def downgrade() -> None:
    op.drop_index("ix_central_row_id", table_name="central_row")
