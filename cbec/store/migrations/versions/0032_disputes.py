"""dispute cases: the case on an order, the messages between its parties and the events
of its life, each with its ledger index

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _tenant_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["tenants.id"], name=op.f(f"fk_{table}_{column}_tenants")
    )


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["case_id"], ["dispute_cases.id"], name=op.f(f"fk_{table}_case_id_dispute_cases")
    )


def upgrade() -> None:
    op.create_table(
        "dispute_cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("order_no", sa.String(length=100), nullable=False),
        sa.Column("platform_tenant_id", _ID, nullable=False),
        sa.Column("seller_tenant_id", _ID, nullable=False),
        sa.Column("opener_tenant_id", _ID, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("claim_amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("refund_amount", sa.String(length=40), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_source", sa.Text(), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        _tenant_fk("dispute_cases", "platform_tenant_id"),
        _tenant_fk("dispute_cases", "seller_tenant_id"),
        _tenant_fk("dispute_cases", "opener_tenant_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_cases")),
    )
    op.create_index("ix_dispute_cases_order", "dispute_cases", ["order_id"])
    for who in ("platform", "seller", "opener"):
        op.create_index(
            f"ix_dispute_cases_{who}", "dispute_cases", [f"{who}_tenant_id", "opened_at"]
        )
    op.create_table(
        "dispute_messages",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("author_tenant_id", _ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ledger_index", _ID, nullable=True),
        _case_fk("dispute_messages"),
        _tenant_fk("dispute_messages", "author_tenant_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_messages")),
    )
    op.create_index("ix_dispute_messages_case", "dispute_messages", ["case_id", "id"])
    op.create_table(
        "dispute_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("actor_tenant_id", _ID, nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("ledger_index", _ID, nullable=True),
        _case_fk("dispute_events"),
        _tenant_fk("dispute_events", "actor_tenant_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_events")),
    )
    op.create_index("ix_dispute_events_case", "dispute_events", ["case_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_dispute_events_case", table_name="dispute_events")
    op.drop_table("dispute_events")
    op.drop_index("ix_dispute_messages_case", table_name="dispute_messages")
    op.drop_table("dispute_messages")
    for who in ("opener", "seller", "platform"):
        op.drop_index(f"ix_dispute_cases_{who}", table_name="dispute_cases")
    op.drop_index("ix_dispute_cases_order", table_name="dispute_cases")
    op.drop_table("dispute_cases")
