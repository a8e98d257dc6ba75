"""natural keys scoped by platform and seller, folded by NFKC

An order number becomes unique per platform *and* seller (``co_scope_tenant_id``; the
scope tenant again for the other kinds), so one seller can no longer occupy another's order
number. Stored keys and order numbers are folded the way filing now folds them (NFKC,
Unicode UAX #15, outer white space trimmed). A key whose folded form is already stored in
its scope (or taken by an earlier document's folding) keeps its stored spelling: the
document stays readable by id, and nothing is merged or lost.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:00:00
"""

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fold(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFKC", value).strip()


def _fold_stored_keys(conn: sa.Connection) -> None:
    docs = sa.table(
        "documents",
        sa.column("seq", BigId),
        sa.column("kind", sa.String),
        sa.column("scope_tenant_id", BigId),
        sa.column("co_scope_tenant_id", BigId),
        sa.column("natural_key", sa.String),
        sa.column("order_no", sa.String),
    )
    rows = conn.execute(sa.select(docs).order_by(docs.c.seq)).all()
    taken = {(r.kind, r.scope_tenant_id, r.co_scope_tenant_id, r.natural_key) for r in rows}
    for r in rows:
        values = {}
        key = _fold(r.natural_key)
        scoped = (r.kind, r.scope_tenant_id, r.co_scope_tenant_id, key)
        if key and key != r.natural_key and scoped not in taken:
            taken.add(scoped)
            values["natural_key"] = key
        order_no = _fold(r.order_no)
        if order_no and order_no != r.order_no:
            values["order_no"] = order_no
        if values:
            conn.execute(sa.update(docs).where(docs.c.seq == r.seq).values(**values))


@contextmanager
def _rebuilding_documents(conn: sa.Connection) -> Iterator[None]:
    """SQLite changes a constraint by rebuilding the table, and dropping ``documents`` would
    orphan the rows of ``document_versions`` that refer to it (foreign keys are on and cannot
    be turned off inside the migration's transaction): they are set aside meanwhile."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("CREATE TEMP TABLE kept_versions AS SELECT * FROM document_versions")
        conn.exec_driver_sql("DELETE FROM document_versions")
    yield
    if sqlite:
        conn.exec_driver_sql("INSERT INTO document_versions SELECT * FROM kept_versions")
        conn.exec_driver_sql("DROP TABLE kept_versions")


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("co_scope_tenant_id", BigId, nullable=True))
    conn.execute(
        sa.text(
            "UPDATE documents SET co_scope_tenant_id = CASE WHEN kind = 'order' "
            "THEN seller_tenant_id ELSE scope_tenant_id END"
        )
    )
    with _rebuilding_documents(conn), op.batch_alter_table("documents") as batch:
        batch.alter_column("co_scope_tenant_id", existing_type=BigId, nullable=False)
        batch.create_foreign_key(
            op.f("fk_documents_co_scope_tenant_id_tenants"),
            "tenants",
            ["co_scope_tenant_id"],
            ["id"],
        )
        batch.drop_constraint("uq_documents_natural_key", type_="unique")
        batch.create_unique_constraint(
            "uq_documents_natural_key",
            ["kind", "scope_tenant_id", "co_scope_tenant_id", "natural_key"],
        )
    _fold_stored_keys(conn)  # under the new constraint: another seller's key is no clash


def downgrade() -> None:
    # Orders of two sellers with one platform and number cannot share the old constraint.
    with _rebuilding_documents(op.get_bind()), op.batch_alter_table("documents") as batch:
        batch.drop_constraint("uq_documents_natural_key", type_="unique")
        batch.create_unique_constraint(
            "uq_documents_natural_key", ["kind", "scope_tenant_id", "natural_key"]
        )
        batch.drop_constraint(op.f("fk_documents_co_scope_tenant_id_tenants"), type_="foreignkey")
        batch.drop_column("co_scope_tenant_id")
