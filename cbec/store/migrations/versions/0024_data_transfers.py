"""data transfers: the register of cross-border transfers and the individuals in each

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 23:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "data_transfers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(length=2), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("data_categories", sa.Text(), nullable=False),
        sa.Column("declared_individuals", sa.Integer(), nullable=False),
        sa.Column("declared_sensitive", sa.Integer(), nullable=False),
        sa.Column("document_count", sa.Integer(), nullable=False),
        sa.Column("important_data", sa.Boolean(), nullable=False),
        sa.Column("collected_abroad", sa.Boolean(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("route", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_data_transfers_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_transfers")),
    )
    op.create_index(
        "ix_data_transfers_tenant_day", "data_transfers", ["tenant_id", "transferred_on"]
    )
    op.create_table(
        "data_transfer_subjects",
        sa.Column("transfer_id", sa.String(length=36), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["data_transfers.id"],
            name=op.f("fk_data_transfer_subjects_transfer_id_data_transfers"),
        ),
        sa.PrimaryKeyConstraint(
            "transfer_id", "subject_ref", name=op.f("pk_data_transfer_subjects")
        ),
    )


def downgrade() -> None:
    op.drop_table("data_transfer_subjects")
    op.drop_index("ix_data_transfers_tenant_day", table_name="data_transfers")
    op.drop_table("data_transfers")
