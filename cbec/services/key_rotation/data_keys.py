"""Data keys: add, activate, re-encrypt, retire (see :mod:`cbec.services.key_rotation`)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.privacy.fieldcrypt import (
    PERSON_KID,
    DataKey,
    KeyRing,
    data_key_id,
    decrypt_with,
    encrypt_with,
)
from cbec.privacy.keyprovider import field_cipher, replace_keys_file
from cbec.privacy.vault import Vault
from cbec.runtime import Runtime
from cbec.services.deployment_keys import ensure_keys, resolve_keys
from cbec.services.key_rotation.common import (
    BATCH,
    KeyChange,
    Progress,
    _export,
    _file,
    _in_file,
    _quiet,
    _require_file,
)
from cbec.store.deployment_key_store import DeploymentKeyStore, RecordedKey
from cbec.store.person_key_store import wrap_aad
from cbec.store.repository import UnitOfWork
from cbec.store.rotation_store import PERSON_SEALED, SEALED, RotationStore, SealedColumn
from cbec.trade.ports import now


def add_data_key(settings: Settings, to_file: bool = True) -> KeyChange:
    """A new data key beside the others, not active (the active key id is written out, so
    that the new key, last in the list, does not become active by being last). Its cipher is
    the deployment's now (:func:`~cbec.privacy.keyprovider.field_cipher`), whatever the
    others': a ring holds keys of both, so re-encryption also moves values from AES-256-GCM
    to SM4-GCM (or back) when the region or ``CBEC_FIELD_CIPHER`` changes."""
    resolved = resolve_keys(settings)
    m = resolved.material
    if not m.data_keys:
        how = resolved.how_to_supply()
        raise KeysMismatch("keys_missing", {"missing": "data key", "how": how})
    entry = KeyRing.generate_spec(alg=field_cipher(settings))
    kid = entry.split("=", 1)[0]
    if not to_file:
        active = m.active_key_id or KeyRing.from_spec(m.data_keys).active.kid
        lines = (_export("CBEC_DATA_KEYS", f"{m.data_keys},{entry}"),)
        return KeyChange(kid, env=(*lines, _export("CBEC_ACTIVE_KEY_ID", active)))
    _require_file(settings, "data_keys", "use --format env and set the lines it prints there")
    path, fm = _file(settings)
    assert fm.data_keys, "the keys file holds the data keys"
    active = fm.active_key_id or KeyRing.from_spec(fm.data_keys).active.kid
    replace_keys_file(path, replace(fm, data_keys=f"{fm.data_keys},{entry}", active_key_id=active))
    return KeyChange(kid, path=path)


def _data_row(recorded: list[RecordedKey], kid: str) -> RecordedKey | None:
    return next(
        (r for r in recorded if r.purpose == "data" and kid in (r.kid, r.fingerprint)), None
    )


def activate(engine: Any, settings: Settings, kid: str, to_file: bool = True) -> KeyChange:
    """Make data key ``kid`` (its id or fingerprint) the one new values are sealed with: the
    database records it active, and the keys file names it (or the line to set is returned).
    The process must hold the key; a key seen for the first time is recorded first."""
    check = ensure_keys(UnitOfWork(engine), resolve_keys(settings))
    ring = KeyRing.from_spec(check.secrets.data_keys, check.secrets.active_key_id)
    key = next((k for k in ring.keys if kid in (k.kid, data_key_id(k.secret))), None)
    if key is None:
        raise KeysMismatch("key_unknown", {"kid": kid, "have": ", ".join(k.kid for k in ring.keys)})
    fingerprint = data_key_id(key.secret)
    uow = UnitOfWork(engine)
    with uow.writing():
        store = DeploymentKeyStore(uow.conn)
        store.lock()
        row = _data_row(store.recorded(), fingerprint)
        if row is None:
            raise KeysMismatch("key_not_recorded", {"what": "data key", "kid": kid})
        if row.retired_at is not None:
            raise KeysMismatch("key_retired", {"kid": kid})
        store.set_active_data_key(fingerprint)
        uow.commit()
    if not to_file or not _in_file(settings, "data_keys"):
        return KeyChange(key.kid, env=(_export("CBEC_ACTIVE_KEY_ID", key.kid),))
    path, fm = _file(settings)
    replace_keys_file(path, replace(fm, active_key_id=key.kid))
    return KeyChange(key.kid, path=path)


def _reseal_json(ring: KeyRing, node: Any, prefix: str, aad: Callable[[str], bytes]) -> Any:
    if isinstance(node, dict):
        return {
            k: _reseal_json(ring, v, f"{prefix}.{k}" if prefix else k, aad) for k, v in node.items()
        }
    # a value sealed under a person's key stays: its key, wrapped, is re-sealed instead
    if (
        KeyRing.is_token(node)
        and node.split(".")[2] not in (ring.active.kid,)
        and not (node.split(".")[2].startswith(PERSON_KID))
    ):
        return ring.encrypt(ring.decrypt(node, aad(prefix)), aad(prefix))
    return node


def _resealed(ring: KeyRing, spec: SealedColumn, row: Any) -> str:
    value = getattr(row, spec.column)

    def aad(path: str) -> bytes:
        return Vault._aad(*spec.aad(row, path))

    if spec.json:
        body = _reseal_json(ring, json.loads(value), "", aad)
        return json.dumps(body, ensure_ascii=False)
    return _reseal_json(ring, value, spec.column, aad)


def re_encrypt(rt: Runtime, batch: int = BATCH, progress: Progress = _quiet) -> dict[str, int]:
    """Re-seal with the active data key every stored value sealed with another one; the rows
    re-sealed, per table and column. Resumable: stopped, it resumes where values are left;
    run again, it finds none.

    It never stops the service's writes. Each batch is read in a read-only transaction
    (which blocks no writer: SQLite in WAL mode, PostgreSQL's MVCC), re-sealed outside any
    transaction — the decryption and encryption are nearly all of the work — and written in
    a short transaction of its own that only compares and replaces: a value is written only
    where the row still holds what was read, so a row a writer changed meanwhile is left to
    the writer (which sealed with the active key). The write lock is held for the updates of
    one batch at a time, never for the pass, so a filing waits at most that long.

    A value sealed under a person's key is not re-sealed by that pass (the person's key,
    wrapped, is); but a person key of another cipher than the active data key's — made
    before the deployment moved from AES-256-GCM to SM4-GCM, or back — is then given a
    secret of the active cipher, its values re-sealed (``person_keys.cipher``)."""
    ring = rt.vault.ring
    others = [k.kid for k in ring.keys if k.kid != ring.active.kid]
    counts: dict[str, int] = {}
    for spec in SEALED:
        if not others:
            break
        done = 0
        after: tuple[Any, ...] | None = None
        while True:
            with rt.uow() as uow:
                rows = RotationStore(uow.conn).sealed_batch(spec, others, after, batch)
            changes = []
            for row in rows:
                old, new = getattr(row, spec.column), _resealed(ring, spec, row)
                if new != old:
                    changes.append((tuple(getattr(row, k) for k in spec.keys), old, new))
            if changes:
                with rt.uow(write=True) as uow:
                    done += RotationStore(uow.conn).replace_sealed_many(spec, changes)
                    uow.commit()
            if rows:
                after = tuple(getattr(rows[-1], k) for k in spec.keys)
                progress(spec.name, done)
            if len(rows) < batch:
                break
        if done:
            counts[spec.name] = done
    if moved := _recipher_person_keys(rt, batch, progress):
        counts[PERSON_CIPHER] = moved
    return counts


PERSON_CIPHER = "person_keys.cipher"
"""What :func:`re_encrypt` reports while it moves person keys to the active key's cipher."""


