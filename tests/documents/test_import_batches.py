"""A bulk import is written a chunk per transaction and shown all at once: between chunks
other tenants write, no one sees the import's documents, a key it holds is refused to its
own scope as ``import_in_progress``; an import that cannot complete is withdrawn — logged,
then deleted — and one whose process died is withdrawn by the sweep."""

from __future__ import annotations

import gc
import json
import random
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from cbec.demo import synthetic
from cbec.errors import Busy
from cbec.services import bulk, imports
from cbec.store.batch_store import BatchStore
from cbec.store.gate import WriteGate, gate_of
from cbec.store.tables import documents, import_batches, ledger_entries
from cbec.trade import checking, filing
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now
from cbec.trade.report import BatchRejected
from tests.conftest import make_order
from tests.documents.test_import import count, jsonl

WAIT_LIMIT = 120.0  # bounds a hang only: every wait ends as soon as its signal is seen


def _request(body: str, **kw) -> bulk.ImportRequest:
    return bulk.ImportRequest(kind="order", body=body.encode(), **kw)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 3)
    monkeypatch.setattr(imports, "CHUNK_MOST", 3)


def _between_chunks(monkeypatch, probe, at_call: int = 2):
    """Run ``probe`` when the import asks for its ``at_call``-th chunk (earlier chunks are
    committed, the batch is not shown yet)."""
    real = checking.check_chunk
    calls = {"n": 0}

    def spy(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at_call:
            probe()
        return real(*args, **kwargs)

    monkeypatch.setattr(checking, "check_chunk", spy)
    return calls


def test_other_tenants_write_between_chunks_and_see_nothing_until_done(
    rt, client, parties, monkeypatch, small_chunks
):
    rng = random.Random(1)
    body = jsonl(make_order(rng, i) for i in range(10))
    seen: dict[str, int] = {}

    def probe():
        other = synthetic.order(random.Random(2), "platform-b", "seller-b", "B-1")
        r = client.post("/orders", json=other, headers=parties["seller-b"].headers)
        seen["other"] = r.status_code
        for who in ("seller-a", "platform-a", "regulator"):
            seen[who] = count(client, parties[who])

    calls = _between_chunks(monkeypatch, probe)
    summary = bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(body))
    assert calls["n"] >= 4  # ten rows, three a chunk
    assert summary["created"] == 10
    assert seen == {"other": 201, "seller-a": 0, "platform-a": 0, "regulator": 1}
    assert count(client, parties["seller-a"]) == 10
    assert count(client, parties["regulator"]) == 11


def test_a_key_held_by_an_import_in_progress_is_refused_as_in_progress(
    rt, client, parties, monkeypatch, small_chunks
):
    rng = random.Random(3)
    docs = [make_order(rng, i) for i in range(7)]
    answer = {}

    def probe():
        r = client.post("/orders", json=docs[0], headers=parties["seller-a"].headers)
        answer["status"], answer["code"] = r.status_code, r.json().get("code")

    _between_chunks(monkeypatch, probe)
    bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(jsonl(docs)))
    assert answer == {"status": 409, "code": "import_in_progress"}
    r = client.post("/orders", json=docs[0], headers=parties["seller-a"].headers)
    assert r.status_code == 200  # the import is done: the same document, unchanged


def test_a_conflict_in_a_later_chunk_withdraws_what_was_written(rt, client, parties, small_chunks):
    """The file repeats a key with other content after the first chunk was committed: all or
    nothing withdraws the batch — its documents and checks deleted, one entry logging which
    entries it withdraws — and the report names the row."""
    rng = random.Random(4)
    docs = [make_order(rng, i) for i in range(5)]
    clash = dict(docs[0], note="another content")
    with pytest.raises(BatchRejected) as exc:
        bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(jsonl([*docs, clash])))
    (bad,) = exc.value.report.rejected
    assert bad.row == 6 and bad.conflict
    assert count(client, parties["seller-a"]) == 0
    assert count(client, parties["regulator"]) == 0
    with rt.uow() as uow:
        (batch,) = uow.conn.execute(import_batches.select()).all()
        assert batch.state == "withdrawn"
        assert uow.repo.count_documents() == {}
        from cbec.store.tables import compliance_decisions

        assert uow.conn.execute(documents.select()).all() == []
        assert uow.conn.execute(compliance_decisions.select()).all() == []
    entry = client.get(
        f"/ledger/entries/{batch.ledger_index}", headers=parties["regulator"].headers
    )
    assert entry.status_code == 200, entry.text
    logged = entry.json()["entry"]
    assert logged["type"] == imports.IMPORTS_ENTRY_TYPE
    assert logged["batch"] == batch.id and logged["action"] == "withdrawn"
    withdrawn = [i for a, b in logged["entries"] for i in range(a, b + 1)]
    # five documents of the first two chunks, each with its checks' entries
    assert len(withdrawn) >= 5 and max(withdrawn) < batch.ledger_index


