"""The cipher of a deployment's data keys (cbec.privacy.cipher_policy): SM4-GCM for a China
deployment, which is what a deployment that says nothing is; AES-256-GCM elsewhere or when
chosen; and a deployment moving from AES-256-GCM to SM4-GCM by rotating its data key. The
key lengths are the oracle (GB/T 32907: SM4 keys are 128 bits; AES-256 keys 256 bits), and
tokens name their algorithm (``enc1.sm4gcm.…``). SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.config import Settings
from cbec.demo import loader
from cbec.ledger.entry import content_hash
from cbec.privacy.cipher_policy import CipherPolicyError, choose, region_cipher
from cbec.privacy.keyprovider import generate, keys_file
from cbec.privacy.vault import ERASED, is_person_token
from cbec.runtime import open_runtime
from cbec.services import key_rotation as rot
from cbec.services.documents import FileRequest, caller_named, file_document
from cbec.services.key_history import key_history
from cbec.store.person_key_store import PersonKeyStore, wrap_aad
from cbec.store.repository import UnitOfWork
from cbec.store.tables import document_versions, person_keys, tenants
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from tests.conftest import DEMO_ANCHOR, KEY_VARS, ON_POSTGRES, PG_URL, init_keys, reset_postgres
from tests.system.test_key_rotation import clear_bodies, kids_of, stored


def key_bytes(spec: str) -> list[bytes]:
    return [base64.b64decode(item.split("=", 1)[1]) for item in spec.split(",")]


@pytest.fixture
def no_cipher_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment that says nothing about its cipher or region."""
    for name in ("CBEC_FIELD_CIPHER", "CBEC_DATA_REGION", *KEY_VARS):
        monkeypatch.delenv(name, raising=False)


def test_a_deployment_that_says_nothing_makes_sm4_keys(no_cipher_env, tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.data_region == "cn" and settings.field_cipher is None
    assert [len(k) for k in key_bytes(generate(settings).data_keys)] == [16]


@pytest.mark.parametrize(
    ("region", "cipher", "size"),
    [
        ("cn", None, 16),
        ("de", None, 32),
        ("global", None, 32),
        ("cn", "aes-256-gcm", 32),  # chosen: the region does not matter
        ("us", "sm4-gcm", 16),
    ],
)
def test_the_region_or_the_chosen_cipher_fixes_the_key(tmp_path, region, cipher, size):
    settings = Settings(data_dir=tmp_path, data_region=region, field_cipher=cipher)
    assert [len(k) for k in key_bytes(generate(settings).data_keys)] == [size]


def test_the_region_table_is_dated():
    assert region_cipher("cn", date(2026, 12, 5)) == "sm4-gcm"
    assert region_cipher("cn", date(2021, 10, 1)) == "sm4-gcm"
    # before GB/T 39786-2021 took effect, China fell under the row for every other region
    assert region_cipher("cn", date(2021, 9, 30)) == "aes-256-gcm"
    assert region_cipher("sg", date(2026, 12, 5)) == "aes-256-gcm"
    assert choose("aes-256-gcm", "cn", date(2026, 12, 5)) == "aes-256-gcm"
    with pytest.raises(CipherPolicyError, match="'CN'"):
        region_cipher("CN", date(2026, 12, 5))
    with pytest.raises(CipherPolicyError, match="sm4-cbc"):
        choose("sm4-cbc", "cn", date(2026, 12, 5))


@pytest.mark.parametrize(
    ("name", "value"), [("CBEC_DATA_REGION", "china"), ("CBEC_FIELD_CIPHER", "sm4-cbc")]
)
def test_a_setting_that_names_nothing_known_is_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert name.removeprefix("CBEC_").lower() in str(refused.value)


@pytest.fixture
def aes_deployment(tmp_path: Path, no_cipher_env) -> Settings:
    """A deployment whose keys file holds an AES-256-GCM data key, with the demo loaded."""
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'cipher.db'}"
    settings = Settings(data_dir=tmp_path / "data", database_url=url, field_cipher="aes-256-gcm")
    init_keys(settings)
    rt = open_runtime(settings)
    loader.load(rt, 20, DEMO_ANCHOR)
    rt.engine.dispose()
    return settings


