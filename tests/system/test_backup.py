"""``cbec admin backup`` / ``restore`` (cbec.services.backup), on SQLite and PostgreSQL.

An installation with orders, a watch list (a file in its data directory) and a signed
ledger is backed up and restored into a new, empty database and data directory under the
same keys: the orders read back in clear, ``cbec ledger fsck`` passes, and the ledger's root
— recomputed here from the restored entries with RFC 6962's hashing, the oracle — is the
manifest's. A backup taken while a writer files orders is one consistent state: every
restored document's ledger entry is there, and the restored ledger is a prefix of a
checkpoint the live log signs afterwards (an RFC 6962 consistency proof, verified here). A
backup killed with SIGKILL leaves no backup that passes for whole, and harms nothing. A
tampered file, other keys, a non-empty target and a newer schema are each refused.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.config import Settings
from cbec.demo import synthetic
from cbec.errors import BackupRefused
from cbec.ledger import note
from cbec.ledger.merkle import HASHERS, root_from_leaf_hashes, verify_consistency
from cbec.privacy.vault import ERASED
from cbec.runtime import Runtime, open_runtime
from cbec.services import backup as svc
from cbec.services import documents as docs
from cbec.services.dsr_erasure import subject_erasure
from cbec.services.dsr_models import SubjectQuery
from cbec.services.screening import ListLoadRequest, load_list
from cbec.store.ledger_store import SqlLogStore
from cbec.tenancy.service import create_tenant
from tests.conftest import DATA, ON_POSTGRES, ROSTER, TEST_KEY_SETTINGS, cbec_env
from tests.databases import empty_database

FILED: list[str] = []  # the live fixture's order ids
ROOT = Path(__file__).resolve().parents[2]
WATCH_LIST = DATA / "sanctions" / "synthetic_sanctions.ftm.json"


def _file(rt: Runtime, n: int, rng: random.Random) -> str:
    filer = docs.caller_named(rt.uow(), "seller-a")
    order = synthetic.order(rng, "platform-a", "seller-a", f"BAK{n:06d}")
    done = docs.file_document(
        rt.uow(), filer, docs.FileRequest(kind="order", body=json.dumps(order).encode())
    )
    assert done.status == 201, done.view
    return done.view["id"]


@pytest.fixture
def live(rt: Runtime, parties) -> Runtime:
    """The suite's runtime with a watch list (a data directory file) and three orders."""
    regulator = parties["regulator"].viewer
    load_list(
        rt.uow(),
        regulator,
        ListLoadRequest(name="watch", source="test", content=WATCH_LIST.read_bytes()),
    )
    rng = random.Random(3)
    FILED[:] = [_file(rt, n, rng) for n in range(3)]
    rt.ledger.integrate(force_checkpoint=True)
    return rt


@pytest.fixture
def target(tmp_path: Path, live: Runtime) -> Iterator[Settings]:
    """A new, empty database and data directory, with the live installation's keys."""
    with empty_database(tmp_path, "restored") as url:
        yield live.settings.model_copy(
            update={"database_url": url, "data_dir": tmp_path / "restored-data"}
        )


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: object):
    for name, value in cbec_env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("CBEC_LANG", raising=False)
    return CliRunner().invoke(app, [str(a) for a in args])


def _entries_root(rt: Runtime) -> tuple[int, bytes]:
    """The oracle: the tree head over every entry's data, RFC 6962 §2.1, from the rows."""
    hasher = HASHERS[rt.settings.ledger_hash]
    with rt.engine.connect() as conn:
        store = SqlLogStore(conn)
        state = store.state()
        assert state is not None
        entries = store.entries(0, state.size)
    assert [e.index for e in entries] == list(range(state.size))
    return state.size, root_from_leaf_hashes([hasher.leaf(e.data) for e in entries], hasher)


