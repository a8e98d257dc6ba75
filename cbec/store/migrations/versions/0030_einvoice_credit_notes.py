"""einvoice credit notes: per order and invoice, each credit note issued and what it
credited (net amount, line quantities), so that no credit note credits more than is left

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "einvoice_credit_notes",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("invoice_number", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("net", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("invoice_net", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("ledger_index", _ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["documents.id"], name=op.f("fk_einvoice_credit_notes_order_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_einvoice_credit_notes_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_einvoice_credit_notes")),
    )
    op.create_index(
        "ix_einvoice_credit_notes_invoice",
        "einvoice_credit_notes",
        ["order_id", "invoice_number", "number"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_einvoice_credit_notes_invoice", table_name="einvoice_credit_notes")
    op.drop_table("einvoice_credit_notes")
