"""SQL implementation of :class:`cbec.ledger.log.LogStore` (SQLite and PostgreSQL)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from cbec.ledger.log import Entry, LogState, NodeId, StoredCheckpoint
from cbec.store.kept_readers import readers_of
from cbec.store.prepared import Prepared
from cbec.store.tables import ledger_checkpoints, ledger_entries, ledger_nodes, ledger_state
from cbec.trade.ports import now

_CHUNK = 400  # ids per IN (...) query; keeps well under SQLite's variable limit

_STATE_SQL = "SELECT origin, hash_name, size, integrated FROM ledger_state WHERE id = 1"

# Stored nodes by key in one statement: level 0 from the entries, the others from the nodes.
# PostgreSQL: one text for any number of ids (arrays). SQLite: the ids as a VALUES list joined
# on the nodes' primary key (a row-value ``(level, idx) IN (...)`` would scan the table).
_PG_NODES_SQL = (
    "SELECT 0 AS level, idx, leaf_hash FROM ledger_entries"
    " WHERE idx = ANY(CAST(%(leaves)s AS bigint[]))"
    " UNION ALL SELECT n.level, n.idx, n.hash"
    " FROM unnest(CAST(%(levels)s AS smallint[]), CAST(%(idxs)s AS bigint[])) AS w(level, idx)"
    " JOIN ledger_nodes AS n ON n.level = w.level AND n.idx = w.idx"
)


def _chunks(ids: Iterable[NodeId]) -> Iterator[tuple[list[int], list[NodeId]]]:
    """The distinct ``ids`` by :data:`_CHUNK`, each as (entry indexes, inner node ids)."""
    wanted = list(dict.fromkeys(ids))
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        yield [ix for lv, ix in chunk if lv == 0], [(lv, ix) for lv, ix in chunk if lv > 0]


def _sqlite_nodes_query(leaves: list[int], inner: list[NodeId]) -> tuple[str, tuple[int, ...]]:
    params = (*leaves, *(x for pair in inner for x in pair))
    return _sqlite_nodes_sql(len(leaves), len(inner)), params


@functools.lru_cache(maxsize=256)
def _sqlite_nodes_sql(leaves: int, inner: int) -> str:
    """SQLite's text for ``leaves`` entry ids then ``inner`` (level, idx) pairs (qmark)."""
    parts = []
    if leaves:
        marks = ", ".join("?" * leaves)
        parts.append(f"SELECT 0, idx, leaf_hash FROM ledger_entries WHERE idx IN ({marks})")
    if inner:
        pairs = ", ".join(["(?, ?)"] * inner)
        parts.append(
            f"SELECT n.level, n.idx, n.hash FROM (VALUES {pairs}) AS w"
            " JOIN ledger_nodes AS n ON n.level = w.column1 AND n.idx = w.column2"
        )
    return " UNION ALL ".join(parts)


# Moving the appended size on, for every append: built once, the count bound at execution.
_ADVANCE = Prepared(  # on the DB-API cursor (cbec.store.prepared), as the entries' insert
    update(ledger_state)
    .where(ledger_state.c.id == 1)
    .values(size=ledger_state.c.size + bindparam("count"))
    .returning(
        ledger_state.c.origin,
        ledger_state.c.hash_name,
        ledger_state.c.size,
        ledger_state.c.integrated,
    )
)
_ADD_ENTRIES = Prepared(insert(ledger_entries))


class SqlLogStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def state(self, lock: bool = False) -> LogState | None:
        """The log's state row; ``lock`` holds it (``FOR UPDATE``) to the end of the
        transaction. Every read of the log asks for it first (each proof does), so the
        unlocked read is plain text rather than a Core statement built per call."""
        if lock:
            q = select(ledger_state).where(ledger_state.c.id == 1).with_for_update()
            row = self.conn.execute(q).first()
        else:
            row = self.conn.exec_driver_sql(_STATE_SQL).first()
        if row is None:
            return None
        return LogState(row.origin, row.hash_name, row.size, row.integrated)

    def create(self, origin: str, hash_name: str) -> LogState:
        self.conn.execute(
            insert(ledger_state).values(
                id=1, origin=origin, hash_name=hash_name, size=0, integrated=0, created_at=now()
            )
        )
        return LogState(origin, hash_name, 0, 0)

    def advance(self, count: int) -> LogState | None:
        """Move the appended size on by ``count`` and return the state after — one statement
        that reads, writes and locks the state row (UPDATE … RETURNING; the row lock
        serialises appenders as SELECT … FOR UPDATE would)."""
        row = _ADVANCE.first(self.conn, {"count": count})
        if row is None:
            return None
        return LogState(row.origin, row.hash_name, row.size, row.integrated)

    def set_integrated(self, integrated: int) -> None:
        self.conn.execute(
            update(ledger_state).where(ledger_state.c.id == 1).values(integrated=integrated)
        )

    def insert_entries(self, entries: Sequence[Entry]) -> None:
        if entries:
            _ADD_ENTRIES.many(
                self.conn,
                [
                    {
                        "idx": e.index,
                        "content_type": e.content_type,
                        "data": e.data,
                        "leaf_hash": e.leaf_hash,
                    }
                    for e in entries
                ],
            )

    def leaf_hashes(self, start: int, end: int) -> list[bytes]:
        q = (
            select(ledger_entries.c.leaf_hash)
            .where(ledger_entries.c.idx >= start, ledger_entries.c.idx < end)
            .order_by(ledger_entries.c.idx)
        )
        out = [bytes(h) for (h,) in self.conn.execute(q)]
        if len(out) != end - start:
            raise LookupError(f"entries {start}..{end - 1}: found {len(out)} of {end - start}")
        return out

    def insert_nodes(self, nodes: Sequence[tuple[int, int, bytes]]) -> None:
        if nodes:
            self.conn.execute(
                insert(ledger_nodes), [{"level": lv, "idx": ix, "hash": h} for lv, ix, h in nodes]
            )

    def nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        """The stored hashes of ``ids`` (level 0: an entry's leaf hash), in one statement per
        :data:`_CHUNK` ids (a proof needs ~20). The SQL is plain text, cached per shape, run
        through :meth:`Connection.exec_driver_sql`: building the same query with Core for
        every proof cost more than the reads (``bench/ledger.py``); the statement still goes
        through the engine, so its events (statement counts, tracing) see it."""
        sqlite = self.conn.dialect.name == "sqlite"
        out: dict[NodeId, bytes] = {}
        for leaves, inner in _chunks(ids):
            if sqlite:
                sql, params = _sqlite_nodes_query(leaves, inner)
                rows = self.conn.exec_driver_sql(sql, params).all()
            else:
                rows = self.conn.exec_driver_sql(
                    _PG_NODES_SQL,
                    {
                        "leaves": leaves,
                        "levels": [lv for lv, _ in inner],
                        "idxs": [ix for _, ix in inner],
                    },
                ).all()
            out.update({(lv, ix): bytes(h) for lv, ix, h in rows})
        return out

    def _entry(self, row) -> Entry:
        return Entry(row.idx, row.content_type, bytes(row.data), bytes(row.leaf_hash))

    def entry(self, index: int) -> Entry | None:
        row = self.conn.execute(select(ledger_entries).where(ledger_entries.c.idx == index)).first()
        return self._entry(row) if row else None

    def entries(self, start: int, end: int) -> list[Entry]:
        q = (
            select(ledger_entries)
            .where(ledger_entries.c.idx >= start, ledger_entries.c.idx < end)
            .order_by(ledger_entries.c.idx)
        )
        return [self._entry(r) for r in self.conn.execute(q)]

    def node_range(self, level: int, lo: int, hi: int) -> dict[int, bytes]:
        q = select(ledger_nodes.c.idx, ledger_nodes.c.hash).where(
            ledger_nodes.c.level == level, ledger_nodes.c.idx >= lo, ledger_nodes.c.idx <= hi
        )
        return {ix: bytes(h) for ix, h in self.conn.execute(q)}

    def count_nodes(self) -> int:
        return self.conn.execute(select(func.count()).select_from(ledger_nodes)).scalar_one()

    def _cp(self, row) -> StoredCheckpoint:
        return StoredCheckpoint(row.size, bytes(row.root), row.note, row.signed_at)

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        q = select(ledger_checkpoints).order_by(ledger_checkpoints.c.size.desc()).limit(1)
        row = self.conn.execute(q).first()
        return self._cp(row) if row else None

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        row = self.conn.execute(
            select(ledger_checkpoints).where(ledger_checkpoints.c.size == size)
        ).first()
        return self._cp(row) if row else None

    def checkpoints(self) -> list[StoredCheckpoint]:
        q = select(ledger_checkpoints).order_by(ledger_checkpoints.c.size)
        return [self._cp(r) for r in self.conn.execute(q)]

    def add_checkpoint(self, cp: StoredCheckpoint) -> None:
        self.conn.execute(
            insert(ledger_checkpoints).values(
                size=cp.size, root=cp.root, note=cp.note, signed_at=cp.signed_at
            )
        )


class SqliteProofReader:
    """The reads a proof makes (:class:`cbec.ledger.log.NodeReader`), on SQLite, straight
    through a DB-API cursor (of the thread's kept read connection), in one read transaction.

    Why not a :class:`SqlLogStore` in a unit of work: a proof is two small reads (the state,
    then every node it needs in one query), and SQLAlchemy's connection, begin event, result
    objects and rollback cost several times what SQLite spends on them (``bench/ledger.py``
    holds proof generation to half the speed of bare DB-API reads of the same nodes). Writes
    and every other read keep going through the unit of work."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor

    def state(self, lock: bool = False) -> LogState | None:
        if lock:
            raise ValueError("the proof reader is read-only")
        row = self.cursor.execute(_STATE_SQL).fetchone()
        return None if row is None else LogState(*row)

    def nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        out: dict[NodeId, bytes] = {}
        for leaves, inner in _chunks(ids):
            rows = self.cursor.execute(*_sqlite_nodes_query(leaves, inner)).fetchall()
            out.update({(lv, ix): bytes(h) for lv, ix, h in rows})
        return out


@contextmanager
def sqlite_proof_reader(engine: Engine) -> Iterator[SqliteProofReader]:
    """A :class:`SqliteProofReader` in one read transaction (``BEGIN`` … rollback): on this
    thread's kept read-only connection to the engine's file
    (:mod:`cbec.store.kept_readers`), else on a connection from ``engine``'s pool (which
    ``cbec.store.db`` opened in autocommit mode, WAL, with its busy timeout), given back."""
    readers = readers_of(engine)
    if readers is not None:
        with readers.cursor() as cursor:
            yield SqliteProofReader(cursor)
        return
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        try:
            cursor.execute("BEGIN")
            yield SqliteProofReader(cursor)  # type: ignore[arg-type]
        finally:
            conn.rollback()
            cursor.close()
    finally:
        conn.close()
