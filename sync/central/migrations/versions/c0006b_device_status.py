"""central_device: what the central last saw of each PC (issue 14)

The org admin's list of PCs shows when each last synced, the program version it runs and
how many ops wait on it: the desktop says the last two in a header on each pull
(sync.protocol.office.ClientStatus), and the central keeps the last values it saw, for
display only.

Revision ID: c0006b_device_status
Revises: c0006
"""

import sqlalchemy as sa
from alembic import op

import app.store.types

revision = "c0006b_device_status"
down_revision = "c0006"  # after i14-structure's c0006 (one head)
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_device") as batch:
        batch.add_column(sa.Column("last_seen_at", app.store.types.UTCDateTime(length=32), nullable=True))
        batch.add_column(sa.Column("program_version", sa.String(32), nullable=True))
        batch.add_column(sa.Column("ops_waiting", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("central_device") as batch:
        batch.drop_column("ops_waiting")
        batch.drop_column("program_version")
        batch.drop_column("last_seen_at")
