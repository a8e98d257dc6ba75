"""hmac rekey: values derived from the HMAC key, recomputed under the next key of a rotation

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hmac_rekey",
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("col", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "row_key", "col", name=op.f("pk_hmac_rekey")),
    )


def downgrade() -> None:
    op.drop_table("hmac_rekey")
