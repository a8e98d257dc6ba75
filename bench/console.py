"""The console's list pages at scale: a tenant with 100,000 orders, server time per page.

Goal (issue #14): **a list page of a tenant with 100,000 orders renders in under 300 ms of
server time**. The server time is the duration the access log records for the request
(:mod:`cbec.api.access_log`: from the first byte in to the last byte out, inside the
application), so the client's own work is not counted.

The orders are filed through the core import (``filing.file_documents``, evidence included,
without the compliance checks, which a list page does not read) in transactions of 10,000.
Then, signed in as the seller's operator through the console's form, the script asks for:

1. the first page of ``/console/orders`` (newest first, 50 rows);
2. the next twenty pages, each through the previous page's keyset cursor;
3. a search by order number;
4. the orders placed on one day (the list's date filter, by ``placed_at``: the synthetic
   orders are placed over 30 days, so one day holds about a thirtieth of them);

and, as baselines measured in the same run on the same data:

* ``GET /orders?newest_first=true&limit=50`` — the API's JSON of the same page, through the
  same use case (so the ratio is the cost of the HTML);
* the raw ``SELECT`` of the page's 50 rows, newest first, on the same connection settings —
  the floor the database sets (so the ratio is the cost of decrypting, masking, rendering).

Each measured request is repeated (``--repeat``) and the median and the worst are printed
with their ratios to the baseline's median.

Usage::

    .venv/bin/python bench/console.py [--orders 100000] [--repeat 15]
        [--postgres postgresql+psycopg://USER@HOST:PORT/DB]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from common import (
    Database,
    ServerTimes,
    console_sign_in,
    on_each_database,
    print_results,
    settings_for,
)
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.runtime import open_runtime
from cbec.services import users
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade import filing
from cbec.trade.kinds import KINDS

GOAL_MS = 300.0
SELLER, PLATFORM = "seller-a", "platform-a"
LOGIN, PASSWORD = "ops@seller-a", "a long enough passphrase"
CHUNK = 10_000


def load(url: str, data_dir: Path, n: int):
    rt = open_runtime(settings_for(url, data_dir))
    with rt.uow(write=True) as uow:
        seller, key = create_tenant(uow.repo, SELLER, Role.SELLER)
        create_tenant(uow.repo, PLATFORM, Role.PLATFORM)
        uow.commit()
    viewer = Viewer(seller.id, seller.name, seller.role)
    rng = random.Random(2026)
    started = time.perf_counter()
    for first in range(0, n, CHUNK):
        rows = (
            (i + 1, synthetic.order(rng, PLATFORM, SELLER, f"L{i:08d}"))
            for i in range(first, min(n, first + CHUNK))
        )
        with rt.uow(write=True) as uow:
            report = filing.file_documents(
                uow.repo, rt.vault, viewer, KINDS["order"], rows, all_or_nothing=True
            )
            uow.commit()
        assert len(report.created) == min(CHUNK, n - first), report.rejected[:3]
        print(f"  loaded {min(n, first + CHUNK):,} orders", file=sys.stderr)
    print(f"loaded {n:,} orders in {time.perf_counter() - started:.0f} s")
    users.operator_create_user(
        rt.uow(), SELLER, users.NewUser(login=LOGIN, role="operator", password=SecretStr(PASSWORD))
    )
    return rt, key, seller.id


def timed(client: TestClient, times: ServerTimes, path: str, **kw) -> tuple[float, object]:
    before = len(times.ms)
    r = client.get(path, **kw)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert len(times.ms) == before + 1
    return times.ms[-1], r


def raw_page(rt, seller_id: int) -> float:
    """The floor: the page's 50 rows, newest first, straight from the table by the seller's
    index (no access rule, no import-batch check, no decryption, no rendering)."""
    t0 = time.perf_counter()
    with rt.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT * FROM documents WHERE kind = 'order' AND seller_tenant_id = :s"
                " ORDER BY seq DESC LIMIT 50"
            ),
            {"s": seller_id},
        ).fetchall()
    assert len(rows) == 50
    return (time.perf_counter() - t0) * 1000


def run(db: Database, n: int, repeat: int) -> bool:
    url = db.fresh("console")
    rt, key, seller_id = load(url, db.root / "data", n)
    times = ServerTimes()
    access = logging.getLogger("cbec.access")
    access.addHandler(times)
    access.setLevel(logging.INFO)
    results: dict[str, list[float]] = {}
    with TestClient(create_app(rt, integrate_in_background=False)) as client:
        signed = console_sign_in(client, LOGIN, PASSWORD)
        assert signed.status_code == 200 and "/console/orders" in str(signed.url)
        api = {"Authorization": f"Bearer {key}"}
        for _ in range(repeat):
            results.setdefault("raw SELECT of the page (floor)", []).append(raw_page(rt, seller_id))
            ms, _ = timed(client, times, "/orders?newest_first=true&limit=50", headers=api)
            results.setdefault("API JSON page (baseline)", []).append(ms)
            ms, page = timed(client, times, "/console/orders")
            results.setdefault("console: first page", []).append(ms)
        cursor_pages = []
        path = "/console/orders"
        for _ in range(20):
            _, page = timed(client, times, path)
            marker = 'href="/console/orders?cursor='
            at = page.text.find(marker)
            assert at >= 0, "no next page"
            path = page.text[at + len('href="') : page.text.index('"', at + len(marker))]
            path = path.replace("&amp;", "&")
            ms, _ = timed(client, times, path)
            cursor_pages.append(ms)
        results["console: pages 2-21 by cursor"] = cursor_pages
        wanted = f"L{n // 2:08d}"
        for _ in range(repeat):
            ms, page = timed(client, times, f"/console/orders?order_no={wanted}")
            assert wanted in page.text
            results.setdefault("console: search by order number", []).append(ms)
        day = (synthetic.BASE_TIME + timedelta(days=15)).date().isoformat()
        for _ in range(repeat):
            ms, page = timed(client, times, f"/console/orders?placed_from={day}&placed_to={day}")
            assert "/console/orders?cursor=" in page.text, "no full page placed that day"
            results.setdefault("console: placed on one day", []).append(ms)
    access.removeHandler(times)
    baseline = statistics.median(results["API JSON page (baseline)"])
    floor = statistics.median(results["raw SELECT of the page (floor)"])
    return print_results(
        f"\n{db.label}, {n:,} orders of one seller; server time in ms ({repeat} runs)",
        f"{'request':<36}{'median':>9}{'worst':>9}{'÷ API':>8}{'÷ SELECT':>10}",
        (
            (
                f"{name:<36}",
                values,
                lambda m: f"{m / baseline:>8.2f}{m / floor:>10.1f}",
                name.startswith("console"),
            )
            for name, values in results.items()
        ),
        GOAL_MS,
        "every console page",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL database")
    args = parser.parse_args(argv)
    return on_each_database(args.postgres, lambda db: run(db, args.orders, args.repeat))


if __name__ == "__main__":
    sys.exit(main())
