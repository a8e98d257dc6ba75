"""Rotating the deployment's keys without stopping its answers (``cbec admin keys …``).

NIST SP 800-57 Part 1 Rev. 5 gives every key a cryptoperiod (§5.3) after which it stops
protecting new data, and a life in states (§7): *pre-activation* (made, not yet used),
*active*, *deactivated* (still processes what it protected, protects nothing new) and,
once nothing needs it, retired. The deployment records those states in
:data:`~cbec.store.tables.deployment_keys` (``active``, ``retired_at``), beside its keys'
fingerprints, and :func:`~cbec.services.deployment_keys.ensure_keys` holds every process to
them. Each of the three kinds of key rotates its own way:

**Data keys** (AES-256-GCM or SM4-GCM tokens that name their key,
:mod:`cbec.privacy.fieldcrypt`). :func:`add_data_key` makes one and adds it to the keys file
(pre-activation: processes hold it, the database records it when one starts, nothing is
sealed with it); :func:`activate` makes it the key new values are sealed with, in the
database and the keys file; :func:`re_encrypt` re-seals every stored value under another key
with the active one, a batch per transaction (tokens name their key, so it resumes by
finding what is left, and a second run finds nothing); :func:`retire` refuses while a stored
value is still sealed with the key, then records it retired, and processes no longer need
it. The associated data of each value (its document, field) is unchanged, so is every
document's content and its ledger entry: the entries commit to the values in clear, salted
(:mod:`cbec.ledger.entry`), not to ciphertext.

**The HMAC key** (document fingerprints, blind indexes: :mod:`cbec.privacy.vault`). What it
derived is stored for lookups and must be recomputed, and a lookup must never compare a
value of one key with a value of the other. So the rotation has three steps:
:func:`add_hmac_key` puts the next key beside the current one (keys file
``hmac_key_next``; the database records it inactive); :func:`recompute` computes, under the
next key, every stored value derived from the current one — documents' ``fingerprint``
(the "unchanged" test of a re-filing) and ``subject_ref`` (the buyer's blind index), older
versions' fingerprints, the annual-quota buyer keys (and the buyer ID sealed to its key) —
into :data:`~cbec.store.tables.hmac_rekey`, batch by batch, while the service goes on
answering with the current key and its values; :func:`switch_hmac_key` then, in one
transaction, recomputes what changed since, writes every recomputed value in place, records
the old key retired and the next one active, and makes the next key the keys file's
``hmac_key``. Before the switch every answer uses the old key and its values, after it the
new key and its values; processes that still hold the old key are refused from then on.
The switch is made with the servers stopped: a server still running with the old key
would go on storing values under it (``/readyz`` fails for such a process, whose keys the
database no longer records, but only a restart gives it the new key).

Two HMAC-derived values are not recomputed. Idempotency keys store a hash of the request,
which is not kept: a retry after the switch of a request made before it is compared under
the new key and answered as a different request. And the evidence ledger is never
rewritten: a screening entry commits to the listed entity with a blind index
(``entity``, :mod:`cbec.services.checks`) made by the key in force when it was logged. Such
an entry is still verified as every entry is — its leaf hash is in a signed tree, which the
HMAC key plays no part in — and the binding of its commitment to the stored screening
result is checked by recomputing the blind index with the key of its time: the entry's
``at`` falls between that key's ``added_at`` and ``retired_at`` in ``deployment_keys``, and
SP 800-57's post-operational phase (§7.3) is where that key is kept, archived with the
backups taken while it was active, for exactly this.

**The ledger's signer key** (c2sp.org/signed-note). :func:`rotate_ledger_key` makes a new
Ed25519 signer key, logs a statement entry that the new verifier key replaces the old one,
and signs the checkpoint that covers it with *both* keys — a signed note may carry several
signatures, and a verifier ignores the ones by keys it does not know — so an auditor who
trusts only the old key verifies the transition checkpoint, reads the statement it commits
to, and trusts the new key from there on. The old key is then recorded retired: it signs
nothing more, but the log's verifier keys are the recorded ones (the active key and the
retired ones), so every checkpoint it signed still verifies (``cbec ledger key`` prints
them all for auditors), and ``ensure_keys`` compares a process's signer key with the
recorded active one. Servers are restarted after it (or it runs with them stopped): a server
started before it goes on signing with the old key until then.

Keys are written only to the keys file (0600, replaced atomically:
:func:`~cbec.privacy.keyprovider.replace_keys_file`); a deployment that keeps its keys in
the environment or a secrets manager gets the lines to put there (``--format env``) for the
data keys, and rotates the HMAC and ledger keys through a keys file.
"""

