"""Migration 0009 on a database of revision 0008 with rows in it: keys are folded (NFKC,
trimmed) and order keys scoped by platform and seller, without merging or losing a row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from tests.databases import migrate, schema_of_its_own

SCHEMA = "cbec_migration_0009"


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    """An empty database of its own: a SQLite file, or a PostgreSQL schema of its own."""
    with schema_of_its_own(tmp_path, SCHEMA) as engine:
        yield engine


TENANTS = {1: ("seller-a", "seller"), 2: ("seller-b", "seller"), 3: ("platform-a", "platform")}
TENANTS |= {4: ("pay-a", "payment")}
# seq: (kind, natural key, scope, seller, platform, order_no)
ROWS = {
    1: ("order", "SI1", 3, 1, 3, "SI1"),
    2: ("order", "ＳＩ2", 3, 1, 3, "ＳＩ2"),  # full width: folds to SI2
    3: ("order", " SI1 ", 3, 2, 3, " SI1 "),  # another seller's: SI1 is free in its scope
    4: ("order", "SI3 ", 3, 1, 3, "SI3 "),  # SI3 is stored below: keeps its spelling
    5: ("order", "SI3", 3, 1, 3, "SI3"),
    6: ("payment", "ＴＸ1", 4, None, 3, "ＳＩ2"),
    7: ("product", "SKU-1", 1, 1, None, None),
}


def test_0009_folds_keys_and_scopes_orders_by_seller(engine):
    migrate(engine, "0008")
    with engine.begin() as conn:
        for tid, (name, role) in TENANTS.items():
            conn.execute(
                text("INSERT INTO tenants (id, name, role, created_at) VALUES (:i, :n, :r, :t)"),
                {"i": tid, "n": name, "r": role, "t": "2026-01-01 00:00:00+00:00"},
            )
        for seq, (kind, key, scope, seller, platform, order_no) in ROWS.items():
            conn.execute(
                text(
                    "INSERT INTO documents (seq, id, kind, natural_key, scope_tenant_id, "
                    "filer_tenant_id, seller_tenant_id, platform_tenant_id, order_no, body, "
                    "fingerprint, created_at, version) VALUES (:seq, :id, :kind, :key, "
                    ":scope, :scope, :seller, :platform, :order_no, '{}', 'f', :t, 1)"
                ),
                {"seq": seq, "id": f"doc{seq}", "kind": kind, "key": key, "scope": scope}
                | {"seller": seller, "platform": platform, "order_no": order_no}
                | {"t": "2026-01-01 00:00:00+00:00"},
            )
        conn.execute(  # an earlier version refers to documents while the table is rebuilt
            text(
                "INSERT INTO document_versions (document_id, version, body, fingerprint, "
                "valid_from, superseded_at) VALUES ('doc7', 1, '{}', 'f', :t, :t)"
            ),
            {"t": "2026-01-01 00:00:00+00:00"},
        )
    migrate(engine, "0009")
    with engine.begin() as conn:
        got = {
            r.seq: (r.natural_key, r.co_scope_tenant_id, r.order_no)
            for r in conn.execute(
                text("SELECT seq, natural_key, co_scope_tenant_id, order_no FROM documents")
            )
        }
        assert got == {
            1: ("SI1", 1, "SI1"),
            2: ("SI2", 1, "SI2"),
            3: ("SI1", 2, "SI1"),
            4: ("SI3 ", 1, "SI3"),
            5: ("SI3", 1, "SI3"),
            6: ("TX1", 4, "SI2"),
            7: ("SKU-1", 1, None),
        }
        assert conn.execute(text("SELECT count(*) FROM document_versions")).scalar() == 1
        # seller-b may now hold SI2 on platform-a beside seller-a's
        conn.execute(
            text(
                "INSERT INTO documents (seq, id, kind, natural_key, scope_tenant_id, "
                "co_scope_tenant_id, filer_tenant_id, seller_tenant_id, platform_tenant_id, "
                "order_no, body, fingerprint, created_at, version) VALUES (8, 'doc8', "
                "'order', 'SI2', 3, 2, 2, 2, 3, 'SI2', '{}', 'f', :t, 1)"
            ),
            {"t": "2026-01-01 00:00:00+00:00"},
        )
