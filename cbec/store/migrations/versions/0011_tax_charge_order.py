"""tax charges name the stored order they are withheld for

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-03 11:00:00.000000

A quota charge must reference a stored order its withholder is a party to, and an order is
charged once: ``order_doc_id`` with a unique index (NULLs — charges recorded before this
revision — do not collide on SQLite or PostgreSQL).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tax_quota_charges", sa.Column("order_doc_id", sa.String(32), nullable=True))
    op.create_index(
        "ix_tax_quota_charges_order_doc_id", "tax_quota_charges", ["order_doc_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_tax_quota_charges_order_doc_id", table_name="tax_quota_charges")
    with op.batch_alter_table("tax_quota_charges") as batch:
        batch.drop_column("order_doc_id")
