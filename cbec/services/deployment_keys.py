"""The database knows its deployment's keys: a process whose keys are not those refuses.

A deployment's keys (:mod:`cbec.privacy.keyprovider`) are kept outside the database, on every
host that runs cbec. The database records their fingerprints — each data key's, the HMAC
key's and the ledger's verifier key (:data:`~cbec.store.tables.deployment_keys`) — when it
is first opened with keys, and every later process is compared with them before it reads or
writes anything (:func:`ensure_keys`, called by :func:`cbec.runtime.open_runtime`):

- every recorded data key that is not retired must be in the process's ring (a process may
  have more: a key added for rotation is recorded when first seen), and the key it seals
  with must be the one the database records as active (``cbec admin keys activate``); the
  HMAC key and the ledger's verifier key must be the recorded active ones (a key being
  rotated in is recorded, not active, until its rotation switches: see
  :mod:`cbec.services.key_rotation`). Otherwise :class:`KeysMismatch` names each key that
  is missing or different by purpose and fingerprint, and how to supply it.
- a database written before keys were recorded (it holds data, records none) adopts the
  process's keys only if they open that data: a sealed value of the newest documents
  decrypts and the log's latest checkpoint verifies with the ledger key. (Nothing stored
  shows the HMAC key on its own; it is adopted with the keys that passed.)
- a new, empty database records the process's keys; with none, the process stops and asks
  for ``cbec admin keys init`` (:func:`init_keys`), which never runs against a database
  that already has keys or data.

No key ever reaches the database, a log line or a message: only fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.ledger import note
from cbec.privacy.cipher_policy import CIPHER_OF
from cbec.privacy.fieldcrypt import DecryptionFailed, KeyRingError
from cbec.privacy.keyprovider import (
    ENV_NAMES,
    REQUIRED,
    KeyMaterial,
    KeysFileExposed,
    KeySourceError,
    ResolvedKeys,
    env_lines,
    generate,
    keys_file,
    resolve,
    write_keys_file,
)
from cbec.privacy.keystore import KeyPrints, Secrets, make_vault, prints_of, secrets_from
from cbec.store.deployment_key_store import DeploymentKeyStore, RecordedKey
from cbec.store.repository import UnitOfWork
from cbec.trade.ports import now

_NAMES = {"data_keys": "data key", "hmac_key": "HMAC key", "ledger_skey": "ledger signer key"}


def short_vkey(vkey: str) -> str:
    """A verifier key's name and key ID (``cbec.local/ledger+1a2b3c4d``), enough to tell keys
    apart in a message; the whole key is public and ``cbec ledger key`` prints it."""
    return "+".join(vkey.split("+")[:2])


@dataclass(frozen=True)
class KeyCheck:
    """How the process's keys met the database's: ``matched`` recorded ones, were
    ``recorded`` for a new database, or ``adopted`` by one that holds older data."""

    outcome: Literal["matched", "recorded", "adopted"]
    secrets: Secrets
    added: tuple[str, ...] = ()  # fingerprints recorded now
    # the ledger's retired verifier keys: checkpoints they signed still verify
    retired_vkeys: tuple[str, ...] = ()


def _retired_vkeys(recorded: list[RecordedKey]) -> tuple[str, ...]:
    return tuple(r.fingerprint for r in recorded if r.purpose == "ledger" and r.retired_at)


def _unreadable(exc: KeySourceError) -> KeysMismatch:
    if isinstance(exc, KeysFileExposed):
        return KeysMismatch("keys_file_exposed", {"path": str(exc.path), "mode": f"{exc.mode:04o}"})
    return KeysMismatch("keys_unreadable", {"detail": str(exc)})


def _problems(recorded: list[RecordedKey], here: KeyPrints) -> list[str]:
    """What differs between the recorded keys still in use and the process's."""
    problems: list[str] = []
    live = [r for r in recorded if r.retired_at is None]
    have = {d.fingerprint for d in here.data}
    for r in live:
        if r.purpose == "data" and r.fingerprint not in have:
            named = f" (id {r.kid})" if r.kid and r.kid != r.fingerprint else ""
            problems.append(f"data key {r.fingerprint}{named} is missing")
    active = [r for r in live if r.purpose == "data" and r.active]
    if active and active[0].fingerprint in have and here.active != active[0].fingerprint:
        r = active[0]
        kid = r.kid or r.fingerprint
        mine = next((d.kid for d in here.data if d.fingerprint == here.active), here.active)
        problems.append(
            f"the active data key differs (the database's is {kid}, this process's"
            f" {mine}; set CBEC_ACTIVE_KEY_ID or the keys file's active_key_id to {kid},"
            " or make this process's key active with `cbec admin keys activate`)"
        )
    for purpose, mine, what, show in (
        ("hmac", here.hmac, "HMAC key", str),
        ("ledger", here.ledger, "ledger signer key", short_vkey),
    ):
        # a key being rotated in is recorded inactive beside the active one: not yet in use
        mine_of = [r for r in live if r.purpose == purpose]
        theirs = [r.fingerprint for r in mine_of if r.active] or [r.fingerprint for r in mine_of]
        if not theirs or mine in theirs:
            continue
        label = "verifier key " if purpose == "ledger" else ""
        if mine is None:
            problems.append(f"{what} is missing (the database's {label}is {show(theirs[0])})")
        else:
            problems.append(
                f"{what} differs (the database's {label}is {show(theirs[0])},"
                f" this process's {show(mine)})"
            )
    return problems


