"""tracking alerts announced to subscribers (``tracking.alert_raised``), once per tenant,
waybill, rule and alert; tracking events by event time, for the alert sweep's window

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06 05:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tracking_alert_notices",
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("waybill_id", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("alert_key", sa.String(length=64), nullable=False),
        sa.Column("alert_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("noticed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_tracking_alert_notices_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "waybill_id", "rule", "alert_key", name=op.f("pk_tracking_alert_notices")
        ),
    )
    op.create_index("ix_tracking_events_time", "tracking_events", ["event_time", "waybill_id"])


def downgrade() -> None:
    op.drop_index("ix_tracking_events_time", table_name="tracking_events")
    op.drop_table("tracking_alert_notices")
