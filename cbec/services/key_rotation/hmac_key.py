"""The HMAC key: add the next, recompute under it, switch (see
:mod:`cbec.services.key_rotation`)."""

from __future__ import annotations

import base64
import json
import secrets as pysecrets
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.privacy.keyprovider import (
    ENV_NAMES,
    NEXT_ENV_NAMES,
    KeySourceError,
    decode_b64,
    replace_keys_file,
)
from cbec.privacy.keystore import hmac_key_fingerprint
from cbec.privacy.vault import Vault, erased_in
from cbec.runtime import Runtime
from cbec.services.deployment_keys import _unreadable, ensure_keys, resolve_keys
from cbec.services.key_rotation.common import (
    BATCH,
    KeyChange,
    Progress,
    _export,
    _file,
    _quiet,
    _require_file,
)
from cbec.store.deployment_key_store import DeploymentKeyStore
from cbec.store.person_key_store import PersonKeyStore, rekey_person_subjects
from cbec.store.repository import UnitOfWork
from cbec.store.rotation_store import RotationStore
from cbec.store.tax_store import PURPOSE as QUOTA_PURPOSE
from cbec.store.transfer_store import TransferStore  # the quota's blind index
from cbec.trade.canonical import canonical_model_bytes
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now
from cbec.trade.subjects import subject_ref


def add_hmac_key(engine: Any, settings: Settings, to_file: bool = True) -> KeyChange:
    """Put a next HMAC key beside the current one (recorded inactive): in the keys file
    (``hmac_key_next``), or, ``to_file`` false, returned as the line that sets
    ``CBEC_HMAC_KEY_NEXT`` for a deployment whose keys come from the environment or a key
    provider. Run again before the switch, it keeps the next key the process holds (the
    keys file's, or ``CBEC_HMAC_KEY_NEXT`` once set); a next key recorded earlier and lost
    before the switch is retired, never switched to."""
    if to_file:
        fix = "use --format env and set the line it prints where the keys are kept"
        _require_file(settings, "hmac_key", fix)
    resolved = resolve_keys(settings)
    check = ensure_keys(UnitOfWork(engine), resolved)
    path = None
    if to_file:
        path, fm = _file(settings)
        nxt = fm.hmac_key_next
        if not nxt:
            nxt = _new_key()
            replace_keys_file(path, replace(fm, hmac_key_next=nxt))
    else:
        nxt = resolved.material.hmac_key_next or _new_key()
    current = hmac_key_fingerprint(check.secrets.hmac_key)
    fingerprint = _fingerprint(nxt)
    uow = UnitOfWork(engine)
    with uow.writing():
        store = DeploymentKeyStore(uow.conn)
        store.lock()
        rs = RotationStore(uow.conn)
        recorded = [r for r in store.recorded() if r.purpose == "hmac"]
        for r in recorded:  # a next key whose keys file was lost: never switched to
            if r.retired_at is None and r.fingerprint not in (current, fingerprint):
                rs.retire("hmac", r.fingerprint, now())
        rs.set_active("hmac", current)
        if all(r.fingerprint != fingerprint for r in recorded):
            store.add("hmac", fingerprint, None, False, now())
        uow.commit()
    if path is not None:
        return KeyChange(fingerprint, path=path)
    return KeyChange(fingerprint, env=(_export(NEXT_ENV_NAMES["hmac_key_next"], nxt),))


def _new_key() -> str:
    return base64.b64encode(pysecrets.token_bytes(32)).decode()


def _fingerprint(b64: str) -> str:
    try:
        return hmac_key_fingerprint(decode_b64(b64, "next HMAC key"))
    except KeySourceError as exc:
        raise _unreadable(exc) from exc


def _next_vault(rt: Runtime, settings: Settings) -> tuple[Vault, str, bytes]:
    """The vault of the next HMAC key the process holds (the keys file's ``hmac_key_next``
    or ``CBEC_HMAC_KEY_NEXT``, with the same data keys), its fingerprint and the key."""
    nxt = resolve_keys(settings).material.hmac_key_next
    current = hmac_key_fingerprint(rt.vault.hmac_key)  # recorded inactive when none is active
    with rt.uow() as uow:
        pending = [
            r
            for r in DeploymentKeyStore(uow.conn).recorded()
            if r.purpose == "hmac"
            and not r.active
            and r.retired_at is None
            and r.fingerprint != current
        ]
    if not pending:
        raise KeysMismatch("hmac_rotation_none")
    if not nxt:
        raise KeysMismatch("hmac_rotation_missing", {"recorded": pending[0].fingerprint})
    fingerprint = _fingerprint(nxt)
    if pending[0].fingerprint != fingerprint:
        raise KeysMismatch(
            "hmac_rotation_stale", {"next": fingerprint, "recorded": pending[0].fingerprint}
        )
    key = decode_b64(nxt, "next HMAC key")
    return Vault(rt.vault.ring, key), fingerprint, key


