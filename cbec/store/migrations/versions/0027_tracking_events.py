"""tracking events (GS1 EPCIS 2.0) with their keys for traceability

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 08:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tracking_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("recorder_tenant_id", _ID, nullable=False),
        sa.Column("waybill_id", sa.String(length=32), nullable=True),
        sa.Column("event_id", sa.String(length=120), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("biz_step", sa.String(length=64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ledger_index", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["recorder_tenant_id"],
            ["tenants.id"],
            name=op.f("fk_tracking_events_recorder_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint(
            "recorder_tenant_id", "event_id", name=op.f("uq_tracking_events_recorder_tenant_id")
        ),
    )
    op.create_index(
        "ix_tracking_events_waybill_time", "tracking_events", ["waybill_id", "event_time"]
    )
    op.create_table(
        "tracking_event_keys",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("recorder_tenant_id", _ID, nullable=False),
        sa.Column("event_id", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorder_tenant_id", "event_id"],
            ["tracking_events.recorder_tenant_id", "tracking_events.event_id"],
            name=op.f("fk_tracking_event_keys_recorder_tenant_id_tracking_events"),
        ),
        sa.PrimaryKeyConstraint(
            "key", "recorder_tenant_id", "event_id", name=op.f("pk_tracking_event_keys")
        ),
    )


def downgrade() -> None:
    op.drop_table("tracking_event_keys")
    op.drop_index("ix_tracking_events_waybill_time", table_name="tracking_events")
    op.drop_table("tracking_events")
