"""accounts: offline verifiers, one-time passwords, failed attempts, security events

- ``central_user.offline_verifier``: the verifier published to PCs, derived apart from the
  central's own (app.domain.passwords). Users made before this revision have none until
  their next online login or password change; the user rows already published lose the
  central's verifier they carried (PCs keep what they pulled until the row changes).
- ``central_user.must_change_password``: set by a reset to a one-time password.
- ``central_auth_failure``: failed logins and registrations per account and per address.
- ``central_security_event``: what org admins (and the operator) are told.

Revision ID: c0004b
Revises: c0004a
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.store.types

revision = "c0004b"
down_revision = "c0004a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_user") as batch_op:
        batch_op.add_column(sa.Column("offline_verifier", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "central_auth_failure",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", app.store.types.UTCDateTime(length=32), nullable=False),
        sa.Column("blocked_until", app.store.types.UTCDateTime(length=32), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        "ix_central_auth_failure_last_failed_at",
        "central_auth_failure",
        ["last_failed_at"],
        unique=False,
    )
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "central_security_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("at", app.store.types.UTCDateTime(length=32), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("detail", json_type, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_central_security_event_org_id", "central_security_event", ["org_id"], unique=False
    )
    # The published user rows carried the central's own verifier: no more.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE central_row SET data = jsonb_set(data, '{password_verifier}', 'null') "
            "WHERE table_name = 'user' AND data ? 'password_verifier'"
        )
    else:
        op.execute(
            "UPDATE central_row SET data = json_set(data, '$.password_verifier', NULL) "
            "WHERE table_name = 'user' AND data IS NOT NULL"
        )


def downgrade() -> None:
    op.drop_index("ix_central_security_event_org_id", table_name="central_security_event")
    op.drop_table("central_security_event")
    op.drop_index("ix_central_auth_failure_last_failed_at", table_name="central_auth_failure")
    op.drop_table("central_auth_failure")
    with op.batch_alter_table("central_user") as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("offline_verifier")
