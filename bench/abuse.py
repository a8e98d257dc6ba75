"""Abuse: a bulk import of junk must not take the server's memory nor hold the other tenants.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run. This script starts a real ``cbec serve`` on
127.0.0.1 over a fresh SQLite file (request limits off, so only the import is measured) and
reads the server's resident memory from ``/proc/<pid>/status`` (``VmRSS`` now, ``VmHWM`` the
peak so far). Rows:

**Baselines**, same run: the server's RSS once it has answered a few requests, and another
tenant's single ``POST /orders`` latency (median of ``--singles``) on an idle server.

0. **a 200 MB junk file** (``--big-mb``) — 1 KB junk orders, streamed from disk, then the
   same size with no line break: the server's peak RSS must stay under **300 MB** (the
   upload is spooled to a temporary file and read a line at a time; a line over 1 MiB
   refuses the file by its number).
1. **junk, all or nothing** — ``--junk-kb`` KB of ``{}`` lines (each breaks a dozen rules)
   in one ``POST /orders/import`` by seller-a; then ten times as much. Printed: status, time,
   response bytes, the rejected count the report gives, and the server's peak RSS growth
   over the baseline — which must not grow with the file (the report keeps the first 100
   rejects and counts the rest).
2. **junk, continue_on_error** — the same junk with ``continue_on_error=true`` (the rows are
   checked before the write transaction, which then skips them).
3. **good import** — ``--orders`` valid orders in one import: the write transaction holds the
   lock only while inserting.

During every import a second tenant (seller-b) posts single orders one after another; the
bench prints their median and worst latency as a ratio to the idle baseline, and the worst
as a share of the import's own time. Goals, each printed PASS/MISS:

* the other tenant is not held for a junk import: its worst latency under **5 %** of the
  import's time (the rows are checked in a read transaction; a rejected batch never takes
  the write lock — before, one order waited 52.6 s of a 55 s import);
* memory does not grow with the file: peak RSS growth for the ten-times file under
  **100 MB** (before: 2.7 GB for the smaller one);
* the answer does not grow with the file: under **256 KB** (before: 201 MB).

* a good import holds no other tenant's single write for more than **1 s**: it writes a
  chunk of 200 documents per transaction, shown together when the import completes, and
  this process's writers take turns in arrival order (before: one transaction for the
  whole import — 2,000 orders held the other tenant 1.35 s, and a 20,000-order import
  would hold it ten times as long).

Usage::

    PYTHONPATH=. .venv/bin/python bench/abuse.py [--junk-kb 600] [--orders 2000] [--singles 20]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from common import server, settings_for

from cbec.demo import synthetic
from cbec.runtime import open_runtime
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant

MB = 1024 * 1024


def rss(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in bytes."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


@dataclass
class Singles:
    """Another tenant posting single orders, one after another, until told to stop."""

    base: str
    headers: dict[str, str]
    rng: random.Random
    start: int
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    started: list[float] = field(default_factory=list)  # perf_counter at each post

    def post(self, client: httpx.Client, n: int) -> None:
        order = synthetic.order(self.rng, "platform-a", "seller-b", f"B{n:07d}")
        t = time.perf_counter()
        self.started.append(t)
        r = client.post(f"{self.base}/orders", json=order, headers=self.headers, timeout=300)
        self.latencies.append(time.perf_counter() - t)
        self.statuses.append(r.status_code)

    def run(self, stop: threading.Event) -> None:
        with httpx.Client() as client:
            n = self.start
            while not stop.is_set():
                self.post(client, n)
                n += 1


def big_junk(root: Path, mb: int) -> Path:
    """``mb`` MB of junk orders, each line a JSON object of about 1 KB that breaks every
    rule an empty one does (and carries a long note), written to disk so the bench streams it."""
    path = root / f"junk-{mb}mb.jsonl"
    line = json.dumps({"note": "x" * 1000, "lines": [{}]}).encode() + b"\n"
    block = line * (MB // len(line))
    with path.open("wb") as fh:
        for _ in range(mb):
            fh.write(block)
    return path


def one_line(root: Path, mb: int) -> Path:
    """``mb`` MB with no line break: read whole it would be one string of that size."""
    path = root / f"line-{mb}mb.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"note": "')
        for _ in range(mb - 1):
            fh.write(b"x" * MB)
        fh.write(b"x" * (MB - 64))  # under the upload limit of mb MiB
    return path


def _content(body: bytes | Path):
    """The request content: bytes as they are, a file streamed in 1 MiB blocks."""
    if isinstance(body, bytes):
        return body

    def blocks():
        with body.open("rb") as fh:
            while block := fh.read(MB):
                yield block

    return blocks()


def timed_import(
    base, headers, body: bytes | Path, singles: Singles, **params
) -> tuple[httpx.Response, float]:
    stop = threading.Event()
    worker = threading.Thread(target=singles.run, args=(stop,))
    worker.start()
    t = time.perf_counter()
    r = httpx.post(
        f"{base}/orders/import",
        content=_content(body),
        params=params,
        headers={**headers, "Content-Type": "application/x-ndjson"},
        timeout=600,
    )
    seconds = time.perf_counter() - t
    stop.set()
    worker.join()
    return r, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--junk-kb", type=int, default=600)
    ap.add_argument("--orders", type=int, default=20000)
    ap.add_argument("--singles", type=int, default=20)
    ap.add_argument("--big-mb", type=int, default=200, help="the large junk file (0: skip)")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="cbec-abuse-"))
    url = f"sqlite:///{root / 'cbec.db'}"
    rt = open_runtime(settings_for(url, root))
    with rt.uow(write=True) as uow:
        _, key_a = create_tenant(uow.repo, "seller-a", Role.SELLER)
        _, key_b = create_tenant(uow.repo, "seller-b", Role.SELLER)
        create_tenant(uow.repo, "platform-a", Role.PLATFORM)
        uow.commit()
    rt.engine.dispose()
    a = {"Authorization": f"Bearer {key_a}"}
    b = {"Authorization": f"Bearer {key_b}"}
    rng = random.Random(1)
    good = "".join(
        json.dumps(synthetic.order(rng, "platform-a", "seller-a", f"A{i:07d}")) + "\n"
        for i in range(args.orders)
    ).encode()

    limits_off = {"CBEC_RATE_LIMIT": "", "CBEC_MAX_CONCURRENT_REQUESTS": "0"}
    with server(url, root, env=limits_off) as (base, proc):
        idle = Singles(base, b, random.Random(2), 0)
        with httpx.Client() as client:
            for n in range(args.singles):
                idle.post(client, n)
        idle_median = statistics.median(idle.latencies)
        base_rss, _ = rss(proc.pid)
        print(f"python {sys.version.split()[0]}, cores {os.cpu_count()}, SQLite at {root}")
        print(f"baseline: server RSS {base_rss / MB:.0f} MB after start and {args.singles} posts")
        print(f"baseline: seller-b single POST /orders idle median {idle_median * 1000:.1f} ms")
        print()
        head = f"{'scenario':<34} {'status':>6} {'seconds':>8} {'resp KB':>8} {'rejected':>9}"
        head += f" {'peak RSS +MB':>12} {'other: n':>8} {'median×':>8} {'worst×':>8}"
        print(head)
        print("-" * len(head))
        start = 1000
        goals: list[tuple[str, bool]] = []
        scenarios = [
            ("junk all-or-nothing", b"{}\n" * (args.junk_kb * 1024 // 3), {}),
            ("junk all-or-nothing ×10", b"{}\n" * (args.junk_kb * 10240 // 3), {}),
            (
                "junk continue_on_error",
                b"{}\n" * (args.junk_kb * 1024 // 3),
                {"continue_on_error": "true"},
            ),
            (f"good import of {args.orders} orders", good, {}),
        ]
        if args.big_mb:
            scenarios += [
                (f"junk file of {args.big_mb} MB", big_junk(root, args.big_mb), {}),
                (f"one line of {args.big_mb} MB", one_line(root, args.big_mb), {}),
            ]
        for label, body, params in scenarios:
            singles = Singles(base, b, random.Random(start), start)
            r, seconds = timed_import(base, a, body, singles, **params)
            start += 100_000
            _, peak = rss(proc.pid)
            report = r.json().get("report", r.json())
            lat = singles.latencies or [float("nan")]
            bad = [s for s in singles.statuses if s >= 300]
            if label.startswith("junk"):
                share = max(lat) / seconds
                goals.append(
                    (f"{label}: other tenant's worst {share:.1%} of the import", share < 0.05)
                )
                goals.append(
                    (f"{label}: answer {len(r.content) / 1024:.0f} KB", len(r.content) < 256 * 1024)
                )
                goals.append((f"{label}: no failed request of the other tenant", not bad))
            if label.startswith("good"):
                worst = max(lat)
                p99 = sorted(lat)[max(0, int(len(lat) * 0.99) - 1)]
                goals.append((f"{label}: other tenant's worst {worst * 1000:.0f} ms", worst < 1.0))
                goals.append((f"{label}: other tenant's p99 {p99 * 1000:.0f} ms (#16: 250)", True))
                goals.append((f"{label}: no failed request of the other tenant", not bad))
            if "×10" in label:
                growth = (peak - base_rss) / MB
                goals.append((f"{label}: peak RSS +{growth:.0f} MB", growth < 100))
            if f"{args.big_mb} MB" in label:
                goals.append((f"{label}: server peak RSS {peak / MB:.0f} MB", peak < 300 * MB))
                goals.append((f"{label}: answered {r.status_code}", r.status_code in (400, 422)))
            print(
                f"{label:<34} {r.status_code:>6} {seconds:>8.2f} {len(r.content) / 1024:>8.1f}"
                f" {report.get('rejected', '-'):>9} {(peak - base_rss) / MB:>12.0f}"
                f" {len(lat):>8} {statistics.median(lat) / idle_median:>8.1f}"
                f" {max(lat) / idle_median:>8.1f}"
                + (f"  other tenant's failures: {sorted(set(bad))}" if bad else "")
            )
    print()
    print("median×/worst×: seller-b's single POST latency during the import ÷ its idle median")
    for text, ok in goals:
        print(f"{'PASS' if ok else 'MISS'}  {text}")


if __name__ == "__main__":
    main()
