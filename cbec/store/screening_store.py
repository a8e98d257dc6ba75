"""Screening lists as loaded (their content kept by hash under the data directory, every load
and retirement logged) and the screening result of every party screened.

The index over the active lists is built once per set of list versions and shared; a name
already screened against the same versions is answered from a bounded cache, since buyers
order again and again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from cbec import jsonio
from cbec.screening.model import DEFAULT_THRESHOLD, ListFileError
from cbec.store.caches import caches_of
from cbec.store.prepared import Prepared
from cbec.store.tables import screening_lists, screening_results, tenants
from cbec.store.webhook_store import Outbox
from cbec.trade.ports import now
from cbec.webhooks.catalogue import SCREENING_HIT, screening_hit

if TYPE_CHECKING:  # the matcher is loaded on first use (its name tables are slow to load)
    from cbec.screening.index import ScreeningIndex
    from cbec.screening.match import Query, Result

_LOCK = threading.Lock()
# indexes by the lists they cover: the lists binding every platform, and each platform's
# with its own lists (see ListStore.index); the least recently used goes first
_INDEXES: OrderedDict[tuple, ScreeningIndex | None] = OrderedDict()
INDEXES_KEPT = 8
_CACHE: OrderedDict[tuple, Result] = OrderedDict()
CACHE_SIZE = 50_000


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# The active lists, read for every order screened: built once (building a statement costs
# more than running it).
_ACTIVE = Prepared(  # run on the DB-API cursor (cbec.store.prepared)
    select(screening_lists, tenants.c.name.label("platform"))
    .outerjoin(tenants, tenants.c.id == screening_lists.c.platform_id)
    .where(screening_lists.c.retired_at.is_(None))
    .order_by(screening_lists.c.name)
)


class ListStore:
    def __init__(self, conn: Connection, data_dir: Path) -> None:
        self.conn = conn
        self.folder = data_dir / "screening"

    def add(
        self,
        name: str,
        source: str,
        content: bytes,
        tenant_id: int,
        platform_id: int | None = None,
    ) -> dict[str, Any]:
        """Check and keep a list file; it replaces the active list of the same ``name``, and
        screens orders on the platform ``platform_id`` only (None: every platform).
        Raises ValueError (naming what is wrong) for content no loader accepts."""
        from cbec.screening.lists import detect_format, load_list

        digest = hashlib.sha256(content).hexdigest()
        path = self.folder / f"{digest}.list"
        if not path.exists():
            _write_durably(path, content)
        fmt = detect_format(path)
        loaded = load_list(path, fmt)
        if not loaded.entities:
            raise ListFileError("the file holds no entity to screen against")
        at = now()
        self.conn.execute(
            update(screening_lists)
            .where(screening_lists.c.name == name, screening_lists.c.retired_at.is_(None))
            .values(retired_at=at)
        )
        row = {
            "name": name,
            "version": digest,
            "format": fmt,
            "source": source,
            "entity_count": len(loaded.entities),
            "path": path.name,
            "loaded_by": tenant_id,
            "loaded_at": at,
            "platform_id": platform_id,
        }
        row["id"] = self.conn.execute(insert(screening_lists).values(**row)).inserted_primary_key[0]
        return row

    def retire(self, name: str) -> bool:
        done = self.conn.execute(
            update(screening_lists)
            .where(screening_lists.c.name == name, screening_lists.c.retired_at.is_(None))
            .values(retired_at=now())
        )
        return done.rowcount > 0

    def set_ledger_index(self, list_id: int, index: int | None) -> None:
        self.conn.execute(
            update(screening_lists)
            .where(screening_lists.c.id == list_id)
            .values(ledger_index=index)
        )

    def active(
        self, platform: str | None = None, *, every: bool = False, stamp: tuple | None = None
    ) -> list[Any]:
        """The active lists that screen orders on ``platform``: those binding every platform
        and the platform's own (None: only those binding every platform; ``every``: all).
        With the lists' ``stamp`` (:mod:`cbec.store.stamps`) they come from the engine's
        caches while the stamp holds, read once per change by any process."""
        if stamp is None:
            rows = _ACTIVE.rows(self.conn)
        else:
            kept = caches_of(self.conn.engine).lists
            rows = kept.get_or_build("active", stamp, lambda: tuple(_ACTIVE.rows(self.conn)))
        return [r for r in rows if every or r.platform is None or r.platform == platform]

    def all(self, platform: str | None = None, *, every: bool = True) -> list[dict[str, Any]]:
        """Every list loaded, active and retired, oldest first — or, unless ``every``, those
        binding every platform and ``platform``'s own."""
        loader = tenants.alias("loader")
        bound = tenants.alias("bound")
        q = (
            select(
                screening_lists,
                loader.c.name.label("by"),
                bound.c.name.label("platform"),
            )
            .join(loader, loader.c.id == screening_lists.c.loaded_by)
            .outerjoin(bound, bound.c.id == screening_lists.c.platform_id)
            .order_by(screening_lists.c.id)
        )
        return [
            {
                "name": r.name,
                "version": r.version,
                "format": r.format,
                "source": r.source,
                "entity_count": r.entity_count,
                "loaded_by": r.by,
                "loaded_at": r.loaded_at.isoformat(),
                "retired_at": r.retired_at.isoformat() if r.retired_at else None,
                "ledger_index": r.ledger_index,
                "platform": r.platform,
            }
            for r in self.conn.execute(q)
            if every or r.platform is None or r.platform == platform
        ]

    def loaders(self) -> dict[tuple[str, str], int]:
        """Who loaded each list edition: (name, version prefix as results cite it) → tenant."""
        q = select(screening_lists.c.name, screening_lists.c.version, screening_lists.c.loaded_by)
        return {(r.name, r.version[:16]): r.loaded_by for r in self.conn.execute(q)}

    def index(
        self, platform: str | None = None, stamp: tuple | None = None
    ) -> tuple[tuple, ScreeningIndex | None]:
        """The index over the active lists that screen orders on ``platform`` (None when no
        list does), and its key. Each entity's ``source`` is the name its list was loaded
        under, so a hit says which list it came from (and who loaded it). ``stamp``: the
        lists' stamp read in this transaction (:meth:`active`)."""
        rows = self.active(platform, stamp=stamp)
        key = tuple((r.name, r.version) for r in rows)
        with _LOCK:
            if key in _INDEXES:
                _INDEXES.move_to_end(key)
                return key, _INDEXES[key]
        index = _build(self.folder, rows) if rows else None
        with _LOCK:
            _INDEXES[key] = index
            if len(_INDEXES) > INDEXES_KEPT:
                _INDEXES.popitem(last=False)
        return key, index


