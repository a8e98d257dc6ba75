"""``cbec admin backup`` and ``cbec admin restore``: a consistent copy of a running
installation — its database and the data directory files the database names — with a
manifest, and its restore into an empty database, checked before and after loading.

A backup is a directory, written under a temporary name (``<dest>.partial-…``) and renamed
to ``dest`` only once every file and the manifest are written and fsync'd (``rename(2)`` is
atomic): a backup killed half-way leaves a ``.partial-`` directory without a manifest,
which restore refuses, never a ``dest`` that looks whole. A directory, not a tar archive,
because the PostgreSQL dump is already compressed (``pg_dump -Fc``) and an operator's own
tools (``rsync``, ``restic``, object storage) copy and check a directory's files as they are.

Its files: ``database.sqlite`` (SQLite's online backup API) or ``database.pgdump``
(``pg_dump -Fc``), the data directory's files under ``files/`` (the screening lists' files,
named by their SHA-256), and ``manifest.json``: the format, cbec's version, when, the
dialect, the Alembic revision, rows per table, the evidence ledger's size, root and latest
signed checkpoint, the key fingerprints the database records, and each file's SHA-256 —
and ``manifest.sig``, a signed note (C2SP signed-note, the format of the ledger's
checkpoints) by the deployment's ledger signer key over the manifest's SHA-256, so a restore
knows the manifest is the deployment's own, not one rewritten to match altered files, and an
auditor can check it with the public verifier key alone (``cbec ledger key``). The note's
first line names what is signed, so a signature over a manifest is never taken for a
checkpoint's (key-usage separation, NIST SP 800-57 Part 1 §5.2). Never a key: keys are
backed up by the operator, apart (README, *Keys*); the manifest's fingerprints say which
keys a restore needs. How each dialect's copy is one consistent state, and the manifest read
from that same state, is in :mod:`cbec.store.backup_store`.

Backup refuses, before writing anything, a process whose keys are not the ones the
database records (:func:`~cbec.services.deployment_keys.ensure_keys`, as every command that
touches the data): its manifest would be signed by a ledger key that is not the
deployment's.

Restore refuses, before writing anything, a backup without a manifest or of another format,
a process whose ledger verifier key is not the one the manifest records (a key mismatch
naming it, checked before the signature, which it could not verify), a manifest whose
signature does not verify with the process's ledger verifier key, a file
whose SHA-256 differs, a revision this program does not know (an older one is
restored then upgraded), keys that are not the manifest's (as
:func:`~cbec.services.deployment_keys.ensure_keys` refuses a process), another dialect, a
target database that holds tables. After loading, the rows per table and the ledger's size
and root must be the manifest's, and the ledger is re-derived as ``cbec ledger fsck`` does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cbec.config import Settings
from cbec.errors import BackupRefused, KeysMismatch
from cbec.ledger import note
from cbec.store import backup_store as bs
from cbec.store.db import make_engine, refresh_statistics
from cbec.trade.ports import now

FORMAT = 2  # 2: the manifest is signed (manifest.sig)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNED_WHAT = "cbec backup manifest"  # the signed note's first line
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
CHUNK = 1 << 20

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class BackupDone:
    path: Path
    manifest: dict[str, Any]


def _copy(source: Path, dest: Path) -> str:
    """Copy ``source`` to ``dest`` (fsync'd) and return the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as src, open(dest, "wb") as out:
        while block := src.read(CHUNK):
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(settings: Settings, dest: Path, progress: Progress = _quiet) -> BackupDone:
    """Write a backup of the configured installation to the new directory ``dest`` while it
    keeps serving (see the module's docstring)."""
    dest = dest.absolute()
    if dest.exists():
        raise BackupRefused("backup_exists", {"path": str(dest)})
    url = settings.resolved_database_url()
    dialect = bs.dialect_of(url)
    if dialect not in DUMPS:
        raise BackupRefused("backup_failed", {"detail": f"no backup for {dialect} databases"})
    signer = _checked_keys(settings, url)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{dest.name}.partial-", dir=dest.parent))
    try:
        manifest = _write(settings, url, dialect, work, progress, signer)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # a failure leaves nothing half-written
        raise
    os.rename(work, dest)  # atomic: dest appears whole or not at all
    _fsync_dir(dest.parent)
    return BackupDone(dest, manifest)


def _write(
    settings: Settings, url: str, dialect: str, work: Path, progress: Progress, signer: str
) -> dict[str, Any]:
    """The backup's files and manifest in ``work`` (see :func:`backup`)."""
    from cbec import __version__

    dump = work / DUMPS[dialect]
    progress(f"copying the database into {work}")
    try:
        if dialect == "sqlite":
            bs.copy_sqlite(bs.sqlite_file(url), dump)
            progress("database snapshot taken")
            engine = bs.read_only_engine(dump)
            try:
                with engine.connect() as conn:
                    found = bs.facts(conn)  # from the copy: what it holds, exactly
            finally:
                engine.dispose()
        else:
            engine = make_engine(url)
            try:
                with bs.pg_snapshot(engine) as (conn, snapshot):
                    found = bs.facts(conn)  # the snapshot pg_dump dumps
                    progress(f"database snapshot {snapshot} taken")
                    bs.pg_dump(url, snapshot, dump)
            finally:
                engine.dispose()
    except bs.ToolFailed as exc:
        raise BackupRefused("backup_failed", {"detail": str(exc)}) from exc
    files = {DUMPS[dialect]: _sha256(dump)}
    progress(f"copying {len(found['data_files'])} data directory file(s)")
    for name in found["data_files"]:
        source = settings.data_dir / name
        if not source.exists():
            raise BackupRefused("backup_failed", {"detail": f"{source} is missing"})
        files[f"files/{name}"] = _copy(source, work / "files" / name)
    manifest = {
        "format": FORMAT,
        "cbec_version": __version__,
        "created_at": now().isoformat(),
        "dialect": dialect,
        **found,
        "files": files,
    }
    _write_text(work / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    signed = note.sign(_signed_text(_sha256(work / MANIFEST)), signer)
    _write_text(work / SIGNATURE, signed)
    _fsync_dir(work)
    return manifest


def _signed_text(manifest_sha256: str) -> str:
    return f"{SIGNED_WHAT}\nsha256 {manifest_sha256}\n"


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _checked_keys(settings: Settings, url: str) -> str:
    """The process's keys checked against the ones the database records, as every command
    that touches the data checks them (:func:`~cbec.services.deployment_keys.ensure_keys`),
    before anything is written: a backup taken with another deployment's keys would have its
    manifest signed by a ledger key that is not the deployment's, and no restore with the
    deployment's keys would take it. The ledger signer key, which signs the manifest."""
    from cbec.services.deployment_keys import ensure_keys, resolve_keys
    from cbec.store.repository import UnitOfWork

    engine = make_engine(url, settings.sqlite_busy_timeout_ms)
    try:
        return ensure_keys(UnitOfWork(engine), resolve_keys(settings)).secrets.ledger_skey
    finally:
        engine.dispose()


def _ledger_skey(settings: Settings) -> str:
    """The process's ledger signer key, which signs the manifest: a backup is taken where
    the deployment's keys are (README, *Keys*)."""
    from cbec.privacy.keyprovider import KeySourceError
    from cbec.privacy.keystore import secrets_from
    from cbec.services.deployment_keys import resolve_keys

    resolved = resolve_keys(settings)
    if resolved.material.ledger_skey is None:
        how = resolved.how_to_supply()
        raise KeysMismatch("keys_missing", {"missing": "ledger signer key", "how": how})
    try:
        return secrets_from(resolved.material).ledger_skey
    except KeySourceError as exc:
        raise KeysMismatch("keys_unreadable", {"detail": str(exc)}) from exc


# --- restore ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreDone:
    manifest: dict[str, Any]
    revision: str  # the schema after the restore (the backup's, upgraded to this program's)
    ledger_size: int


def read_manifest(src: Path, vkeys: list[str]) -> dict[str, Any]:
    """The manifest of a complete, unaltered backup: refused when it is missing (an
    interrupted backup), not signed by one of the ledger verifier keys ``vkeys``, of another
    format, or a file's SHA-256 is not the manifest's."""
    path = src / MANIFEST
    if not src.is_dir() or not path.is_file():
        detail = "it has no manifest.json" + (
            " (an interrupted backup leaves a .partial- directory: delete it)"
            if ".partial-" in src.name
            else ""
        )
        raise BackupRefused("backup_incomplete", {"path": str(src), "detail": detail})
    _check_signature(src, vkeys)
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except ValueError as exc:
        raise BackupRefused("backup_altered", {"path": str(src), "detail": str(exc)}) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        got = manifest.get("format") if isinstance(manifest, dict) else None
        detail = f"manifest format {got!r}, this cbec reads {FORMAT}"
        raise BackupRefused("backup_altered", {"path": str(src), "detail": detail})
    for name, want in manifest["files"].items():
        file = src / name
        if not file.resolve().is_relative_to(src.resolve()) or not file.is_file():
            detail = f"{name} is missing"
            raise BackupRefused("backup_altered", {"path": str(src), "detail": detail})
        got = _sha256(file)
        if got != want:
            detail = f"{name} has SHA-256 {got}, the manifest says {want}"
            raise BackupRefused("backup_altered", {"path": str(src), "detail": detail})
    return manifest


def _check_signature(src: Path, vkeys: list[str]) -> None:
    """``manifest.sig`` must be a note by one of ``vkeys`` over this very manifest."""
    sig = src / SIGNATURE
    if not sig.is_file():
        detail = f"{SIGNATURE} is missing (a backup by an older cbec, or altered)"
        raise BackupRefused("backup_altered", {"path": str(src), "detail": detail})
    try:
        text = note.text_of(sig.read_bytes())
        note.open_note(sig.read_bytes(), vkeys)
    except note.NoteError as exc:
        detail = f"{SIGNATURE} does not verify with this deployment's ledger key ({exc})"
        raise BackupRefused("backup_altered", {"path": str(src), "detail": detail}) from exc
    if text != _signed_text(_sha256(src / MANIFEST)):
        detail = f"{MANIFEST} is not the manifest {SIGNATURE} signs"
        raise BackupRefused("backup_altered", {"path": str(src), "detail": detail})


def _check_revision(revision: str | None) -> None:
    from alembic.script import ScriptDirectory

    from cbec.store.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    if revision is not None and revision not in {r.revision for r in script.walk_revisions()}:
        head = ", ".join(script.get_heads())
        raise BackupRefused("backup_too_new", {"revision": revision, "head": head})


def _recorded(manifest: dict[str, Any]) -> list[Any]:
    """The keys the backup's database recorded, as :func:`ensure_keys` compares them."""
    from cbec.store.deployment_key_store import RecordedKey

    at = datetime.fromisoformat(manifest["created_at"])
    return [
        RecordedKey(
            k["purpose"], k["fingerprint"], k["kid"], False, at, at if k["retired"] else None
        )
        for k in manifest["keys"]
    ]


def _check_keys(
    settings: Settings, manifest: dict[str, Any], purposes: tuple[str, ...] = ()
) -> None:
    """The process's keys against the manifest's fingerprints (those of ``purposes`` only,
    when given), as a process's are checked against the database's when it starts."""
    from cbec.privacy.keyprovider import KeySourceError
    from cbec.privacy.keystore import prints_of
    from cbec.services.deployment_keys import key_problems, resolve_keys

    resolved = resolve_keys(settings)
    try:
        here = prints_of(resolved.material)
    except KeySourceError as exc:
        raise KeysMismatch("keys_unreadable", {"detail": str(exc)}) from exc
    recorded = [r for r in _recorded(manifest) if not purposes or r.purpose in purposes]
    problems = key_problems(recorded, here)
    if problems:
        how = resolved.how_to_supply()
        raise BackupRefused("backup_other_keys", {"problems": "; ".join(problems), "how": how})


def _check_ledger_key(settings: Settings, src: Path) -> None:
    """Before the manifest's signature is checked: a backup whose manifest records another
    ledger verifier key than this process's is refused as a key mismatch naming the key
    (restore it where the deployment's keys are), not as an altered backup — which a
    signature that does not verify would say. The manifest is not trusted for anything
    else here: a manifest that names this process's key is still refused if the signature
    is not by it."""
    try:
        manifest = json.loads((src / MANIFEST).read_text("utf-8"))
        _recorded(manifest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # read_manifest says what is wrong with it
    _check_keys(settings, manifest, purposes=("ledger",))


def _compare(found: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    problems = []
    for table, n in manifest["tables"].items():
        if found["tables"].get(table) != n:
            problems.append(f"{table} holds {found['tables'].get(table)} rows, not {n}")
    mine, theirs = found["ledger"] or {}, manifest["ledger"] or {}
    for key in ("size", "integrated", "root"):
        if mine.get(key) != theirs.get(key):
            problems.append(f"ledger {key} {mine.get(key)}, not {theirs.get(key)}")
    if found["revision"] != manifest["revision"]:
        problems.append(f"revision {found['revision']}, not {manifest['revision']}")
    return problems


def restore(settings: Settings, src: Path, progress: Progress = _quiet) -> RestoreDone:
    """Restore the backup ``src`` into the configured database, which must be empty, and
    its files into the data directory; then check it (see the module's docstring)."""
    from cbec.runtime import open_runtime

    src = src.absolute()
    skey = _ledger_skey(settings)
    _check_ledger_key(settings, src)
    manifest = read_manifest(src, [note.verifier_from_skey(skey)])
    url = settings.resolved_database_url()
    dialect = bs.dialect_of(url)
    if manifest["dialect"] != dialect:
        params = {"backup": manifest["dialect"], "target": dialect}
        raise BackupRefused("backup_dialect", params)
    _check_revision(manifest["revision"])
    _check_keys(settings, manifest)
    engine = make_engine(url)
    try:
        tables = bs.tables_in(engine)
        if tables:
            shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
            raise BackupRefused("restore_not_empty", {"tables": shown})
        progress(f"restoring {len(manifest['files']) - 1} data directory file(s)")
        for name in manifest["files"]:
            if name.startswith("files/"):
                _place(src / name, settings.data_dir / name.removeprefix("files/"))
        progress("loading the database")
        dump = src / DUMPS[dialect]
        try:
            if dialect == "sqlite":
                engine.dispose()
                bs.load_sqlite(dump, bs.sqlite_file(url))
            else:
                bs.pg_restore(url, dump)
                # pg_restore brings no planner statistics: until autovacuum analyses the
                # tables, the planner would guess (its manual: run ANALYZE after a restore)
                refresh_statistics(engine)
        except bs.ToolFailed as exc:
            raise BackupRefused("restore_mismatch", {"detail": str(exc)}) from exc
        with engine.connect() as conn:
            problems = _compare(bs.facts(conn), manifest)
    finally:
        engine.dispose()
    if problems:
        raise BackupRefused("restore_mismatch", {"detail": "; ".join(problems)})
    progress("checking the keys, upgrading the schema and re-deriving the ledger")
    rt = open_runtime(settings)  # upgrades an older revision; checks the keys again
    try:
        problems = rt.ledger.fsck()
        state = rt.ledger.state()
        with rt.engine.connect() as conn:
            revision = bs.revision_of(conn)
    finally:
        rt.engine.dispose()
    if problems:
        raise BackupRefused("restore_mismatch", {"detail": "; ".join(problems)})
    return RestoreDone(manifest, revision or "", state.size if state else 0)


def _place(source: Path, dest: Path) -> None:
    """Copy a verified file into the data directory under a temporary name, then rename."""
    tmp = dest.with_name(dest.name + ".restoring")
    _copy(source, tmp)
    os.replace(tmp, dest)
    _fsync_dir(dest.parent)
