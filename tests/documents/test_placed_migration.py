"""Migration 0019 on a database of revision 0018 with orders in it: each order's
``placed_at`` is filled in from the ``ordered_at`` of its body (in UTC, whatever offset it
was written with), other kinds stay NULL, and the migration goes down and up again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, select, text

from cbec.store.tables import documents
from tests.databases import migrate, schema_of_its_own

SCHEMA = "cbec_migration_0019"
T = "2026-12-03 10:00:00+00:00"  # filed today, all of them
# seq: (kind, body)
ROWS = {
    1: ("order", {"order_no": "P1", "ordered_at": "2026-01-31T23:30:00Z"}),
    2: ("order", {"order_no": "P2", "ordered_at": "2026-02-01T07:15:00+08:00"}),
    3: ("payment", {"transaction_id": "T1", "paid_at": "2026-02-01T08:00:00Z"}),
    4: ("order", {"order_no": "P3", "ordered_at": "2025-12-24T12:00:00.250000Z"}),
}


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    """An empty database of its own: a SQLite file, or a PostgreSQL schema of its own."""
    with schema_of_its_own(tmp_path, SCHEMA) as engine:
        yield engine


def _placed(engine: Engine) -> dict[int, datetime | None]:
    with engine.connect() as conn:
        q = select(documents.c.seq, documents.c.placed_at)
        return {seq: placed for seq, placed in conn.execute(q)}


def test_0019_fills_placed_at_of_existing_orders_from_their_bodies(engine):
    migrate(engine, "0018")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tenants (id, name, role, created_at) VALUES (1, 'p', 'platform', :t)"
            ),
            {"t": T},
        )
        for seq, (kind, body) in ROWS.items():
            conn.execute(
                text(
                    "INSERT INTO documents (seq, id, kind, natural_key, scope_tenant_id, "
                    "co_scope_tenant_id, filer_tenant_id, body, fingerprint, created_at, "
                    "version) VALUES (:seq, :id, :kind, :key, 1, 1, 1, :body, 'f', :t, 1)"
                ),
                {"seq": seq, "id": f"doc{seq}", "kind": kind, "key": f"K{seq}", "t": T}
                | {"body": json.dumps(body)},
            )
    migrate(engine, "0019")
    # the oracle: each body's ordered_at read here as an aware time, in UTC
    expected = {
        seq: (
            datetime.fromisoformat(body["ordered_at"].replace("Z", "+00:00")).astimezone(UTC)
            if kind == "order"
            else None
        )
        for seq, (kind, body) in ROWS.items()
    }
    assert _placed(engine) == expected
    assert expected[2] == datetime(2026, 1, 31, 23, 15, tzinfo=UTC)  # +08:00 is the day before
    assert "ix_documents_placed" in {i["name"] for i in inspect(engine).get_indexes("documents")}

    migrate(engine, "0018", down=True)
    columns = {c["name"] for c in inspect(engine).get_columns("documents")}
    assert "placed_at" not in columns and "created_at" in columns
    with engine.connect() as conn:  # nothing else went with it
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == len(ROWS)
    migrate(engine, "head")
    assert _placed(engine) == expected
