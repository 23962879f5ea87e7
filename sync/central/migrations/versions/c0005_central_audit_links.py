"""central_audit: indexes on the chain's links (prev_hash, hash)

The central checks each PC's audit chain as events arrive (no second event on one
predecessor) and lists the links still missing (``localhr central audit-gaps``).

Revision ID: c0005
Revises: c0004d
"""

from alembic import op

revision = "c0005"
down_revision = "c0004d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_central_audit_prev_hash", "central_audit", ["prev_hash"])
    op.create_index("ix_central_audit_hash", "central_audit", ["hash"])


def downgrade() -> None:
    op.drop_index("ix_central_audit_hash", table_name="central_audit")
    op.drop_index("ix_central_audit_prev_hash", table_name="central_audit")
