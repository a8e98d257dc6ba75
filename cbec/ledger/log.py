"""The durable log's logic — append, integrate, checkpoint, prove, check — over a store.

Storage is the SQL database cbec already runs on (SQLite or PostgreSQL), behind the
:class:`LogStore` protocol (``cbec.store.ledger_store`` implements it). Why not files of our
own: a trade document and its log entry then commit in **one transaction**, so there is no
moment where a document is acknowledged but not logged, or logged but not stored; crash
safety is the database's WAL (SQLite ``synchronous=FULL``, PostgreSQL ``synchronous_commit``)
rather than a second recovery protocol; and one backup covers both. Speed comes from
batching: many entries per transaction and per ``executemany``.

Two steps, as in Trillian/Tessera:

1. **append** — entries get consecutive indexes and their leaf hashes, durably, at commit;
2. **integrate** — a batch of appended entries is folded into the tree: the new complete
   subtrees (levels >= 1) are stored, and the integrated size moves forward in the same
   transaction. Only the O(log n) hashes of the :class:`CompactRange` are in memory.

A checkpoint (c2sp.org/tlog-checkpoint, signed note) is signed over the integrated tree at
most every ``min_interval`` and before ``max_entries`` more entries go unsigned; before
signing, the new tree is proven consistent with the previous checkpoint, so the log never
signs a fork of itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cbec.ledger import merkle
from cbec.ledger.compact import CompactRange, frontier_ids
from cbec.ledger.merkle import Hasher, ProofError
from cbec.ledger.note import Checkpoint, open_checkpoint, sign_checkpoint

NodeId = tuple[int, int]  # (level, index); level 0 is a leaf hash


@dataclass(frozen=True)
class LogState:
    origin: str
    hash_name: str
    size: int  # entries appended (durable)
    integrated: int  # entries folded into the stored tree


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    signed_at: datetime


@dataclass(frozen=True)
class Entry:
    index: int
    content_type: str
    data: bytes
    leaf_hash: bytes


class NodeReader(Protocol):
    """What proofs read: the log's state and stored nodes by key. :class:`LogStore` has it;
    so does a store's read-only fast path (``cbec.store.ledger_store.SqliteProofReader``)."""

    def state(self, lock: bool = False) -> LogState | None: ...
    def nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]: ...


class LogStore(Protocol):
    def state(self, lock: bool = False) -> LogState | None: ...
    def create(self, origin: str, hash_name: str) -> LogState: ...
    def advance(self, count: int) -> LogState | None: ...
    def set_integrated(self, integrated: int) -> None: ...
    def insert_entries(self, entries: Sequence[Entry]) -> None: ...
    def leaf_hashes(self, start: int, end: int) -> list[bytes]: ...
    def insert_nodes(self, nodes: Sequence[tuple[int, int, bytes]]) -> None: ...
    def nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]: ...
    def entry(self, index: int) -> Entry | None: ...
    def entries(self, start: int, end: int) -> list[Entry]: ...
    def stored_nodes(
        self, start_level: int, after: NodeId | None, limit: int
    ) -> list[tuple[int, int, bytes]]: ...
    def latest_checkpoint(self) -> StoredCheckpoint | None: ...
    def checkpoints(self) -> list[StoredCheckpoint]: ...
    def add_checkpoint(self, cp: StoredCheckpoint) -> None: ...


class LedgerError(Exception):
    """The log cannot do what was asked (wrong hash for an existing log, size out of range)."""


def open_log(store: LogStore, origin: str, hasher: Hasher) -> LogState:
    """The log's state, creating it on first use; its hash is fixed at creation."""
    state = store.state()
    if state is None:
        return store.create(origin, hasher.name)
    if state.hash_name != hasher.name:
        raise LedgerError(f"the log was created with {state.hash_name}, not {hasher.name}")
    if state.origin != origin:
        raise LedgerError(f"the log's origin is {state.origin!r}, not {origin!r}")
    return state


def append(store: LogStore, hasher: Hasher, items: Sequence[tuple[str, bytes]]) -> list[int]:
    """Give ``items`` (content type, data) the next indexes; durable when the caller commits."""
    if not items:
        return []
    # One statement reserves the indexes, reads the state and locks it (serialising appenders)
    state = store.advance(len(items))
    if state is None:
        raise LedgerError("the log does not exist yet")
    first = state.size - len(items)
    store.insert_entries(
        [
            Entry(first + i, content_type, data, hasher.leaf(data))
            for i, (content_type, data) in enumerate(items)
        ]
    )
    return list(range(first, first + len(items)))