def _reader(rt: Runtime, rs: RotationStore) -> Vault:
    """The vault opening stored bodies, person keys included, in ``rs``'s transaction."""
    return rt.vault.with_persons(PersonKeyStore(rs.conn, rt.vault))


def _stage_documents(rt: Runtime, nv: Vault, rs: RotationStore, rows: list[Any]) -> None:
    staged = rs.staged("documents", [r.id for r in rows])
    out = []
    for r in rows:
        if staged.get((r.id, "fingerprint"), ("",))[0] == r.fingerprint and staged.get(
            (r.id, "subject_ref"), ("",)
        )[0] == (r.subject_ref or ""):
            continue  # recomputed, unchanged since
        kind = KINDS[r.kind]
        clear = _reader(rt, rs).open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        if erased_in(clear, kind.pii):
            continue  # its person was erased: nothing to recompute from (PIPL Art. 47)
        doc = kind.model.model_validate(clear)
        fingerprint = nv.fingerprint(canonical_model_bytes(doc))
        subject = subject_ref(nv, kind, doc) or ""
        out.append(_row("documents", r.id, "fingerprint", r.fingerprint, fingerprint))
        out.append(_row("documents", r.id, "subject_ref", r.subject_ref or "", subject))
    rs.stage(out)


def _stage_versions(rt: Runtime, nv: Vault, rs: RotationStore, rows: list[Any]) -> None:
    keys = [f"{r.document_id}:{r.version}" for r in rows]
    staged = rs.staged("document_versions", keys)
    out = []
    for key, r in zip(keys, rows, strict=True):
        if staged.get((key, "fingerprint"), ("",))[0] == r.fingerprint:
            continue
        kind = KINDS[r.kind]
        clear = _reader(rt, rs).open(
            kind.name, r.document_id, kind.pii, json.loads(r.body), clear=True
        )
        if erased_in(clear, kind.pii):
            continue
        fingerprint = nv.fingerprint(canonical_model_bytes(kind.model.model_validate(clear)))
        out.append(_row("document_versions", key, "fingerprint", r.fingerprint, fingerprint))
    rs.stage(out)


def _stage_quota(rt: Runtime, nv: Vault, rs: RotationStore, rows: list[Any]) -> None:
    keys = [f"{r.buyer_key}:{r.year}" for r in rows]
    staged = rs.staged("tax_quota_usage", keys)
    out = []
    for key, r in zip(keys, rows, strict=True):
        if staged.get((key, "buyer_id"), ("",))[0] == r.buyer_id:
            continue
        buyer_id = rt.vault.open_value(QUOTA_PURPOSE, key, "buyer_id", r.buyer_id)
        new_key = nv.blind_index(QUOTA_PURPOSE, buyer_id.strip().upper())
        sealed = rt.vault.seal_value(QUOTA_PURPOSE, f"{new_key}:{r.year}", "buyer_id", buyer_id)
        out.append(_row("tax_quota_usage", key, "buyer_key", r.buyer_key, new_key))
        out.append(_row("tax_quota_usage", key, "buyer_id", r.buyer_id, sealed))
    rs.stage(out)


def _row(tbl: str, row_key: str, col: str, old: str, new: str) -> dict[str, str]:
    return {"tbl": tbl, "row_key": row_key, "col": col, "old_value": old, "new_value": new}


def _passes(
    rt: Runtime, nv: Vault, batch: int
) -> list[tuple[str, Callable[[RotationStore, Any], list[Any]], Callable[..., None], Any]]:
    return [
        (
            "documents",
            lambda rs, after: rs.documents_batch(after, batch),
            _stage_documents,
            lambda r: r.seq,
        ),
        (
            "document_versions",
            lambda rs, after: rs.versions_batch(after, batch),
            _stage_versions,
            lambda r: (r.document_id, r.version),
        ),
        (
            "tax_quota_usage",
            lambda rs, after: rs.quota_batch(after, batch),
            _stage_quota,
            lambda r: (r.buyer_key, r.year),
        ),
    ]


