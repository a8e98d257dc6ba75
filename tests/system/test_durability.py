"""Durability: a write is acknowledged only after it has committed.

The real server runs as a child process. While one client files orders one by one and
another sends a bulk import (started once the server has acknowledged a first single order,
so every round has acknowledged writes at stake), the server is killed with SIGKILL: after
a seeded random delay in some rounds; in others at the moment it is seen writing the
import's rows, which is too short a moment to hit reliably by chance; in the last one the
moment the import's answer arrives. After a restart on the same database:

1. every order whose ``POST /orders`` was answered 200/201 is stored, as it was sent;
2. each import file is stored entirely or not at all (and entirely if its answer arrived);
3. no partial or broken document exists: every stored order parses and passes the rules,
   each order number is stored once, and every stored order is one the clients sent.

The cycle is repeated a few times on the same database, so earlier rounds are checked again
after every later crash. A second test kills the server while eight clients file single
orders at once — on SQLite their writes then share transactions (group commit) — and checks
the same after each restart. It runs on SQLite by default and on PostgreSQL when
``CBEC_DATABASE_URL`` points to one (that database is emptied first).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from cbec.config import Settings
from cbec.demo import synthetic
from cbec.runtime import open_runtime
from cbec.store.db import make_engine
from cbec.store.repository import UnitOfWork
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade.order import Order, check
from tests.conftest import ON_POSTGRES, PG_URL, TEST_KEY_SETTINGS, reset_postgres
from tests.serverproc import running_server, settings_env

SEED = 20240611
# Waits end on a signal (the answer, the probe seeing the write); these only bound a hang,
# so they are generous enough for a machine busy with other work.
HANG = 180.0
IMPORT_SIZE = 3000
BAD_EVERY = 500  # continue_on_error files: every 500th row breaks a rule
# Rounds, in order: (continue_on_error, how the kill is timed, parameter).
# "delay": after a seeded random delay in the window (lo, hi) seconds; the windows spread the
#   kills over the life of an import (about a second for 3,000 orders, under load).
# "writing": when the server is seen writing the import's rows (see WriteProbe); the
#   parameter moves the kill from the start (0) to the end (1) of the write: the moment
#   that matters most for "no partial document", and too short to hit reliably by chance.
# "answered": the moment the import's answer arrives: an answer sent before the commit is
#   durable (or before it is made at all) would lose an acknowledged import here.
ROUNDS: list[tuple[bool, str, Any]] = [
    (False, "delay", (0.2, 0.6)),
    (True, "delay", (0.6, 1.0)),
    (False, "delay", (1.0, 1.5)),
    (False, "writing", 0.0),
    (True, "writing", 0.5),
    (False, "writing", 1.0),
    (True, "answered", None),
]


@dataclass
class ImportRun:
    continue_on_error: bool
    valid: dict[str, dict[str, Any]]  # order_no -> document, rows that pass every rule
    bad: set[str]  # order numbers of rows that must be rejected
    body: bytes
    status: int | None = None
    answer: Any = None
    error: str | None = None


@dataclass
class History:
    """What the clients sent and what the server acknowledged, over all rounds."""

    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # single orders, order_no
    acked: dict[str, str] = field(default_factory=dict)  # order_no -> id in the 201/200 answer
    imports: list[ImportRun] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # answers other than 200/201
    # documents already found whole and equal to what was sent, by id: a later round only
    # checks that they are still there, unchanged
    verified: dict[str, dict[str, Any]] = field(default_factory=dict)
    looked_up: set[str] = field(default_factory=set)  # acknowledged orders fetched by number


def _installation(tmp_path: Path, sqlite_name: str) -> tuple[str, str, dict[str, str]]:
    """A fresh database (the PostgreSQL one emptied, or a new SQLite file) with the tenants:
    its URL, the seller's API key and the environment a server over it runs with."""
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / sqlite_name}"
    settings = Settings(data_dir=tmp_path / "data", database_url=url, **TEST_KEY_SETTINGS)
    return url, _create_tenants(settings), settings_env(settings)


def _create_tenants(settings: Settings) -> str:
    rt = open_runtime(settings)
    try:
        with rt.uow(write=True) as uow:
            _, seller_key = create_tenant(uow.repo, "seller-a", Role.SELLER)
            create_tenant(uow.repo, "platform-a", Role.PLATFORM)
            uow.commit()
    finally:
        rt.engine.dispose()
    return seller_key


