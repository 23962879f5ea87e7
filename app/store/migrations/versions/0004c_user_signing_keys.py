"""users' signing keys on this PC (locked under their passwords) and ops' signatures

Revision ID: 0004c
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import app.store.types

revision = "0004c"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_key",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("locked_key", sa.Text(), nullable=False),
        sa.Column("created_at", app.store.types.UTCDateTime(length=32), nullable=False),
        sa.Column("registered_at", app.store.types.UTCDateTime(length=32), nullable=True),
        sa.PrimaryKeyConstraint("user_id"),
    )
    with op.batch_alter_table("outbox_op") as batch:
        batch.add_column(sa.Column("signature", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_op") as batch:
        batch.drop_column("signature")
    op.drop_table("user_key")