def _person_key(vault: Vault, tenant_id: int, pkid: str, wrapped: str) -> DataKey:
    secret = vault.open_value(*wrap_aad(tenant_id, pkid), wrapped)
    return DataKey(PERSON_KID + pkid, base64.b64decode(secret))


def _recipher_json(node: Any, prefix: str, old: DataKey, new: DataKey, aad: Any) -> Any:
    """``node`` with every token sealed under person key ``old`` sealed under ``new``."""
    if isinstance(node, dict):
        return {
            k: _recipher_json(v, f"{prefix}.{k}" if prefix else k, old, new, aad)
            for k, v in node.items()
        }
    if KeyRing.is_token(node) and node.split(".")[2] == old.kid:
        return encrypt_with(new, decrypt_with(old, node, aad(prefix)), aad(prefix))
    return node


def _recipher_row(spec: SealedColumn, row: Any, old: DataKey, new: DataKey) -> str:
    def aad(path: str) -> bytes:
        return Vault._aad(*spec.aad(row, path))

    value = getattr(row, spec.column)
    if spec.json:
        body = _recipher_json(json.loads(value), "", old, new, aad)
        return json.dumps(body, ensure_ascii=False)
    return _recipher_json(value, spec.column, old, new, aad)


def _recipher_person_key(vault: Vault, rs: RotationStore, pkid: str, batch: int) -> bool:
    """In the caller's write transaction: give person key ``pkid`` a new secret of the
    active key's cipher, re-seal under it every value sealed under the old one, and store
    it wrapped under the same id — all or nothing, so no value names a secret the key no
    longer holds. An erased key (its wrapped bytes gone) stays erased. Whether it moved."""
    row = rs.person_key_locked(pkid)
    active = vault.ring.active
    if row is None or row.wrapped is None:
        return False
    old = _person_key(vault, row.tenant_id, pkid, row.wrapped)
    if old.alg == active.alg:
        return False
    new = DataKey(old.kid, os.urandom(len(active.secret)))
    for spec in PERSON_SEALED:
        after: tuple[Any, ...] | None = None
        while True:
            rows = rs.sealed_batch(spec, [old.kid], after, batch)
            changes = [
                (tuple(getattr(r, k) for k in spec.keys), getattr(r, spec.column)) for r in rows
            ]
            moved = [
                (key, value, _recipher_row(spec, r, old, new))
                for (key, value), r in zip(changes, rows, strict=True)
            ]
            if rs.replace_sealed_many(spec, moved) != len(moved):
                return False  # a row changed meanwhile: rolled back, a later run moves it
            if len(rows) < batch:
                break
            after = tuple(getattr(rows[-1], k) for k in spec.keys)
    secret = base64.b64encode(new.secret).decode()
    wrapped = vault.seal_value(*wrap_aad(row.tenant_id, pkid), secret)
    return rs.replace_person_key(pkid, row.wrapped, wrapped)


