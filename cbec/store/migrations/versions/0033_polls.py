"""polls: a seller's poll on a product decision and its votes, one per buyer (UNIQUE on the
poll and the buyer's keyed hash)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("seller_tenant_id", _ID, nullable=False),
        sa.Column("topic", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_index", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["seller_tenant_id"], ["tenants.id"], name=op.f("fk_polls_seller_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    op.create_index("ix_polls_seller", "polls", ["seller_tenant_id", "opened_at"])
    op.create_table(
        "poll_votes",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("poll_id", sa.String(length=32), nullable=False),
        sa.Column("voter", sa.String(length=64), nullable=False),
        sa.Column("option", sa.String(length=100), nullable=False),
        sa.Column("market", sa.String(length=2), nullable=False),
        sa.Column("segment", sa.String(length=8), nullable=False),
        sa.Column("relay_tenant_id", _ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_poll_votes_poll_id_polls")
        ),
        sa.ForeignKeyConstraint(
            ["relay_tenant_id"],
            ["tenants.id"],
            name=op.f("fk_poll_votes_relay_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_votes")),
        sa.UniqueConstraint("poll_id", "voter", name=op.f("uq_poll_votes_poll_id")),
    )


def downgrade() -> None:
    op.drop_table("poll_votes")
    op.drop_index("ix_polls_seller", table_name="polls")
    op.drop_table("polls")