from __future__ import annotations

import base64
import json
import secrets as pysecrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.ledger.entry import CONTENT_TYPE, event_entry
from cbec.ledger.note import generate_signer_key, open_checkpoint, verifier_from_skey
from cbec.privacy.fieldcrypt import KeyRing, data_key_id
from cbec.privacy.keyprovider import (
    FileProvider,
    KeyMaterial,
    KeySourceError,
    decode_b64,
    keys_file,
    replace_keys_file,
)
from cbec.privacy.keystore import hmac_key_fingerprint
from cbec.privacy.vault import Vault
from cbec.runtime import Runtime
from cbec.services.deployment_keys import _unreadable, ensure_keys, resolve_keys
from cbec.store.deployment_key_store import DeploymentKeyStore, RecordedKey
from cbec.store.repository import UnitOfWork
from cbec.store.rotation_store import SEALED, RotationStore, SealedColumn
from cbec.store.tax_store import PURPOSE as QUOTA_PURPOSE  # the quota's blind index
from cbec.trade.canonical import canonical_bytes
from cbec.trade.filing import _subject_ref
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

KEY_ROTATION_ENTRY_TYPE = "cbec.key-rotation/v1"
"""The ledger entry stating that a new verifier key replaces the old one."""
BATCH = 500

Progress = Callable[[str, int], None]
"""Called after each batch with what is being done and how many rows so far."""


def _quiet(_what: str, _done: int) -> None:
    pass


# --- the keys file ------------------------------------------------------------------------

_ENV_ATTR = {
    "data_keys": "data_keys",
    "hmac_key": "hmac_key",
    "ledger_skey": "ledger_signer_key",
}
_WHAT = {"data_keys": "data keys", "hmac_key": "HMAC key", "ledger_skey": "ledger signer key"}


def _in_file(settings: Settings, name: str) -> bool:
    """Whether the keys file is where key ``name`` comes from."""
    env_set = getattr(settings, _ENV_ATTR[name])
    if name == "data_keys":
        env_set = env_set or settings.active_key_id
    return not settings.key_provider and not env_set


def _require_file(settings: Settings, name: str, fix: str) -> None:
    if settings.key_provider:
        source = f"the key provider {settings.key_provider}"
    elif not _in_file(settings, name):
        source = "the environment"
    else:
        return
    raise KeysMismatch("keys_not_in_file", {"what": _WHAT[name], "source": source, "fix": fix})


def _file(settings: Settings) -> tuple[Path, KeyMaterial]:
    path = keys_file(settings)
    try:
        return path, FileProvider(path).load()
    except KeySourceError as exc:
        raise _unreadable(exc) from exc


def _export(name: str, value: str) -> str:
    return f"export {name}='{value}'"


# --- data keys ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyChange:
    """A key made, activated or switched: its id, and where it went — the keys file
    written (``path``) or the environment lines to set instead (``env``)."""

    kid: str
    path: Path | None = None
    env: tuple[str, ...] = ()


