"""deployment keys: the fingerprints of the keys the database's data was written with

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 18:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deployment_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("fingerprint", sa.String(length=400), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_keys")),
        sa.UniqueConstraint("purpose", "fingerprint", name=op.f("uq_deployment_keys_purpose")),
    )


def downgrade() -> None:
    op.drop_table("deployment_keys")