def _recipher_person_keys(rt: Runtime, batch: int, progress: Progress) -> int:
    """Move every live person key whose cipher is not the active data key's (a deployment
    gone from AES-256-GCM to SM4-GCM, or back) to that cipher, with the values sealed
    under it; how many keys moved. The keys are read a batch at a time in read-only
    transactions; each key that must move is moved in a short write transaction of its own
    (a person's documents, not the pass), so a filing waits at most that long. Resumable:
    a key moved is of the active cipher, and the next run passes it by."""
    active = rt.vault.ring.active.alg
    done = 0
    after: str | None = None
    while True:
        with rt.uow() as uow:
            rows = RotationStore(uow.conn).person_keys_batch(after, batch)
        stale = [
            r.id for r in rows if _person_key(rt.vault, r.tenant_id, r.id, r.wrapped).alg != active
        ]
        for pkid in stale:
            with rt.uow(write=True) as uow:
                if _recipher_person_key(rt.vault, RotationStore(uow.conn), pkid, batch):
                    uow.commit()
                    done += 1
        if rows:
            after = rows[-1].id
            progress(PERSON_CIPHER, done)
        if len(rows) < batch:
            break
    return done


def sealed_with(engine: Any, kid: str) -> dict[str, int]:
    """The stored rows holding values sealed with data key ``kid``, per table and column."""
    with UnitOfWork(engine) as uow:
        store = RotationStore(uow.conn)
        return {s.name: n for s in SEALED if (n := store.count_sealed(s, [kid]))}


def retire(engine: Any, kid: str) -> str:
    """Record data key ``kid`` (id or fingerprint) retired, so processes no longer need it;
    refused while it is the active key or any stored value is still sealed with it (the
    count is taken in the transaction that retires it). Returns its fingerprint."""
    uow = UnitOfWork(engine)
    with uow.writing():
        store = DeploymentKeyStore(uow.conn)
        store.lock()
        row = _data_row(store.recorded(), kid)
        if row is None:
            raise KeysMismatch("key_not_recorded", {"what": "data key", "kid": kid})
        if row.retired_at is not None:
            return row.fingerprint
        if row.active:
            raise KeysMismatch("key_is_active", {"kid": kid})
        rs = RotationStore(uow.conn)
        used = {s.name: n for s in SEALED if (n := rs.count_sealed(s, [row.kid or kid]))}
        if used:
            where = ", ".join(f"{name} {n}" for name, n in used.items())
            raise KeysMismatch(
                "key_still_used", {"kid": kid, "count": sum(used.values()), "where": where}
            )
        rs.retire("data", row.fingerprint, now())
        uow.commit()
    return row.fingerprint
