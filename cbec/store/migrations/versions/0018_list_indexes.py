"""list indexes: a page of documents walks an index in page order (bench/console.py)

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-03 15:10:00.000000
"""

from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_documents_kind_seq": ["kind", "seq"],
    "ix_documents_platform": ["kind", "platform_tenant_id", "seq"],
    "ix_documents_order_no": ["kind", "order_no"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "documents", columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="documents")
