"""central_user_key: the users' public signing keys, one per user and PC

Revision ID: c0004c
Revises: c0004b
"""

import sqlalchemy as sa
from alembic import op

import app.store.types

revision = "c0004c"
down_revision = "c0004b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "central_user_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", app.store.types.UTCDateTime(length=32), nullable=False),
        sa.Column("revoked_at", app.store.types.UTCDateTime(length=32), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    op.create_index("ix_central_user_key_user_id", "central_user_key", ["user_id"])
    op.create_index("ix_central_user_key_device_id", "central_user_key", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_central_user_key_device_id", table_name="central_user_key")
    op.drop_index("ix_central_user_key_user_id", table_name="central_user_key")
    op.drop_table("central_user_key")
