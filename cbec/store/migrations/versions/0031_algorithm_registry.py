"""algorithm registry: records (owner, versions, filing number, refiling clock) and their
versions (the whole record as canonical JSON, its change note)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "algorithm_records",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("algorithm_type", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filed_version", sa.Integer(), nullable=True),
        sa.Column("filing_number", sa.String(length=64), nullable=True),
        sa.Column("launch_date", sa.Date(), nullable=True),
        sa.Column("pending_since", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_algorithm_records_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_algorithm_records")),
    )
    op.create_index("ix_algorithm_records_tenant_id", "algorithm_records", ["tenant_id"])
    op.create_table(
        "algorithm_versions",
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("changed_fields", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filing_number", sa.String(length=64), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_index", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["algorithm_records.id"],
            name=op.f("fk_algorithm_versions_record_id_algorithm_records"),
        ),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_algorithm_versions")),
    )


def downgrade() -> None:
    op.drop_table("algorithm_versions")
    op.drop_index("ix_algorithm_records_tenant_id", table_name="algorithm_records")
    op.drop_table("algorithm_records")
