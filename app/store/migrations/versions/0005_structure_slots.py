"""the office's structure (issue 14): slot states and holders, closed units, the plan

``position.vacant`` becomes ``state`` (vacant | filled | frozen | cut): a vacant slot stays
vacant, any other becomes filled, held by the person whose ``position_id`` names it. Slots
get a ``staff_type`` (a personnel category; unknown for the old ones) and an index for the
vacant-slot picker; units get ``closed``; the three-year staffing plan gets its table.

Revision ID: 0005
Revises: 0004c
"""

import sqlalchemy as sa
from alembic import op

import app.store.types

revision = "0005"
down_revision = "0004c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("closed", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("position") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="vacant")
        )
        batch.add_column(sa.Column("holder_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("staff_type", sa.String(length=32), nullable=True))
    op.execute("UPDATE position SET state = CASE WHEN vacant THEN 'vacant' ELSE 'filled' END")
    op.execute(
        "UPDATE position SET holder_id = (SELECT p.id FROM person p WHERE p.position_id = "
        "position.id AND p.deleted = 0 ORDER BY p.local_id LIMIT 1) WHERE state = 'filled'"
    )
    with op.batch_alter_table("position") as batch:
        batch.drop_column("vacant")
        batch.create_index("ix_position_state", ["org_id", "state", "position_number"])
    op.create_table(
        "staffing_plan",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("first_year_be", sa.Integer(), nullable=False),
        sa.Column("position_title", sa.Text(), nullable=False),
        sa.Column("position_type", sa.String(length=32), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", app.store.types.UTCDateTime(length=32), nullable=True),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_unit.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staffing_plan") as batch:
        batch.create_index(batch.f("ix_staffing_plan_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staffing_plan") as batch:
        batch.drop_index(batch.f("ix_staffing_plan_org_id"))
    op.drop_table("staffing_plan")
    with op.batch_alter_table("position") as batch:
        batch.drop_index("ix_position_state")
        batch.add_column(sa.Column("vacant", sa.Boolean(), nullable=False, server_default="1"))
    op.execute("UPDATE position SET vacant = CASE WHEN state = 'vacant' THEN 1 ELSE 0 END")
    with op.batch_alter_table("position") as batch:
        batch.drop_column("staff_type")
        batch.drop_column("holder_id")
        batch.drop_column("state")
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_column("closed")