def _readme_commands() -> tuple[list[list[str]], list[list[str]]]:
    """The README's worked example: the commands run on the live host, then on the new."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- backup:start -->", 1)[1].split("<!-- backup:end -->", 1)[0]
    here, there = block.split("```sh\n", 1)[1].rsplit("```", 1)[0].split("# on the new host")
    parse = [
        [line.split("#", 1)[0].split() for line in part.splitlines()] for part in (here, there)
    ]
    live_cmds, new_cmds = ([c[1:] for c in cmds if c[:1] == ["cbec"]] for cmds in parse)
    return live_cmds, new_cmds


def test_round_trip(live, target, tmp_path, monkeypatch):
    """The README's example, run as written but for the backup's path."""
    dest = tmp_path / "bak"
    live_cmds, new_cmds = _readme_commands()
    assert [c[:2] for c in live_cmds] == [["admin", "backup"]]
    assert [c[:2] for c in new_cmds] == [["admin", "restore"], ["ledger", "fsck"]]
    readme_dest = live_cmds[0][2]
    # one buyer erased before the backup: their key is a tombstone, the others' keys travel
    filer = docs.caller_named(live.uow(), "seller-a")
    first = docs.get_document(live.uow(), filer, "order", FILED[0])["document"]["buyer"]
    person = SubjectQuery(id_type=first["id_type"], id_number=first["id_number"])
    assert subject_erasure(live.uow(), filer, person).keys_shredded == 1
    live.ledger.integrate(force_checkpoint=True)  # the erasure's entry, as the others'

    def run(settings: Settings, cmd: list[str]):
        return _cli(settings, monkeypatch, *(str(dest) if a == readme_dest else a for a in cmd))

    done = run(live.settings, live_cmds[0])
    assert done.exit_code == 0, done.output
    assert "backup written to" in done.stdout
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["tables"]["documents"] == manifest["tables"]["person_keys"] == 3
    text = (dest / "manifest.json").read_text()
    keys = live.settings
    for secret in (keys.data_keys.partition("=")[2], keys.hmac_key, keys.ledger_signer_key):
        assert secret.rsplit("+", 1)[-1] not in text  # fingerprints only, never a key

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fields = readme.split("`manifest.json` holds:", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"`(\w+)`", fields)) - {"manifest"}
    assert set(manifest) <= named  # every field documented (the README names more: parts)

    restored = run(target, new_cmds[0])
    assert restored.exit_code == 0, restored.output
    fsck = run(target, new_cmds[1])
    assert fsck.exit_code == 0 and f"ok: {manifest['ledger']['size']} entries" in fsck.stdout

    rt2 = open_runtime(target)
    try:
        if ON_POSTGRES:  # restored with the planner's statistics (pg_restore brings none)
            with rt2.engine.connect() as conn:
                columns = conn.execute(
                    sa.text("SELECT count(*) FROM pg_stats WHERE tablename = 'documents'")
                ).scalar_one()
            assert columns > 0
        size, head = _entries_root(rt2)
        assert (size, head.hex()) == (manifest["ledger"]["size"], manifest["ledger"]["root"])
        filer = docs.caller_named(rt2.uow(), "seller-a")
        for doc_id in FILED:
            view = docs.get_document(live.uow(), filer, "order", doc_id)
            back = docs.get_document(rt2.uow(), filer, "order", doc_id)
            assert back["pii"] == "clear"
            assert back["document"] == view["document"]
            erased = back["document"]["buyer"]["name"] == ERASED
            assert erased == (doc_id == FILED[0])
        listed = target.data_dir / manifest["data_files"][0]
        assert listed.read_bytes() == WATCH_LIST.read_bytes()
        # the restored installation takes new orders on the same log
        _file(rt2, 99, random.Random(9))
    finally:
        rt2.engine.dispose()


def test_a_backup_while_orders_are_filed_is_a_prefix_of_the_live_log(live, target, tmp_path):
    """A writer files orders throughout; once the backup has taken its database snapshot it
    waits until the writer has committed two more orders, then carries on."""
    filed = threading.Condition()
    count = [0]
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        rng = random.Random(5)
        try:
            while not stop.is_set():
                _file(live, 1000 + count[0], rng)
                with filed:
                    count[0] += 1
                    filed.notify_all()
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            with filed:
                filed.notify_all()

    def more(n: int) -> None:
        with filed:
            want = count[0] + n
            assert filed.wait_for(lambda: count[0] >= want or failures, timeout=120)

    def progress(line: str) -> None:
        if line.startswith("database snapshot"):
            # the snapshot is taken (on PostgreSQL its transaction is still open and
            # pg_dump is yet to run in it): the writer commits more, which the backup
            # must not hold — its rows, manifest and ledger are all the snapshot's
            more(2)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        more(3)
        done = svc.backup(live.settings, tmp_path / "bak", progress)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert not failures, failures
    later = live.ledger.integrate(force_checkpoint=True) or live.ledger.latest_checkpoint()
    assert later is not None

    svc.restore(target, done.path)
    rt2 = open_runtime(target)
    try:
        assert rt2.ledger.fsck() == []
        size, head = _entries_root(rt2)
        assert size == done.manifest["ledger"]["size"] < later.size
        with rt2.engine.connect() as conn:  # every restored document's entry is in its log
            rows = conn.exec_driver_sql("SELECT id, ledger_index FROM documents").all()
        assert len(rows) == done.manifest["tables"]["documents"] >= 3 + 3
        assert all(ix is not None and 0 <= ix < size for _, ix in rows)
    finally:
        rt2.engine.dispose()
    # the live log, signed after the backup, extends the restored one (RFC 6962 §2.1.2)
    hasher = HASHERS[live.settings.ledger_hash]
    proof = live.ledger.consistency_proof(size, later.size)
    verify_consistency(size, later.size, proof, head, later.root, hasher)


def _backup_process(settings: Settings, dest: Path) -> subprocess.Popen[str]:
    env = {**os.environ, **cbec_env(settings), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "cbec.cli.main", "admin", "backup", str(dest)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: pg_dump dies with it
    )


WAIT_LIMIT = 120.0  # bounds a hang only: every wait ends as soon as its signal is seen


@contextlib.contextmanager
def _stalled_on_a_data_file(live: Runtime, tmp_path: Path) -> Iterator[Callable[[Popen], None]]:
    """SQLite: the watch list's file is swapped for a FIFO, so the backup, having copied the
    database, blocks opening it — mid-way, for as long as the test likes. Yields a wait for
    the backup's line saying it copies the data directory's files (it is at the FIFO)."""
    first = svc.backup(live.settings, tmp_path / "first").path
    (name,) = svc.read_manifest(first, _vkeys(live.settings))["data_files"]
    listed = live.settings.data_dir / name
    aside = listed.with_suffix(".aside")
    listed.rename(aside)
    os.mkfifo(listed)

    def reached(proc: Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "data directory file" in line:
                return
        pytest.fail(f"the backup ended early: {proc.wait()} {proc.stderr.read()}")

    try:
        yield reached
    finally:
        listed.unlink()
        aside.rename(listed)


BLOCKER = "cbec_backup_test.blocker"


@contextlib.contextmanager
def _stalled_in_pg_dump(live: Runtime, tmp_path: Path) -> Iterator[Callable[[Popen], None]]:
    """PostgreSQL: a table of the test's own, in a schema of its own (which the manifest's
    facts, read from the public schema, never touch), is held ACCESS EXCLUSIVE by an open
    transaction. ``pg_dump`` takes ACCESS SHARE on every table it dumps before it reads
    any, so it waits there with its output file open and nothing written — the backup is in
    the middle of ``pg_dump``. Yields a wait for that: ``pg_locks`` shows a ``pg_dump``
    backend's request for the table not granted (polled; a signal, not a guess of time)."""
    with live.engine.connect() as setup:
        setup.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS cbec_backup_test")
        setup.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {BLOCKER} (x integer)")
        setup.commit()
    holder = live.engine.connect()
    holder.begin()
    holder.exec_driver_sql(f"LOCK TABLE {BLOCKER} IN ACCESS EXCLUSIVE MODE")
    waiting = sa.text(
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE NOT l.granted AND l.relation = CAST(:t AS regclass) "
        "AND a.application_name = 'pg_dump'"
    )

    def reached(proc: Popen) -> None:
        deadline = time.monotonic() + WAIT_LIMIT
        with live.engine.connect() as probe:
            while not probe.execute(waiting, {"t": BLOCKER}).scalar_one():
                probe.rollback()  # a fresh snapshot of pg_locks each round
                if proc.poll() is not None:
                    pytest.fail(f"the backup ended early: {proc.returncode} {proc.stderr.read()}")
                assert time.monotonic() < deadline, "pg_dump never reached the locked table"
                threading.Event().wait(0.01)

    try:
        yield reached
    finally:
        holder.rollback()  # the killed pg_dump's backend gets the lock, finds no client, ends
        holder.close()
        with live.engine.connect() as teardown:
            teardown.exec_driver_sql("DROP SCHEMA cbec_backup_test CASCADE")
            teardown.commit()