def _import_file(rng: random.Random, tag: str, continue_on_error: bool) -> ImportRun:
    valid: dict[str, dict[str, Any]] = {}
    bad: set[str] = set()
    lines = []
    for i in range(IMPORT_SIZE):
        order_no = f"IMP-{tag}-{i:05d}"
        doc = synthetic.order(rng, "platform-a", "seller-a", order_no)
        if continue_on_error and i % BAD_EVERY == BAD_EVERY - 1:
            doc["amount_paid"] = str(Decimal(doc["amount_paid"]) + 1)  # breaks the paid sum
            bad.add(order_no)
        else:
            valid[order_no] = doc
        lines.append(json.dumps(doc, ensure_ascii=False))
    body = ("\n".join(lines) + "\n").encode()
    return ImportRun(continue_on_error, valid, bad, body)


def _post_singles(
    base: str,
    key: str,
    tag: str,
    seed: int,
    history: History,
    stop: threading.Event,
    acked: threading.Event,
) -> None:
    """File orders one by one until ``stop`` or the server is gone; ``acked`` is set at the
    first acknowledgement (the round starts its import only then), or when this gives up."""
    try:
        _file_singles(base, key, tag, seed, history, stop, acked)
    finally:
        acked.set()


def _file_singles(
    base: str,
    key: str,
    tag: str,
    seed: int,
    history: History,
    stop: threading.Event,
    acked: threading.Event,
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        i = 0
        while not stop.is_set():
            order_no = f"ONE-{tag}-{i:05d}"
            i += 1
            doc = synthetic.order(rng, "platform-a", "seller-a", order_no)
            history.sent[order_no] = doc  # sent: its fate is unknown until an answer arrives
            try:
                r = client.post("/orders", json=doc)
            except httpx.TransportError:
                return  # the server is gone; this one is not acknowledged
            if r.status_code in (200, 201):
                history.acked[order_no] = r.json()["id"]
                acked.set()
            else:
                history.unexpected.append(f"POST /orders {order_no}: {r.status_code} {r.text}")
                return


def _post_import(base: str, key: str, run: ImportRun, answered: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"}
    params = {"continue_on_error": "true"} if run.continue_on_error else {}
    try:
        r = httpx.post(
            f"{base}/orders/import", params=params, content=run.body, headers=headers, timeout=60
        )
    except httpx.TransportError as exc:
        run.error = repr(exc)
        return
    run.status = r.status_code
    run.answer = r.json() if r.content else None
    answered.set()


def _same_order(sent: dict[str, Any], stored: dict[str, Any]) -> bool:
    return Order.model_validate(sent).model_dump() == Order.model_validate(stored).model_dump()


def _list_all(client: httpx.Client) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if cursor:
            params["cursor"] = cursor
        r = client.get("/orders", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _check_database(url: str, listed: int) -> None:
    """Look under the API: as many order rows as the seller lists, and a sound SQLite file."""
    engine = make_engine(url)
    try:
        with UnitOfWork(engine) as uow:
            counts = uow.repo.count_documents()
            if engine.dialect.name == "sqlite":
                result = uow.conn.execute(text("PRAGMA integrity_check")).scalars().all()
                assert result == ["ok"], result
    finally:
        engine.dispose()
    assert counts == ({"order": listed} if listed else {}), counts


def _verify(base: str, key: str, history: History, url: str) -> dict[str, Any]:
    """Check (1)-(3) of the module docstring; returns the stored orders by number."""
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        # (3) no partial document: everything stored is whole, valid, unique, and was sent.
        imported = {no: doc for run in history.imports for no, doc in run.valid.items()}
        rejected = {no for run in history.imports for no in run.bad}
        stored: dict[str, dict[str, Any]] = {}
        for item in _list_all(client):
            doc = item["document"]
            order_no = doc.get("order_no")
            assert item["pii"] == "clear", item["id"]
            assert order_no not in stored, f"order {order_no} stored twice"
            stored[order_no] = item
            if history.verified.get(item["id"]) == doc:
                continue
            order = Order.model_validate(doc)
            assert check(order) == [], (order_no, check(order))
            assert order_no not in rejected, f"rejected import row {order_no} was stored"
            sent = history.sent.get(order_no) or imported.get(order_no)
            assert sent is not None, f"stored order {order_no} was never sent"
            assert _same_order(sent, doc), f"stored order {order_no} differs from what was sent"
            history.verified[item["id"]] = doc
        assert history.verified.keys() <= {item["id"] for item in stored.values()}, (
            "a document seen after an earlier crash has gone"
        )
        _check_database(url, len(stored))

        # (1) every acknowledged single order is there, once, as it was sent: in the listing,
        # and (once, after the crash that followed its acknowledgement) looked up by number.
        for order_no, doc_id in history.acked.items():
            assert order_no in stored, f"acknowledged order {order_no} is missing"
            assert stored[order_no]["id"] == doc_id, order_no
            if order_no in history.looked_up:
                continue
            history.looked_up.add(order_no)
            r = client.get("/orders", params={"order_no": order_no})
            assert r.status_code == 200, r.text
            items = r.json()["items"]
            assert len(items) == 1, f"acknowledged order {order_no}: {len(items)} stored"
            got, sent = items[0], history.sent[order_no]
            assert got["id"] == doc_id
            assert got["document"]["buyer"]["id_number"] == sent["buyer"]["id_number"]
            assert Decimal(got["document"]["amount_paid"]) == Decimal(sent["amount_paid"])
            assert len(got["document"]["lines"]) == len(sent["lines"])

        # (2) each import is all there or not there at all; all there if it was answered.
        for run in history.imports:
            present = sum(no in stored for no in run.valid)
            assert present in (0, len(run.valid)), (
                f"import partly stored: {present} of {len(run.valid)} orders"
            )
            if run.status is not None:
                assert run.status == 200, (run.status, run.answer)
                assert run.answer["written"] is True
                assert run.answer["created"] == len(run.valid)
                assert run.answer["rejected"] == len(run.bad)
                assert present == len(run.valid), "answered import is missing"
    return stored


class WriteProbe:
    """Tells when the server is writing an import's rows, before the import is answered.

    The import writes its rows a chunk at a time, between spells of validation; the kill
    should land while some rows are written and the import is not yet shown.

    SQLite: the bytes the server process has written (``wchar`` in ``/proc/<pid>/io``) since
    the import was sent pass a threshold. The single orders written meanwhile are a few KB
    each, so the bytes are mostly the import's: its chunks appended to the WAL and the
    automatic checkpoints copying the WAL into the database file, all before the answer
    (about 13 MB for 3,000 orders).
    ``progress`` 0..1 moves the threshold from 0.5 MB (inside the transaction) to 10 MB (in
    the checkpoint, after the commit: committed but not yet acknowledged).

    PostgreSQL: the import commits its documents a chunk at a time, shown to no one until
    its batch is done (cbec.services.imports); the kill follows once the open batch holds
    ``progress`` x 90 % of the file's documents (at least one chunk) — between chunks or
    inside one, never after the batch is shown.
    """

    def __init__(self, url: str, pid: int, progress: float) -> None:
        self.progress = progress
        self.engine = None
        self.io = Path(f"/proc/{pid}/io")
        if url.startswith("postgresql"):
            self.engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        elif not self._readable():
            self.io = None  # no /proc: the caller falls back on a random delay

    @property
    def available(self) -> bool:
        return self.engine is not None or self.io is not None

    def _readable(self) -> bool:
        try:
            self._written()
        except (OSError, KeyError, ValueError):
            return False
        return True

    def _written(self) -> int:
        fields = dict(line.split(": ") for line in self.io.read_text().splitlines() if line)
        return int(fields["wchar"])

    def wait(self, answered: threading.Event, timeout: float) -> float | None:
        """Seconds until the write was seen, or None if the import was answered first."""
        started = time.monotonic()
        deadline = started + timeout
        if self.engine is None:
            # The byte count is checked before the answer: it only grows, so a busy machine
            # that lets this thread sleep through the moment still sees that the write
            # happened (the caller then reports that the answer was already in).
            threshold = self._written() + int((0.5 + 9.5 * self.progress) * 2**20)
            while time.monotonic() < deadline:
                if self._written() >= threshold:
                    return time.monotonic() - started
                if answered.is_set():
                    return None
                time.sleep(0.001)
            return None
        # Documents written by imports not yet shown (their batch is open): the import
        # commits a chunk at a time, so the kill lands between chunks or inside one.
        threshold = max(1, int(self.progress * 0.9 * IMPORT_SIZE))
        query = text(
            "SELECT count(*) FROM documents d JOIN import_batches b ON b.id = d.batch_id"
            " WHERE b.state = 'open'"
        )
        try:
            with self.engine.connect() as conn:
                while not answered.is_set() and time.monotonic() < deadline:
                    if conn.execute(query).scalar() >= threshold:
                        return time.monotonic() - started
                    time.sleep(0.001)
            return None
        finally:
            self.engine.dispose()


def _kill(proc) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=HANG)


def _kill_server_and_clients(
    proc, stop: threading.Event, threads: list[threading.Thread], history: History
) -> None:
    """SIGKILL the server, stop the clients and wait for them: every answer they got is in
    ``history``, ready for the next server's :func:`_verify`."""
    _kill(proc)
    stop.set()
    for t in threads:
        t.join(timeout=HANG)
        assert not t.is_alive(), "client thread still running after the kill"
    assert not history.unexpected, history.unexpected


@pytest.mark.slow
def test_sigkill_during_bulk_import_loses_no_acknowledged_write(tmp_path: Path) -> None:
    started = time.monotonic()
    url, key, env = _installation(tmp_path, "kill.db")

    rng = random.Random(SEED)
    history = History()
    outcomes: list[str] = []
    # every server started is killed (if still alive) and reaped when the stack closes
    with contextlib.ExitStack() as servers:
        try:
            base, proc = servers.enter_context(running_server(env))
            for n, (continue_on_error, timing, param) in enumerate(ROUNDS):
                run = _import_file(rng, str(n), continue_on_error)
                history.imports.append(run)
                delay = rng.uniform(*param) if timing == "delay" else rng.uniform(0.2, 1.5)
                # (in "writing" rounds, the fallback when the write cannot be observed)
                stop = threading.Event()
                answered = threading.Event()
                single_acked = threading.Event()
                threads = [
                    threading.Thread(
                        target=_post_singles,
                        args=(base, key, str(n), rng.randrange(2**32), history, stop, single_acked),
                        daemon=True,
                    ),
                    threading.Thread(
                        target=_post_import, args=(base, key, run, answered), daemon=True
                    ),
                ]
                # The import (and the kill's timing) starts once the server has acknowledged a
                # single order: every round then has acknowledged writes to lose, however
                # slowly a busy machine brings the new server up to speed.
                threads[0].start()
                assert single_acked.wait(timeout=HANG), f"round {n}: no answer in {HANG:.0f} s"
                assert not history.unexpected, history.unexpected
                assert any(no.startswith(f"ONE-{n}-") for no in history.acked), f"round {n}"
                threads[1].start()
                probe = WriteProbe(url, proc.pid, param) if timing == "writing" else None
                if timing == "answered":
                    assert answered.wait(timeout=HANG), f"round {n}: import not answered"
                    how = "as soon as the import was answered"
                elif probe is not None and probe.available:
                    seen = probe.wait(answered, timeout=HANG)
                    assert seen is not None, f"round {n}: import answered before seen writing"
                    how = f"import seen writing after {seen:.2f}s" + (
                        " (already answered)" if answered.is_set() else ""
                    )
                else:
                    time.sleep(delay)
                    how = f"after {delay:.2f}s"
                _kill_server_and_clients(proc, stop, threads, history)
                base, proc = servers.enter_context(running_server(env))  # same database
                stored = _verify(base, key, history, url)
                present = all(no in stored for no in run.valid)
                outcomes.append(
                    f"round {n}: killed {how}; "
                    f"{'continue_on_error' if continue_on_error else 'all-or-nothing'} import "
                    f"{'answered' if run.status is not None else 'not answered'}, "
                    f"{'stored' if present else 'absent'}; "
                    f"{len(history.acked)} singles acknowledged, {len(stored)} orders stored"
                )
        finally:
            print("\n" + "\n".join(outcomes))
            print(f"{time.monotonic() - started:.1f}s on {url.split(':')[0]}")
    assert history.acked, "no single order was acknowledged: the test proved nothing"


def _grouped_works(base: str) -> tuple[float, float]:
    """(group commits, works in them) from the server's /metrics."""
    text_ = httpx.get(f"{base}/metrics", timeout=HANG).text
    found = dict(
        line.rsplit(" ", 1)
        for line in text_.splitlines()
        if line.startswith(("cbec_group_commits_total ", "cbec_group_commit_works_total "))
    )
    return float(found["cbec_group_commits_total"]), float(found["cbec_group_commit_works_total"])


@pytest.mark.slow
def test_sigkill_during_group_commit_loses_no_acknowledged_write(tmp_path: Path) -> None:
    """Eight clients file single orders at once, so on SQLite their writes share
    transactions (group commit; the server's metrics must show groups of more than one
    before the kill); the server is killed at a seeded moment while they do. After each
    restart (1)–(3) of the module docstring hold: no writer was acknowledged before the
    group holding its order was durable, and no group was stored in part."""
    url, key, env = _installation(tmp_path, "group.db")
    rng = random.Random(SEED + 1)
    history = History()
    with contextlib.ExitStack() as servers:
        base, proc = servers.enter_context(running_server(env))
        for n in range(3):
            stop = threading.Event()
            acked = [threading.Event() for _ in range(8)]
            threads = [
                threading.Thread(
                    target=_post_singles,
                    args=(base, key, f"{n}-{t}", rng.randrange(2**32), history, stop, acked[t]),
                    daemon=True,
                )
                for t in range(8)
            ]
            for t in threads:
                t.start()
            for e in acked:
                assert e.wait(timeout=HANG), f"round {n}: a client had no answer"
            assert not history.unexpected, history.unexpected
            if not ON_POSTGRES:  # the writes are being grouped: several per transaction
                deadline = time.monotonic() + HANG
                while (g := _grouped_works(base))[1] <= g[0]:
                    assert time.monotonic() < deadline, f"round {n}: no group formed {g}"
            time.sleep(rng.uniform(0.0, 0.5))  # a seeded moment among the groups
            _kill_server_and_clients(proc, stop, threads, history)
            base, proc = servers.enter_context(running_server(env))  # same database
            _verify(base, key, history, url)
    assert len(history.acked) >= 24
