"""The closed-loop HTTP client the write-path benchmarks share (``http_orders.py``,
``workers.py``), and the server-side CPU accounting they print beside each rate.

A closed loop: N clients, each sending its next order as soon as its last answer arrived, so
the rate measured is the server's (when the client is cheap enough). The client is aiohttp's
in one asyncio loop: httpx's asynchronous client cost ≈ 5 ms of CPU a request at 16
connections and set the rate it was meant to measure (a server that answers at once got
190/s from it, 900/s from aiohttp's; 2026-12-07). ``workers.py`` used httpx's synchronous
client in threads, making each order as it sent it; it uses this loop too.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from common import percentile

from cbec.demo import synthetic

POOL = 4000  # distinct orders (buyers, lines) per tenant, sent again under new numbers
JSON = {"Content-Type": "application/json"}


class Orders:
    """Valid orders of one seller, each with the next order number: ``size`` synthetic
    orders serialized once, the number put in between (a synthetic order takes ~0.3 ms to
    make, which would load the client more than the server it measures)."""

    def __init__(self, seller: str, seed: int, size: int = POOL, platform: str = "platform-a"):
        rng = random.Random(seed)
        self.parts = [
            json.dumps(synthetic.order(rng, platform, seller, "@")).encode().split(b'"@"', 1)
            for _ in range(size)
        ]
        self.n = 0

    def next(self, prefix: str) -> bytes:
        head, tail = self.parts[self.n % len(self.parts)]
        self.n += 1
        return b'%s"%s%08d"%s' % (head, prefix.encode(), self.n, tail)


@dataclass
class Run:
    """One closed-loop run: the measured latencies (s) and what went wrong."""

    server: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    answered: int = 0  # 201s, warm-up included
    server_cpu: float = 0.0  # the server's CPU seconds over the whole run, warm-up included
    wall: float = 0.0  # seconds from the first request to the last answer, warm-up included

    @property
    def cpu_ms(self) -> float:
        """The server's CPU time per order: steadier than a rate when the machine is noisy."""
        return self.server_cpu / self.answered * 1000 if self.answered else float("nan")

    @property
    def cores(self) -> float:
        """The server's CPU seconds per second of the run: ≈ 1 for one process means its
        rate was bound by its core."""
        return self.server_cpu / self.wall if self.wall else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000 if self.latencies else float("nan")


async def closed_loop(
    base: str,
    key: str,
    orders: Orders,
    prefix: str,
    run: Run,
    warmup: float,
    seconds: float,
    *,
    new_connections: bool = False,
) -> Run:
    """``run.clients`` clients, each posting its next order to ``/orders`` when its last
    answer arrived, for ``warmup`` seconds not counted and ``seconds`` measured. On
    keep-alive connections, or with ``new_connections`` a new one per request — so that
    several worker processes sharing one listening socket share the load (a kept-alive
    connection stays with the worker that accepted it)."""
    headers = {"Authorization": f"Bearer {key}", **JSON}
    connector = aiohttp.TCPConnector(limit=run.clients, force_close=new_connections)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        base_url=base, headers=headers, connector=connector, timeout=timeout
    ) as client:
        start = time.perf_counter()
        measured_from, until = start + warmup, start + warmup + seconds
        last = [measured_from]

        async def one_client() -> None:
            while (sent := time.perf_counter()) < until:
                try:
                    async with client.post("/orders", data=orders.next(prefix)) as r:
                        await r.read()
                        status: int | str = r.status
                except (aiohttp.ClientError, TimeoutError) as e:
                    status = type(e).__name__
                done = time.perf_counter()
                if status != 201:
                    run.errors[status] += 1
                    continue
                run.answered += 1
                if sent >= measured_from:
                    run.latencies.append(done - sent)
                    last[0] = max(last[0], done)

        await asyncio.gather(*(one_client() for _ in range(run.clients)))
    run.seconds = last[0] - measured_from
    run.wall = time.perf_counter() - start
    return run


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its live children (``--workers``),
    from ``/proc`` (Linux; 0.0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for p in (pid, *map(int, children)):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (proc(5))
    except (OSError, ValueError, IndexError):
        return total
    return total


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from ``/proc/stat`` (proc(5): the
    ``cpu`` line; idle and iowait are not busy); (0, 0) elsewhere. Two readings give the
    machine's busy share between them — whether every core was in use, which says whether a
    rate was bound by the cores or by something else."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])  # guest time is already counted in user and nice
    return total - idle, total


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The machine's busy share of all its CPUs between two :func:`machine_ticks`."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else float("nan")