def _build(folder: Path, rows: list[Any]) -> ScreeningIndex:
    from cbec.screening.index import ScreeningIndex
    from cbec.screening.lists import load_list

    lists = []
    for r in rows:
        loaded = load_list(folder / r.path, r.format)
        named = tuple(replace(e, source=r.name) for e in loaded.entities)
        lists.append(replace(loaded, entities=named))
    return ScreeningIndex(lists)


def screen_cached(key: tuple, index: ScreeningIndex, query: Query, threshold: float) -> Result:
    """``screen`` with a bounded memory of recent answers for the same list versions."""
    from cbec.screening.match import screen

    ck = (key, query.name, query.birth_date, query.country, query.id_number, threshold)
    with _LOCK:
        found = _CACHE.get(ck)
        if found is not None:
            _CACHE.move_to_end(ck)
            return found
    result = screen(query, index, threshold)
    with _LOCK:
        _CACHE[ck] = result
        if len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


class ResultStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record_many(self, rows: list[dict[str, Any]], filer_id: int | None = None) -> None:
        """Store screening results; a match also writes ``screening.hit`` into the webhooks'
        outbox for the filer's subscriptions, in this transaction."""
        if not rows:
            return
        self.conn.execute(insert(screening_results), rows)
        hits = [r for r in rows if r["matched"]]
        if hits and filer_id is not None:
            outbox = Outbox(self.conn)
            wanted = outbox.wanted([filer_id])
            if (filer_id, SCREENING_HIT) in wanted:
                events = [
                    screening_hit(
                        filer_id,
                        r["document_id"],
                        r["role"],
                        r["score"],
                        r["lists"],
                        r["screened_at"],
                    )
                    for r in hits
                ]
                outbox.emit(events, now(), wanted)

    def for_document(self, document_id: str) -> list[dict[str, Any]]:
        q = (
            select(screening_results)
            .where(screening_results.c.document_id == document_id)
            .order_by(screening_results.c.id)
        )
        return [_result(r) for r in self.conn.execute(q)]


def _result(r: Any) -> dict[str, Any]:
    return {
        "document_id": r.document_id,
        "role": r.role,
        "screened_at": r.screened_at.isoformat(),
        "match": bool(r.matched),
        "score": float(r.score),
        "entity_id": r.entity_id,
        "lists": r.lists.split(",") if r.lists else [],
        "result": json.loads(r.body),
        "ledger_index": r.ledger_index,
    }


def result_row(document_id: str, role: str, result: Result, lists: str, at: Any) -> dict:
    """A result as stored: the best candidate and every hit, without the query's personal
    values (the order holds them, sealed)."""
    body = result.as_dict()
    body.pop("query", None)
    for hit in [*body["hits"], body["best"]]:
        if hit is not None:
            hit.pop("query_name_normalized", None)
    best = result.hits[0] if result.hits else result.best
    return {
        "document_id": document_id,
        "role": role,
        "screened_at": at,
        "matched": 1 if result.matched else 0,
        "score": f"{best.score:.4f}" if best else "0",
        "entity_id": best.entity_id if best and result.matched else None,
        "lists": lists,
        "body": jsonio.dumps(body),
    }


__all__ = ["DEFAULT_THRESHOLD", "ListStore", "ResultStore", "result_row", "screen_cached"]
