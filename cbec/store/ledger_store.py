"""SQL implementation of :class:`cbec.ledger.log.LogStore` (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.engine import Connection

from cbec.ledger.log import Entry, LogState, NodeId, StoredCheckpoint
from cbec.store.tables import ledger_checkpoints, ledger_entries, ledger_nodes, ledger_state
from cbec.trade.ports import now

_CHUNK = 400  # ids per IN (...) query; keeps well under SQLite's variable limit


class SqlLogStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def state(self, lock: bool = False) -> LogState | None:
        q = select(ledger_state).where(ledger_state.c.id == 1)
        if lock:
            q = q.with_for_update()
        row = self.conn.execute(q).first()
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
        c = ledger_state.c
        row = self.conn.execute(
            update(ledger_state)
            .where(c.id == 1)
            .values(size=c.size + count)
            .returning(c.origin, c.hash_name, c.size, c.integrated)
        ).first()
        if row is None:
            return None
        return LogState(row.origin, row.hash_name, row.size, row.integrated)

    def set_integrated(self, integrated: int) -> None:
        self.conn.execute(
            update(ledger_state).where(ledger_state.c.id == 1).values(integrated=integrated)
        )

    def insert_entries(self, entries: Sequence[Entry]) -> None:
        if entries:
            self.conn.execute(
                insert(ledger_entries),
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
        wanted = list(dict.fromkeys(ids))
        if self.conn.dialect.name == "sqlite":
            return self._nodes_by_key(wanted)
        out: dict[NodeId, bytes] = {}
        leaves = [ix for lv, ix in wanted if lv == 0]
        inner = [(lv, ix) for lv, ix in wanted if lv > 0]
        for i in range(0, len(leaves), _CHUNK):
            q = select(ledger_entries.c.idx, ledger_entries.c.leaf_hash).where(
                ledger_entries.c.idx.in_(leaves[i : i + _CHUNK])
            )
            out.update({(0, ix): bytes(h) for ix, h in self.conn.execute(q)})
        for i in range(0, len(inner), _CHUNK):
            cond = tuple_(ledger_nodes.c.level, ledger_nodes.c.idx).in_(inner[i : i + _CHUNK])
            q = select(ledger_nodes.c.level, ledger_nodes.c.idx, ledger_nodes.c.hash).where(cond)
            out.update({(lv, ix): bytes(h) for lv, ix, h in self.conn.execute(q)})
        return out

    def _nodes_by_key(self, wanted: list[NodeId]) -> dict[NodeId, bytes]:
        """SQLite: one primary-key lookup per node through the driver's statement cache —
        a proof needs ~25 nodes, and building a 25-term SQL expression per proof cost five
        times more than the lookups (bench/ledger.py)."""
        cur = self.conn.connection.driver_connection.cursor()
        out: dict[NodeId, bytes] = {}
        try:
            for lv, ix in wanted:
                if lv == 0:
                    cur.execute("SELECT leaf_hash FROM ledger_entries WHERE idx = ?", (ix,))
                else:
                    cur.execute(
                        "SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?", (lv, ix)
                    )
                row = cur.fetchone()
                if row is not None:
                    out[(lv, ix)] = bytes(row[0])
        finally:
            cur.close()
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
