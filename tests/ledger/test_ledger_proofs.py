"""Inclusion proofs from the stored tree (the nodes worked out first, read in one query, then
assembled) against an oracle of our own: RFC 6962 §2.1.1's PATH recomputed in memory from
every leaf with bare ``hashlib``, for sizes and indexes at the edges (size 1, the last
index, powers of two and their neighbours) and at random. Both read paths are checked — the
unit of work's :class:`SqlLogStore` and, on SQLite, the DB-API reader ``Ledger`` uses — and
so is the number of statements a proof sends, which must not grow with the tree."""

from __future__ import annotations

import hashlib
import random

import pytest

from cbec.ledger import log, merkle
from cbec.ledger.log import LedgerError
from cbec.store.ledger_store import SqlLogStore, sqlite_proof_reader
from tests.conftest import ON_POSTGRES
from tests.statements import by_shape, described, sqlite_statements, statements

N = 300  # leaves in the log: several levels, a ragged right edge (300 = 256 + 32 + 8 + 4)


def _sha(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def _mth(d: list[bytes]) -> bytes:
    """MTH over leaf hashes (RFC 6962 §2.1), written out again here as the oracle."""
    if len(d) == 1:
        return d[0]
    k = 1 << ((len(d) - 1).bit_length() - 1)
    return _sha(b"\x01" + _mth(d[:k]) + _mth(d[k:]))


def _path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (RFC 6962 §2.1.1), leaf first."""
    if len(d) == 1:
        return []
    k = 1 << ((len(d) - 1).bit_length() - 1)
    if m < k:
        return [*_path(m, d[:k]), _mth(d[k:])]
    return [*_path(m - k, d[k:]), _mth(d[:k])]


def _pairs(n: int, rng: random.Random) -> list[tuple[int, int]]:
    sizes = {1, 2, 3, n - 1, n}
    for p in range(n.bit_length()):
        sizes |= {(1 << p) - 1, 1 << p, (1 << p) + 1}
    sizes |= {rng.randint(1, n) for _ in range(25)}
    out = set()
    for size in sorted(s for s in sizes if 1 <= s <= n):
        out |= {(0, size), (size - 1, size), (size // 2, size), (rng.randrange(size), size)}
        if size > 1:
            out |= {(size - 2, size), ((size - 1) & ~1, size)}
    return sorted(out)


@pytest.fixture
def leaves(rt) -> list[bytes]:
    items = [("text/plain", f"proof-{i}".encode()) for i in range(N)]
    for start in range(0, N, 97):  # several integrations: nodes stored round by round
        rt.ledger.append(items[start : start + 97])
        rt.ledger.integrate()
    rt.ledger.integrate(force_checkpoint=True)
    return [_sha(b"\x00" + data) for _, data in items]


def test_plan_names_exactly_the_nodes_the_node_by_node_walk_reads():
    class Recorder:
        def __init__(self) -> None:
            self.ids: list[tuple[int, int]] = []

        def node(self, level: int, index: int) -> bytes:
            self.ids.append((level, index))
            return bytes(32)

    rng = random.Random(7)
    sizes = [*range(1, 130), *(rng.randrange(1, 1 << 40) for _ in range(200))]
    for size in sizes:
        for index in {0, size - 1, size // 2, rng.randrange(size)}:
            rec = Recorder()
            merkle.inclusion_proof_at(index, size, rec)
            plan = merkle.inclusion_plan(index, size)
            assert sorted(i for ids in plan for i in ids) == sorted(rec.ids), (index, size)
            assert len(plan) == len(merkle.inclusion_proof_at(index, size, rec))
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_plan(3, 3)


def test_stored_proofs_equal_the_oracle_for_edge_and_random_pairs(rt, leaves):
    pairs = _pairs(N, random.Random(16))
    assert (0, 1) in pairs and (N - 1, N) in pairs and (127, 128) in pairs and (128, 129) in pairs
    roots = {size: _mth(leaves[:size]) for _, size in pairs}
    with rt.uow() as uow:
        store = SqlLogStore(uow.conn)
        by_store = {(i, s): log.inclusion_proof(store, merkle.SHA256, i, s) for i, s in pairs}
    for index, size in pairs:
        expected = _path(index, leaves[:size])
        assert rt.ledger.inclusion_proof(index, size) == expected, (index, size)
        assert by_store[(index, size)] == expected, (index, size)
        merkle.verify_inclusion(leaves[index], index, size, expected, roots[size])


@pytest.mark.skipif(ON_POSTGRES, reason="the DB-API reader is SQLite's")
def test_sqlite_reader_and_unit_of_work_read_the_same_nodes(rt, leaves):
    ids = [(0, 0), (0, N - 1), (1, 3), (5, 2), (8, 0), (8, 1), (3, 99), (0, N)]  # last two absent
    with rt.uow() as uow:
        via_uow = SqlLogStore(uow.conn).nodes(ids)
    with sqlite_proof_reader(rt.engine) as reader:
        via_dbapi = reader.nodes(ids)
        assert reader.state() == rt.ledger.state()
        with pytest.raises(ValueError, match="read-only"):
            reader.state(lock=True)
    assert via_dbapi == via_uow
    assert set(via_uow) == set(ids[:-3])
    assert via_uow[(0, N - 1)] == leaves[N - 1]
    assert via_uow[(8, 0)] == _mth(leaves[:256])
    many = [(0, i) for i in range(N)] + [(1, i) for i in range(N // 2)]  # more than a chunk
    with sqlite_proof_reader(rt.engine) as reader:
        assert len(reader.nodes(many)) == len(many)


def test_proof_errors_are_unchanged(rt, leaves):
    with pytest.raises(LedgerError, match="beyond the integrated tree"):
        rt.ledger.inclusion_proof(0, N + 1)
    with pytest.raises(LedgerError, match=f"index {N} is not in a tree of size {N}"):
        rt.ledger.inclusion_proof(N, N)
    with pytest.raises(LedgerError, match="index -1"):
        rt.ledger.inclusion_proof(-1, 5)


def test_missing_stored_node_is_named(leaves):
    class Holey:
        def __init__(self, state: log.LogState) -> None:
            self._state = state

        def state(self, lock: bool = False) -> log.LogState:
            return self._state

        def nodes(self, ids):
            return {i: bytes(32) for i in ids if i != (2, 1)}

    store = Holey(log.LogState("o", "sha256", N, N))
    with pytest.raises(LedgerError, match=r"missing node \(2, 1\)"):
        log.inclusion_proof(store, merkle.SHA256, 0, 16)


def test_statements_per_proof_do_not_grow_with_the_tree(rt, leaves):
    # through the unit of work (PostgreSQL's path): the state, then one read of the nodes
    for index, size in [(0, 1), (5, 8), (N - 1, N), (100, 257)]:
        with statements(rt.engine) as seen, rt.uow() as uow:
            log.inclusion_proof(SqlLogStore(uow.conn), merkle.SHA256, index, size)
        shapes = by_shape(seen)
        reads = [s for s in seen if "ledger_nodes" in s or "ledger_entries" in s]
        assert shapes["SELECT ledger_state"] == 1, described(seen)
        assert len(reads) <= 1, described(seen)  # none for size 1: the proof is empty
        assert len(seen) <= 3, described(seen)  # + SQLite's BEGIN
    if ON_POSTGRES:
        return
    # Ledger.inclusion_proof on SQLite: BEGIN, the state, the nodes, ROLLBACK
    for index, size in [(5, 8), (N - 1, N), (100, 257)]:
        with sqlite_statements(rt.engine) as seen:
            rt.ledger.inclusion_proof(index, size)
        reads = [s for s in seen if "ledger_nodes" in s or "ledger_entries" in s]
        assert len(reads) == 1, seen
        assert len(seen) <= 4, seen