def key_problems(recorded: list[RecordedKey], here: KeyPrints) -> list[str]:
    """What differs between ``recorded`` keys (a database's, or a backup manifest's) and the
    process's, one phrase per key: empty when the process may open that data."""
    return _problems(recorded, here)


def _unproven(secrets: Secrets, store: DeploymentKeyStore) -> list[str]:
    """Why ``secrets`` do not open the data of a database that recorded no keys."""
    problems: list[str] = []
    vault = make_vault(secrets)
    opened = failed = 0
    for kind, doc_id, path, token in store.sealed_samples():
        kid = token.split(".")[2] if token.count(".") == 3 else "?"
        try:
            vault.open_value(kind, doc_id, path, token)
            opened += 1
        except KeyRingError:
            problems.append(f"data key {kid}, which stored documents are sealed with, is missing")
            failed += 1
        except DecryptionFailed:
            problems.append(
                f"data key {kid} differs (this process's does not open the stored documents)"
            )
            failed += 1
        if failed:
            break
    checkpoint = store.latest_checkpoint_note()
    vkey = note.verifier_from_skey(secrets.ledger_skey)
    if checkpoint is not None:
        try:
            note.open_note(checkpoint, [vkey])
        except note.NoteError:
            problems.append(
                f"ledger signer key differs (its verifier key {short_vkey(vkey)} does not verify"
                " the log's latest checkpoint)"
            )
    return problems


def _record(store: DeploymentKeyStore, here: KeyPrints, recorded: list[RecordedKey]) -> list[str]:
    known = {(r.purpose, r.fingerprint) for r in recorded}
    at = now()
    added = []
    # a data key added to a deployment that has an active one waits for `activate`
    has_active = any(r.purpose == "data" and r.active and not r.retired_at for r in recorded)
    rows = [
        ("data", d.fingerprint, d.kid, d.fingerprint == here.active and not has_active)
        for d in here.data
    ]
    rows += [("hmac", here.hmac, None, False), ("ledger", here.ledger, None, False)]
    for purpose, fingerprint, kid, active in rows:
        if fingerprint and (purpose, fingerprint) not in known:
            if purpose != "data" and any(p == purpose for p, _ in known):
                continue  # a second HMAC or ledger key is rotation's business
            store.add(purpose, fingerprint, kid, active, at)
            added.append(fingerprint)
    return added


def ensure_keys(uow: UnitOfWork, resolved: ResolvedKeys) -> KeyCheck:
    """Check the process's keys against the database's, recording them where the database
    has none yet (see the module's docstring); :class:`KeysMismatch` when they do not fit."""
    material = resolved.material
    how = resolved.how_to_supply()
    try:
        here = prints_of(material)
    except KeySourceError as exc:
        raise _unreadable(exc) from exc
    with uow:
        store = DeploymentKeyStore(uow.conn)
        recorded = store.recorded()
        problems = _problems(recorded, here)
        holds_data = not recorded and store.holds_data()
    if problems:
        raise KeysMismatch("keys_mismatch", {"problems": "; ".join(problems), "how": how})
    missing = material.missing()
    if missing:
        names = ", ".join(_NAMES[m] for m in missing)
        if not recorded and not holds_data and material.is_empty():
            raise KeysMismatch("keys_none", {"how": how})
        raise KeysMismatch("keys_missing", {"missing": names, "how": how})
    try:
        secrets = secrets_from(material)
    except KeySourceError as exc:
        raise _unreadable(exc) from exc
    live = {(r.purpose, r.fingerprint) for r in recorded}
    wanted = {("data", d.fingerprint) for d in here.data}
    if recorded and wanted <= live:
        return KeyCheck("matched", secrets, retired_vkeys=_retired_vkeys(recorded))
    with uow.writing():
        store = DeploymentKeyStore(uow.conn)
        store.lock()
        recorded = store.recorded()  # another process may have recorded them meanwhile
        problems = _problems(recorded, here)
        outcome: Literal["matched", "recorded", "adopted"] = "matched" if recorded else "recorded"
        if not recorded and store.holds_data():
            outcome = "adopted"
            problems = _unproven(secrets, store)
            if problems:
                raise KeysMismatch("keys_unproven", {"problems": "; ".join(problems), "how": how})
        if problems:
            raise KeysMismatch("keys_mismatch", {"problems": "; ".join(problems), "how": how})
        added = _record(store, here, recorded)
        uow.commit()
    return KeyCheck(outcome, secrets, tuple(added), _retired_vkeys(recorded))