def show(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    monkeypatch.setenv("CBEC_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("CBEC_DATA_DIR", str(settings.data_dir))
    result = CliRunner().invoke(app, ["admin", "keys", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    text = CliRunner().invoke(app, ["admin", "keys", "show"]).stdout
    assert "algorithm" in text and max(len(line) for line in text.splitlines()) <= 80
    return [r for r in json.loads(result.stdout) if r["purpose"] == "data"]


def sealed_tokens(rt) -> list[str]:
    """Every token stored in the documents, their earlier versions and the person keys."""
    with rt.uow() as uow:
        v = document_versions.c
        texts = [t for r in uow.conn.execute(select(v.body, v.commit_salt)).all() for t in r]
        texts += uow.conn.execute(select(person_keys.c.wrapped)).scalars().all()
    texts += [t for r in stored(rt) for t in (r.body, r.commit_salt)]
    return [
        part
        for text in texts
        if isinstance(text, str)
        for part in text.split('"')
        if part.startswith("enc1.")
    ]


def person_key_sizes(rt) -> list[int]:
    """The sizes of the live person keys' secrets (16: SM4, 32: AES-256)."""
    with rt.uow() as uow:
        rows = uow.conn.execute(
            select(person_keys.c.id, person_keys.c.tenant_id, person_keys.c.wrapped).where(
                person_keys.c.wrapped.is_not(None)
            )
        ).all()
    return [
        len(base64.b64decode(rt.vault.open_value(*wrap_aad(t, pkid), w))) for pkid, t, w in rows
    ]


def test_an_aes_deployment_moves_to_sm4_by_rotating_its_data_key(aes_deployment, monkeypatch):
    """Region cn (the default) and no cipher chosen: the next data key is SM4; once active
    and re-encrypted, every token sealed under the deployment key is ``enc1.sm4gcm.<new
    key>``, every person key is wrapped under it and is itself an SM4 key (the values sealed
    under it re-sealed: ``enc1.sm4gcm.~<person key>``), and everything reads as before."""
    aes = aes_deployment
    rt = open_runtime(aes)
    old = rt.vault.ring.active.kid
    before = clear_bodies(rt)
    assert any(".a256gcm." in r.body for r in stored(rt))
    rt.engine.dispose()

    sm4 = aes.model_copy(update={"field_cipher": None})
    assert sm4.data_region == "cn"
    new = rot.add_data_key(sm4).kid
    rt = open_runtime(sm4)  # holds both keys; the database records the new one
    assert {k.kid: k.alg for k in rt.vault.ring.keys} == {old: "a256gcm", new: "sm4gcm"}
    rot.activate(rt.engine, sm4, new)
    rt.engine.dispose()
    shown = show(sm4, monkeypatch)
    assert {(r["fingerprint"], r["algorithm"]) for r in shown} == {
        (old, "aes-256-gcm"),
        (new, "sm4-gcm"),
    }

    rt = open_runtime(sm4)
    assert rt.vault.ring.active.kid == new
    on_person = sum(1 for r in stored(rt) if is_person_token(r.commit_salt))
    with rt.uow() as uow:
        wrapped = uow.conn.execute(select(person_keys.c.wrapped)).scalars().all()
    assert 0 < len(wrapped) <= on_person < len(before)
    done = rot.re_encrypt(rt, batch=9)
    assert done["documents.commit_salt"] == len(before) - on_person
    assert done["person_keys.wrapped"] == len(wrapped)
    assert done["person_keys.cipher"] == len(wrapped)
    assert kids_of(rt) == {new}
    tokens = sealed_tokens(rt)
    assert tokens and all(t.startswith("enc1.sm4gcm.") for t in tokens)
    assert {t.split(".")[2] for t in tokens if not is_person_token(t)} == {new}
    assert sum(1 for t in tokens if is_person_token(t)) > on_person  # bodies and salts
    assert person_key_sizes(rt) == [16] * len(wrapped)
    assert clear_bodies(rt) == before
    assert rot.re_encrypt(rt) == {}  # nothing is left: a second run changes nothing
    rot.retire(rt.engine, old)
    rt.engine.dispose()
    # the AES key leaves the keys file; the SM4 key alone reads every document
    material = json.loads(keys_file(sm4).read_text())
    assert [len(k) for k in key_bytes(material["data_keys"])] == [32, 16]
    only_new = ",".join(k for k in material["data_keys"].split(",") if k.startswith(new))
    rt = open_runtime(sm4.model_copy(update={"data_keys": only_new, "active_key_id": new}))
    assert clear_bodies(rt) == before
    # the auditors' key list: the cipher of the key this process holds; none for the other
    auditor = Viewer(0, "regulator", Role.REGULATOR)
    listed = [k for k in key_history(rt.uow(), auditor).keys if k.purpose == "data"]
    assert {(k.fingerprint, k.algorithm) for k in listed} == {(old, None), (new, "sm4-gcm")}
    rt.engine.dispose()


def evidence_holds(rt, bodies: dict[str, dict]) -> int:
    """How many documents' clear bodies and salts hash to the content hash of their ledger
    entry (the erased ones, whose salt is gone, are not counted); fails on one that does not."""
    checked = 0
    for r in stored(rt):
        opened = bodies[r.id]
        if opened["salt"] == ERASED or r.ledger_index is None:
            continue
        entry = json.loads(rt.ledger.entry(r.ledger_index).data)
        salt = base64.b64decode(opened["salt"])
        assert content_hash(opened["body"], KINDS[r.kind].pii, salt) == entry["content_sha256"]
        checked += 1
    return checked


def test_an_erased_person_stays_erased_when_person_keys_move_to_sm4(aes_deployment):
    """A person erased before the move keeps their tombstone (no wrapped key, the same
    erasure time) and their documents stay as they were, unreadable; every other person's
    key becomes an SM4 key, and the ledger evidence of their documents still verifies: the
    salts are the same, only their encryption changed."""
    aes = aes_deployment
    rt = open_runtime(aes)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    with rt.uow(write=True) as uow:
        erased = uow.conn.execute(select(person_keys).order_by(person_keys.c.id).limit(1)).one()
        PersonKeyStore(uow.conn, uow.vault).shred(erased.tenant_id, erased.subject_ref, at)
        uow.commit()
    rows = {r.id: (r.body, r.commit_salt) for r in stored(rt)}
    theirs = {d for d, (_, salt) in rows.items() if f".~{erased.id}." in salt}
    before = clear_bodies(rt)
    assert theirs and all(before[d]["salt"] == ERASED for d in theirs)
    on_person = sum(1 for _, salt in rows.values() if is_person_token(salt))
    assert on_person > len(theirs) and evidence_holds(rt, before) == len(rows) - len(theirs)
    rt.engine.dispose()

    sm4 = aes.model_copy(update={"field_cipher": None})
    new = rot.add_data_key(sm4).kid
    rt = open_runtime(sm4)
    rot.activate(rt.engine, sm4, new)
    rt.engine.dispose()
    rt = open_runtime(sm4)
    live = len(person_key_sizes(rt))
    assert live > 0
    done = rot.re_encrypt(rt, batch=5)
    assert done["person_keys.cipher"] == live
    assert person_key_sizes(rt) == [16] * live

    with rt.uow() as uow:
        tomb = uow.conn.execute(select(person_keys).where(person_keys.c.id == erased.id)).one()
    assert tomb.wrapped is None and tomb.erased_at == at
    after = {r.id: (r.body, r.commit_salt) for r in stored(rt)}
    assert {d: after[d] for d in theirs} == {d: rows[d] for d in theirs}
    moved = [d for d, (_, salt) in rows.items() if d not in theirs and is_person_token(salt)]
    assert moved and all(after[d] != rows[d] for d in moved)
    assert clear_bodies(rt) == before
    assert evidence_holds(rt, clear_bodies(rt)) == len(rows) - len(theirs)
    rt.engine.dispose()


def test_a_filing_whose_person_key_moves_to_sm4_before_its_write_is_sealed_as_it_is_now(
    aes_deployment, monkeypatch
):
    """An order filed on a person who has a key: the filing finds the (AES) key before the
    write lock, a re-encryption then gives it an SM4 secret, and the write must not seal the
    order under the secret the key no longer holds — it is sealed again under the key as it
    is now, and reads back in clear, its evidence verifying."""
    aes = aes_deployment
    sm4 = aes.model_copy(update={"field_cipher": None})
    new = rot.add_data_key(sm4).kid
    rt = open_runtime(sm4)
    rot.activate(rt.engine, sm4, new)
    rt.engine.dispose()
    rt = open_runtime(sm4)
    row = next(r for r in stored(rt) if r.kind == "order" and is_person_token(r.commit_salt))
    pkid = row.commit_salt.split(".")[2][1:]
    with rt.uow() as uow:
        filer = uow.conn.execute(
            select(tenants.c.name).where(tenants.c.id == row.filer_tenant_id)
        ).scalar_one()
    caller = caller_named(rt.uow(), filer)
    order = clear_bodies(rt)[row.id]["body"] | {"order_no": "CIPHER-RACE-1"}

    grouped = UnitOfWork.grouped
    moved: list[dict[str, int]] = []

    def move_first(self, work):  # the re-encryption commits after the read step
        if not moved:
            thread = threading.Thread(target=lambda: moved.append(rot.re_encrypt(rt)))
            thread.start()
            thread.join(120)
            assert moved
        return grouped(self, work)

    monkeypatch.setattr(UnitOfWork, "grouped", move_first)
    req = FileRequest(kind="order", body=json.dumps(order, ensure_ascii=False).encode())
    filed = file_document(rt.uow(), caller, req)
    monkeypatch.undo()
    assert filed.status == 201 and moved[0]["person_keys.cipher"] > 0
    doc_id = filed.view["id"]

    assert person_key_sizes(rt) == [16] * len(person_key_sizes(rt))
    mine = next(r for r in stored(rt) if r.id == doc_id)
    tokens = [p for p in (*mine.body.split('"'), mine.commit_salt) if p.startswith("enc1.")]
    assert tokens and all(t.startswith(f"enc1.sm4gcm.~{pkid}.") for t in tokens)
    opened = clear_bodies(rt)[doc_id]
    assert opened["body"]["buyer"] == order["buyer"]
    assert evidence_holds(rt, clear_bodies(rt)) == len(stored(rt))
    rt.engine.dispose()
