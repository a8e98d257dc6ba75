"""A decision's fired entries stored once when the orders of one filing share them.

Why. A compliance decision records every rule that fired for its order, each with its
bilingual reason (:meth:`cbec.compliance.decision.Fired.as_dict` without what the rule
restates): ≈ 2.7 KB of a stored decision's ≈ 2.9 KB. The orders of one import fire the same
few entries again and again — the rule set hands the same entry to every line with the same
facts (:mod:`cbec.compliance.evaluate`) — 30 distinct entries for the 30,000 of a
10,000-order import (``bench/ingest.py``). Written inline, they made the decisions half the
bytes an import writes, and SQLite's cost of a row and of its commit follows its bytes.

How. An entry that two or more decisions stored together share (the same JSON text) is
written once to ``compliance_fired`` for the deciding tenant, keyed by the SHA-256 of that
text — content addressing: the same entry from a later filing finds its row (``ON CONFLICT DO
NOTHING``), and a row never changes. The decision's ``fired`` list holds the digest in its
place; an entry used once stays inline, so a single order's filing writes what it wrote
before and runs no extra statement. Reading puts the entries back
(:func:`expand`): every reader sees the decision as it was decided. Decisions stored before
this, with every entry inline, read as they are.

Entries hold no personal data (the engine never reads buyers' names, IDs or phones —
:mod:`cbec.compliance.facts`) and are the deciding tenant's, like its decisions.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from cbec import jsonio
from cbec.store.prepared import Prepared
from cbec.store.tables import compliance_fired

_PUT = {
    "sqlite": Prepared(sqlite.insert(compliance_fired).on_conflict_do_nothing()),
    "postgresql": Prepared(postgresql.insert(compliance_fired).on_conflict_do_nothing()),
}
_READ_CHUNK = 500  # digests per look-up (bound parameters stay far below either limit)


class Packed:
    """What :func:`pack` made: each decision's ``fired`` list as stored (an entry's dict, or
    the digest of a shared one) and the shared entries' rows for ``compliance_fired``."""

    __slots__ = ("fired", "rows")

    def __init__(self, fired: list[list[Any]], rows: list[dict[str, Any]]) -> None:
        self.fired, self.rows = fired, rows


def pack(decisions: Sequence[tuple[int, Sequence[Any]]]) -> Packed:
    """Each (tenant id, fired entries) as stored: an entry whose JSON text two or more of
    them share, by its digest; the others inline (see the module doc). One decision is
    stored as it is: its entries differ from each other (a line, a rule each)."""
    if len(decisions) < 2:
        return Packed([[f.as_dict(restated=False) for f in fired] for _, fired in decisions], [])
    # (tenant id, id(entry)) -> uses; the decisions hold the entries alive meanwhile, and
    # most entries are objects the rule set hands to every line with the same facts
    by_object: Counter[tuple[int, int]] = Counter()
    for tenant_id, fired in decisions:
        for f in fired:
            by_object[tenant_id, id(f)] += 1
    texts: dict[int, str] = {}  # id(entry) -> its JSON text
    entries = {id(f): f for _, fired in decisions for f in fired}
    uses: Counter[tuple[int, str]] = Counter()
    for (tenant_id, ident), n in by_object.items():
        text = texts.get(ident)
        if text is None:
            text = texts[ident] = jsonio.dumps(entries[ident].as_dict(restated=False))
        uses[tenant_id, text] += n
    digests: dict[str, str] = {}
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    out = []
    for tenant_id, fired in decisions:
        stored: list[Any] = []
        for f in fired:
            text = texts[id(f)]
            if uses[tenant_id, text] < 2:
                stored.append(f.as_dict(restated=False))
                continue
            digest = digests.get(text)
            if digest is None:
                digest = digests[text] = hashlib.sha256(text.encode()).hexdigest()
            if (tenant_id, digest) not in rows:
                rows[tenant_id, digest] = {"tenant_id": tenant_id, "digest": digest, "body": text}
            stored.append(digest)
        out.append(stored)
    # in key order: two filings that share entries take their rows' locks (PostgreSQL) in
    # the same order, so neither waits for the other while holding what it waits for
    return Packed(out, [rows[key] for key in sorted(rows)])


def store(conn: Connection, packed: Packed) -> None:
    """Write the shared entries not stored yet (in the caller's transaction)."""
    if packed.rows:
        _PUT[conn.dialect.name].many(conn, packed.rows)


def expand(conn: Connection, decisions: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Put each stored decision's shared entries back in its ``fired`` list, in place: the
    decision as decided. ``decisions``: (tenant id, stored body) pairs."""
    decisions = list(decisions)
    wanted: dict[int, set[str]] = {}
    for tenant_id, body in decisions:
        for item in body.get("fired", ()):
            if isinstance(item, str):
                wanted.setdefault(tenant_id, set()).add(item)
    if not wanted:
        return
    texts: dict[tuple[int, str], str] = {}
    for tenant_id, digests in wanted.items():
        ordered = sorted(digests)
        for i in range(0, len(ordered), _READ_CHUNK):
            q = select(compliance_fired.c.digest, compliance_fired.c.body).where(
                compliance_fired.c.tenant_id == tenant_id,
                compliance_fired.c.digest.in_(ordered[i : i + _READ_CHUNK]),
            )
            texts.update(((tenant_id, r.digest), r.body) for r in conn.execute(q))
    for tenant_id, body in decisions:
        fired = body.get("fired")
        if fired and any(isinstance(item, str) for item in fired):
            body["fired"] = [
                json.loads(texts[tenant_id, item]) if isinstance(item, str) else item
                for item in fired
            ]
