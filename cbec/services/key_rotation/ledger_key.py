"""The ledger's signer key: a co-signed hand-over (see :mod:`cbec.services.key_rotation`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.ledger.entry import CONTENT_TYPE, event_entry
from cbec.ledger.note import NoteError, generate_signer_key, open_checkpoint, verifier_from_skey
from cbec.privacy.keyprovider import (
    ENV_NAMES,
    NEXT_ENV_NAMES,
    KeySourceError,
    replace_keys_file,
)
from cbec.runtime import Runtime
from cbec.services.deployment_keys import _unreadable, resolve_keys
from cbec.services.key_rotation.common import (
    KEY_ROTATION_ENTRY_TYPE,
    _export,
    _file,
    _require_file,
)
from cbec.store.deployment_key_store import DeploymentKeyStore
from cbec.store.repository import UnitOfWork
from cbec.store.rotation_store import RotationStore
from cbec.trade.ports import now


@dataclass(frozen=True)
class LedgerRotation:
    old: str  # verifier keys
    new: str
    statement: int | None  # the index of the statement entry
    checkpoint: str | None  # the transition checkpoint, signed by both keys
    path: Path | None  # the keys file written, or None: the lines ``env`` instead
    env: tuple[str, ...] = ()
    # False: only the new key was made, for the operator to keep (``--format env``, first
    # run); nothing is logged or recorded until a process holding it runs the rotation again
    rotated: bool = True


def rotate_ledger_key(rt: Runtime, settings: Settings, to_file: bool = True) -> LedgerRotation:
    """Replace the ledger's signer key: log that the new verifier key replaces the old one,
    sign the checkpoint covering that statement with both keys, record the old key retired
    and the new one active, and make the new key the keys file's ``ledger_skey``. Run again
    after a failure before the database records the new key, it carries on with the key it
    made (kept as ``ledger_skey_next`` until the end).

    ``to_file`` false, for keys kept in the environment or a key provider, it runs in two
    steps, so that the new key is kept where the deployment keeps its keys before anything
    is signed with it: without a next key (``CBEC_LEDGER_SIGNER_KEY_NEXT``, or the
    provider's ``ledger_skey_next``) it makes one and returns the line that sets it, and
    nothing else changes; run again by a process holding it, it rotates to that key and
    returns the lines that make it ``CBEC_LEDGER_SIGNER_KEY``."""
    old_skey = rt.secrets.ledger_skey
    path = None
    if to_file:
        fix = "use --format env and set the lines it prints where the keys are kept"
        _require_file(settings, "ledger_skey", fix)
        path, fm = _file(settings)
        new_skey = fm.ledger_skey_next
        if not new_skey:
            new_skey = generate_signer_key(settings.ledger_origin)[0]
            fm = replace(fm, ledger_skey_next=new_skey)
            replace_keys_file(path, fm)
    else:
        new_skey = resolve_keys(settings).material.ledger_skey_next
        if not new_skey:
            new_skey = generate_signer_key(settings.ledger_origin)[0]
            line = _export(NEXT_ENV_NAMES["ledger_skey_next"], new_skey)
            old = verifier_from_skey(old_skey)
            made = verifier_from_skey(new_skey)
            return LedgerRotation(old, made, None, None, None, (line,), rotated=False)
        try:
            name = verifier_from_skey(new_skey).split("+")[0]
        except NoteError as exc:
            raise _unreadable(KeySourceError(f"next ledger signer key: {exc}")) from exc
        if name != settings.ledger_origin:
            detail = f"next ledger signer key: named {name}, the log is {settings.ledger_origin}"
            raise _unreadable(KeySourceError(detail))
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
    ledger.skeys, ledger.vkeys = [new_skey], [new, old, *retired]
    rt.secrets = replace(rt.secrets, ledger_skey=new_skey)
    if path is None:
        unset = f"unset {NEXT_ENV_NAMES['ledger_skey_next']}"
        env = (_export(ENV_NAMES["ledger_skey"], new_skey), unset)
        return LedgerRotation(old, new, statement, note, None, env)
    replace_keys_file(path, replace(fm, ledger_skey=new_skey, ledger_skey_next=None))
    return LedgerRotation(old, new, statement, note, path)