@pytest.fixture
def killable(request, tmp_path) -> Iterator[Runtime]:
    """The installation a backup is killed in: on SQLite one of its own (a database file and
    data directory of this test's), so a kill, whatever it leaves, never reaches the file
    the rest of the suite runs on; on PostgreSQL the suite's (``pg_dump`` is killed, not a
    process with the database open)."""
    url = request.getfixturevalue("settings").resolved_database_url()
    if svc.bs.dialect_of(url) != "sqlite":
        yield request.getfixturevalue("live")
        return
    own = Settings(
        data_dir=tmp_path / "own-data",
        database_url=f"sqlite:///{tmp_path / 'own.db'}",
        **TEST_KEY_SETTINGS,
    )
    rt = open_runtime(own)
    try:
        with rt.uow(write=True) as uow:
            for name, role in ROSTER:
                create_tenant(uow.repo, name, role)
            uow.commit()
        regulator = docs.caller_named(rt.uow(), "regulator")
        req = ListLoadRequest(name="watch", source="test", content=WATCH_LIST.read_bytes())
        load_list(rt.uow(), regulator, req)
        rng = random.Random(3)
        for n in range(3):
            _file(rt, n, rng)
        rt.ledger.integrate(force_checkpoint=True)
        yield rt
    finally:
        rt.engine.dispose()


