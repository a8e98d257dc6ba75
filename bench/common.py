"""What the benchmark scripts share: CPU pinning, fresh databases, throw-away keys, and for
the scripts timed by the server's access log, its durations and the table of results.

Each script measures one area (ingest, ledger, customs); they pin the same way and start
each scenario on an empty database (a new SQLite file, or a PostgreSQL schema dropped and
recreated), so their numbers are comparable.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cbec.config import Settings
from cbec.ledger.note import generate_signer_key
from cbec.store.db import make_engine
from cbec.tenancy.roles import Role

DATA_KEYS = "b1=" + base64.b64encode(secrets.token_bytes(32)).decode()
HMAC_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
# The ledger's note signer key, made once per run like the others (a process never makes
# keys by itself: cbec.privacy.keyprovider).
LEDGER_SKEY = generate_signer_key("cbec.local/ledger")[0]


class Cpus:
    """``--one-core``: which CPU the measured work runs on, and where the HTTP client goes."""

    def __init__(self, one_core: bool) -> None:
        self.enabled = one_core and hasattr(os, "sched_setaffinity")
        self.original = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()
        self.core = 0 if 0 in self.original or not self.original else min(self.original)

    def pin(self) -> None:
        if self.enabled:
            os.sched_setaffinity(0, {self.core})

    def for_client(self) -> None:
        """The HTTP client: on the other CPUs when there are any, so the server has its own."""
        if self.enabled:
            others = self.original - {self.core}
            os.sched_setaffinity(0, others or self.original)

    def for_server(self) -> Callable[[], None] | None:
        """A server started as a subprocess: run on the measured CPU (``preexec_fn``)."""
        if not self.enabled:
            return None
        core = self.core
        return lambda: os.sched_setaffinity(0, {core})

    def describe(self) -> str:
        if not self.enabled:
            return f"not pinned ({len(self.original)} CPUs allowed; pass --one-core to pin)"
        return f"pinned to CPU {self.core} (of {sorted(self.original)})"


@dataclass
class Database:
    """A place to run one scenario on an empty database."""

    label: str
    url: str | None  # PostgreSQL URL; None for SQLite (a new file per scenario)
    root: Path

    def fresh(self, name: str) -> str:
        if self.url is None:
            path = self.root / f"sqlite-{name}" / "cbec.db"
            path.parent.mkdir(parents=True)
            return f"sqlite:///{path}"
        reset_postgres(self.url)
        return self.url


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def databases(tmp: Path, postgres: str | None) -> list[Database]:
    """SQLite under ``tmp``, and PostgreSQL too when ``--postgres`` named a database; each
    with its own folder made."""
    dbs = [Database("SQLite", None, tmp / "sqlite")]
    if postgres:
        dbs.append(Database("PostgreSQL", postgres_url(postgres), tmp / "pg"))
    for db in dbs:
        db.root.mkdir(parents=True, exist_ok=True)
    return dbs


def postgres_url(url: str) -> str:
    """SQLAlchemy URL with the psycopg 3 driver (``postgresql://`` would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"--postgres: not a PostgreSQL URL: {url}")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=url,
        data_keys=DATA_KEYS,
        hmac_key=HMAC_KEY,
        ledger_signer_key=LEDGER_SKEY,
    )


def on_each_database(postgres: str | None, run: Callable[[Database], bool]) -> int:
    """``run`` on SQLite, and on PostgreSQL too when ``--postgres`` named a database, in a
    temporary folder; the exit status: 0 when every run met its goal, else 1."""
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for db in databases(Path(tmp), postgres):
            ok &= run(db)
    return 0 if ok else 1