def test_an_import_whose_process_died_is_withdrawn_by_the_sweep(
    rt, client, parties, monkeypatch, small_chunks
):
    rng = random.Random(5)
    body = jsonl(make_order(rng, i) for i in range(8))

    class Died(BaseException):
        pass

    def die():
        raise Died

    monkeypatch.setattr(imports, "withdraw", lambda uow, batch_id: None)  # no chance to
    _between_chunks(monkeypatch, die, at_call=3)
    with pytest.raises(Died):
        bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(body))
    monkeypatch.undo()
    with rt.uow() as uow:
        (batch,) = uow.conn.execute(import_batches.select()).all()
    assert batch.state == "open"
    assert count(client, parties["regulator"]) == 0
    assert imports.sweep(rt.uow()) == 0  # touched just now: it may still be running
    with rt.uow(write=True) as uow:
        old = now() - imports.STALE_AFTER - timedelta(seconds=1)
        uow.conn.execute(update(import_batches).values(touched_at=old))
        uow.commit()
    assert imports.sweep(rt.uow()) == 1
    with rt.uow() as uow:
        (batch,) = uow.conn.execute(import_batches.select()).all()
        assert batch.state == "withdrawn" and batch.ledger_index is not None
        assert BatchStore(uow.conn).entries(batch.id) == []
    assert imports.sweep(rt.uow()) == 0
    # the same file imports cleanly afterwards
    summary = bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(body))
    assert summary["created"] == 8


def _abandon_an_import(rt, parties, monkeypatch, n: int = 8) -> str:
    """An import whose process died after two chunks, untouched for longer than
    :data:`imports.STALE_AFTER`: the sweep's to withdraw. Its batch id."""

    class Died(BaseException):
        pass

    def die():
        raise Died

    rng = random.Random(7)
    with monkeypatch.context() as m:
        m.setattr(imports, "withdraw", lambda uow, batch_id: None)  # no chance to
        m.setattr(imports, "CHUNK", 3)
        m.setattr(imports, "CHUNK_MOST", 3)
        _between_chunks(m, die, at_call=3)
        with pytest.raises(Died):
            body = jsonl(make_order(rng, i) for i in range(n))
            bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(body))
    with rt.uow(write=True) as uow:
        old = now() - imports.STALE_AFTER - timedelta(seconds=1)
        uow.conn.execute(update(import_batches).values(touched_at=old))
        uow.commit()
        (batch,) = uow.conn.execute(import_batches.select()).all()
    assert batch.state == "open"
    return batch.id


def _withdrawals(rt, batch_id: str) -> list[int]:
    """The ledger's entries that log ``batch_id``'s withdrawal, read off the log itself."""
    with rt.uow() as uow:
        rows = uow.conn.execute(select(ledger_entries.c.idx, ledger_entries.c.data)).all()
    out = []
    for idx, data in rows:
        try:
            entry = json.loads(data)
        except ValueError:
            continue  # a document's entry, not an event
        if (
            isinstance(entry, dict)
            and entry.get("type") == imports.IMPORTS_ENTRY_TYPE
            and entry.get("batch") == batch_id
            and entry.get("action") == "withdrawn"
        ):
            out.append(idx)
    return out


def _another_writer_waits(rt) -> bool:
    """True once another writer is blocked behind the transaction the caller holds: on
    SQLite, queued at this process's write gate; on PostgreSQL, a backend of this database
    waiting for a lock (the batch's row)."""
    gate = gate_of(rt.engine)
    if gate is not None:
        return gate.waiting >= 1
    with rt.engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return waiting >= 1