# --- cbec admin keys init / show -----------------------------------------------------------


@dataclass(frozen=True)
class InitRequest:
    """``to_file``: write the keys file; else return them as environment lines."""

    to_file: bool = True


@dataclass(frozen=True)
class InitResult:
    prints: KeyPrints
    path: Path | None = None  # the keys file written
    env: tuple[str, ...] = ()  # or the lines to give the environment


def init_keys(uow: UnitOfWork, settings: Settings, req: InitRequest) -> InitResult:
    """Make the keys of a new deployment, once: refused when the process already has keys
    (from any source) or the database records keys or holds data."""
    try:
        resolved = resolve(settings)
    except KeySourceError as exc:
        raise _unreadable(exc) from exc
    path = keys_file(settings)
    if not resolved.material.is_empty():
        env = "/".join(ENV_NAMES[k] for k in REQUIRED)
        raise KeysMismatch("keys_exist", {"where": f"{env} or {resolved.source}"})
    if req.to_file and not settings.key_provider and path.exists():
        raise KeysMismatch("keys_exist", {"where": str(path)})
    with uow:
        store = DeploymentKeyStore(uow.conn)
        if store.recorded() or store.holds_data():
            raise KeysMismatch("keys_exist", {"where": "the database"})
    material = generate(settings)
    if not req.to_file:
        return InitResult(prints_of(material), env=tuple(env_lines(material)))
    try:
        write_keys_file(path, material)
    except FileExistsError as exc:  # another init got there first
        raise KeysMismatch("keys_exist", {"where": str(path)}) from exc
    return InitResult(prints_of(material), path=path)


@dataclass(frozen=True)
class KeyRow:
    """One line of ``cbec admin keys show``: a key by purpose and fingerprint, whether this
    process has it and whether (and since when) the database records it."""

    purpose: str
    fingerprint: str
    kid: str | None
    here: bool
    recorded: bool
    added_at: str | None
    retired_at: str | None
    # a data key's cipher ("sm4-gcm", "aes-256-gcm") when this process holds the key (the
    # database records fingerprints, and a fingerprint does not say the key's length)
    algorithm: str | None = None


def show_keys(uow: UnitOfWork, resolved: ResolvedKeys) -> list[KeyRow]:
    """The process's keys beside the database's, fingerprints only."""
    try:
        here = prints_of(resolved.material)
    except KeySourceError as exc:
        raise _unreadable(exc) from exc
    with uow:
        recorded = DeploymentKeyStore(uow.conn).recorded()
    mine = [("data", d.fingerprint, d.kid) for d in here.data]
    mine += [(p, fp, None) for p, fp in (("hmac", here.hmac), ("ledger", here.ledger)) if fp]
    try:  # the keys being rotated in (cbec.services.key_rotation) are here too
        m = resolved.material
        nxt = KeyMaterial(hmac_key=m.hmac_key_next, ledger_skey=m.ledger_skey_next)
        coming = prints_of(nxt)
    except KeySourceError as exc:
        raise _unreadable(exc) from exc
    mine += [(p, fp, None) for p, fp in (("hmac", coming.hmac), ("ledger", coming.ledger)) if fp]
    cipher = {d.fingerprint: CIPHER_OF.get(d.alg or "") for d in here.data}
    rows = []
    for r in recorded:
        rows.append(
            KeyRow(
                r.purpose,
                r.fingerprint,
                r.kid,
                any(p == r.purpose and fp == r.fingerprint for p, fp, _ in mine),
                True,
                r.added_at.isoformat(timespec="seconds"),
                r.retired_at.isoformat(timespec="seconds") if r.retired_at else None,
                cipher.get(r.fingerprint) if r.purpose == "data" else None,
            )
        )
    known = {(r.purpose, r.fingerprint) for r in recorded}
    for purpose, fp, kid in mine:
        if (purpose, fp) not in known:
            alg = cipher.get(fp) if purpose == "data" else None
            rows.append(KeyRow(purpose, fp, kid, True, False, None, None, alg))
    return rows


def resolve_keys(settings: Settings) -> ResolvedKeys:
    """The process's keys as configured, or :class:`KeysMismatch` if a source is unreadable."""
    try:
        return resolve(settings)
    except KeySourceError as exc:
        raise _unreadable(exc) from exc


def init_keys_for_new_database(uow: UnitOfWork, settings: Settings) -> bool:
    """For ``cbec demo`` (and so ``make run``): make the keys file when the process has no
    keys and the database is new and empty; ``False`` (nothing made) otherwise — the usual
    check then says what is wrong, if anything."""
    resolved = resolve_keys(settings)
    if not resolved.material.is_empty() or settings.key_provider:
        return False
    with uow:
        store = DeploymentKeyStore(uow.conn)
        if store.recorded() or store.holds_data():
            return False
    init_keys(uow, settings, InitRequest())
    return True
