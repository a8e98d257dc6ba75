"""dispute cases keep the keyed reference of their order's person (``documents.subject_ref``),
so a data subject request finds the cases — and the messages — on a person for every party,
even after the order's filer erased its own link

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dispute_cases", sa.Column("subject_ref", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE dispute_cases SET subject_ref = (SELECT d.subject_ref FROM documents d"
        " WHERE d.id = dispute_cases.order_id AND d.subject_ref NOT LIKE 'erased:%')"
    )
    op.create_index("ix_dispute_cases_subject", "dispute_cases", ["subject_ref"])


def downgrade() -> None:
    op.drop_index("ix_dispute_cases_subject", table_name="dispute_cases")
    with op.batch_alter_table("dispute_cases") as batch:
        batch.drop_column("subject_ref")
