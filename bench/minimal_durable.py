"""The anchor of ``bench/http.py``: the simplest durable ``POST /orders`` we can think of.

FastAPI and Pydantic like cbec, an order model with cbec's fields (types only: no rule, no
country or currency table, no identity check), and one SQLite database in WAL mode with
``synchronous=FULL``: each order is one ``INSERT`` and one ``COMMIT``, durable when the
answer leaves. No encryption, no evidence ledger, no compliance decision, no tenant, no
access log. The natural key (platform, seller, order number) is ``UNIQUE``: the same order
again answers 200 with the stored one, another order under the same key 409, as cbec does.

One connection, its writes taken in turn under a lock (SQLite has one writer at a time;
a lock queues them without the busy handler's sleeps). Run like ``cbec serve`` runs: one
uvicorn process, ``log_level="warning"``, no server header::

    python bench/minimal_durable.py --db /tmp/orders.db --port 8765
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Buyer(Model):
    account_id: str
    name: str
    phone: str
    id_type: str | None = None
    id_number: str | None = None


class Consignee(Model):
    name: str
    phone: str
    address: str
    district_code: str | None = None


class OrderLine(Model):
    line_no: int
    sku: str
    name: str
    spec: str
    hs_code: str
    origin_country: str
    unit: str
    qty: Decimal
    unit_price: Decimal
    line_total: Decimal
    barcode: str | None = None
    attributes: list[dict[str, str]] | None = None


class Order(Model):
    platform: str
    order_no: str
    seller: str | None = None
    ordered_at: datetime
    buyer: Buyer
    consignee: Consignee
    destination_country: str
    origin_country: str
    currency: str
    goods_value: Decimal
    freight: Decimal
    discount: Decimal
    tax_withheld: Decimal
    amount_paid: Decimal
    incoterm: Literal["DDP", "DAP"]
    ioss_number: str | None = None
    note: str | None = None
    lines: list[OrderLine] = Field(min_length=1)


SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    seller TEXT NOT NULL,
    order_no TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (platform, seller, order_no)
)
"""


def create_app(path: str, synchronous: str = "FULL") -> FastAPI:
    """The app over the SQLite file ``path``. ``synchronous="OFF"`` is not durable: it is the
    diagnostic of ``bench/http_orders.py`` that tells whether the fsync bounds the anchor."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={SYNCHRONOUS[synchronous]}")
    db.execute(SCHEMA)
    lock = threading.Lock()
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/orders", status_code=201)
    def create(order: Order) -> JSONResponse:
        view = order.model_dump(mode="json")
        body = json.dumps(view, ensure_ascii=False, separators=(",", ":"))
        key = (order.platform, order.seller or "", order.order_no)
        with lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                cur = db.execute(
                    "INSERT INTO orders (platform, seller, order_no, body) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING RETURNING id",
                    (*key, body),
                )
                row = cur.fetchone()
                if row is None:
                    stored = db.execute(
                        "SELECT id, body FROM orders"
                        " WHERE platform = ? AND seller = ? AND order_no = ?",
                        key,
                    ).fetchone()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if row is not None:
            return JSONResponse({"id": row[0], **view}, status_code=201)
        if stored[1] == body:
            return JSONResponse({"id": stored[0], **view}, status_code=200)
        return JSONResponse({"detail": "another order under this key"}, status_code=409)

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the SQLite file (made if absent)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="processes, as cbec serve's")
    parser.add_argument(
        "--synchronous",
        choices=sorted(SYNCHRONOUS),
        default="FULL",
        help="SQLite's synchronous: FULL (durable, the anchor) or OFF (no fsync: a diagnostic)",
    )
    args = parser.parse_args()
    # as cbec serve runs (cbec/cli/serve_cli.py): one process, or uvicorn's supervisor with
    # workers that each build the app (their own connection; SQLite's lock between them)
    if args.workers == 1:
        app = create_app(args.db, args.synchronous)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
        return
    os.environ[DB_ENV] = args.db
    os.environ[SYNC_ENV] = args.synchronous
    uvicorn.run(
        "minimal_durable:worker_app",
        factory=True,
        app_dir=str(Path(__file__).parent),
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level="warning",
        server_header=False,
    )


DB_ENV = "MINIMAL_DURABLE_DB"
SYNC_ENV = "MINIMAL_DURABLE_SYNCHRONOUS"
SYNCHRONOUS = {"FULL": "FULL", "OFF": "OFF"}  # the PRAGMA's text, never the argument's


def worker_app() -> FastAPI:
    """A worker's app (``--workers``): the database named by the supervisor's argument."""
    return create_app(os.environ[DB_ENV], os.environ.get(SYNC_ENV, "FULL"))


if __name__ == "__main__":
    main()
