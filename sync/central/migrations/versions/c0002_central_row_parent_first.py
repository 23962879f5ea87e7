"""central_row's parent index leads with parent_id

With (table_name, parent_id), a lookup of rows by table and id could be planned through the
parent index (it matches the table name alone) whenever the statistics of a fast-growing
table were stale, which turned a 200-id lookup into a scan of every row of that table. With
the parent first, only lookups by parent can use it.

Revision ID: c0002
Revises: c0001
"""

from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_row") as batch_op:
        batch_op.drop_index("ix_central_row_parent")
        batch_op.create_index("ix_central_row_parent", ["parent_id", "table_name"])


def downgrade() -> None:
    with op.batch_alter_table("central_row") as batch_op:
        batch_op.drop_index("ix_central_row_parent")
        batch_op.create_index("ix_central_row_parent", ["table_name", "parent_id"])
