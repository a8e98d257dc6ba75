"""The reconciliation page's queries keep their cost whatever plan PostgreSQL picks.

A page of the caller's orders reads its payments, waybills and same-numbered orders a query
per platform and kind (``Repository.documents_by_order``) and its orders a query per reason
the caller may read them (``Repository.list_documents``). Written as ``seq IN (<the query
that picks the page>)``, PostgreSQL could run the picking query once per row of
``documents`` (a nested-loop semi join): seen in a full run of the suite to take two minutes
for 300 orders on a table just emptied and refilled, whose statistics still said "empty".
The oracle is PostgreSQL's own count of the rows each statement read (``EXPLAIN ANALYZE``),
on the statistics of an emptied table and with the planner's hash and merge joins turned
off, so that nothing but the statements' shape bounds it. On such statistics every index
looks as good as another, and a correlated lookup (is this payment's order the caller's?)
may walk one that reads every order, once per order of the page: that much is allowed
(PostgreSQL re-plans once autovacuum has analysed the table; ``cbec demo`` analyses it at
once). Once per row of the table — the page's choice run again for each — is not: the old
shape read 350 million rows of a 2,695-row table (four minutes), the new one 140,000.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from cbec.demo import loader
from cbec.services import customs as customs_svc
from cbec.services.customs import UnmatchedQuery
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from tests.conftest import DEMO_ANCHOR, ON_POSTGRES, emptied
from tests.statements import executions

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's planner")

# the plans a planner judging every table to hold a row or none may pick
ADVERSE = ("SET enable_hashjoin = off", "SET enable_mergejoin = off", "SET enable_hashagg = off")


def rows_read(plan: dict, relation: str) -> int:
    """Rows of ``relation`` a plan node and its children read: returned or filtered out,
    on every loop."""
    own = 0
    if plan.get("Relation Name") == relation:
        per_loop = plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)
        own = per_loop * plan["Actual Loops"]
    return own + sum(rows_read(child, relation) for child in plan.get("Plans", []))


@pytest.fixture
def refilled(rt, monkeypatch):
    """The small demo loaded into an emptied ``documents`` whose statistics say it is empty
    — analysed after the emptying, with the pages its rows had, as autovacuum does after a
    mass delete — and autovacuum kept off until the test ends."""
    monkeypatch.setattr(loader, "refresh_statistics", lambda engine: None)
    with rt.engine.connect() as conn:
        conn.execute(text("ALTER TABLE documents SET (autovacuum_enabled = false)"))
        conn.commit()
    try:
        loader.load(rt, "small", DEMO_ANCHOR)
        emptied(rt)
        with rt.engine.connect() as conn:
            conn.execute(text("ANALYZE documents"))
            conn.commit()
        loader.load(rt, "small", DEMO_ANCHOR)
        with rt.engine.connect() as conn:
            planned = conn.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'documents'")
            ).scalar_one()
        assert planned == 0  # the stale statistics this test is about
        yield rt
    finally:
        with rt.engine.connect() as conn:
            conn.execute(text("ALTER TABLE documents RESET (autovacuum_enabled)"))
            conn.execute(text("ANALYZE documents"))
            conn.commit()


def test_a_reconciliation_page_reads_the_table_at_most_once_per_order_of_the_page(refilled):
    for name in ("sz-gadgets", "silk-mall", "hz-customs"):  # a seller, a platform, customs
        check_page(refilled, name)


def check_page(rt, name: str) -> None:
    with rt.engine.connect() as conn:
        tenant_id, role = conn.execute(
            text("SELECT id, role FROM tenants WHERE name = :n"), {"n": name}
        ).one()
        stored = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
    viewer = Viewer(tenant_id, name, Role(role))
    with executions(rt.engine) as executed:
        page = customs_svc.unmatched_orders(rt.uow(), viewer, UnmatchedQuery(limit=500))
    seen = [(s, p) for s, p in executed if s.lstrip().startswith("SELECT") and "documents" in s]
    assert page.checked > 250 and page.unmatched  # a real page, with failures to show
    assert any("row_number" in s for s, _ in seen)  # the per-order lookups were asked
    raw = rt.engine.raw_connection()
    try:
        cur = raw.cursor()
        for setting in ADVERSE:
            cur.execute(setting)
        for statement, parameters in seen:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            (explained,) = cur.fetchone()
            plan = (explained if isinstance(explained, list) else json.loads(explained))[0]
            read = rows_read(plan["Plan"], "documents")
            assert read <= (page.checked + 1) * stored, (read, stored, statement[:300])
    finally:
        raw.rollback()
        raw.close()