def test_a_backup_killed_half_way_is_never_taken_for_whole(killable, tmp_path, monkeypatch):
    """SIGKILL lands in the middle of the backup — on PostgreSQL while ``pg_dump`` runs, on
    SQLite after the database copy, at the data directory's files — and leaves a partial
    directory that no restore takes for a backup; the live installation is unharmed and the
    next backup is whole."""
    live = killable
    dialect = svc.bs.dialect_of(live.settings.resolved_database_url())
    stalled = _stalled_on_a_data_file if dialect == "sqlite" else _stalled_in_pg_dump
    dest = tmp_path / "bak"
    with stalled(live, tmp_path) as reached:
        proc = _backup_process(live.settings, dest)
        try:
            reached(proc)
        finally:  # SIGKILL while it is blocked: mid-way, whatever it was doing
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # its group: pg_dump too
            proc.wait()
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.close()
            proc.stderr.close()

    assert proc.returncode == -signal.SIGKILL
    assert not dest.exists()
    (partial,) = tmp_path.glob("bak.partial-*")
    dump = partial / svc.DUMPS[dialect]
    assert dump.exists()
    assert not (partial / svc.MANIFEST).exists()
    refused = _cli(live.settings, monkeypatch, "admin", "restore", partial)
    assert refused.exit_code == 2
    assert "is not a complete backup: it has no manifest.json" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    # the live installation is unharmed, and the next backup is whole
    fsck = _cli(live.settings, monkeypatch, "ledger", "fsck")
    assert fsck.exit_code == 0, fsck.output
    _file(live, 50, random.Random(50))
    again = _cli(live.settings, monkeypatch, "admin", "backup", dest)
    assert again.exit_code == 0, again.output
    assert svc.read_manifest(dest, _vkeys(live.settings))["tables"]["documents"] == 4


