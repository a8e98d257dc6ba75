"""person keys and data subject requests: a data key per controller and person (erased by
crypto-shredding) and the register of access and erasure requests

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 01:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_person_keys_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_keys")),
    )
    op.create_index("ix_person_keys_tenant_subject", "person_keys", ["tenant_id", "subject_ref"])
    op.create_table(
        "dsr_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("found_by", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("keys_shredded", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("retention", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_dsr_requests_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dsr_requests")),
    )
    op.create_index("ix_dsr_requests_tenant_received", "dsr_requests", ["tenant_id", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_dsr_requests_tenant_received", table_name="dsr_requests")
    op.drop_table("dsr_requests")
    op.drop_index("ix_person_keys_tenant_subject", table_name="person_keys")
    op.drop_table("person_keys")
