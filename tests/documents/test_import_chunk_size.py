"""An import's write transactions grow while nobody waits for them and shrink back to
:data:`cbec.services.imports.CHUNK` as soon as another writer does (issue #16: fewer
commits for an import alone, the writer queue still interleaving the others)."""

from __future__ import annotations

import random
import threading
import time

import pytest

from cbec.services import bulk, imports
from cbec.store.gate import gate_of
from cbec.trade import checking, filing
from tests.conftest import make_order
from tests.documents.test_import import count, jsonl

WAIT_LIMIT = 120.0  # bounds a hang only: every wait ends as soon as its signal is seen


def test_the_sizer_doubles_when_quick_drops_when_waited_for_and_halves_when_slow(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 50)
    monkeypatch.setattr(imports, "CHUNK_MOST", 1000)
    monkeypatch.setattr(imports, "HOLD_BUDGET_S", 0.05)
    sizer = imports.ChunkSizer()
    assert sizer.size == 50
    quick = [sizer.after(0.001, 0) for _ in range(6)]
    assert quick == [100, 200, 400, 800, 1000, 1000]  # doubled, capped at CHUNK_MOST
    assert sizer.after(0.03, 0) == 1000  # between half the budget and the budget: kept
    assert sizer.after(0.08, 0) == 500  # over the budget: halved
    assert sizer.after(0.001, 1) == 50  # someone waited: the least at once
    assert sizer.after(0.5, 0) == 50  # never below the least


def test_the_least_is_also_the_most_when_a_test_or_deployment_sets_only_chunk(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2000)
    sizer = imports.ChunkSizer()
    assert (sizer.size, sizer.after(0.0, 0)) == (2000, 2000)


def _sizes(monkeypatch) -> list[int]:
    """The size each chunk of an import asks for, in order."""
    real = checking.check_chunk
    sizes: list[int] = []

    def spy(*args, **kwargs):
        sizes.append(args[8])  # check_chunk(repo, vault, viewer, kind, rows, report, tenants,
        return real(*args, **kwargs)  # skip, size, kept)

    monkeypatch.setattr(checking, "check_chunk", spy)
    return sizes


@pytest.fixture
def growing(monkeypatch):
    """Chunks from 2 to 8 documents, and no transaction too long."""
    monkeypatch.setattr(imports, "CHUNK", 2)
    monkeypatch.setattr(imports, "CHUNK_MOST", 8)
    monkeypatch.setattr(imports, "HOLD_BUDGET_S", float("inf"))


def _import(rt, parties, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    body = jsonl(make_order(rng, i) for i in range(n))
    request = bulk.ImportRequest(kind="order", body=body.encode())
    return bulk.import_documents(rt.uow(), parties["seller-a"].viewer, request)


def test_an_import_nobody_waits_for_writes_ever_larger_chunks(
    rt, client, parties, monkeypatch, growing
):
    sizes = _sizes(monkeypatch)
    written: list[int] = []
    real = filing.write_chunk

    def recording(repo, vault, viewer, kind, chunk, *args, **kwargs):
        written.append(len(chunk))
        return real(repo, vault, viewer, kind, chunk, *args, **kwargs)

    monkeypatch.setattr(filing, "write_chunk", recording)
    assert _import(rt, parties, 20, 11)["created"] == 20
    assert written == [2, 4, 8, 6]  # one transaction each
    assert sizes == [2, 4, 8, 8, 8]  # the last ask finds the rows exhausted
    assert count(client, parties["seller-a"]) == 20


def test_a_writer_waiting_for_an_import_shrinks_its_next_chunk_to_the_least(
    rt, client, parties, monkeypatch, growing
):
    gate = gate_of(rt.engine)
    if gate is None:
        pytest.skip("the gate queues SQLite's writers; PostgreSQL has none to count")
    sizes = _sizes(monkeypatch)
    real = filing.write_chunk
    calls = {"n": 0}
    other: dict[str, int] = {}
    threads: list[threading.Thread] = []

    def single() -> None:
        doc = make_order(random.Random(99), 999) | {"order_no": "SINGLE-1"}
        r = client.post("/orders", json=doc, headers=parties["seller-a"].headers)
        other["status"] = r.status_code

    def contended(repo, vault, viewer, kind, chunk, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the import holds the write lock: a single order queues behind it
            threads.append(threading.Thread(target=single))
            threads[0].start()
            deadline = time.monotonic() + WAIT_LIMIT
            while gate.waiting < 1:
                assert time.monotonic() < deadline, "the single order never queued"
                time.sleep(0.001)
        return real(repo, vault, viewer, kind, chunk, *args, **kwargs)

    monkeypatch.setattr(filing, "write_chunk", contended)
    summary = _import(rt, parties, 24, 12)
    threads[0].join(WAIT_LIMIT)
    assert summary["created"] == 24 and other == {"status": 201}
    # grew 2, 4, 8; the third transaction was waited for: back to 2, then growing again
    assert sizes[:6] == [2, 4, 8, 2, 4, 8]
    assert count(client, parties["seller-a"]) == 25
