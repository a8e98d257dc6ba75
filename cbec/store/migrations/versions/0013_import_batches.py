"""import batches: a bulk import is written in short transactions and shown when complete

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_import_batches_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.add_column("documents", sa.Column("batch_id", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_documents_batch_id"), "documents", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_batch_id"), table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("batch_id")
    op.drop_table("import_batches")
