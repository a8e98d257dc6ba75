"""reveal audit: who revealed — the console user, or the API key — not only the tenant

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-03 18:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # batch mode: SQLite adds a column with a foreign key only by rebuilding the table
    with op.batch_alter_table("reveal_audit") as batch:
        batch.add_column(sa.Column("user_id", _ID, nullable=True))
        batch.add_column(sa.Column("key_id", sa.String(length=32), nullable=True))
        batch.create_foreign_key("fk_reveal_audit_user_id_users", "users", ["user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("reveal_audit") as batch:
        batch.drop_constraint("fk_reveal_audit_user_id_users", type_="foreignkey")
        batch.drop_column("key_id")
        batch.drop_column("user_id")
