"""orders' placed_at: lists and volumes go by the day an order was placed, not filed

A demo or a bulk import files a year of orders in one day; counted by ``created_at`` all of
it fell on that day. ``placed_at`` holds the order's ``ordered_at`` (UTC) beside the body,
indexed with the kind for a range of days in page order. Existing orders are filled in
from their bodies (``ordered_at`` is never personal, so it is stored in clear), a chunk of
rows at a time so that a large table is never read into memory at once; the JSON is read
in Python, which every dialect allows.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 17:40:00.000000
"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INDEX = "ix_documents_placed"
CHUNK = 2000


def _placed(body: str) -> datetime | None:
    """The body's ``ordered_at`` in UTC, or None when it holds none that reads as a time."""
    try:
        value = json.loads(body).get("ordered_at")
        placed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, TypeError, AttributeError):
        return None
    return (placed if placed.tzinfo else placed.replace(tzinfo=UTC)).astimezone(UTC)


def _backfill(conn: sa.Connection) -> None:
    docs = sa.table(
        "documents",
        sa.column("seq", BigId),
        sa.column("kind", sa.String),
        sa.column("body", sa.Text),
        sa.column("placed_at", sa.DateTime(timezone=True)),
    )
    naive = conn.dialect.name == "sqlite"  # stores UTC without a zone (cbec UTCDateTime)
    change = (
        sa.update(docs)
        .where(docs.c.seq == sa.bindparam("b_seq"))
        .values(placed_at=sa.bindparam("b_placed"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(docs.c.seq, docs.c.body)
            .where(docs.c.kind == "order", docs.c.seq > last)
            .order_by(docs.c.seq)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1].seq
        values = []
        for r in rows:
            placed = _placed(r.body)
            if placed is not None:
                values.append(
                    {"b_seq": r.seq, "b_placed": placed.replace(tzinfo=None) if naive else placed}
                )
        if values:
            conn.execute(change, values)


def upgrade() -> None:
    op.add_column("documents", sa.Column("placed_at", sa.DateTime(timezone=True), nullable=True))
    _backfill(op.get_bind())
    op.create_index(INDEX, "documents", ["kind", "placed_at", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="documents")
    op.drop_column("documents", "placed_at")
