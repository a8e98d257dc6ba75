"""Ingest throughput: orders per second through cbec's three ways in, against baselines.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run, so a number is read relative to the machine it
ran on. This script measures, each on a fresh database (a new SQLite file in a temporary
directory, or an emptied PostgreSQL schema), all with ``time.perf_counter``:

1. **core import** — what ``cbec import orders FILE --as seller-a`` does without its progress
   bar: read a JSON Lines file with :func:`cbec.trade.tabular.read_jsonl`, run
   :func:`cbec.trade.filing.file_documents` inside ``rt.uow(write=True)`` and commit. The
   timer covers reading, parsing, validation, party resolution, natural-key lookup,
   sealing (field encryption), the INSERT and the durable commit;
2. **HTTP bulk import** — the same JSON Lines bytes in one ``POST /orders/import``
   (``Content-Type: application/x-ndjson``) to a real ``cbec serve`` subprocess on
   127.0.0.1; the timer covers the whole request, upload to response;
3. **HTTP single documents** — ``POST /orders`` one order at a time, sequentially, over one
   keep-alive ``httpx`` client (a smaller number of orders: one commit per request).

The baselines, measured in the same run on the same orders:

* **generate + validate, no storage** — ``cbec.demo.synthetic.order`` then
  ``cbec.trade.validation.validate(KINDS["order"], raw)`` (pydantic model plus business rules).
  Every rate is printed as a ratio to this rate, so a ratio of 0.5 means that storing an
  order costs about as much again as making and checking it;
* **raw INSERT** — the same number of JSON text rows of the same size (each order's JSON)
  inserted with ``executemany`` in one transaction into a bare ``(id, body)`` table, with
  the same durability settings cbec uses (SQLite WAL + ``synchronous=FULL``; PostgreSQL
  defaults). This is the floor the database itself sets.

The goals checked here are for scenario 1 on SQLite on one core: **≥ 2,000 orders/s**, and
the write path's (issue #16) **≥ 3,000 orders/s and ≥ 0.6 of the generate + validate
baseline** measured in the same run — each printed PASS or MISS. Pass ``--one-core`` to pin
the in-process measurements to one CPU. With ``--one-core`` the
``cbec serve`` subprocess is pinned to that CPU as well and the HTTP client runs on the
others, so client and server do not compete. ``--profile`` runs scenario 1 once more (on a
fresh SQLite file, untimed) under :mod:`cProfile` and prints where the time goes.

Every scenario checks afterwards that all its orders were created and stored, so a fast run
that wrote nothing cannot pass. The generated order dicts are dropped once serialised, so the
bench's own objects do not slow the garbage collector during the timed imports.

Usage::

    .venv/bin/python bench/ingest.py [--orders 20000] [--single 2000] [--one-core]
        [--postgres postgresql+psycopg://USER@HOST:PORT/DB] [--profile]

``--postgres`` (or ``CBEC_BENCH_POSTGRES_URL``) adds the PostgreSQL runs; the database's
``public`` schema is dropped and recreated before each scenario, so point it at a database
made for benchmarking.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from common import (
    LIMITS_OFF,
    Cpus,
    Database,
    postgres_url,
    print_goals,
    reset_postgres,
    server,
    settings_for,
)
from sqlalchemy.engine import make_url

from cbec.demo import synthetic
from cbec.runtime import Runtime, open_runtime
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade import filing, tabular
from cbec.trade.kinds import KINDS

GOAL_RATE = 2_000  # orders/s, scenario 1 on SQLite on one core
WRITE_PATH_RATE = 3_000  # orders/s, the write path's goal (issue #16), same scenario
WRITE_PATH_RATIO = 0.6  # of the generate + validate baseline, same run
SELLER, PLATFORM = "seller-a", "platform-a"
ORDER = KINDS["order"]


# --- results -------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    database: str
    orders: int
    seconds: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.orders / self.seconds if self.seconds > 0 else float("inf")


def print_table(results: list[Result], baseline: Result) -> None:
    head = ("scenario", "database", "orders", "seconds", "orders/s", "ratio vs baseline")
    rows = [
        (
            r.scenario,
            r.database,
            f"{r.orders:,}",
            f"{r.seconds:.3f}",
            f"{r.rate:,.0f}",
            f"{r.rate / baseline.rate:.3f}",
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    align = ["<", "<", ">", ">", ">", ">"]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True))

    print(line(head))
    print("  ".join("-" * w for w in widths))
    for r, row in zip(results, rows, strict=True):
        print(line(row) + (f"   {r.note}" if r.note else ""))
    print(
        f"ratio = orders/s ÷ {baseline.rate:,.0f} orders/s of '{baseline.scenario}' "
        "(same orders, same run; higher is faster)"
    )


# --- CPU pinning ---------------------------------------------------------------------------


# --- databases -----------------------------------------------------------------------------


def setup_tenants(url: str, data_dir: Path) -> tuple[Runtime, Viewer, str]:
    """Schema, the seller and platform tenants; returns the runtime, seller viewer and key."""
    rt = open_runtime(settings_for(url, data_dir))
    with rt.uow(write=True) as uow:
        seller, key = create_tenant(uow.repo, SELLER, Role.SELLER)
        create_tenant(uow.repo, PLATFORM, Role.PLATFORM)
        uow.commit()
    return rt, Viewer(seller.id, seller.name, seller.role), key


def count_orders(rt: Runtime) -> int:
    with rt.uow() as uow:
        return uow.repo.count_documents().get("order", 0)


# --- orders and baselines ------------------------------------------------------------------


def generate(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [synthetic.order(rng, PLATFORM, SELLER, f"B{i:08d}") for i in range(n)]


def warm_up() -> None:
    """First calls load phone metadata, compile validators…; keep that out of the timings."""
    rng = random.Random(-1)
    for i in range(50):
        doc, errors = filing.validate(ORDER, synthetic.order(rng, PLATFORM, SELLER, f"W{i}"))
        assert doc is not None and not errors, errors


def baseline_generate_validate(n: int, seed: int) -> tuple[list[dict[str, Any]], list[Result]]:
    t0 = time.perf_counter()
    orders = generate(n, seed)
    t1 = time.perf_counter()
    for raw in orders:
        doc, errors = filing.validate(ORDER, raw)
        if doc is None or errors:
            raise SystemExit(f"generated order {raw['order_no']} does not validate: {errors}")
    t2 = time.perf_counter()
    return orders, [
        Result("baseline: generate + validate, no storage", "-", n, t2 - t0),
        Result("  of which generate (synthetic.order)", "-", n, t1 - t0),
        Result("  of which validate (validation.validate)", "-", n, t2 - t1),
    ]


def baseline_raw_sqlite(root: Path, bodies: list[str]) -> Result:
    path = root / "raw.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE raw_orders (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        params = [(b,) for b in bodies]
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO raw_orders (body) VALUES (?)", params)
        conn.execute("COMMIT")
        seconds = time.perf_counter() - t0
        (stored,) = conn.execute("SELECT count(*) FROM raw_orders").fetchone()
        assert stored == len(bodies), stored
    finally:
        conn.close()
    return Result("baseline: raw INSERT executemany, 1 tx", "sqlite", len(bodies), seconds)


def baseline_raw_postgres(url: str, bodies: list[str]) -> Result:
    import psycopg

    reset_postgres(url)
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        conn.execute("CREATE TABLE raw_orders (id bigserial PRIMARY KEY, body text NOT NULL)")
        conn.commit()
        params = [(b,) for b in bodies]
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO raw_orders (body) VALUES (%s)", params)
        conn.commit()
        seconds = time.perf_counter() - t0
        row = conn.execute("SELECT count(*) FROM raw_orders").fetchone()
        assert row is not None and row[0] == len(bodies), row
    return Result("baseline: raw INSERT executemany, 1 tx", "postgresql", len(bodies), seconds)


# --- scenario 1: the core use case, in process ---------------------------------------------


def core_import(rt: Runtime, viewer: Viewer, path: Path) -> tuple[filing.FilingReport, float]:
    """``cbec import orders PATH`` minus the progress bar; returns the report and commit time."""
    with path.open("r", encoding="utf-8-sig", newline="") as fh, rt.uow(write=True) as uow:
        report = filing.file_documents(
            uow.repo,
            rt.vault,
            viewer,
            ORDER,
            tabular.read_jsonl(fh),
            all_or_nothing=True,
            on_created=rt.order_checks(uow),
        )
        t0 = time.perf_counter()
        uow.commit()
        commit = time.perf_counter() - t0
    return report, commit


def scenario_core(db: Database, jsonl: Path, n: int, cpus: Cpus) -> Result:
    url = db.fresh("core")
    rt, viewer, _ = setup_tenants(url, db.root / "data-core")
    try:
        cpus.pin()
        gc.collect()
        t0 = time.perf_counter()
        report, commit = core_import(rt, viewer, jsonl)
        seconds = time.perf_counter() - t0
        if len(report.created) != n or report.rejected:
            raise SystemExit(f"core import: {report.as_dict()}")
        stored = count_orders(rt)
        if stored != n:
            raise SystemExit(f"core import: {stored} orders stored, expected {n}")
    finally:
        rt.engine.dispose()
    return Result(
        "1. core import (file_documents + commit)",
        db.label,
        n,
        seconds,
        f"commit {commit:.3f} s",
    )


def profile_core(root: Path, jsonl: Path, n: int, cpus: Cpus, top: int = 25) -> None:
    db = Database("sqlite", None, root / "profile")
    db.root.mkdir()
    url = db.fresh("core")
    rt, viewer, _ = setup_tenants(url, db.root / "data")
    prof = cProfile.Profile()
    try:
        cpus.pin()
        prof.enable()
        report, _ = core_import(rt, viewer, jsonl)
        prof.disable()
        assert len(report.created) == n, report.as_dict()
    finally:
        rt.engine.dispose()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top if order == "cumulative" else 15)
        body = out.getvalue()
        start = body.find("   ncalls")
        print(f"\n--- profile of scenario 1 on SQLite, {n:,} orders, top by {order} ---")
        print(body[start:].rstrip() if start >= 0 else body.rstrip())


# --- scenarios 2 and 3: a real server ------------------------------------------------------


def scenario_http_import(db: Database, body: bytes, n: int, cpus: Cpus) -> Result:
    url = db.fresh("http-import")
    data_dir = db.root / "data-http-import"
    rt, _, key = setup_tenants(url, data_dir)
    try:
        with (
            server(url, data_dir, cpus, env=LIMITS_OFF) as (base, _proc),
            httpx.Client(base_url=base, timeout=httpx.Timeout(1800)) as client,
        ):
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"}
            t0 = time.perf_counter()
            r = client.post("/orders/import", content=body, headers=headers)
            seconds = time.perf_counter() - t0
        if r.status_code != 200 or r.json().get("created") != n:
            raise SystemExit(f"HTTP import: {r.status_code} {r.text[:2000]}")
        stored = count_orders(rt)
        if stored != n:
            raise SystemExit(f"HTTP import: {stored} orders stored, expected {n}")
    finally:
        rt.engine.dispose()
    return Result("2. HTTP POST /orders/import (ndjson)", db.label, n, seconds)


def scenario_http_single(db: Database, bodies: list[bytes], cpus: Cpus) -> Result:
    url = db.fresh("http-single")
    data_dir = db.root / "data-http-single"
    rt, _, key = setup_tenants(url, data_dir)
    n = len(bodies)
    try:
        with (
            server(url, data_dir, cpus, env=LIMITS_OFF) as (base, _proc),
            httpx.Client(base_url=base, timeout=httpx.Timeout(60)) as client,
        ):
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            t0 = time.perf_counter()
            for body in bodies:
                r = client.post("/orders", content=body, headers=headers)
                if r.status_code != 201:
                    raise SystemExit(f"HTTP single: {r.status_code} {r.text[:2000]}")
            seconds = time.perf_counter() - t0
        stored = count_orders(rt)
        if stored != n:
            raise SystemExit(f"HTTP single: {stored} orders stored, expected {n}")
    finally:
        rt.engine.dispose()
    return Result("3. HTTP POST /orders, one at a time", db.label, n, seconds)


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000, help="orders for bulk imports")
    parser.add_argument("--single", type=int, default=2_000, help="orders for POST /orders")
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CBEC_BENCH_POSTGRES_URL"),
        help="PostgreSQL URL (its public schema is dropped!); env CBEC_BENCH_POSTGRES_URL",
    )
    parser.add_argument("--one-core", action="store_true", help="pin measurements to one CPU")
    parser.add_argument("--profile", action="store_true", help="cProfile scenario 1 (SQLite)")
    parser.add_argument(
        "--scenarios", default="1,2,3", help="which scenarios to run, e.g. 1 or 1,3"
    )
    args = parser.parse_args(argv)
    if args.orders < 1 or args.single < 0:
        parser.error("--orders must be ≥ 1 and --single ≥ 0")
    wanted = {s.strip() for s in args.scenarios.split(",") if s.strip()}
    if not wanted <= {"1", "2", "3"}:
        parser.error("--scenarios takes numbers from 1, 2, 3")

    cpus = Cpus(args.one_core)
    n, n_single = args.orders, min(args.single, args.orders)
    print(
        f"cbec ingest benchmark — Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"in-process work {cpus.describe()}"
    )
    print(f"orders: {n:,} bulk, {n_single:,} single; seed {args.seed}")

    databases_urls: list[tuple[str, str | None]] = [("sqlite", None)]
    if args.postgres:
        databases_urls.append(("postgresql", postgres_url(args.postgres)))

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="cbec-bench-") as tmp:
        root = Path(tmp)
        cpus.pin()
        warm_up()
        orders, base_rows = baseline_generate_validate(n, args.seed)
        baseline = base_rows[0]
        results += base_rows

        lines = [json.dumps(o, ensure_ascii=False) for o in orders]
        # Keep only the text: the order dicts would otherwise stay alive through every run
        # and make each full garbage collection slower than it is in ``cbec import``.
        del orders, base_rows
        jsonl = root / "orders.jsonl"
        jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
        jsonl_bytes = jsonl.read_bytes()
        singles = [line.encode("utf-8") for line in lines[:n_single]]
        print(
            f"orders JSON: {len(jsonl_bytes) / n:,.0f} bytes per order on average, "
            f"{len(jsonl_bytes) / 1e6:.1f} MB in all"
        )

        runs: list[tuple[str, Callable[[Database], Result]]] = [
            ("1", lambda db: scenario_core(db, jsonl, n, cpus)),
            ("2", lambda db: scenario_http_import(db, jsonl_bytes, n, cpus)),
            ("3", lambda db: scenario_http_single(db, singles, cpus)),
        ]
        for label, url in databases_urls:
            db = Database(label, url, root / label)
            db.root.mkdir()
            cpus.pin()
            if url is None:
                results.append(baseline_raw_sqlite(db.root, lines))
            else:
                results.append(baseline_raw_postgres(url, lines))
            for number, run in runs:
                if number in wanted and (number != "3" or n_single > 0):
                    print(f"running scenario {number} on {label} …", file=sys.stderr, flush=True)
                    results.append(run(db))
            cpus.pin()

        print()
        print_table(results, baseline)
        core_sqlite = next(
            (r for r in results if r.scenario.startswith("1.") and r.database == "sqlite"), None
        )
        if core_sqlite is not None:
            pinned = "on one core" if cpus.enabled else "NOT pinned: rerun with --one-core"
            rate, ratio = core_sqlite.rate, core_sqlite.rate / baseline.rate
            where = f"bulk import on SQLite on one core ({pinned})"
            print()
            print_goals(
                [
                    (f"≥ {GOAL_RATE:,} orders/s {where}: {rate:,.0f}", rate >= GOAL_RATE),
                    (
                        f"≥ {WRITE_PATH_RATE:,} orders/s (#16) {where}: {rate:,.0f}",
                        rate >= WRITE_PATH_RATE,
                    ),
                    (
                        f"≥ {WRITE_PATH_RATIO} of the generate + validate baseline (#16) "
                        f"{where}: {ratio:.2f} of {baseline.rate:,.0f} orders/s",
                        ratio >= WRITE_PATH_RATIO,
                    ),
                ]
            )

        if args.profile:
            profile_core(root, jsonl, n, cpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