def add_data_key(settings: Settings, to_file: bool = True) -> KeyChange:
    """A new data key beside the others, not active (the active key id is written out, so
    that the new key, last in the list, does not become active by being last)."""
    resolved = resolve_keys(settings)
    m = resolved.material
    if not m.data_keys:
        how = resolved.how_to_supply()
        raise KeysMismatch("keys_missing", {"missing": "data key", "how": how})
    entry = KeyRing.generate_spec(alg=settings.field_cipher)
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
    if KeyRing.is_token(node) and node.split(".")[2] != ring.active.kid:
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
    re-sealed, per table and column. A transaction per batch: stopped, it resumes where
    values are left; run again, it finds none. A row a writer changed meanwhile is left to
    the writer (it sealed with the active key)."""
    ring = rt.vault.ring
    others = [k.kid for k in ring.keys if k.kid != ring.active.kid]
    counts: dict[str, int] = {}
    for spec in SEALED:
        if not others:
            break
        done = 0
        after: tuple[Any, ...] | None = None
        while True:
            with rt.uow(write=True) as uow:
                store = RotationStore(uow.conn)
                rows = store.sealed_batch(spec, others, after, batch)
                for row in rows:
                    key = tuple(getattr(row, k) for k in spec.keys)
                    old = getattr(row, spec.column)
                    new = _resealed(ring, spec, row)
                    if new != old and store.replace_sealed(spec, key, old, new):
                        done += 1
                uow.commit()
            if rows:
                after = tuple(getattr(rows[-1], k) for k in spec.keys)
                progress(spec.name, done)
            if len(rows) < batch:
                break
        if done:
            counts[spec.name] = done
    return counts


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


# --- the HMAC key -------------------------------------------------------------------------


def add_hmac_key(engine: Any, settings: Settings) -> KeyChange:
    """Put a next HMAC key beside the current one (keys file ``hmac_key_next``; recorded
    inactive). Run again before the switch, it keeps the next key it made."""
    _require_file(settings, "hmac_key", "rotate it through a keys file (CBEC_KEYS_FILE)")
    check = ensure_keys(UnitOfWork(engine), resolve_keys(settings))
    path, fm = _file(settings)
    nxt = fm.hmac_key_next
    if not nxt:
        nxt = base64.b64encode(pysecrets.token_bytes(32)).decode()
        replace_keys_file(path, replace(fm, hmac_key_next=nxt))
    current = hmac_key_fingerprint(check.secrets.hmac_key)
    fingerprint = hmac_key_fingerprint(decode_b64(nxt, "next HMAC key"))
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
    return KeyChange(fingerprint, path=path)


def _next_vault(rt: Runtime, settings: Settings) -> tuple[Vault, str, bytes]:
    """The vault of the next HMAC key (the same data keys), its fingerprint and the key."""
    _, fm = _file(settings)
    with rt.uow() as uow:
        pending = [
            r
            for r in DeploymentKeyStore(uow.conn).recorded()
            if r.purpose == "hmac" and not r.active and r.retired_at is None
        ]
    if not fm.hmac_key_next or not pending:
        raise KeysMismatch("hmac_rotation_none")
    key = decode_b64(fm.hmac_key_next, "next HMAC key")
    fingerprint = hmac_key_fingerprint(key)
    if pending[0].fingerprint != fingerprint:
        raise KeysMismatch(
            "hmac_rotation_stale", {"next": fingerprint, "recorded": pending[0].fingerprint}
        )
    return Vault(rt.vault.ring, key), fingerprint, key


def _stage_documents(rt: Runtime, nv: Vault, rs: RotationStore, rows: list[Any]) -> None:
    staged = rs.staged("documents", [r.id for r in rows])
    out = []
    for r in rows:
        if staged.get((r.id, "fingerprint"), ("",))[0] == r.fingerprint and staged.get(
            (r.id, "subject_ref"), ("",)
        )[0] == (r.subject_ref or ""):
            continue  # recomputed, unchanged since
        kind = KINDS[r.kind]
        clear = rt.vault.open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        doc = kind.model.model_validate(clear)
        fingerprint = nv.fingerprint(canonical_bytes(doc.model_dump()))
        subject = _subject_ref(nv, kind, doc) or ""
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
        clear = rt.vault.open(kind.name, r.document_id, kind.pii, json.loads(r.body), clear=True)
        fingerprint = nv.fingerprint(canonical_bytes(kind.model.model_validate(clear).model_dump()))
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


def switch_hmac_key(rt: Runtime, settings: Settings) -> KeyChange:
    """Make the next HMAC key the current one, in one transaction: recompute what changed
    since :func:`recompute` (or everything, if it was not run), write the recomputed values
    in place, record the old key retired and the next one active; then the keys file's
    ``hmac_key`` becomes the next key (should writing it fail after the commit, the file's
    ``hmac_key_next`` is the database's key: move it to ``hmac_key``)."""
    path, fm = _file(settings)
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
    assert fm.hmac_key_next
    replace_keys_file(path, replace(fm, hmac_key=fm.hmac_key_next, hmac_key_next=None))
    rt.vault.hmac_key = key
    rt.secrets = replace(rt.secrets, hmac_key=key)
    return KeyChange(fingerprint, path=path)


def _apply(rs: RotationStore) -> None:
    docs: dict[str, dict[str, Any]] = {}
    for r in rs.all_staged("documents"):
        docs.setdefault(r.row_key, {})[r.col] = r.new_value or None
    for doc_id, values in docs.items():
        rs.set_document(doc_id, values)
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


# --- the ledger's signer key --------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRotation:
    old: str  # verifier keys
    new: str
    statement: int | None  # the index of the statement entry
    checkpoint: str | None  # the transition checkpoint, signed by both keys
    path: Path


def rotate_ledger_key(rt: Runtime, settings: Settings) -> LedgerRotation:
    """Replace the ledger's signer key: log that the new verifier key replaces the old one,
    sign the checkpoint covering that statement with both keys, record the old key retired
    and the new one active, and make the new key the keys file's ``ledger_skey``. Run again
    after a failure before the database records the new key, it carries on with the key it
    made (kept as ``ledger_skey_next`` until the end)."""
    _require_file(settings, "ledger_skey", "rotate it through a keys file (CBEC_KEYS_FILE)")
    path, fm = _file(settings)
    old_skey = rt.secrets.ledger_skey
    new_skey = fm.ledger_skey_next
    if not new_skey:
        new_skey = generate_signer_key(settings.ledger_origin)[0]
        fm = replace(fm, ledger_skey_next=new_skey)
        replace_keys_file(path, fm)
    old, new = verifier_from_skey(old_skey), verifier_from_skey(new_skey)
    ledger = rt.ledger
    retired = [v for v in ledger.vkeys if v not in (old, new)]
    statement = note = None
    with rt.uow() as uow:
        done = any(
            r.purpose == "ledger" and r.fingerprint == new and r.active
            for r in DeploymentKeyStore(uow.conn).recorded()
        )
    if not done:
        ledger.skeys, ledger.vkeys = [old_skey, new_skey], [old, new, *retired]
        try:
            for _ in range(3):  # another process may sign a checkpoint over it first
                body = {"purpose": "ledger", "replaces": old, "verifier_key": new}
                data = event_entry(KEY_ROTATION_ENTRY_TYPE, at=now(), tenants=[], body=body)
                (statement,) = ledger.append([(CONTENT_TYPE, data)])
                cp = ledger.integrate(force_checkpoint=True)
                if cp is not None and cp.size > statement:
                    note = cp.note
                    break
            if note is None:
                raise KeysMismatch("keys_unreadable", {"detail": "no transition checkpoint"})
            open_checkpoint(note, [old])  # signed by the old key …
            open_checkpoint(note, [new])  # … and by the new one
        finally:
            ledger.skeys, ledger.vkeys = [old_skey], [old, *retired]
        uow = UnitOfWork(rt.engine)
        with uow.writing():
            store = DeploymentKeyStore(uow.conn)
            store.lock()
            if all(r.fingerprint != new for r in store.recorded() if r.purpose == "ledger"):
                store.add("ledger", new, None, False, now())
            rs = RotationStore(uow.conn)
            rs.retire("ledger", old, now())
            rs.set_active("ledger", new)
            uow.commit()
    replace_keys_file(path, replace(fm, ledger_skey=new_skey, ledger_skey_next=None))
    ledger.skeys, ledger.vkeys = [new_skey], [new, old, *retired]
    rt.secrets = replace(rt.secrets, ledger_skey=new_skey)
    return LedgerRotation(old, new, statement, note, path)
