"""Tracking event ingest: events per second recorded in bulk, against baselines measured in
the same run.

A carrier's feed arrives as thousands of events over many waybills. This script records
``--events`` short-form tracking events (a scan per waybill and hour, every third with a
temperature reading) over ``--waybills`` waybills, in requests of ``--batch`` events, each
request's JSON bytes parsed (numbers as Decimal, :func:`cbec.jsonio.loads`) and validated
into the request model, then :func:`cbec.services.tracking.record_events` — what
``POST /logistics/tracking/events`` and ``cbec logistics track`` run: the EPCIS 2.0 event
each stands for (GS1
keys by check digit, CBV terms), its CBV 2.0 event hash ID, the RFC 8785 form and the
evidence-ledger entry, the rows and their keys, and the durable commit — on a fresh SQLite
file (and PostgreSQL with ``--postgres``).

Baselines, in the same run on the same events:

* **validate only** — the request model and the EPCIS reading of every event, nothing
  stored: the work that does not depend on the database;
* **raw INSERT** — the same number of JSON text rows of the same size inserted with
  ``executemany`` in one transaction (SQLite WAL + ``synchronous=FULL``): the floor the
  database sets.

The goal checked: **≥ 5,000 events/s** in bulk (issue #18). Afterwards the script checks that
every event was stored and logged, so a run that wrote nothing cannot pass.

Usage::

    .venv/bin/python bench/tracking.py [--events 20000] [--waybills 500] [--batch 2000]
        [--one-core] [--postgres postgresql+psycopg://USER@HOST:PORT/DB]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Cpus, Database, on_each_database, settings_for
from sqlalchemy import func, select

from cbec import collector
from cbec.demo import synthetic
from cbec.jsonio import loads
from cbec.runtime import open_runtime
from cbec.services import tracking
from cbec.services.tracking_models import TrackingEventsRequest
from cbec.store.tables import ledger_entries, tracking_events
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade import filing, tabular
from cbec.trade.kinds import KINDS

GOAL = 5000.0
T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)
PLACES = ["CNSHA", "CNNGB", "NLRTM", "DEHAM", "USLAX", "SGSIN"]


def feed(waybill_ids: list[str], n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        event = {
            "time": (T0 + timedelta(hours=i // len(waybill_ids), seconds=i)).isoformat(),
            "time_zone_offset": "+08:00",
            "milestone": rng.choice(["picked_up", "in_transit", "out_for_delivery"]),
            "location": rng.choice(PLACES),
            "waybill_id": waybill_ids[i % len(waybill_ids)],
        }
        if i % 3 == 0:
            event["readings"] = [
                {"measurement": "temperature", "value": f"{rng.uniform(2, 8):.1f}"}
            ]
        out.append(event)
    return out


def setup(url: str, data_dir: Path, n_waybills: int) -> tuple:
    rt = open_runtime(settings_for(url, data_dir))
    with rt.uow(write=True) as uow:
        seller, _ = create_tenant(uow.repo, "seller-a", Role.SELLER)
        create_tenant(uow.repo, "platform-a", Role.PLATFORM)
        ship, _ = create_tenant(uow.repo, "ship-a", Role.LOGISTICS)
        uow.commit()
    rng = random.Random(1)
    orders = [
        synthetic.order(rng, "platform-a", "seller-a", f"T{i:06d}") for i in range(n_waybills)
    ]
    waybills = [synthetic.waybill(rng, o, f"W{i:06d}") for i, o in enumerate(orders)]
    for kind, docs, who in (("order", orders, seller), ("waybill", waybills, ship)):
        viewer = Viewer(who.id, who.name, who.role)
        with rt.uow(write=True) as uow:
            lines = (json.dumps(d) for d in docs)
            report = filing.file_documents(
                uow.repo, rt.vault, viewer, KINDS[kind], tabular.read_jsonl(lines)
            )
            uow.commit()
        assert len(report.created) == len(docs), report.as_dict()
    ids = list(report.created)
    return rt, Viewer(ship.id, ship.name, ship.role), ids


def run(db: Database, args: argparse.Namespace, cpus: Cpus) -> bool:
    url = db.fresh("tracking")
    rt, carrier, ids = setup(url, db.root / "data-tracking", args.waybills)
    events = feed(ids, args.events, args.seed)
    # each request as the bytes a client sends: the bench holds no parsed events of its own
    # while timing (they would slow the garbage collector as a server's would not be)
    bodies_in = [
        json.dumps({"events": events[i : i + args.batch]}).encode()
        for i in range(0, len(events), args.batch)
    ]
    n_events = len(events)
    del events
    collector.settle()  # as a started server does (cbec.api.app's lifespan)
    cpus.pin()
    try:
        t0 = time.perf_counter()
        for body in bodies_in:
            with collector.paused():  # as cbec logistics track reads each part
                req = TrackingEventsRequest.model_validate(loads(body))
            tracking.record_events(rt.uow(), carrier, req)
        seconds = time.perf_counter() - t0
        with rt.uow() as uow:
            stored = uow.conn.scalar(select(func.count()).select_from(tracking_events))
            logged = uow.conn.scalar(
                select(func.count())
                .select_from(tracking_events)
                .where(tracking_events.c.ledger_index.is_not(None))
            )
            entries = uow.conn.scalar(select(func.count()).select_from(ledger_entries))
        if stored != n_events or logged != n_events or entries < n_events:
            raise SystemExit(f"{stored} events stored, {logged} logged of {n_events}")
        bodies = []
        with rt.uow() as uow:
            bodies = [r.body for r in uow.conn.execute(select(tracking_events.c.body))]
    finally:
        rt.engine.dispose()
    t0 = time.perf_counter()
    for body in bodies_in:
        req = TrackingEventsRequest.model_validate(loads(body))
        tracking._normalised(
            [(tracking.short_to_jsonld(e, e.waybill_id), e.waybill_id) for e in req.events],
            "events",
        )
    validate = time.perf_counter() - t0
    raw = raw_insert(db.root / "raw.sqlite", bodies) if db.url is None else None
    rate = n_events / seconds
    print(
        f"\n{db.label}: {n_events:,} events over {len(ids):,} waybills, {len(bodies_in)} requests"
    )
    print(f"{'way':<44}{'events/s':>12}{'ratio':>8}")
    print(f"{'baseline: validate only (no storage)':<44}{n_events / validate:>12,.0f}{1:>8.2f}")
    if raw is not None:
        print(
            f"{'baseline: raw INSERT executemany, 1 tx':<44}{n_events / raw:>12,.0f}"
            f"{validate / raw:>8.2f}"
        )
    print(
        f"{'record_events (EPCIS, hash ID, ledger, rows)':<44}{rate:>12,.0f}"
        f"{validate / seconds:>8.2f}"
    )
    ok = rate >= GOAL
    print(f"{'PASS' if ok else 'MISS'}: {rate:,.0f} events/s, goal ≥ {GOAL:,.0f}")
    return ok


def raw_insert(path: Path, bodies: list[str]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE raw_events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO raw_events (body) VALUES (?)", [(b,) for b in bodies])
        conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--waybills", type=int, default=500)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--one-core", action="store_true")
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args(argv)
    cpus = Cpus(args.one_core)
    return on_each_database(args.postgres, lambda db: run(db, args, cpus))


if __name__ == "__main__":
    sys.exit(main())
