"""What filing one order costs PostgreSQL in round trips, read off the wire: libpq's own trace
of the protocol messages (``PQtrace``, through psycopg's ``PGconn.trace``) on the connections
the filings use — an oracle outside SQLAlchemy, whose statement events
(``tests/statements.py``) see neither psycopg's ``BEGIN`` nor its ``DEALLOCATE ALL``.

A filing on PostgreSQL is one transaction (``UnitOfWork.read_then_write``): one connection
from the pool, one ``BEGIN``, one ``COMMIT``, no ``ROLLBACK``. It was two — the reads and
checks, rolled back, then the write — each after the pool's ping, and psycopg, which
prepared statements on the server after their fifth run, forgot them at every ``ROLLBACK``
and sent ``DEALLOCATE ALL`` before the next statement: 19 round trips an order, now 14 (its
automatic prepare is off, and a connection is pinged only after a second idle:
``cbec.store.db.make_engine``).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from psycopg import pq
from sqlalchemy import event

from cbec.demo import synthetic
from cbec.services.documents import FileRequest, file_document
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's wire protocol")

ORDERS = 4
# round trips an order besides the pool's ping: BEGIN, the reads (idempotency, key,
# catalogue, screening lists, sandbox enrolments, rule stamp, person keys), the writes
# (ledger state, ledger entries, person key, document, webhook subscriptions, decision), COMMIT
BOUND = 14


def _order(n: int) -> bytes:
    return json.dumps(
        synthetic.order(random.Random(n), "platform-a", "seller-a", f"RT-{n}")
    ).encode()


def _messages(trace: Path) -> list[tuple[str, str, str]]:
    """(direction, message type, fields) of each traced message: ``F`` from cbec, ``B``
    from the server (libpq's trace: direction, length, type, fields; no timestamps)."""
    out = []
    for line in trace.read_text(errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            out.append((parts[0], parts[2].strip(), parts[3].strip() if len(parts) > 3 else ""))
    return out


def test_a_filing_is_one_transaction_with_no_rollback_and_no_deallocate(rt, parties, tmp_path):
    seller = parties["seller-a"].viewer
    for n in range(3):  # warm: the tenant directory, the rule set, the caches
        assert file_document(rt.uow(), seller, FileRequest(kind="order", body=_order(n))).status
    trace_path = tmp_path / "libpq.trace"
    checkouts: list[object] = []
    traced: list = []

    with trace_path.open("w") as sink:

        def on_checkout(dbapi_conn, _record, _proxy) -> None:
            checkouts.append(dbapi_conn)
            if dbapi_conn not in traced:
                dbapi_conn.pgconn.trace(sink.fileno())
                dbapi_conn.pgconn.set_trace_flags(
                    pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE
                )
                traced.append(dbapi_conn)

        event.listen(rt.engine, "checkout", on_checkout)
        try:
            for n in range(10, 10 + ORDERS):
                filed = file_document(rt.uow(), seller, FileRequest(kind="order", body=_order(n)))
                assert filed.status == 201
        finally:
            event.remove(rt.engine, "checkout", on_checkout)
            for conn in traced:
                conn.pgconn.untrace()

    messages = _messages(trace_path)
    sent = Counter(text for d, kind, text in messages if d == "F" and kind == "Query")
    assert len(checkouts) == ORDERS  # one connection an order
    assert sent['"BEGIN"'] == ORDERS and sent['"COMMIT"'] == ORDERS, sent
    assert not [t for t in sent if "ROLLBACK" in t or "DEALLOCATE" in t], sent
    assert not [m for m in messages if m[0] == "F" and m[1] == "Parse" and m[2].startswith('"_')]
    # every exchange ends with the server's ReadyForQuery: one a round trip; the pool's
    # pings (an empty statement, ";"), sent only after a second idle, are not the order's
    round_trips = sum(1 for d, kind, _ in messages if d == "B" and kind == "ReadyForQuery")
    pings = sent['";"']
    assert pings <= ORDERS
    assert round_trips - pings <= BOUND * ORDERS, ((round_trips - pings) / ORDERS, sent)