def test_a_backup_with_another_deployments_keys_is_refused_before_writing(
    live, tmp_path, monkeypatch
):
    """A host with another ledger signer key (or missing one) is refused as every command
    that touches the data is — the same line, exit status 2 — and writes nothing: its
    manifest would be signed by a key no restore with the deployment's keys accepts."""
    stranger, _ = note.generate_signer_key("cbec.local/ledger")
    other = live.settings.model_copy(update={"ledger_signer_key": stranger})
    theirs = "+".join(note.verifier_from_skey(live.settings.ledger_signer_key).split("+")[:2])
    mine = "+".join(note.verifier_from_skey(stranger).split("+")[:2])
    dest = tmp_path / "bak"
    refused = _cli(other, monkeypatch, "admin", "backup", dest)
    assert refused.exit_code == 2, refused.output
    said = refused.stderr
    assert said.count("\n") == 1 and "Traceback" not in said, said
    assert said.startswith("error: this process's keys are not the ones the database records")
    differs = f"ledger signer key differs (the database's verifier key is {theirs}"
    assert differs in said and f"this process's {mine})" in said
    assert said == _cli(other, monkeypatch, "ledger", "fsck").stderr  # as any command
    assert not list(tmp_path.glob("bak*"))  # no backup, no partial directory

    missing = live.settings.model_copy(update={"hmac_key": None})
    monkeypatch.delenv("CBEC_HMAC_KEY")  # set by the commands above
    refused = _cli(missing, monkeypatch, "admin", "backup", dest)
    assert refused.exit_code == 2 and "HMAC key is missing" in refused.stderr, refused.output
    assert not list(tmp_path.glob("bak*"))


def _vkeys(settings: Settings) -> list[str]:
    return [note.verifier_from_skey(settings.ledger_signer_key)]


def _sign(backup: Path, skey: str) -> None:
    """Sign ``backup``'s manifest as it stands with ``skey``, as a backup is signed."""
    sha = hashlib.sha256((backup / "manifest.json").read_bytes()).hexdigest()
    (backup / "manifest.sig").write_text(note.sign(f"cbec backup manifest\nsha256 {sha}\n", skey))


def test_the_manifest_is_signed_by_the_deployments_ledger_key(live, tmp_path):
    """An auditor checks a backup with the public verifier key alone: the note's signature
    by the ledger key, over the SHA-256 of the manifest as written."""
    done = svc.backup(live.settings, tmp_path / "bak")
    signed = (done.path / "manifest.sig").read_bytes()
    assert note.open_note(signed, _vkeys(live.settings)) == ["cbec.local/ledger"]
    sha = hashlib.sha256((done.path / "manifest.json").read_bytes()).hexdigest()
    assert note.text_of(signed) == f"cbec backup manifest\nsha256 {sha}\n"
    with pytest.raises(note.NoteError):  # not a checkpoint: never taken for one
        note.open_checkpoint(signed, _vkeys(live.settings))


def test_refusals(live, target, tmp_path, monkeypatch):
    done = svc.backup(live.settings, tmp_path / "bak")

    def copy(name: str) -> Path:
        return Path(shutil.copytree(done.path, tmp_path / name))

    with pytest.raises(BackupRefused) as exists:
        svc.backup(live.settings, done.path)
    assert exists.value.rule == "backup_exists"

    listed = live.settings.data_dir / done.manifest["data_files"][0]
    listed.rename(listed.with_suffix(".aside"))
    try:
        with pytest.raises(BackupRefused) as missing:
            svc.backup(live.settings, tmp_path / "other")
    finally:
        listed.with_suffix(".aside").rename(listed)
    assert missing.value.rule == "backup_failed" and str(listed) in str(missing.value)
    assert not list(tmp_path.glob("other*"))  # a failed backup leaves nothing behind

    tampered = copy("tampered")
    (dump,) = (n for n in done.manifest["files"] if n.startswith("database."))
    data = bytearray((tampered / dump).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tampered / dump).write_bytes(bytes(data))
    refused = _cli(target, monkeypatch, "admin", "restore", tampered)
    assert refused.exit_code == 2
    assert f"has been altered or damaged: {dump} has SHA-256" in refused.stderr

    # a manifest rewritten to match an altered dump: its signature no longer covers it
    rewritten = copy("rewritten")
    manifest = json.loads((rewritten / "manifest.json").read_text())
    (rewritten / dump).write_bytes((tampered / dump).read_bytes())
    manifest["files"][dump] = hashlib.sha256((tampered / dump).read_bytes()).hexdigest()
    (rewritten / "manifest.json").write_text(json.dumps(manifest))
    refused = _cli(target, monkeypatch, "admin", "restore", rewritten)
    assert refused.exit_code == 2
    assert "manifest.json is not the manifest manifest.sig signs" in refused.stderr
    # … and re-signed by a key that is not the deployment's
    stranger, _ = note.generate_signer_key("cbec.local/ledger")
    _sign(rewritten, stranger)
    with pytest.raises(BackupRefused) as foreign:
        svc.restore(target, rewritten)
    assert foreign.value.rule == "backup_altered"
    assert "manifest.sig does not verify with this deployment's ledger key" in str(foreign.value)
    unsigned = copy("unsigned")
    (unsigned / "manifest.sig").unlink()
    with pytest.raises(BackupRefused) as missing_sig:
        svc.restore(target, unsigned)
    assert "manifest.sig is missing" in str(missing_sig.value)

    newer = copy("newer")
    manifest = json.loads((newer / "manifest.json").read_text())
    manifest["revision"] = "9999"
    (newer / "manifest.json").write_text(json.dumps(manifest))
    _sign(newer, live.settings.ledger_signer_key)  # a newer cbec's backup, signed as it would
    with pytest.raises(BackupRefused) as too_new:
        svc.restore(target, newer)
    assert too_new.value.rule == "backup_too_new" and "9999" in str(too_new.value)

    other = target.model_copy(update={"hmac_key": base64.b64encode(b"o" * 32).decode()})
    with pytest.raises(BackupRefused) as keys:
        svc.restore(other, done.path)
    assert keys.value.rule == "backup_other_keys" and "HMAC key differs" in str(keys.value)

    with pytest.raises(BackupRefused) as not_empty:
        svc.restore(live.settings, done.path)  # the live database itself
    assert not_empty.value.rule == "restore_not_empty"
    # nothing was written by any refusal: the target takes the backup whole
    assert not (target.data_dir / "screening").exists()
    svc.restore(target, done.path)


