"""Webhook delivery: deliveries per second from the outbox to a receiver on 127.0.0.1.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run. Over a fresh SQLite file, one tenant subscribes
a local receiver (a ``ThreadingHTTPServer`` answering 200) to ``document.filed`` and files
``--orders`` orders; their messages wait in the outbox. Rows:

* **baseline** — the same message bodies POSTed with plain httpx (one client, the same
  :data:`~cbec.services.webhook_delivery.SENDERS` threads), no outbox, no signing, no
  database: what the receiver and the HTTP stack allow on this machine;
* **outbox** — :func:`cbec.services.webhook_delivery.deliver_due` rounds until the outbox is
  empty: claim, sign, send, settle.

Goal (issue #19): **≥ 500 deliveries/s**, printed PASS/MISS, with the ratio to the baseline.

    python bench/webhooks.py --orders 3000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cbec.config import Settings
from cbec.demo import synthetic
from cbec.runtime import open_runtime
from cbec.services import webhook_delivery
from cbec.services import webhooks as svc
from cbec.services.webhook_models import SubscriptionRequest
from cbec.store.tables import webhook_messages
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade.filing import file_documents
from cbec.trade.kinds import KINDS

GOAL = 500.0


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", type=int, default=3000)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=f"sqlite:///{tmp}/bench.db",
            webhooks_private_targets=True,  # the receiver is on 127.0.0.1
        )
        rt = (
            open_runtime(settings, init_keys=True)
            if _takes_init(open_runtime)
            else open_runtime(settings)
        )
        with rt.uow(write=True) as uow:
            seller, _ = create_tenant(uow.repo, "seller-a", Role.SELLER)
            create_tenant(uow.repo, "platform-a", Role.PLATFORM)
            uow.commit()
        viewer = Viewer(seller.id, "seller-a", Role.SELLER)
        svc.subscribe(
            rt.uow(), viewer, SubscriptionRequest(url=url, event_types=["document.filed"])
        )
        rng = random.Random(19)
        rows = [
            (i + 1, synthetic.order(rng, "platform-a", "seller-a", f"B{i:07d}"))
            for i in range(args.orders)
        ]
        uow = rt.uow()
        with uow.writing():
            file_documents(uow.repo, uow.vault, viewer, KINDS["order"], rows)
            uow.commit()
        with rt.engine.connect() as conn:
            bodies = [r.body.encode() for r in conn.execute(webhook_messages.select())]
        n = len(bodies)
        # baseline: plain POSTs of the same bodies
        with (
            webhook_delivery.new_client(private_ok=True) as client,
            ThreadPoolExecutor(webhook_delivery.SENDERS) as pool,
        ):
            t0 = time.perf_counter()
            codes = list(pool.map(lambda b: client.post(url, content=b).status_code, bodies))
            base = time.perf_counter() - t0
        assert codes.count(200) == n
        # the outbox
        delivered = 0
        with (
            webhook_delivery.new_client(private_ok=True) as client,
            ThreadPoolExecutor(webhook_delivery.SENDERS) as pool,
        ):
            t0 = time.perf_counter()
            while True:
                r = webhook_delivery.deliver_due(
                    rt.uow, client, limit=webhook_delivery.BATCH, pool=pool
                )
                delivered += r.delivered
                if r.claimed == 0:
                    break
            took = time.perf_counter() - t0
        rt.engine.dispose()
    server.shutdown()
    assert delivered == n, (delivered, n)
    rate, base_rate = n / took, n / base
    print(f"messages: {n}")
    print(f"baseline (plain httpx POSTs): {base_rate:8.0f} /s")
    print(f"outbox (claim, sign, send, settle): {rate:8.0f} /s  ratio {rate / base_rate:.2f}")
    print(f"goal >= {GOAL:.0f} deliveries/s: {'PASS' if rate >= GOAL else 'MISS'}")


def _takes_init(fn) -> bool:
    import inspect

    return "init_keys" in inspect.signature(fn).parameters


if __name__ == "__main__":
    main()
