"""SQL of key rotation (:mod:`cbec.services.key_rotation`): where sealed values and values
derived from the HMAC key are stored, read in key order a batch at a time, and written back
only where they are still what was read (a writer that changed a row meanwhile wins; the
next pass sees its value)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.engine import Connection, Row

from cbec.store.customs_store import SigningKeyStore
from cbec.store.tables import (
    customs_signing_keys,
    deployment_keys,
    document_versions,
    documents,
    hmac_rekey,
    import_drafts,
    person_keys,
    polls,
    tax_quota_charges,
    tax_quota_usage,
    users,
)
from cbec.store.tax_store import PURPOSE as QUOTA_PURPOSE

PREFIX = "enc1."


@dataclass(frozen=True)
class SealedColumn:
    """A column holding sealed values: a token (``json`` false), or a JSON body whose
    personal fields are tokens at their dotted paths. ``aad`` gives a row's
    ``(kind, id, path)`` — what :meth:`~cbec.privacy.vault.Vault.seal_value` binds a token to —
    for the column's field path."""

    name: str
    table: Table
    keys: tuple[str, ...]
    column: str
    json: bool
    aad: Callable[[Row[Any], str], tuple[str, str, str]]
    join_kind: bool = False  # the row's kind comes from its document (versions)


SEALED: tuple[SealedColumn, ...] = (
    SealedColumn(
        "documents.body", documents, ("seq",), "body", True, lambda r, p: (r.kind, r.id, p)
    ),
    SealedColumn(
        "documents.commit_salt",
        documents,
        ("seq",),
        "commit_salt",
        False,
        lambda r, p: (r.kind, r.id, "commit_salt"),
    ),
    SealedColumn(
        "document_versions.body",
        document_versions,
        ("document_id", "version"),
        "body",
        True,
        lambda r, p: (r.kind, r.document_id, p),
        join_kind=True,
    ),
    SealedColumn(
        "document_versions.commit_salt",
        document_versions,
        ("document_id", "version"),
        "commit_salt",
        False,
        lambda r, p: (r.kind, r.document_id, "commit_salt"),
        join_kind=True,
    ),
    SealedColumn(
        "users.totp_secret",
        users,
        ("id",),
        "totp_secret",
        False,
        lambda r, p: ("user", str(r.id), "totp_secret"),
    ),
    SealedColumn(
        "import_drafts.payload",
        import_drafts,
        ("id",),
        "payload",
        False,
        lambda r, p: ("import_draft", r.id, "payload"),
    ),
    SealedColumn(
        "import_drafts.report",
        import_drafts,
        ("id",),
        "report",
        False,
        lambda r, p: ("import_draft", r.id, "report"),
    ),
    SealedColumn(
        "customs_signing_keys.private_key",
        customs_signing_keys,
        ("tenant_id",),
        "private_key",
        False,
        lambda r, p: (SigningKeyStore.PURPOSE[0], str(r.tenant_id), SigningKeyStore.PURPOSE[1]),
    ),
    SealedColumn(
        "person_keys.wrapped",
        person_keys,
        ("id",),
        "wrapped",
        False,
        lambda r, p: ("person_key", f"{r.tenant_id}:{r.id}", "key"),
    ),
    SealedColumn(
        "tax_quota_usage.buyer_id",
        tax_quota_usage,
        ("buyer_key", "year"),
        "buyer_id",
        False,
        lambda r, p: (QUOTA_PURPOSE, f"{r.buyer_key}:{r.year}", "buyer_id"),
    ),
    SealedColumn(
        "polls.secret",
        polls,
        ("id",),
        "secret",
        False,
        lambda r, p: ("poll", r.id, "secret"),
    ),
)
"""Every stored sealed value. (Ledger entries hold commitments, never sealed values.)"""

PERSON_SEALED: tuple[SealedColumn, ...] = tuple(
    s for s in SEALED if s.table is documents or s.table is document_versions
)
"""The columns holding values sealed under a person's key: only a document (and its earlier
versions) is sealed under its person's (:mod:`cbec.trade.filing`), body and evidence salt."""


def _like(kid: str) -> list[str]:
    esc = kid.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [f"%{PREFIX}{alg}.{esc}.%" for alg in ("a256gcm", "sm4gcm")]