def _first(name: str) -> Any:
    return 0 if name == "documents" else None


def recompute(
    rt: Runtime, settings: Settings, batch: int = BATCH, progress: Progress = _quiet
) -> dict[str, int]:
    """Compute under the next HMAC key every stored value derived from the current one, into
    the staging table, a batch per transaction; nothing the service reads changes. Resumes
    and repeats cheaply: a row recomputed and unchanged since is skipped. Returns the rows
    read per table."""
    nv, _, _ = _next_vault(rt, settings)
    counts: dict[str, int] = {}
    for name, fetch, stage, last in _passes(rt, nv, batch):
        after, seen = _first(name), 0
        while True:
            with rt.uow(write=True) as uow:
                rs = RotationStore(uow.conn)
                rows = fetch(rs, after)
                stage(rt, nv, rs, rows)
                uow.commit()
            seen += len(rows)
            if rows:
                after = last(rows[-1])
                progress(name, seen)
            if len(rows) < batch:
                break
        counts[name] = seen
    return counts


def switch_hmac_key(rt: Runtime, settings: Settings, to_file: bool = True) -> KeyChange:
    """Make the next HMAC key the current one, in one transaction: recompute what changed
    since :func:`recompute` (or everything, if it was not run), write the recomputed values
    in place, record the old key retired and the next one active; then the keys file's
    ``hmac_key`` becomes the next key (should writing it fail after the commit, the file's
    ``hmac_key_next`` is the database's key: move it to ``hmac_key``) — or, ``to_file``
    false, the lines that make ``CBEC_HMAC_KEY`` the next key are returned, for the
    processes to be restarted with."""
    fm = None
    if to_file:
        fix = "use --format env and set the lines it prints where the keys are kept"
        _require_file(settings, "hmac_key", fix)
        path, fm = _file(settings)  # readable before anything is switched
    nv, fingerprint, key = _next_vault(rt, settings)
    old = hmac_key_fingerprint(rt.vault.hmac_key)
    with rt.uow(write=True) as uow:
        DeploymentKeyStore(uow.conn).lock()
        rs = RotationStore(uow.conn)
        for name, fetch, stage, last in _passes(rt, nv, BATCH):
            after = _first(name)
            while rows := fetch(rs, after):
                stage(rt, nv, rs, rows)
                after = last(rows[-1])
        _apply(rs)
        rs.clear_staged()
        rs.retire("hmac", old, now())
        rs.set_active("hmac", fingerprint)
        uow.commit()
    rt.vault.hmac_key = key
    rt.secrets = replace(rt.secrets, hmac_key=key)
    b64 = base64.b64encode(key).decode()
    if fm is None:
        unset = f"unset {NEXT_ENV_NAMES['hmac_key_next']}"
        return KeyChange(fingerprint, env=(_export(ENV_NAMES["hmac_key"], b64), unset))
    replace_keys_file(path, replace(fm, hmac_key=b64, hmac_key_next=None))
    return KeyChange(fingerprint, path=path)


def _apply(rs: RotationStore) -> None:
    docs: dict[str, dict[str, Any]] = {}
    subjects: dict[str, str] = {}  # a person's hash under the old key -> under the next
    for r in rs.all_staged("documents"):
        docs.setdefault(r.row_key, {})[r.col] = r.new_value or None
        if r.col == "subject_ref" and r.old_value:
            subjects[r.old_value] = r.new_value
    for doc_id, values in docs.items():
        rs.set_document(doc_id, values)
    transfers = TransferStore(rs.conn)  # the register counts each person once across it
    for old, new in subjects.items():
        transfers.rekey_subjects(old, new)
        rekey_person_subjects(rs.conn, old, new)
    for r in rs.all_staged("document_versions"):
        doc_id, _, version = r.row_key.rpartition(":")
        rs.set_version_fingerprint(doc_id, int(version), r.new_value)
    quota: dict[str, dict[str, str]] = {}
    for r in rs.all_staged("tax_quota_usage"):
        quota.setdefault(r.row_key, {})[r.col] = r.new_value
    rekeyed: dict[str, str] = {}
    for row_key, values in quota.items():
        old_key, _, year = row_key.rpartition(":")
        rs.rekey_quota(old_key, int(year), values["buyer_key"], values["buyer_id"])
        rekeyed[old_key] = values["buyer_key"]
    for old_key, new_key in rekeyed.items():
        rs.rekey_charges(old_key, new_key)