class ServerTimes(logging.Handler):
    """The access log's durations, one per request, in order."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.ms: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.ms.append(json.loads(record.getMessage())["ms"])


# One row of results: its label (already padded to its columns), the runs' times in ms,
# what to print after the worst (the median as ratios to the script's references), and
# whether the row is judged against the goal.
Row = tuple[str, list[float], Callable[[float], str], bool]


def print_results(title: str, header: str, rows: Iterable[Row], goal_ms: float, goal: str) -> bool:
    """The results table: ``title``, ``header``, then each row's label, the median and worst
    of its runs, its ratios and — judged rows only — PASS when the worst run is under
    ``goal_ms``, else MISS; last the goal. True when no judged row missed."""
    print(title)
    print(header)
    ok = True
    for label, values, ratios, judged in rows:
        median, worst = statistics.median(values), max(values)
        verdict = ("PASS" if worst < goal_ms else "MISS") if judged else ""
        ok &= verdict != "MISS"
        print(f"{label}{median:>9.1f}{worst:>9.1f}{ratios(median)}  {verdict}")
    print(f"goal: {goal} under {goal_ms:.0f} ms of server time (worst of the runs)")
    return ok


def print_goals(goals: Iterable[tuple[str, bool]]) -> bool:
    """One line per goal, PASS or MISS first; True when none missed."""
    ok = True
    for line, met in goals:
        print(f"{'PASS' if met else 'MISS'}  {line}")
        ok &= met
    return ok


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by nearest rank: a value that was measured."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * q // 100) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server_process(
    cmd: list[str], env: dict[str, str], port: int, preexec_fn: Callable[[], None] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``cmd`` (an HTTP server on 127.0.0.1:``port``) until ``/healthz`` answers 200;
    its base URL and process. Killed on leaving."""
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=preexec_fn
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{' '.join(cmd[-5:])}: the server did not start")
            time.sleep(0.1)
        yield base, proc
    finally:
        proc.kill()
        proc.wait(timeout=60)


LIMITS_OFF = {"CBEC_RATE_LIMIT": "", "CBEC_MAX_CONCURRENT_REQUESTS": "0"}
"""Request limits off, so that only the work is measured."""


@contextmanager
def cbec_server(
    url: str,
    data_dir: Path,
    preexec_fn: Callable[[], None] | None = None,
    args: Sequence[str] = (),
) -> Iterator[tuple[str, subprocess.Popen]]:
    """:func:`server` with request limits off (:data:`LIMITS_OFF`)."""
    with server(url, data_dir, args=args, env=LIMITS_OFF, preexec_fn=preexec_fn) as started:
        yield started


def make_tenants(url: str, data_dir: Path, sellers: Sequence[str], platform: str) -> list[str]:
    """A new database at ``url`` with these sellers and a platform; each seller's API key."""
    from cbec.runtime import open_runtime
    from cbec.tenancy.service import create_tenant

    rt = open_runtime(settings_for(url, data_dir))
    with rt.uow(write=True) as uow:
        keys = [create_tenant(uow.repo, name, Role.SELLER)[1] for name in sellers]
        create_tenant(uow.repo, platform, Role.PLATFORM)
        uow.commit()
    rt.engine.dispose()
    return keys


@contextmanager
def server(
    url: str,
    data_dir: Path,
    cpus: Cpus | None = None,
    args: Sequence[str] = (),
    env: dict[str, str] | None = None,
    start_limit: float = 120.0,
    preexec_fn: Callable[[], None] | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``cbec serve`` (with ``args``) on a free port of 127.0.0.1 over ``url``, with the run's
    keys and ``env`` on top, its output in ``<data_dir>/server.log``; yields its base URL and
    process once /healthz answers. Pinned by ``cpus`` when given (the client then moves to
    the other CPUs). Stopped with SIGTERM, which ``--workers`` passes on to its workers."""
    port = free_port()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("CBEC_")}
    child_env.update(
        CBEC_DATA_DIR=str(data_dir),
        CBEC_DATABASE_URL=url,
        CBEC_DATA_KEYS=DATA_KEYS,
        CBEC_HMAC_KEY=HMAC_KEY,
        CBEC_LEDGER_SIGNER_KEY=LEDGER_SKEY,
        **(env or {}),
    )
    exe = str(Path(sys.executable).parent / "cbec")
    cmd = [exe, "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    log_path = data_dir / "server.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        if cpus is not None:
            cpus.pin()  # the child inherits the affinity it is started with
        try:
            proc = subprocess.Popen(
                cmd, env=child_env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec_fn
            )
        finally:
            if cpus is not None:
                cpus.for_client()
        try:
            deadline = time.monotonic() + start_limit
            while True:
                if proc.poll() is not None:
                    raise SystemExit(
                        f"cbec serve exited with {proc.returncode}:\n{log_path.read_text()}"
                    )
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"cbec serve not healthy in {start_limit:.0f} s:\n{log_path.read_text()}"
                    )
                time.sleep(0.05)
            yield base, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def console_sign_in(client, login: str, password: str):
    """Sign a TestClient in to the console as a browser does: the form's page first (its
    pre-session token), then the form."""
    import re

    form = client.get("/console/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    return client.post("/console/login", data={"login": login, "password": password, "csrf": csrf})
