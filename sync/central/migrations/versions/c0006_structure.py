"""central_row: the office's structure hangs under its organization

Units, position slots and staffing-plan lines get their organization's id as
``parent_id`` (sync.central.structure_ops reads an office's structure through
``ix_central_row_parent``, one indexed query however many people the office has). Rows
published before (a seeded office's units and slots) are given it here. A slot's state is
read from its old ``vacant`` flag until it is next written (app.domain.structure.slot_state).

Revision ID: c0006
Revises: c0005
"""

from alembic import op

revision = "c0006"
down_revision = "c0005"
branch_labels = None
depends_on = None

TABLES = "('org_unit', 'position', 'staffing_plan')"


def upgrade() -> None:
    op.execute(
        f"UPDATE central_row SET parent_id = org_id WHERE table_name IN {TABLES} "
        "AND parent_id IS NULL"
    )


def downgrade() -> None:
    op.execute(f"UPDATE central_row SET parent_id = NULL WHERE table_name IN {TABLES}")