def _sealed_with(col: Any, kids: list[str]) -> Any:
    return or_(*(col.like(p, escape="\\") for kid in kids for p in _like(kid)))


class RotationStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- sealed values --------------------------------------------------------------------

    def count_sealed(self, spec: SealedColumn, kids: list[str]) -> int:
        """Rows of ``spec`` holding a value sealed with one of ``kids``."""
        col = spec.table.c[spec.column]
        q = select(func.count()).select_from(spec.table).where(_sealed_with(col, kids))
        return int(self.conn.execute(q).scalar() or 0)

    def sealed_batch(
        self, spec: SealedColumn, kids: list[str], after: tuple[Any, ...] | None, limit: int
    ) -> list[Row[Any]]:
        """The next ``limit`` rows (in key order, after ``after``) holding a value sealed with
        one of ``kids``."""
        t = spec.table
        keys = [t.c[k] for k in spec.keys]
        cols = [*keys, t.c[spec.column]]
        q = select(*cols)
        if spec.join_kind:
            q = select(*cols, documents.c.kind).join(documents, documents.c.id == t.c.document_id)
        elif spec.table is documents:
            q = select(*cols, documents.c.id, documents.c.kind)
        elif spec.table is person_keys:
            q = select(*cols, person_keys.c.tenant_id)
        q = q.where(_sealed_with(t.c[spec.column], kids))
        if after is not None:
            q = q.where(tuple_(*keys) > tuple_(*after) if len(keys) > 1 else keys[0] > after[0])
        return list(self.conn.execute(q.order_by(*keys).limit(limit)).all())

    def replace_sealed(self, spec: SealedColumn, key: tuple[Any, ...], old: str, new: str) -> bool:
        """Write ``new`` where the row still holds ``old``; whether it did."""
        t = spec.table
        cond = and_(*(t.c[k] == v for k, v in zip(spec.keys, key, strict=True)))
        done = self.conn.execute(
            update(t).where(cond, t.c[spec.column] == old).values({spec.column: new})
        )
        return done.rowcount == 1

    def replace_sealed_many(
        self, spec: SealedColumn, changes: list[tuple[tuple[Any, ...], str, str]]
    ) -> int:
        """:meth:`replace_sealed` of each ``(key, old, new)``, by one statement built once
        and executed per row (its own count of rows changed: a writer's row is left alone);
        how many were written."""
        t = spec.table
        keys = [t.c[k] == bindparam(f"_k{i}") for i, k in enumerate(spec.keys)]
        stmt = (
            update(t)
            .where(*keys, t.c[spec.column] == bindparam("_old"))
            .values({spec.column: bindparam("_new")})
        )
        done = 0
        for key, old, new in changes:
            params = {f"_k{i}": v for i, v in enumerate(key)} | {"_old": old, "_new": new}
            done += self.conn.execute(stmt, params).rowcount == 1
        return done

    # --- person keys of another cipher ----------------------------------------------------

    def person_keys_batch(self, after: str | None, limit: int) -> list[Row[Any]]:
        """The next ``limit`` live (not erased) person keys, in id order after ``after``."""
        c = person_keys.c
        q = select(c.id, c.tenant_id, c.wrapped).where(c.wrapped.is_not(None))
        if after is not None:
            q = q.where(c.id > after)
        return list(self.conn.execute(q.order_by(c.id).limit(limit)).all())

    def person_key_locked(self, pkid: str) -> Row[Any] | None:
        """Person key ``pkid`` (tenant and wrapped bytes), locked against a concurrent
        erasure or re-keying until the transaction ends (PostgreSQL; SQLite's write
        transaction already excludes every other writer)."""
        c = person_keys.c
        q = select(c.id, c.tenant_id, c.wrapped).where(c.id == pkid).with_for_update()
        return self.conn.execute(q).first()

    def replace_person_key(self, pkid: str, old: str, new: str) -> bool:
        """Write the wrapped key ``new`` where the row still holds ``old`` (so an erasure
        is never undone); whether it did."""
        c = person_keys.c
        done = self.conn.execute(
            update(person_keys).where(c.id == pkid, c.wrapped == old).values(wrapped=new)
        )
        return done.rowcount == 1

    # --- values derived from the HMAC key -------------------------------------------------

    def documents_batch(self, after: int, limit: int) -> list[Row[Any]]:
        d = documents
        q = (
            select(d.c.seq, d.c.id, d.c.kind, d.c.body, d.c.fingerprint, d.c.subject_ref)
            .where(d.c.seq > after)
            .order_by(d.c.seq)
            .limit(limit)
        )
        return list(self.conn.execute(q).all())

    def versions_batch(self, after: tuple[str, int] | None, limit: int) -> list[Row[Any]]:
        v = document_versions
        q = select(v.c.document_id, v.c.version, v.c.body, v.c.fingerprint, documents.c.kind).join(
            documents, documents.c.id == v.c.document_id
        )
        if after is not None:
            q = q.where(tuple_(v.c.document_id, v.c.version) > tuple_(*after))
        return list(self.conn.execute(q.order_by(v.c.document_id, v.c.version).limit(limit)).all())

    def quota_batch(self, after: tuple[str, int] | None, limit: int) -> list[Row[Any]]:
        u = tax_quota_usage
        q = select(u.c.buyer_key, u.c.year, u.c.buyer_id)
        if after is not None:
            q = q.where(tuple_(u.c.buyer_key, u.c.year) > tuple_(*after))
        return list(self.conn.execute(q.order_by(u.c.buyer_key, u.c.year).limit(limit)).all())

    def staged(self, tbl: str, row_keys: list[str]) -> dict[tuple[str, str], tuple[str, str]]:
        """``(row_key, col) → (old_value, new_value)`` staged for these rows."""
        if not row_keys:
            return {}
        r = hmac_rekey
        rows = self.conn.execute(
            select(r.c.row_key, r.c.col, r.c.old_value, r.c.new_value).where(
                r.c.tbl == tbl, r.c.row_key.in_(row_keys)
            )
        )
        return {(x.row_key, x.col): (x.old_value, x.new_value) for x in rows}

    def stage(self, rows: list[dict[str, str]]) -> None:
        """Stage recomputed values (replacing what was staged for the same row and column)."""
        if not rows:
            return
        r = hmac_rekey
        for row in rows:
            self.conn.execute(
                delete(r).where(
                    r.c.tbl == row["tbl"], r.c.row_key == row["row_key"], r.c.col == row["col"]
                )
            )
        self.conn.execute(insert(r), rows)

    def all_staged(self, tbl: str) -> Iterator[Row[Any]]:
        r = hmac_rekey
        yield from self.conn.execute(
            select(r.c.row_key, r.c.col, r.c.old_value, r.c.new_value)
            .where(r.c.tbl == tbl)
            .order_by(r.c.row_key, r.c.col)
        )

    def count_staged(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(hmac_rekey)).scalar() or 0)

    def clear_staged(self) -> None:
        self.conn.execute(delete(hmac_rekey))

    def set_document(self, doc_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(documents).where(documents.c.id == doc_id).values(values))

    def set_version_fingerprint(self, doc_id: str, version: int, fingerprint: str) -> None:
        v = document_versions
        self.conn.execute(
            update(v)
            .where(v.c.document_id == doc_id, v.c.version == version)
            .values(fingerprint=fingerprint)
        )

    def rekey_quota(self, old_key: str, year: int, new_key: str, sealed: str) -> None:
        u = tax_quota_usage
        self.conn.execute(
            update(u)
            .where(u.c.buyer_key == old_key, u.c.year == year)
            .values(buyer_key=new_key, buyer_id=sealed)
        )

    def rekey_charges(self, old_key: str, new_key: str) -> None:
        c = tax_quota_charges
        self.conn.execute(update(c).where(c.c.buyer_key == old_key).values(buyer_key=new_key))

    # --- the recorded keys ----------------------------------------------------------------

    def set_active(self, purpose: str, fingerprint: str) -> None:
        """Make ``fingerprint`` the active key of ``purpose`` (the others inactive)."""
        t = deployment_keys
        self.conn.execute(
            update(t).where(t.c.purpose == purpose).values(active=t.c.fingerprint == fingerprint)
        )

    def retire(self, purpose: str, fingerprint: str, at: datetime) -> None:
        t = deployment_keys
        self.conn.execute(
            update(t)
            .where(t.c.purpose == purpose, t.c.fingerprint == fingerprint)
            .values(retired_at=at, active=False)
        )
