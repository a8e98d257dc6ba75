"""talent sharing: expert profiles, projects, engagements with their deliverables, and the
events of all of them with their ledger index

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    name = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{name}"))


def upgrade() -> None:
    op.create_table(
        "talent_experts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_tenant_id", _ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("headline", sa.String(length=200), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("certificates", sa.Text(), nullable=False),
        sa.Column("day_rate", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("days_per_week", sa.Integer(), nullable=False),
        sa.Column("published_at", _AT, nullable=False),
        _fk("talent_experts", "owner_tenant_id", "tenants.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_experts")),
    )
    op.create_index("ix_talent_experts_owner", "talent_experts", ["owner_tenant_id"])
    op.create_table(
        "talent_projects",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("seller_tenant_id", _ID, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("day_budget", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("days_per_week", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.String(length=10), nullable=False),
        sa.Column("ends_on", sa.String(length=10), nullable=False),
        sa.Column("posted_at", _AT, nullable=False),
        _fk("talent_projects", "seller_tenant_id", "tenants.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_projects")),
    )
    op.create_index(
        "ix_talent_projects_seller", "talent_projects", ["seller_tenant_id", "posted_at"]
    )
    op.create_table(
        "talent_engagements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.String(length=32), nullable=False),
        sa.Column("expert_id", sa.String(length=32), nullable=False),
        sa.Column("seller_tenant_id", _ID, nullable=False),
        sa.Column("expert_tenant_id", _ID, nullable=False),
        sa.Column("starts_on", sa.String(length=10), nullable=False),
        sa.Column("ends_on", sa.String(length=10), nullable=False),
        sa.Column("cost", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("benchmark", sa.String(length=64), nullable=False),
        sa.Column("score", sa.String(length=40), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rated_at", _AT, nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        _fk("talent_engagements", "project_id", "talent_projects.id"),
        _fk("talent_engagements", "expert_id", "talent_experts.id"),
        _fk("talent_engagements", "seller_tenant_id", "tenants.id"),
        _fk("talent_engagements", "expert_tenant_id", "tenants.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_engagements")),
    )
    for who in ("seller", "expert"):
        op.create_index(
            f"ix_talent_engagements_{who}",
            "talent_engagements",
            [f"{who}_tenant_id", "created_at"],
        )
    op.create_index("ix_talent_engagements_expert_id", "talent_engagements", ["expert_id"])
    op.create_table(
        "talent_deliverables",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("engagement_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        _fk("talent_deliverables", "engagement_id", "talent_engagements.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_deliverables")),
    )
    op.create_index(
        "ix_talent_deliverables_engagement",
        "talent_deliverables",
        ["engagement_id", "number"],
        unique=True,
    )
    op.create_table(
        "talent_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=48), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("actor_tenant_id", _ID, nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("ledger_index", _ID, nullable=True),
        _fk("talent_events", "actor_tenant_id", "tenants.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_events")),
    )
    op.create_index("ix_talent_events_subject", "talent_events", ["subject", "id"])


def downgrade() -> None:
    op.drop_index("ix_talent_events_subject", table_name="talent_events")
    op.drop_table("talent_events")
    op.drop_index("ix_talent_deliverables_engagement", table_name="talent_deliverables")
    op.drop_table("talent_deliverables")
    op.drop_index("ix_talent_engagements_expert_id", table_name="talent_engagements")
    for who in ("expert", "seller"):
        op.drop_index(f"ix_talent_engagements_{who}", table_name="talent_engagements")
    op.drop_table("talent_engagements")
    op.drop_index("ix_talent_projects_seller", table_name="talent_projects")
    op.drop_table("talent_projects")
    op.drop_index("ix_talent_experts_owner", table_name="talent_experts")
    op.drop_table("talent_experts")
