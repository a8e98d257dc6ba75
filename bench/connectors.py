"""Marketplace file import: orders per second from a Shopify orders CSV, against the native
import of the very same orders in the same run.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run. The goal here (the connectors' issue, point 6)
is **marketplace file import ≥ 2,000 orders/s on one core through the same pipeline as the
native import**. The script:

1. makes ``--orders`` synthetic export orders (:mod:`cbec.demo.synthetic`, shipped to GB in
   GBP, one to three lines each) and writes them as Shopify's orders CSV — one row per line
   item, the order's fields on its first row only, as the admin export writes it
   (:mod:`cbec.connectors.marketplaces.shopify` documents the columns);
2. reads that file once through the connector (untimed) to get the cbec orders it stands
   for, and writes them as JSON Lines: the **baseline** is ``cbec import orders FILE.jsonl``
   of those orders (:func:`cbec.services.bulk.file_rows`: validation, checks, sealing,
   evidence, chunked durable commits) on a fresh database;
3. times ``cbec import orders FILE.csv --from shopify`` (:mod:`cbec.services.marketplace_import`:
   header detection, the catalogue read for the file's SKUs, conversion, then the same
   :func:`~cbec.services.bulk.file_rows`) on another fresh database with the same catalogue.

Both runs check afterwards that every order was stored. The ratio (marketplace ÷ native)
is the conversion's cost; the absolute rate is the goal's. ``--one-core`` pins the process
to one CPU.

Usage::

    .venv/bin/python bench/connectors.py [--orders 10000] [--one-core]
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Cpus, Database
from ingest import count_orders, setup_tenants

from cbec.connectors.marketplaces import shopify
from cbec.demo import synthetic
from cbec.services import bulk
from cbec.services import marketplace_import as mk
from cbec.trade import tabular

GOAL = 2_000.0
HEADER = [
    "Name", "Email", "Financial Status", "Currency", "Subtotal", "Shipping", "Taxes", "Total",
    "Discount Amount", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
    "Lineitem sku", "Billing Name", "Billing Phone", "Shipping Name", "Shipping Address1",
    "Shipping City", "Shipping Zip", "Shipping Country", "Shipping Phone", "Cancelled at",
    "Taxes Included",
]  # fmt: skip
CITIES = [("London", "N1 9GU"), ("Leeds", "LS1 4AP"), ("Bristol", "BS1 5TR")]


def shopify_rows(n: int, seed: int) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """``n`` orders as Shopify CSV rows, and the seller's products for their SKUs."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    products = {item["sku"]: synthetic.product(item) for item in synthetic.CATALOG}
    for i in range(n):
        o = synthetic.order(rng, "platform-a", "seller-a", f"#{100000 + i}")
        lines = o["lines"][: rng.randint(1, 3)]
        subtotal = sum(Decimal(x["unit_price"]) * Decimal(x["qty"]) for x in lines)
        shipping = Decimal(rng.choice(["0.00", "4.99", "6.50"]))
        total = subtotal + shipping
        city, zip_code = rng.choice(CITIES)
        name = f"Customer {i:06d}"
        phone = f"+44 20 7946 0{i % 1000:03d}"  # Ofcom's drama range
        when = o["ordered_at"].replace("T", " ").replace("Z", " +0000")
        for j, item in enumerate(lines):
            first = j == 0
            rows.append(
                [
                    o["order_no"],
                    f"c{i}@example.com" if first else "",
                    "paid" if first else "",
                    "GBP" if first else "",
                    f"{subtotal:.2f}" if first else "",
                    f"{shipping:.2f}" if first else "",
                    "0.00" if first else "",
                    f"{total:.2f}" if first else "",
                    "0.00" if first else "",
                    when if first else "",
                    item["qty"],
                    item["name"],
                    item["unit_price"],
                    item["sku"],
                    name if first else "",
                    phone if first else "",
                    name if first else "",
                    f"{rng.randint(1, 200)} Example Street" if first else "",
                    city if first else "",
                    zip_code if first else "",
                    "GB" if first else "",
                    phone if first else "",
                    "",
                    "false" if first else "",
                ]
            )
    return rows, [products[sku] for sku in sorted({r[13] for r in rows})]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)


def request() -> mk.MarketplaceRequest:
    return mk.MarketplaceRequest(source="shopify", platform="platform-a", origin_country="CN")


def fresh(db: Database, name: str, products: list[dict[str, Any]]):
    """A new database with the tenants and the seller's catalogue."""
    rt, viewer, _ = setup_tenants(db.fresh(name), db.root / f"data-{name}")
    text = "\n".join(json.dumps(p, ensure_ascii=False) for p in products)
    bulk.file_rows(rt.uow(), viewer, "product", lambda: tabular.read_jsonl(io.StringIO(text)))
    return rt, viewer