def compact_range(store: LogStore, hasher: Hasher, size: int) -> CompactRange:
    ids = frontier_ids(size)
    found = store.nodes(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise LedgerError(f"stored tree is missing nodes {missing} of size {size}")
    return CompactRange(size, [found[i] for i in ids], hasher)


def integrate(
    store: LogStore, hasher: Hasher, batch: int = 50_000, limit: int | None = None
) -> tuple[int, int]:
    """Fold appended entries into the tree, ``batch`` leaves per round and at most ``limit``
    in this call; returns (integrated before, integrated after). Memory: the compact range
    and one batch. A caller that commits after each limited call holds the write lock for
    one bounded step at a time instead of for the whole backlog."""
    state = store.state(lock=True)
    if state is None:
        return 0, 0
    before = state.integrated
    target = state.size if limit is None else min(state.size, before + limit)
    rng = compact_range(store, hasher, before)
    pending: list[tuple[int, int, bytes]] = []

    def keep(level: int, index: int, h: bytes) -> None:
        pending.append((level, index, h))

    while rng.size < target:
        end = min(target, rng.size + batch)
        rng.extend(store.leaf_hashes(rng.size, end), keep)
        store.insert_nodes(pending)
        pending.clear()
    store.set_integrated(rng.size)
    return before, rng.size


# --- proofs over the stored tree -------------------------------------------------------


class _Recorder:
    """A node source that only notes which nodes a proof needs (first pass)."""

    def __init__(self, hasher: Hasher) -> None:
        self.ids: list[NodeId] = []
        self.zero = bytes(hasher.digest_size)

    def node(self, level: int, index: int) -> bytes:
        self.ids.append((level, index))
        return self.zero


class _Fetched:
    def __init__(self, found: dict[NodeId, bytes]) -> None:
        self.found = found

    def node(self, level: int, index: int) -> bytes:
        try:
            return self.found[(level, index)]
        except KeyError:
            raise LedgerError(f"stored tree is missing node ({level}, {index})") from None


def _with_nodes(store: LogStore, hasher: Hasher, compute):
    """Run ``compute(source)`` twice: once to learn the nodes, once with them fetched in one
    query (a proof needs O(log n) nodes; fetching them one by one costs a round trip each)."""
    recorder = _Recorder(hasher)
    compute(recorder)
    return compute(_Fetched(store.nodes(recorder.ids)))


def _check_integrated(store: NodeReader, *sizes: int) -> LogState:
    state = store.state()
    if state is None:
        raise LedgerError("the log is empty")
    for size in sizes:
        if not 0 <= size <= state.integrated:
            raise LedgerError(f"size {size} is beyond the integrated tree ({state.integrated})")
    return state


def root(store: LogStore, hasher: Hasher, size: int) -> bytes:
    _check_integrated(store, size)
    return _with_nodes(store, hasher, lambda src: merkle.root_at(size, src, hasher))


def inclusion_proof(store: NodeReader, hasher: Hasher, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) (RFC 6962 §2.1.1) from the stored tree: the nodes it needs are
    worked out first (:func:`merkle.inclusion_plan`), read in one query, then assembled —
    a proof is ~20 nodes, and asking for them one at a time cost a round trip each."""
    _check_integrated(store, size)
    if not 0 <= index < size:
        raise LedgerError(f"index {index} is not in a tree of size {size}")
    plan = merkle.inclusion_plan(index, size)
    found = store.nodes([node for ids in plan for node in ids])
    try:
        return merkle.inclusion_proof_from_plan(plan, found, hasher)
    except KeyError as exc:
        level, at = exc.args[0]
        raise LedgerError(f"stored tree is missing node ({level}, {at})") from None


def consistency_proof(store: LogStore, hasher: Hasher, size1: int, size2: int) -> list[bytes]:
    _check_integrated(store, size1, size2)
    if size1 > size2:
        raise LedgerError(f"size1 {size1} is larger than size2 {size2}")
    return _with_nodes(
        store, hasher, lambda src: merkle.consistency_proof_at(size1, size2, src, hasher)
    )


# --- checkpoints -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointPolicy:
    min_interval_ms: int = 1000  # at most one checkpoint per interval …
    max_entries: int = 10_000  # … unless this many entries would go unsigned


def checkpoint_due(
    state: LogState, last: StoredCheckpoint | None, now: datetime, policy: CheckpointPolicy
) -> bool:
    if state.integrated == 0 and last is None:
        return True  # the empty log gets its first checkpoint at once
    if last is not None and state.integrated == last.size:
        return False
    unsigned = state.integrated - (last.size if last else 0)
    if last is None or unsigned >= policy.max_entries:
        return True
    return (now - last.signed_at).total_seconds() * 1000 >= policy.min_interval_ms


def sign_next(
    store: LogStore, hasher: Hasher, skeys: Sequence[str], vkeys: Sequence[str], now: datetime
) -> StoredCheckpoint:
    """Sign a checkpoint of the integrated tree, after proving it extends the last one."""
    state = store.state(lock=True)
    if state is None:
        raise LedgerError("the log does not exist yet")
    last = store.latest_checkpoint()
    size = state.integrated
    new_root = compact_range(store, hasher, size).root()
    if last is not None:
        if size < last.size:
            raise LedgerError(f"integrated size {size} is below the last checkpoint {last.size}")
        proof = consistency_proof(store, hasher, last.size, size)
        try:
            merkle.verify_consistency(last.size, size, proof, last.root, new_root, hasher)
        except ProofError as exc:
            raise LedgerError(
                f"refusing to sign: tree is not consistent with checkpoint {last.size}: {exc}"
            ) from exc
    note = sign_checkpoint(Checkpoint(state.origin, size, new_root), *skeys)
    open_checkpoint(note, vkeys)  # never store a checkpoint our own verifier would reject
    cp = StoredCheckpoint(size, new_root, note, now)
    store.add_checkpoint(cp)
    return cp


# --- fsck ------------------------------------------------------------------------------


def fsck(store: LogStore, hasher: Hasher, vkeys: Sequence[str], batch: int = 50_000) -> list[str]:
    """Re-derive every stored node and every checkpoint's root from the entries; list every
    mismatch (empty list = healthy). Reads the entries once, in batches."""
    problems: list[str] = []
    state = store.state()
    if state is None:
        return problems
    derived: dict[NodeId, bytes] = {}
    checkpoints = {cp.size: cp for cp in store.checkpoints()}
    rng = CompactRange(0, (), hasher)
    if 0 in checkpoints and checkpoints[0].root != hasher.empty_root:
        problems.append("checkpoint 0: root is not the empty-tree hash")

    def check_nodes(force: bool = False) -> None:
        if not derived or (len(derived) < batch and not force):
            return
        levels: dict[int, list[int]] = {}
        for level, index in derived:
            levels.setdefault(level, []).append(index)
        for level, indexes in sorted(levels.items()):
            stored = store.node_range(level, min(indexes), max(indexes))
            for index in sorted(indexes):
                if stored.get(index) != derived[(level, index)]:
                    what = "is missing" if index not in stored else "differs"
                    problems.append(
                        f"node ({level}, {index}): stored hash {what} from the one derived "
                        "from entries"
                    )
        derived.clear()

    index = 0
    while index < state.size:
        entries = store.entries(index, min(state.size, index + batch))
        if not entries:
            problems.append(f"entries {index}..{state.size - 1} are missing")
            break
        for e in entries:
            if e.index != index:
                problems.append(f"entry {index} is missing (found {e.index})")
                index = e.index
            if hasher.leaf(e.data) != e.leaf_hash:
                problems.append(
                    f"entry {e.index}: stored leaf hash differs from the hash of its data"
                )
            if e.index < state.integrated:
                rng.append(hasher.leaf(e.data), lambda lv, ix, h: derived.__setitem__((lv, ix), h))
                if rng.size in checkpoints:
                    check_nodes(force=True)
                    if rng.root() != checkpoints[rng.size].root:
                        problems.append(f"checkpoint {rng.size}: root differs from the entries")
            index += 1
        check_nodes()
    check_nodes(force=True)
    expected_nodes = state.integrated - bin(state.integrated).count("1")  # complete, level >= 1
    if store.count_nodes() != expected_nodes:
        problems.append(
            f"{store.count_nodes()} inner nodes are stored; "
            f"a tree of {state.integrated} has {expected_nodes}"
        )
    for cp in checkpoints.values():
        try:
            parsed, _ = open_checkpoint(cp.note, vkeys)
        except Exception as exc:
            problems.append(f"checkpoint {cp.size}: signature does not verify: {exc}")
            continue
        if parsed.size != cp.size or parsed.root_hash != cp.root or parsed.origin != state.origin:
            problems.append(
                f"checkpoint {cp.size}: signed note does not match the stored size/root"
            )
        if cp.size > state.integrated:
            problems.append(
                f"checkpoint {cp.size}: beyond the integrated tree ({state.integrated})"
            )
    return problems
