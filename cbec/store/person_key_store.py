"""Person keys (envelope encryption of a person's data, :mod:`cbec.privacy.vault`): one
random data key per controller and data subject, stored sealed ("wrapped") under the
deployment's active data key, the associated data binding it to its tenant and id.

A unit of work reads them through its own connection and keeps those it unwrapped only for
its own life — no process-wide cache — so an erasure committed by any process holds for
every unit of work that starts after it (PIPL Art. 47; GDPR Art. 17)."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from cbec.privacy.fieldcrypt import PERSON_KID, DataKey
from cbec.privacy.vault import PersonKey, Vault
from cbec.store.prepared import Prepared
from cbec.store.tables import dispute_cases, dsr_erased_subjects, dsr_requests, person_keys

WRAP_KIND = "person_key"

_K = person_keys.c
# Built once: a filing reads its buyers' keys, then checks them still stored, per order — and
# building a SELECT costs about as much as running it (SQLAlchemy's expression construction);
# run on the DB-API cursor (:mod:`cbec.store.prepared`).
_LIVE_OF_SUBJECTS = Prepared(
    select(_K.id, _K.subject_ref, _K.wrapped)
    .where(
        _K.tenant_id == bindparam("tenant"),
        _K.subject_ref.in_(bindparam("refs", expanding=True)),
        _K.wrapped.is_not(None),
    )
    .order_by(_K.created_at, _K.id)
)
_STORED = Prepared(
    select(_K.id, _K.tenant_id, _K.wrapped)
    .where(_K.id.in_(bindparam("ids", expanding=True)), _K.wrapped.is_not(None))
    .with_for_update(read=True)
)
_ADD = Prepared(insert(person_keys))
_OF_IDS = Prepared(
    select(_K.id, _K.tenant_id, _K.wrapped).where(_K.id.in_(bindparam("ids", expanding=True)))
)


def wrap_aad(tenant_id: int, pkid: str) -> tuple[str, str, str]:
    """What a wrapped person key is bound to (:meth:`Vault._aad`'s arguments)."""
    return (WRAP_KIND, f"{tenant_id}:{pkid}", "key")


class PersonKeyStore:
    def __init__(self, conn: Connection, vault: Vault) -> None:
        self.conn = conn
        self.vault = vault
        self._memo: dict[str, DataKey | None] = {}
        # the key each wrapped form opened to: the same token always opens to the same
        # secret, so :meth:`live`, re-reading keys this store has opened, decrypts none again
        self._opened: dict[tuple[str, str], DataKey] = {}

    def _unwrap(self, tenant_id: int, pkid: str, wrapped: str | None) -> DataKey | None:
        if wrapped is None:
            return None
        if (pkid, wrapped) not in self._opened:
            secret = self.vault.open_value(*wrap_aad(tenant_id, pkid), wrapped)
            key = DataKey(PERSON_KID + pkid, base64.b64decode(secret))
            self._opened[(pkid, wrapped)] = key
        return self._opened[(pkid, wrapped)]

    def key(self, pkid: str) -> DataKey | None:
        """The key of id ``pkid``; None once erased (or never stored)."""
        if pkid not in self._memo:
            row = self.conn.execute(
                select(person_keys.c.tenant_id, person_keys.c.wrapped).where(
                    person_keys.c.id == pkid
                )
            ).first()
            self._memo[pkid] = None if row is None else self._unwrap(row[0], pkid, row[1])
        return self._memo[pkid]

    def preload(self, pkids: Iterable[str]) -> None:
        """Read the keys of ``pkids`` not read yet, 500 a query, as :meth:`key` would one by
        one (None for one erased or never stored)."""
        wanted = sorted(set(pkids) - self._memo.keys())
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for r in _OF_IDS.rows(self.conn, {"ids": chunk}):
                self._memo[r.id] = self._unwrap(r.tenant_id, r.id, r.wrapped)
            for pkid in chunk:
                self._memo.setdefault(pkid, None)

    def for_subjects(
        self, tenant_id: int, refs: Iterable[str], at: datetime
    ) -> dict[str, PersonKey]:
        """The live key of each subject of ``refs`` for ``tenant_id``, in one query; a subject
        without one gets a new key, to be stored with :meth:`add` by the write that uses it."""
        wanted = sorted(set(refs))
        out: dict[str, PersonKey] = {}
        if not wanted:
            return out
        rows = _LIVE_OF_SUBJECTS.rows(self.conn, {"tenant": tenant_id, "refs": wanted})
        for r in rows:
            if r.subject_ref not in out:
                key = self._unwrap(tenant_id, r.id, r.wrapped)
                assert key is not None
                self._memo[r.id] = key
                out[r.subject_ref] = PersonKey(key)
        size = len(self.vault.ring.active.secret)
        for ref in wanted:
            if ref in out:
                continue
            pkid = uuid.uuid4().hex
            secret = os.urandom(size)
            wrapped = self.vault.seal_value(
                *wrap_aad(tenant_id, pkid), base64.b64encode(secret).decode()
            )
            row = {
                "id": pkid,
                "tenant_id": tenant_id,
                "subject_ref": ref,
                "wrapped": wrapped,
                "created_at": at,
                "erased_at": None,
            }
            out[ref] = PersonKey(DataKey(PERSON_KID + pkid, secret), row)
        return out

    def add(self, keys: Iterable[PersonKey]) -> None:
        """Store the keys made by :meth:`for_subjects` that a write used."""
        rows = [k.row for k in keys if k.row is not None]
        for k in keys:
            self._memo[k.key.kid[len(PERSON_KID) :]] = k.key
        if rows:
            _ADD.many(self.conn, rows)

    def live(self, keys: Iterable[DataKey]) -> set[str]:
        """The ids of ``keys`` (stored person keys) still stored as they are, in one query:
        read inside a write transaction, so an erasure committed since a key was found is
        seen, and (on PostgreSQL, ``FOR SHARE``) one not yet committed waits for this write,
        then shreds the key of what it wrote too. A key given a new secret meanwhile (a move
        to the active data key's cipher, :mod:`cbec.services.key_rotation.data_keys`) is
        not live either: what was sealed under its old secret must be sealed again."""
        held = {k.kid[len(PERSON_KID) :]: k for k in keys}
        wanted = sorted(held)
        if not wanted:
            return set()
        rows = _STORED.rows(self.conn, {"ids": wanted})
        live = set()
        for r in rows:
            key = self._unwrap(r.tenant_id, r.id, r.wrapped)
            self._memo[r.id] = key  # as stored now: its secret may be new
            if key is not None and key.secret == held[r.id].secret:
                live.add(r.id)
        for pkid in set(wanted) - {r.id for r in rows}:
            self._memo[pkid] = None
        return live

    def of_subject(self, tenant_id: int, subject_ref: str) -> list[Any]:
        """Every key (live or erased) ``tenant_id`` holds for the person."""
        c = person_keys.c
        return list(
            self.conn.execute(
                select(c.id, c.wrapped, c.created_at, c.erased_at)
                .where(c.tenant_id == tenant_id, c.subject_ref == subject_ref)
                .order_by(c.created_at, c.id)
            ).all()
        )

    def shred(self, tenant_id: int, subject_ref: str, at: datetime) -> int:
        """Delete the wrapped bytes of every live key of the person (crypto-shredding); the
        rows stay as tombstones. Returns how many keys were shredded."""
        c = person_keys.c
        done = self.conn.execute(
            update(person_keys)
            .where(c.tenant_id == tenant_id, c.subject_ref == subject_ref, c.wrapped.is_not(None))
            .values(wrapped=None, erased_at=at)
        ).rowcount
        self._memo.clear()
        self._opened.clear()
        return done


def rekey_person_subjects(conn: Connection, old: str, new: str) -> None:
    """A person's keyed reference under a new HMAC key (key rotation): their keys, the
    requests made by their ID in the DSR register (a repeated erasure stays recognised) and
    the dispute cases on their orders."""
    c = person_keys.c
    conn.execute(update(person_keys).where(c.subject_ref == old).values(subject_ref=new))
    r = dsr_requests.c
    conn.execute(update(dsr_requests).where(r.subject_ref == old).values(subject_ref=new))
    e = dsr_erased_subjects.c
    conn.execute(update(dsr_erased_subjects).where(e.subject_ref == old).values(subject_ref=new))
    d = dispute_cases.c
    conn.execute(update(dispute_cases).where(d.subject_ref == old).values(subject_ref=new))


class EnginePersonKeys:
    """Person keys for a vault used outside a unit of work (the runtime's own): each key is
    read in a short transaction of its own, never kept. It makes none — a document sealed
    through it stays under the deployment key."""

    def __init__(self, engine: Engine, vault: Vault) -> None:
        self.engine = engine
        self.vault = vault

    def key(self, pkid: str) -> DataKey | None:
        with self.engine.connect() as conn:
            return PersonKeyStore(conn, self.vault).key(pkid)

    def for_subjects(
        self, tenant_id: int, refs: Iterable[str], at: datetime
    ) -> dict[str, PersonKey]:
        return {}

    def add(self, keys: Iterable[PersonKey]) -> None:
        return None

    def live(self, keys: Iterable[DataKey]) -> set[str]:
        return {k.kid[len(PERSON_KID) :] for k in keys}

    def preload(self, pkids: Iterable[str]) -> None:
        return None  # keeps no key: each is read when used