def test_two_racing_sweeps_withdraw_an_abandoned_import_once(rt, parties, monkeypatch):
    """Two integrators (here two threads, each with its own connection) sweep at once: both
    find the same abandoned batch, and while the first holds its withdrawal's transaction
    open the second is already waiting to withdraw it too. The ledger logs one withdrawal;
    the batch's documents are gone. No sleep: a barrier lines the sweeps up after both have
    read the batch as abandoned, and the first goes on only once the second is seen waiting
    (the write gate's queue on SQLite, ``pg_stat_activity`` on PostgreSQL) — or is seen
    withdrawing it too, which is the race lost. No app runs: its integrator would sweep too.
    """
    batch_id = _abandon_an_import(rt, parties, monkeypatch)
    found = threading.Barrier(2, timeout=WAIT_LIMIT)
    real_stale, real_entries = BatchStore.stale, BatchStore.entries

    def stale(self, before):
        out = real_stale(self, before)
        found.wait()  # both sweeps have read the batch as abandoned
        return out

    withdrawing = []

    def entries(self, batch_id):  # called by a sweep that decided to log the withdrawal
        withdrawing.append(batch_id)
        deadline = time.monotonic() + WAIT_LIMIT
        # the other sweep is queued behind this one, or withdraws it as well
        while not (_another_writer_waits(rt) or len(withdrawing) > 1):
            assert time.monotonic() < deadline, "the second sweep never reached the batch"
            threading.Event().wait(0.005)
        return real_entries(self, batch_id)

    monkeypatch.setattr(BatchStore, "stale", stale)
    monkeypatch.setattr(BatchStore, "entries", entries)
    errors: list[BaseException] = []

    def sweep():
        try:
            imports.sweep(rt.uow())
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_LIMIT)
    assert not any(t.is_alive() for t in threads) and errors == []
    monkeypatch.undo()
    assert len(_withdrawals(rt, batch_id)) == 1
    with rt.uow() as uow:
        batch = BatchStore(uow.conn).get(batch_id)
        assert batch.state == "withdrawn" and batch.ledger_index == _withdrawals(rt, batch_id)[0]
        assert BatchStore(uow.conn).entries(batch_id) == []
        assert uow.conn.execute(select(documents.c.id)).all() == []


def test_an_idempotent_replay_after_chunks_changes_nothing(rt, client, parties, small_chunks):
    rng = random.Random(6)
    body = jsonl(make_order(rng, i) for i in range(7))
    first = bulk.import_documents(
        rt.uow(), parties["seller-a"].viewer, _request(body, idempotency_key="k-1")
    )
    again = bulk.import_documents(
        rt.uow(), parties["seller-a"].viewer, _request(body, idempotency_key="k-1")
    )
    assert first == again and first["created"] == 7
    assert count(client, parties["seller-a"]) == 7


def test_the_write_gate_serves_writers_in_arrival_order():
    """Three writers queue behind a holder; they get the gate in the order they asked."""
    gate = WriteGate(timeout_s=60)
    gate.acquire()
    order: list[int] = []
    threads = []
    for n in range(3):
        t = threading.Thread(target=lambda n=n: (gate.acquire(), order.append(n), gate.release()))
        t.start()
        threads.append(t)
        deadline = now() + timedelta(seconds=60)
        while gate.waiting < n + 1:  # wait until this one is queued before starting the next
            assert now() < deadline
            threading.Event().wait(0.001)
    gate.release()
    for t in threads:
        t.join()
    assert order == [0, 1, 2]


def test_the_write_gate_refuses_after_its_timeout_and_keeps_the_queue_moving():
    gate = WriteGate(timeout_s=60)
    gate.acquire()
    with pytest.raises(Busy):
        gate.acquire(timeout_s=0)
    assert gate.waiting == 0
    gate.release()
    gate.acquire(timeout_s=0)
    gate.release()


def test_the_collector_waits_while_a_chunk_is_checked_and_written(
    rt, parties, monkeypatch, small_chunks
):
    """A chunk is thousands of short-lived objects and no cycles: the cyclic collector is
    off while it is checked, sealed, decided and written — through the API's import and the
    in-process filing alike — and on again once the import ends (its full passes were an
    eighth of a bulk import, ``bench/ingest.py``)."""
    seen: list[tuple[str, bool]] = []
    real_check, real_write = checking.check_chunk, filing.write_chunk

    def check(*args, **kwargs):
        seen.append(("check", gc.isenabled()))
        return real_check(*args, **kwargs)

    def write(*args, **kwargs):
        seen.append(("write", gc.isenabled()))
        return real_write(*args, **kwargs)

    monkeypatch.setattr(checking, "check_chunk", check)
    monkeypatch.setattr(filing, "check_chunk", check)
    monkeypatch.setattr(filing, "write_chunk", write)
    assert gc.isenabled()
    body = jsonl(make_order(random.Random(9), i) for i in range(7))
    assert (
        bulk.import_documents(rt.uow(), parties["seller-a"].viewer, _request(body))["created"] == 7
    )
    assert gc.isenabled()
    assert [s for s in seen if s[0] == "write"] == [("write", False)] * 3  # 3 + 3 + 1 rows
    assert all(not enabled for _, enabled in seen)
    seen.clear()
    rows = [make_order(random.Random(10), 100 + i) for i in range(5)]
    with rt.uow(write=True) as uow:
        report = filing.file_documents(
            uow.repo, rt.vault, parties["seller-a"].viewer, KINDS["order"], enumerate(rows, 1)
        )
        uow.commit()
    assert len(report.created) == 5 and gc.isenabled()
    assert seen and all(not enabled for _, enabled in seen)
