"""central_device.signing_key, encryption_key: a PC's public bundle keys (format 3)

The central keeps only public keys from now on: a PC registers its Ed25519 and X25519
public keys, and its bundle key K (bundle_key, a secret the central could sign and read its
bundles with) is cleared then. PCs registered before keep K until they register their keys,
so their bundles of formats 1 and 2 still travel.

Revision ID: c0004d
Revises: c0004c
"""

import sqlalchemy as sa
from alembic import op

revision = "c0004d"
down_revision = "c0004c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_device") as batch_op:
        batch_op.add_column(sa.Column("signing_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("encryption_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("central_device") as batch_op:
        batch_op.drop_column("encryption_key")
        batch_op.drop_column("signing_key")