def converted(db: Database, csv_path: Path, products: list[dict[str, Any]]) -> list[str]:
    """The cbec orders the file stands for, as the connector reads them (untimed)."""
    rt, viewer = fresh(db, "convert", products)
    try:
        with csv_path.open("rb") as fh:
            prepared = mk.prepare(rt.uow(), viewer, fh, request())
            return [json.dumps(r, ensure_ascii=False) for _, r in prepared.rows()]
    finally:
        rt.engine.dispose()


def native(db: Database, jsonl: Path, n: int, products: list[dict[str, Any]]) -> float:
    rt, viewer = fresh(db, "native", products)
    try:
        gc.collect()
        t0 = time.perf_counter()
        with jsonl.open("r", encoding="utf-8") as fh:
            report = bulk.file_rows(
                rt.uow(), viewer, "order", lambda: tabular.read_jsonl(_again(fh))
            )
        seconds = time.perf_counter() - t0
        _check(rt, report, n, "native")
    finally:
        rt.engine.dispose()
    return seconds


def marketplace(db: Database, csv_path: Path, n: int, products: list[dict[str, Any]]) -> float:
    rt, viewer = fresh(db, "shopify", products)
    try:
        gc.collect()
        t0 = time.perf_counter()
        with csv_path.open("rb") as fh:
            prepared = mk.prepare(rt.uow(), viewer, fh, request())
            report = mk.import_file(rt.uow(), viewer, prepared)
        seconds = time.perf_counter() - t0
        _check(rt, report, n, "marketplace")
    finally:
        rt.engine.dispose()
    return seconds


def warm_up(db: Database, jsonl: Path, products: list[dict[str, Any]]) -> None:
    """File a few orders first, so neither timed run pays for first imports, the screening
    index or the rule set's compilation."""
    head = jsonl.parent / "warm.jsonl"
    with jsonl.open(encoding="utf-8") as fh:
        head.write_text("".join(line for _, line in zip(range(50), fh, strict=False)))
    rt, viewer = fresh(db, "warm", products)
    try:
        with head.open(encoding="utf-8") as fh:
            bulk.file_rows(rt.uow(), viewer, "order", lambda: tabular.read_jsonl(_again(fh)))
    finally:
        rt.engine.dispose()


def _again(fh: io.TextIOBase) -> io.TextIOBase:
    fh.seek(0)  # file_rows reads the rows twice: checked, then filed
    return fh


def _check(rt, report, n: int, label: str) -> None:
    if len(report.created) != n or report.rejected_count:
        raise SystemExit(f"{label}: {report.as_dict()}")
    stored = count_orders(rt)
    if stored != n:
        raise SystemExit(f"{label}: {stored} orders stored, expected {n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--one-core", action="store_true", help="pin to one CPU")
    args = parser.parse_args(argv)
    cpus = Cpus(args.one_core)
    n = args.orders
    print(
        f"cbec connectors benchmark — Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; {cpus.describe()}; {n:,} orders"
    )
    assert shopify.FORMAT.signature <= set(HEADER)
    with tempfile.TemporaryDirectory(prefix="cbec-bench-") as tmp:
        root = Path(tmp)
        db = Database("sqlite", None, root / "sqlite")
        db.root.mkdir()
        cpus.pin()
        rows, products = shopify_rows(n, args.seed)
        csv_path = root / "orders.csv"
        write_csv(csv_path, rows)
        jsonl = root / "orders.jsonl"
        jsonl.write_text("\n".join(converted(db, csv_path, products)) + "\n", encoding="utf-8")
        print(f"file: {len(rows):,} CSV rows, {csv_path.stat().st_size / 1e6:.1f} MB")
        warm_up(db, jsonl, products)
        base = native(db, jsonl, n, products)
        market = marketplace(db, csv_path, n, products)
    rate_base, rate = n / base, n / market
    print(f"native import (JSON Lines, same orders)  {base:7.2f} s  {rate_base:8,.0f} orders/s")
    print(f"Shopify CSV import (--from shopify)      {market:7.2f} s  {rate:8,.0f} orders/s")
    print(f"ratio marketplace ÷ native: {rate / rate_base:.2f}")
    verdict = "PASS" if rate >= GOAL else "MISS"
    print(f"goal: ≥ {GOAL:,.0f} orders/s marketplace import on one core — {verdict} ({rate:,.0f})")
    if not args.one_core:
        print("(not pinned: rerun with --one-core for the goal's condition)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
