"""regulator's desk: reviews of screening hits, the ledger checkpoint each user last saw

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "screening_reviews",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("result_id", _ID, nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["screening_results.id"],
            name=op.f("fk_screening_reviews_result_id_screening_results"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_screening_reviews_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_screening_reviews_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_reviews")),
        sa.UniqueConstraint("result_id", name=op.f("uq_screening_reviews_result_id")),
    )
    op.create_table(
        "ledger_seen",
        sa.Column("user_id", _ID, autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.LargeBinary(length=32), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ledger_seen_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_ledger_seen")),
    )


def downgrade() -> None:
    op.drop_table("ledger_seen")
    op.drop_table("screening_reviews")
