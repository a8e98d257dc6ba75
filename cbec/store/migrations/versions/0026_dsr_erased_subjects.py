"""the persons each erasure covered, by keyed reference: their documents, transfer
subjects and person keys no longer carry it once erased

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 05:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "dsr_erased_subjects",
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_dsr_erased_subjects_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["dsr_requests.id"],
            name=op.f("fk_dsr_erased_subjects_request_id_dsr_requests"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "subject_ref", name=op.f("pk_dsr_erased_subjects")),
    )
    # erasures made before this revision: the reference each was requested by, with the
    # latest request that erased by it
    op.execute(
        "INSERT INTO dsr_erased_subjects (tenant_id, subject_ref, request_id) "
        "SELECT r.tenant_id, r.subject_ref, r.id FROM dsr_requests r "
        "WHERE r.kind = 'erasure' AND r.status = 'completed' AND NOT EXISTS ("
        " SELECT 1 FROM dsr_requests q WHERE q.tenant_id = r.tenant_id"
        " AND q.subject_ref = r.subject_ref AND q.kind = 'erasure'"
        " AND q.status = 'completed' AND (q.received_at > r.received_at"
        " OR (q.received_at = r.received_at AND q.id > r.id)))"
    )


def downgrade() -> None:
    op.drop_table("dsr_erased_subjects")
