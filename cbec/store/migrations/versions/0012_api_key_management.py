"""api key management: expiry, last use, audit

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03 10:55:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("api_keys", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "api_key_audit",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_api_key_audit_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key_audit")),
    )
    op.create_index(op.f("ix_api_key_audit_key_id"), "api_key_audit", ["key_id"], unique=False)
    op.create_index(
        op.f("ix_api_key_audit_tenant_id"), "api_key_audit", ["tenant_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_api_key_audit_tenant_id"), table_name="api_key_audit")
    op.drop_index(op.f("ix_api_key_audit_key_id"), table_name="api_key_audit")
    op.drop_table("api_key_audit")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
