"""Filing one order: milliseconds and SQL statements per order, in process.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run, so a number is read relative to the machine it
ran on. This script files ``--orders`` synthetic orders one at a time, each in its own
transaction and commit, on a fresh database (a new SQLite file; with ``--postgres`` an
emptied PostgreSQL schema too):

1. **use case** — :func:`cbec.services.documents.file_document`, as ``POST /orders`` calls it;
2. **API** — ``POST /orders`` through FastAPI's in-process test client (authentication, the
   request limits, the body's parsing and the answer included; no socket; the ledger's
   background integrator is not started, its statements being no order's).

The baseline, measured in the same run on the same orders: **validate** —
:func:`cbec.trade.validation.validate` of each order (structure and business rules, no
storage). Each way's time per order is printed with its ratio to the baseline's, its CPU
time per order (the process's, every thread; steadier than the elapsed time on a busy
machine), and the SQL statements per order the engine executed (SQLAlchemy's
``before_cursor_execute``), then the statements of one more order by shape (verb and
table).

The goal checked here is the statement budget of ``tests/documents/test_filing_statements.py``:
**at most 13 statements per order on SQLite, 10 on PostgreSQL**, for the API as for the use
case. SQLite's two beyond the work are two ``BEGIN`` (the reads and checks made before the
write lock, then the write; a filing in a group of several also has a ``SAVEPOINT`` and
``RELEASE``, sent to the SQLite connection directly, not counted); PostgreSQL begins a
transaction without a statement and files without a group. The
buyer's person key costs one more: found in the read step, checked still stored in the write
(an erasure may have shredded it in between), or made and stored for a new buyer, and the
filer's webhook subscriptions one more (read once per transaction). The API reads its key
again once a second and records its use once a minute, so it averages a little above a
whole number.

Usage::

    .venv/bin/python bench/filing.py [--orders 500] [--one-core]
        [--postgres postgresql+psycopg://USER@HOST:PORT/DB]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import Cpus, Database, on_each_database, settings_for
from fastapi.testclient import TestClient
from sqlalchemy import event

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.runtime import open_runtime
from cbec.services.documents import FileRequest, file_document
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade.kinds import KINDS
from cbec.trade.validation import validate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the statement shapes the tests count by

from tests.statements import by_shape  # noqa: E402

BOUND = {"sqlite": 13, "postgresql": 10}  # tests/documents/test_filing_statements.py
SELLER, PLATFORM = "seller-a", "platform-a"
ORDER = KINDS["order"]


def _orders(n: int, seed: int, prefix: str) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [synthetic.order(rng, PLATFORM, SELLER, f"{prefix}{i:07d}") for i in range(n)]


def _timed(items: list[Any], one: Callable[[Any], None]) -> tuple[float, float]:
    """Milliseconds per item of ``one`` over ``items``: elapsed, and the process's CPU time
    (all its threads; on a machine busy with other work the CPU time varies less)."""
    t0, c0 = time.perf_counter(), time.process_time()
    for item in items:
        one(item)
    return (
        (time.perf_counter() - t0) * 1000 / len(items),
        (time.process_time() - c0) * 1000 / len(items),
    )


def run(db: Database, n: int, seed: int, cpus: Cpus) -> bool:
    url = db.fresh("filing")
    rt = open_runtime(settings_for(url, db.root / "data"))
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    try:
        with rt.uow(write=True) as uow:
            seller, key = create_tenant(uow.repo, SELLER, Role.SELLER)
            create_tenant(uow.repo, PLATFORM, Role.PLATFORM)
            uow.commit()
        viewer = Viewer(seller.id, seller.name, seller.role)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        cases = {
            "use case": [json.dumps(o).encode() for o in _orders(n + 1, seed, "U")],
            "API": [json.dumps(o).encode() for o in _orders(n + 1, seed + 1, "A")],
        }
        validated = [json.loads(b) for b in cases["use case"][1:]]
        cpus.pin()
        # no background integrator: its statements are the ledger's, not an order's
        with TestClient(create_app(rt, integrate_in_background=False)) as client:

            def use_case(body: bytes) -> None:
                filed = file_document(rt.uow(), viewer, FileRequest(kind="order", body=body))
                assert filed.status == 201, filed

            def api(body: bytes) -> None:
                r = client.post("/orders", content=body, headers=headers)
                assert r.status_code == 201, r.text

            ways = {"use case": use_case, "API": api}
            for name, way in ways.items():  # untimed: the caches fill, the code paths warm
                way(cases[name][0])
            base_ms, base_cpu = _timed(validated, lambda raw: validate(ORDER, raw))
            rows = [("validate (baseline, no storage)", base_ms, base_cpu, None)]
            event.listen(rt.engine, "before_cursor_execute", note)
            for name, way in ways.items():
                seen.clear()
                ms, cpu = _timed(cases[name][1:], way)
                rows.append((name, ms, cpu, len(seen) / n))
            for i in range(2):  # the second: its key read a moment ago, as in a busy second
                seen.clear()
                order = synthetic.order(random.Random(-1), PLATFORM, SELLER, f"ONE{i}")
                api(json.dumps(order).encode())
            one = by_shape(seen)
            event.remove(rt.engine, "before_cursor_execute", note)
    finally:
        rt.engine.dispose()

    dialect = "postgresql" if db.url else "sqlite"
    print(f"\n{db.label}: {n:,} orders, one transaction each")
    print(f"{'way':<34}{'ms/order':>10}{'ratio':>8}{'CPU ms':>9}{'statements/order':>18}")
    ok = True
    for name, ms, cpu, count in rows:
        stmts = "" if count is None else f"{count:.2f}"
        print(f"{name:<34}{ms:>10.3f}{ms / base_ms:>8.1f}{cpu:>9.3f}{stmts:>18}")
        if count is not None:
            ok &= count < BOUND[dialect] + 0.5
    print(f"one more order over the API, by shape ({sum(one.values())} statements):")
    for shape, count in one.most_common():
        print(f"  {count:>2}  {shape}")
    verdict = "PASS" if ok else "MISS"
    print(f"goal: at most {BOUND[dialect]} statements per order on {db.label} — {verdict}")
    print("ratio = ms per order ÷ ms per order of the baseline (same run; lower is faster)")
    print("CPU ms = the process's CPU time per order, all threads (the group commit's too)")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CBEC_BENCH_POSTGRES_URL"),
        help="PostgreSQL URL (its public schema is dropped!); env CBEC_BENCH_POSTGRES_URL",
    )
    parser.add_argument("--one-core", action="store_true", help="pin measurements to one CPU")
    args = parser.parse_args(argv)
    if args.orders < 1:
        parser.error("--orders must be ≥ 1")
    cpus = Cpus(args.one_core)
    print(
        f"cbec filing benchmark — Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{cpus.describe()}"
    )
    return on_each_database(args.postgres, lambda db: run(db, args.orders, args.seed, cpus))


if __name__ == "__main__":
    raise SystemExit(main())
