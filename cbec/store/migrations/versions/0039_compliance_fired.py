"""a decision's fired entries that the orders of one filing share, stored once per tenant
under the SHA-256 of their JSON text (cbec.store.fired_store)

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 16:30:00.000000
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0039"
down_revision = "0038"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "compliance_fired",
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_compliance_fired_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "digest", name=op.f("pk_compliance_fired")),
    )


def downgrade() -> None:
    # Put the shared entries back into the decisions that name them, then drop the table:
    # the earlier schema's readers expect every entry inline.
    conn = op.get_bind()
    entries = {
        (t, d): json.loads(b)
        for t, d, b in conn.execute(sa.text("SELECT tenant_id, digest, body FROM compliance_fired"))
    }
    if entries:
        rows = conn.execute(sa.text("SELECT id, tenant_id, body FROM compliance_decisions"))
        changed = []
        for decision_id, tenant_id, text in rows:
            body = json.loads(text)
            fired = body.get("fired") or []
            if any(isinstance(item, str) for item in fired):
                body["fired"] = [
                    entries[tenant_id, item] if isinstance(item, str) else item for item in fired
                ]
                changed.append({"id": decision_id, "body": json.dumps(body, ensure_ascii=False)})
        if changed:
            conn.execute(
                sa.text("UPDATE compliance_decisions SET body = :body WHERE id = :id"), changed
            )
    op.drop_table("compliance_fired")
