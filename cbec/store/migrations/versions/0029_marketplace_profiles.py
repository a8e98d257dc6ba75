"""marketplace profiles: per tenant and marketplace, the platform, currency, time zone,
origin and incoterm of its order files

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "marketplace_profiles",
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("marketplace", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("incoterm", sa.String(length=3), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_marketplace_profiles_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "marketplace", name=op.f("pk_marketplace_profiles")),
    )


def downgrade() -> None:
    op.drop_table("marketplace_profiles")