def test_restore_names_the_key_or_the_dialect_that_differs(live, target, tmp_path, monkeypatch):
    """A process whose data key or ledger key is not the backup's is refused as a key
    mismatch naming the key by fingerprint — the ledger key before the manifest's signature
    is checked, so it is not taken for an altered backup — and a backup of the other dialect
    is refused naming both; each on one line, exit status 2, nothing written."""
    done = svc.backup(live.settings, tmp_path / "bak")
    recorded = {k["purpose"]: k["fingerprint"] for k in done.manifest["keys"]}

    def refused(settings: Settings, src: Path) -> str:
        said = _cli(settings, monkeypatch, "admin", "restore", src)
        assert said.exit_code == 2, said.output
        assert said.stderr.count("\n") == 1 and "Traceback" not in said.stderr, said.stderr
        return said.stderr

    other_data = "t1=" + base64.b64encode(b"d" * 32).decode()  # the same id, another key
    said = refused(target.model_copy(update={"data_keys": other_data}), done.path)
    assert "this process's keys are not the ones the backup's database records" in said
    assert f"data key {recorded['data']} (id t1) is missing" in said

    stranger, _ = note.generate_signer_key("cbec.local/ledger")
    said = refused(target.model_copy(update={"ledger_signer_key": stranger}), done.path)
    assert "altered" not in said
    theirs = "+".join(recorded["ledger"].split("+")[:2])
    mine = "+".join(note.verifier_from_skey(stranger).split("+")[:2])
    assert "this process's keys are not the ones the backup's database records" in said
    assert f"ledger signer key differs (the database's verifier key is {theirs}" in said
    assert f"this process's {mine})" in said

    dialect = done.manifest["dialect"]
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[dialect]
    moved = Path(shutil.copytree(done.path, tmp_path / "other-dialect"))
    manifest = json.loads((moved / "manifest.json").read_text())
    manifest["dialect"] = other
    (moved / "manifest.json").write_text(json.dumps(manifest))
    _sign(moved, live.settings.ledger_signer_key)  # signed as the deployment would
    said = refused(target, moved)
    assert f"the backup is of a {other} database and the target is {dialect}" in said
    with pytest.raises(BackupRefused) as wrong:
        svc.restore(target, moved)
    assert wrong.value.rule == "backup_dialect"

    # nothing was written by any refusal: the target takes the backup whole
    assert not (target.data_dir / "screening").exists()
    svc.restore(target, done.path)
