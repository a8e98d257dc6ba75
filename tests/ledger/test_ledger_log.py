"""The durable log on the configured database (SQLite, or PostgreSQL in CI's second pass):
append/integrate in any batching gives the reference tree; stored-node proofs equal the
reference ones; checkpoints are never inconsistent; fsck finds tampering."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from cbec.config import Settings
from cbec.ledger import log, merkle
from cbec.ledger.log import CheckpointPolicy, LedgerError, LogState, StoredCheckpoint
from cbec.ledger.note import open_checkpoint
from cbec.runtime import open_runtime
from cbec.store.ledger_store import SqlLogStore
from cbec.store.tables import ledger_entries, ledger_nodes
from tests.conftest import ON_POSTGRES, TEST_KEY_SETTINGS, file_bytes, sqlite_path, write_file_bytes


def data(i: int) -> bytes:
    return f"entry-{i}".encode()


def test_batched_appends_and_integrations_give_the_reference_tree(rt):
    rng = random.Random(5)
    n, leaves = 0, []
    for _ in range(12):
        batch = [("text/plain", data(n + i)) for i in range(rng.randint(1, 40))]
        indexes = rt.ledger.append(batch)
        assert indexes == list(range(n, n + len(batch)))
        leaves += [merkle.leaf_hash(d) for _, d in batch]
        n += len(batch)
        if rng.random() < 0.5:
            rt.ledger.integrate(force_checkpoint=rng.random() < 0.5)
    rt.ledger.integrate(force_checkpoint=True)
    cp = rt.ledger.latest_checkpoint()
    assert cp.size == n
    assert cp.root == merkle.root_from_leaf_hashes(leaves)
    for index in range(n):
        assert rt.ledger.inclusion_proof(index, n) == merkle.inclusion_proof(index, n, leaves)
    checkpoints = [c.size for c in _store_checkpoints(rt)]
    for size1 in checkpoints:
        assert rt.ledger.consistency_proof(size1, n) == merkle.consistency_proof(size1, n, leaves)
    assert rt.ledger.fsck() == []


def _store_checkpoints(rt) -> list[StoredCheckpoint]:
    with rt.uow() as uow:
        return SqlLogStore(uow.conn).checkpoints()


def test_every_checkpoint_verifies_and_extends_the_previous(rt):
    for i in range(6):
        rt.ledger.append([("text/plain", data(j)) for j in range(i * 7, i * 7 + 7)])
        rt.ledger.integrate(force_checkpoint=True)
    cps = _store_checkpoints(rt)
    assert [c.size for c in cps] == [7, 14, 21, 28, 35, 42]
    for a, b in itertools.pairwise(cps):
        parsed, signers = open_checkpoint(b.note, rt.ledger.vkeys)
        assert parsed.origin == rt.ledger.origin and signers == [rt.ledger.origin]
        proof = rt.ledger.consistency_proof(a.size, b.size)
        merkle.verify_consistency(a.size, b.size, proof, a.root, b.root)


def test_checkpoint_policy():
    policy = CheckpointPolicy(min_interval_ms=1000, max_entries=100)
    t = datetime(2026, 1, 1, tzinfo=UTC)
    last = StoredCheckpoint(10, b"r" * 32, "", t)
    state = lambda n: LogState("o", "sha256", n, n)  # noqa: E731
    assert log.checkpoint_due(LogState("o", "sha256", 0, 0), None, t, policy)
    assert not log.checkpoint_due(state(10), last, t + timedelta(hours=1), policy)  # no growth
    assert not log.checkpoint_due(state(11), last, t + timedelta(milliseconds=999), policy)
    assert log.checkpoint_due(state(11), last, t + timedelta(milliseconds=1000), policy)
    assert log.checkpoint_due(state(110), last, t + timedelta(milliseconds=1), policy)


def test_refuses_to_sign_a_tree_inconsistent_with_the_last_checkpoint(rt):
    rt.ledger.append([("text/plain", data(i)) for i in range(5)])
    rt.ledger.integrate(force_checkpoint=True)
    rt.ledger.append([("text/plain", data(i)) for i in range(5, 9)])
    rt.ledger.integrate(force_checkpoint=False)
    with rt.engine.begin() as conn:  # rewrite history below the checkpoint
        conn.execute(
            ledger_entries.update()
            .where(ledger_entries.c.idx == 2)
            .values(leaf_hash=merkle.leaf_hash(b"forged"))
        )
        conn.execute(ledger_nodes.delete().where(ledger_nodes.c.level >= 1))
        store = SqlLogStore(conn)
        store.set_integrated(0)
        log.integrate(store, merkle.SHA256)
    with pytest.raises(LedgerError, match="not consistent with checkpoint 5"):
        rt.ledger.integrate(force_checkpoint=True)
    problems = rt.ledger.fsck()
    assert "entry 2: stored leaf hash differs from the hash of its data" in problems
    assert any(p.startswith("node (") for p in problems)  # the nodes built on the forgery


def test_fsck_catches_a_flipped_byte_on_disk(rt):
    rt.ledger.append([("text/plain", data(i)) for i in range(300)])
    rt.ledger.integrate(force_checkpoint=True)
    assert rt.ledger.fsck() == []
    with rt.uow() as uow:
        target = SqlLogStore(uow.conn).nodes([(3, 5)])[(3, 5)]
    path = sqlite_path(rt.settings.resolved_database_url())
    if path is not None:  # flip one bit in the database file itself
        rt.engine.dispose()
        with rt.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        rt.engine.dispose()
        raw = bytearray(file_bytes(path))
        at = raw.find(target)
        assert at > 0, "node hash not found in the file"
        raw[at + 7] ^= 0x01
        write_file_bytes(path, bytes(raw))
    else:  # PostgreSQL: flip the same bit through SQL (its files are the server's)
        flipped = bytearray(target)
        flipped[7] ^= 0x01
        with rt.engine.begin() as conn:
            conn.execute(
                ledger_nodes.update()
                .where(ledger_nodes.c.level == 3, ledger_nodes.c.idx == 5)
                .values(hash=bytes(flipped))
            )
    problems = rt.ledger.fsck()
    assert problems == ["node (3, 5): stored hash differs from the one derived from entries"]


def test_hash_is_fixed_at_creation(rt):
    with rt.uow(write=True) as uow, pytest.raises(LedgerError, match="sha256, not sm3"):
        log.open_log(SqlLogStore(uow.conn), rt.ledger.origin, merkle.SM3)


@pytest.mark.skipif(ON_POSTGRES, reason="a fresh SQLite log with SM3")
def test_sm3_log_end_to_end(tmp_path):
    from cbec.ledger.verify import verify_bundle

    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'sm3.db'}",
        **TEST_KEY_SETTINGS,
        ledger_hash="sm3",
    )
    rt = open_runtime(settings)
    rt.ledger.append([("text/plain", data(i)) for i in range(37)])
    cp = rt.ledger.integrate(force_checkpoint=True)
    leaves = [merkle.leaf_hash(data(i), merkle.SM3) for i in range(37)]
    assert cp.root == merkle.root_from_leaf_hashes(leaves, merkle.SM3)
    bundle = rt.ledger.bundle(20)
    assert verify_bundle(bundle, rt.ledger.vkeys, hash_name="sm3").ok
    assert not verify_bundle(bundle, rt.ledger.vkeys, hash_name="sha256").ok
    assert rt.ledger.fsck() == []
    rt.engine.dispose()


def test_concurrent_single_appends_share_commits_and_get_distinct_durable_indexes(rt):
    import threading

    got: dict[int, bytes] = {}
    lock = threading.Lock()

    def worker(w):
        for i in range(50):
            data = f"w{w}-{i}".encode()
            index = rt.ledger.append_one("text/plain", data)
            with lock:
                got[index] = data

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(400))
    for index, data in got.items():  # what each caller was told is what is stored
        assert rt.ledger.entry(index).data == data
    rt.ledger.integrate(force_checkpoint=True)
    assert rt.ledger.fsck() == []
