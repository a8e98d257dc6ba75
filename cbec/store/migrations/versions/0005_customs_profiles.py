"""customs profiles

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_profiles",
        sa.Column(
            "tenant_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("registered_name", sa.String(length=100), nullable=False),
        sa.Column("dxp_id", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_customs_profiles_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_customs_profiles")),
    )


def downgrade() -> None:
    op.drop_table("customs_profiles")
