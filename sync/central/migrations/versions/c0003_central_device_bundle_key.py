"""central_device.bundle_key: the key a PC's USB bundles are signed with

Derived from the device credential when the central issues it (the central keeps no
credential), so PCs registered before this revision have none: their bundles are refused
with a message to register the PC again.

Revision ID: c0003
Revises: c0002
"""

import sqlalchemy as sa
from alembic import op

revision = "c0003"
down_revision = "c0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_device") as batch_op:
        batch_op.add_column(sa.Column("bundle_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("central_device") as batch_op:
        batch_op.drop_column("bundle_key")
