"""Rotating the deployment's keys (cbec.services.key_rotation), on real data and real crypto.

Each test loads the demo into a database of its own, with keys in a keys file as ``cbec
admin keys init`` makes them, rotates one key, and then reads with a process that holds
the new keys only: every document opens in clear and still matches its ledger entry (data
key); re-filing gives "unchanged" and blind indexes find their documents (HMAC key); old
checkpoints verify, the transition checkpoint carries both signatures, the offline verifier
accepts old and new bundles (ledger key). SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.config import Settings
from cbec.demo import loader
from cbec.errors import KeysMismatch
from cbec.ledger.entry import content_hash
from cbec.ledger.note import NoteError, open_checkpoint, verifier_from_skey
from cbec.ledger.verify import verify_bundle
from cbec.privacy.keyprovider import KeyMaterial, keys_file, replace_keys_file
from cbec.privacy.keystore import hmac_key_fingerprint
from cbec.privacy.vault import is_person_token
from cbec.runtime import Runtime, open_runtime
from cbec.services import import_desk_drafts as drafts
from cbec.services import key_rotation as rot
from cbec.services import sessions, transfers
from cbec.services.deployment_keys import resolve_keys, show_keys
from cbec.services.documents import (
    ChangeRequest,
    FileRequest,
    RevealRequest,
    caller_named,
    change_document,
    file_document,
    reveal_document,
)
from cbec.services.import_desk_models import Upload
from cbec.services.import_desk_review import review
from cbec.services.key_history import key_history
from cbec.services.transfer_models import TransferRequest
from cbec.store.customs_store import SigningKeyStore
from cbec.store.repository import UnitOfWork
from cbec.store.tables import (
    deployment_keys,
    document_versions,
    documents,
    hmac_rekey,
    ledger_entries,
    person_keys,
    tax_quota_charges,
    tax_quota_usage,
    tenants,
)
from cbec.store.tax_store import QuotaStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.canonical import canonical_bytes
from cbec.trade.kinds import KINDS
from tests.conftest import DEMO_ANCHOR, KEY_VARS, ON_POSTGRES, PG_URL, init_keys, reset_postgres


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'rot.db'}"
    return init_keys(Settings(data_dir=tmp_path / "data", database_url=url))


@pytest.fixture
def loaded(settings: Settings) -> Runtime:
    rt = open_runtime(settings)
    loader.load(rt, 60, DEMO_ANCHOR)
    rt.ledger.integrate(force_checkpoint=True)
    yield rt
    rt.engine.dispose()


def file_keys(settings: Settings) -> dict[str, Any]:
    return json.loads(keys_file(settings).read_text())


def stored(rt: Runtime) -> list[Any]:
    with rt.uow() as uow:
        return list(uow.conn.execute(select(documents).order_by(documents.c.seq)).all())


def clear_bodies(rt: Runtime) -> dict[str, dict[str, Any]]:
    """Every document's body in clear and its evidence salt, opened with ``rt``'s keys."""
    out = {}
    for r in stored(rt):
        kind = KINDS[r.kind]
        body = rt.vault.open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        salt = rt.vault.open_value(kind.name, r.id, "commit_salt", r.commit_salt)
        out[r.id] = {"body": body, "salt": salt, "ledger_index": r.ledger_index}
    return out


def ledger_data(rt: Runtime) -> list[bytes]:
    with rt.uow() as uow:
        t = ledger_entries
        return [bytes(d) for d in uow.conn.execute(select(t.c.data).order_by(t.c.idx)).scalars()]


def recorded(rt: Runtime, purpose: str) -> list[Any]:
    with rt.uow() as uow:
        t = deployment_keys
        return list(uow.conn.execute(select(t).where(t.c.purpose == purpose).order_by(t.c.id)))


def kids_of(rt: Runtime) -> set[str]:
    """The data keys the stored tokens name: the documents' own, or — for a document sealed
    under its person's key (``~…``) — the key that person's key is wrapped under."""
    kids = set()
    for r in stored(rt):
        for text in (r.body, r.commit_salt):
            kids |= {part.split(".")[2] for part in text.split('"') if part.startswith("enc1.")}
    with rt.uow() as uow:
        wrapped = uow.conn.execute(select(person_keys.c.id, person_keys.c.wrapped)).all()
    persons = {"~" + pkid for pkid, _ in wrapped}
    assert {k for k in kids if k.startswith("~")} <= persons  # no document names a lost key
    return {k for k in kids if not k.startswith("~")} | {w.split(".")[2] for _, w in wrapped}


# --- data keys -----------------------------------------------------------------------------


def change_a_product(rt: Runtime) -> str:
    """Change a product (its old version is kept, sealed): the id."""
    product = next(r for r in stored(rt) if r.kind == "product")
    with rt.uow() as uow:
        filer = uow.conn.execute(
            select(tenants.c.name).where(tenants.c.id == product.filer_tenant_id)
        ).scalar_one()
    caller = caller_named(rt.uow(), filer)
    body = json.loads(product.body)
    body["name_en"] = body["name_en"] + " (new label)"
    req = ChangeRequest(kind="product", doc_id=product.id, body=json.dumps(body).encode())
    change_document(rt.uow(), caller, req)
    return product.id


def sealed_elsewhere(rt: Runtime) -> tuple[str, str, str]:
    """Values sealed outside documents: a console user's TOTP secret (enrolled, not yet
    confirmed) and an import desk draft, beside the demo's customs signing keys. The
    session token, the TOTP secret and the draft's id."""
    login, password = loader.admin_of(rt.secrets.demo_seed, "sz-gadgets")
    issued = sessions.login(rt.uow(), sessions.LoginRequest(login=login, password=password))
    user = sessions.session_user(rt.uow(), issued.token)
    assert user is not None
    secret = sessions.enrol_totp(rt.uow(), user).secret
    upload = Upload(kind="product", body=b"sku,name_en\nSZ-ROT-1,Rotation lamp\n")
    draft = drafts.stage_upload(rt.uow(), user, upload).id
    return issued.token, secret, draft


def opens_elsewhere(rt: Runtime, token: str, secret: str, draft: str) -> None:
    """What :func:`sealed_elsewhere` sealed opens with ``rt``'s keys: the draft reads back,
    the TOTP secret accepts a code made with it, each signing key signs and verifies."""
    user = sessions.session_user(rt.uow(), token)
    assert user is not None
    assert review(rt.uow(), user, draft).header == ["sku", "name_en"]
    sessions.confirm_totp(rt.uow(), user, pyotp.TOTP(secret).now())
    # (caller_named enters a unit of work of its own: not inside the one below)
    tenant_ids = {tenant: caller_named(rt.uow(), tenant).tenant_id for tenant in loader.SIGNERS}
    with rt.uow() as uow:
        signers = SigningKeyStore(uow.conn, rt.vault)
        for tenant, tenant_id in tenant_ids.items():
            key = signers.signer(tenant_id)
            assert key is not None
            assert key.public_key().verify(key.sign(b"rotated"), b"rotated"), tenant


def test_data_key_rotation_reads_everything_without_the_old_key(settings, loaded):
    rt = loaded
    old = rt.vault.ring.active.kid
    change_a_product(rt)
    elsewhere = sealed_elsewhere(rt)
    before, entries = clear_bodies(rt), ledger_data(rt)
    new = rot.add_data_key(settings).kid
    keys = file_keys(settings)
    assert keys["active_key_id"] == old and new in keys["data_keys"]  # added, not active
    assert keys_file(settings).stat().st_mode & 0o777 == 0o600

    holder = open_runtime(settings)  # a process holding the new key: the database records it
    assert holder.vault.ring.active.kid == old
    assert [(r.kid, r.active) for r in recorded(holder, "data")] == [(old, True), (new, False)]
    with pytest.raises(KeysMismatch) as refused:
        rot.retire(holder.engine, old)
    assert "is the active one" in str(refused.value)
    with pytest.raises(KeysMismatch) as refused:
        rot.activate(holder.engine, settings, "0123456789abcdef")
    assert "holds no data key 0123456789abcdef" in str(refused.value)
    with pytest.raises(KeysMismatch) as refused:
        rot.retire(holder.engine, "0123456789abcdef")
    assert "records no data key 0123456789abcdef" in str(refused.value)
    rot.activate(holder.engine, settings, new)
    holder.engine.dispose()
    assert file_keys(settings)["active_key_id"] == new
    with pytest.raises(KeysMismatch) as refused:  # a process still sealing with the old key
        open_runtime(settings.model_copy(update={"active_key_id": old}))
    assert f"the active data key differs (the database's is {new}" in str(refused.value)

    rt2 = open_runtime(settings)
    assert rt2.vault.ring.active.kid == new
    left = rot.sealed_with(rt2.engine, old)
    rows = stored(rt2)
    # a document naming its buyer or payer is sealed under that person's key, itself wrapped
    # under the data key: rotation rewraps the person's key and leaves the document as it is
    on_person = sum(1 for r in rows if is_person_token(r.commit_salt))
    personal = sum(1 for r in rows if "enc1." in r.body and not is_person_token(r.commit_salt))
    with rt2.uow() as uow:
        persons = uow.conn.execute(select(func.count()).select_from(person_keys)).scalar_one()
    assert 0 < persons <= on_person < len(before)
    assert left["documents.commit_salt"] == len(before) - on_person
    assert left.get("documents.body", 0) == personal
    assert left["person_keys.wrapped"] == persons
    with pytest.raises(KeysMismatch) as refused:
        rot.retire(rt2.engine, old)
    assert f"still seals values in {sum(left.values())} stored rows" in str(refused.value)

    seen: list[tuple[str, int]] = []
    done = rot.re_encrypt(rt2, batch=7, progress=lambda what, n: seen.append((what, n)))
    assert done.get("documents.body", 0) == personal
    assert done["documents.commit_salt"] == len(before) - on_person
    assert done["person_keys.wrapped"] == persons
    assert ("person_keys.wrapped", persons) in seen and len(seen) > 2  # batch by batch
    assert done["document_versions.commit_salt"] == 1  # the product's earlier version
    assert done["users.totp_secret"] == 1 and done["import_drafts.payload"] == 1
    assert done["customs_signing_keys.private_key"] == len(loader.SIGNERS)
    assert rot.re_encrypt(rt2) == {}  # nothing is left: a second run changes nothing
    assert kids_of(rt2) == {new}
    assert rot.sealed_with(rt2.engine, old) == {}
    rot.retire(rt2.engine, old)
    assert [r.retired_at is not None for r in recorded(rt2, "data")] == [True, False]
    rt2.engine.dispose()

    # the old key leaves the keys file: a process without it reads every document in clear
    keys = file_keys(settings)
    keys["data_keys"] = ",".join(k for k in keys["data_keys"].split(",") if k.startswith(new))
    replace_keys_file(keys_file(settings), KeyMaterial(**keys))
    rt3 = open_runtime(settings)
    assert [k.kid for k in rt3.vault.ring.keys] == [new]
    after = clear_bodies(rt3)
    assert after == before  # the same content, salts and ledger entries …
    assert ledger_data(rt3)[: len(entries)] == entries  # … the log untouched
    for doc in list(after.values())[:5]:  # the salt still opens each entry's commitment
        entry = json.loads(ledger_data(rt3)[doc["ledger_index"]])
        kind = KINDS[entry["kind"]]
        salt = base64.b64decode(doc["salt"])
        assert content_hash(doc["body"], kind.pii, salt) == entry["content_sha256"]
    order = next(r for r in stored(rt3) if r.kind == "order")
    regulator = caller_named(rt3.uow(), "hz-customs")
    view = reveal_document(
        rt3.uow(), regulator, "order", order.id, RevealRequest(reason="key rotation test")
    )
    assert view["document"]["buyer"]["name"] == before[order.id]["body"]["buyer"]["name"]
    opens_elsewhere(rt3, *elsewhere)
    rt3.engine.dispose()


# --- the HMAC key --------------------------------------------------------------------------


def send_abroad(rt: Runtime, doc_id: str, record: bool = False) -> Any:
    """Plan (or record) a transfer abroad of one stored document, as its filer."""
    with rt.uow() as uow:
        filer_id = uow.conn.execute(
            select(documents.c.filer_tenant_id).where(documents.c.id == doc_id)
        ).scalar_one()
        filer = uow.conn.execute(select(tenants.c.name).where(tenants.c.id == filer_id))
        name = filer.scalar_one()
    caller = caller_named(rt.uow(), name)  # its own unit of work: none left open
    req = TransferRequest.model_validate(
        {
            "transfer": {
                "destination": "US",
                "recipient": "Overseas Analytics LLC",
                "purpose": "marketing",
                "data_categories": ["user"],
                "document_ids": [doc_id],
                "transferred_on": "2026-06-01",
            }
        }
    )
    use_case = transfers.record_transfer if record else transfers.plan_transfer
    return use_case(rt.uow(), caller, req)


def refile(rt: Runtime, doc_id: str) -> int:
    """File a stored document again, as its filer, from its body in clear: its status."""
    with rt.uow() as uow:
        row = uow.conn.execute(select(documents).where(documents.c.id == doc_id)).one()
        filer = uow.conn.execute(
            select(tenants.c.name).where(tenants.c.id == row.filer_tenant_id)
        ).scalar_one()
    kind = KINDS[row.kind]
    body = rt.vault.open(kind.name, row.id, kind.pii, json.loads(row.body), clear=True)
    caller = caller_named(rt.uow(), filer)
    req = FileRequest(kind=row.kind, body=json.dumps(body).encode())
    return file_document(rt.uow(), caller, req).status


BUYER = "11010519491231002X"


def charge_row(buyer_key: str) -> dict[str, Any]:
    return {
        "order_ref": "ROT-1",
        "tenant_id": 1,
        "buyer_key": buyer_key,
        "year": 2026,
        "counted_fen": 1234,
        "tax_fen": 112,
        "regime": "cbec",
        "assessment": "{}",
        "released_on": "2026-11-01",
        "charged_at": DEMO_ANCHOR,
    }


def test_hmac_rotation_keeps_lookups_and_unchanged_detection(settings, loaded):
    rt = loaded
    old_fp = hmac_key_fingerprint(rt.vault.hmac_key)
    orders = [r for r in stored(rt) if r.kind == "order"]
    sample = orders[0].id
    assert refile(rt, sample) == 200  # unchanged: the oracle before any rotation
    with rt.uow(write=True) as uow:  # a buyer's annual quota: a keyed row, a charge of it
        quota = QuotaStore(uow.conn, rt.vault)
        key = quota.buyer_key(BUYER)
        quota._locked_usage(key, 2026, BUYER)
        quota._add(key, 2026, 1234)
        uow.conn.execute(insert(tax_quota_charges).values(charge_row(key)))
        uow.commit()

    assert send_abroad(rt, sample, record=True).counts.sensitive == 1  # the register's person

    with pytest.raises(KeysMismatch) as refused:  # nothing to recompute before a next key
        rot.recompute(rt, settings)
    assert "no HMAC key is being rotated in" in str(refused.value)
    nxt = rot.add_hmac_key(rt.engine, settings).kid
    shown = show_keys(UnitOfWork(rt.engine), resolve_keys(settings))
    assert {(r.fingerprint, r.here) for r in shown if r.purpose == "hmac"} == {
        (old_fp, True),
        (nxt, True),
    }
    assert rot.add_hmac_key(rt.engine, settings).kid == nxt  # run again: the same next key
    assert "hmac_key_next" in file_keys(settings)
    assert [(r.fingerprint, r.active) for r in recorded(rt, "hmac")] == [
        (old_fp, True),
        (nxt, False),
    ]
    changed = change_a_product(rt)  # an earlier version with its own fingerprint
    mid = open_runtime(settings)  # mid-way, a process starts with the current key
    counts = rot.recompute(mid, settings, batch=11)
    assert counts["documents"] == len(stored(mid))
    assert rot.recompute(mid, settings)["documents"] == len(stored(mid))  # resumable, repeatable
    # the service still answers with the current key and its stored values
    assert refile(mid, sample) == 200
    assert [r.fingerprint for r in stored(mid)] == [r.fingerprint for r in stored(rt)]
    with mid.uow() as uow:
        staged = uow.conn.execute(select(hmac_rekey.c.row_key)).scalars().all()
    assert sample in staged and changed in staged
    # a document changed after the recompute (under the current key): the switch catches up
    assert change_a_product(mid) == changed

    rot.switch_hmac_key(mid, settings)
    mid.engine.dispose()
    keys = file_keys(settings)
    assert "hmac_key_next" not in keys
    assert hmac_key_fingerprint(base64.b64decode(keys["hmac_key"])) == nxt
    with pytest.raises(KeysMismatch) as refused:  # the old key is refused from now on
        open_runtime(
            settings.model_copy(update={"hmac_key": base64.b64encode(rt.vault.hmac_key).decode()})
        )
    assert "HMAC key differs" in str(refused.value)

    rt2 = open_runtime(settings)
    assert [(r.fingerprint, r.active, r.retired_at is not None) for r in recorded(rt2, "hmac")] == [
        (old_fp, False, True),
        (nxt, True, False),
    ]
    with rt2.uow() as uow:
        assert uow.conn.execute(select(hmac_rekey)).all() == []
    for r in stored(rt2):  # every fingerprint is the new key's (recomputed here as the oracle)
        kind = KINDS[r.kind]
        body = rt2.vault.open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        model = kind.model.model_validate(body)
        assert r.fingerprint == rt2.vault.fingerprint(canonical_bytes(model.model_dump()))
    assert refile(rt2, sample) == 200 and refile(rt2, orders[-1].id) == 200
    with rt2.uow() as uow:
        earlier = uow.conn.execute(
            select(document_versions).where(document_versions.c.document_id == changed)
        ).all()
    assert len(earlier) == 2
    for version in earlier:
        model = KINDS["product"].model.model_validate(json.loads(version.body))
        assert version.fingerprint == rt2.vault.fingerprint(canonical_bytes(model.model_dump()))
    # the auditors' record: the old HMAC key retired, the new one in use
    auditor = Viewer(0, "auditor", Role.REGULATOR)
    hmac_keys = [k for k in key_history(rt2.uow(), auditor).keys if k.purpose == "hmac"]
    assert [(k.fingerprint, k.active, k.retired_at is not None) for k in hmac_keys] == [
        (old_fp, False, True),
        (nxt, True, False),
    ]
    # the register knows the buyer it sent abroad: sent again, they are still one person
    assert send_abroad(rt2, sample).counts.sensitive == 1
    # the buyer's blind index finds their orders under the new key
    order = stored(rt2)[[r.id for r in stored(rt2)].index(sample)]
    body = rt2.vault.open("order", order.id, KINDS["order"].pii, json.loads(order.body), True)
    number = body["buyer"]["id_number"].strip().upper()
    ref = rt2.vault.blind_index("subject", f"{body['buyer']['id_type']}:{number}")
    assert ref == order.subject_ref
    with rt2.uow() as uow:
        found = uow.conn.execute(select(documents.c.id).where(documents.c.subject_ref == ref))
        assert sample in found.scalars().all()
        key = QuotaStore(uow.conn, rt2.vault).buyer_key(BUYER)  # the quota finds the buyer
        usage = uow.conn.execute(select(tax_quota_usage)).one()
        assert (usage.buyer_key, usage.used_fen) == (key, 1234)
        sealed_id = rt2.vault.open_value("cn_cbec_quota", f"{key}:2026", "buyer_id", usage.buyer_id)
        assert sealed_id == BUYER
        charged = uow.conn.execute(select(tax_quota_charges.c.buyer_key)).scalars().all()
        assert charged == [key]
        # each person's key follows them to the new index: the buyer's documents use it
        keyed = uow.conn.execute(
            select(person_keys.c.id).where(person_keys.c.subject_ref == ref)
        ).scalars()
        assert order.commit_salt.split(".")[2] in {"~" + pkid for pkid in keyed}
        refs = set(uow.conn.execute(select(person_keys.c.subject_ref)).scalars())
        filed = uow.conn.execute(select(documents.c.subject_ref).distinct()).scalars()
        assert refs and refs <= set(filed)
    rt2.engine.dispose()


# --- the ledger's signer key ---------------------------------------------------------------


def signature_lines(note: str) -> int:
    return sum(1 for line in note.splitlines() if line.startswith("— "))


def test_ledger_key_rotation_keeps_old_checkpoints_verifiable(settings, loaded):
    rt = loaded
    old, old_skey = rt.ledger.vkeys[0], rt.secrets.ledger_skey
    old_bundle = rt.ledger.bundle(3)
    assert verify_bundle(old_bundle, [old], origin=rt.ledger.origin).ok

    done = rot.rotate_ledger_key(rt, settings)
    new = done.new
    assert done.old == old and new != old
    assert new == verifier_from_skey(file_keys(settings)["ledger_skey"])
    assert "ledger_skey_next" not in file_keys(settings)
    # the transition checkpoint carries both signatures; each key alone verifies it
    assert done.checkpoint is not None and signature_lines(done.checkpoint) == 2
    cp_old, _ = open_checkpoint(done.checkpoint, [old])
    cp_new, _ = open_checkpoint(done.checkpoint, [new])
    assert cp_old == cp_new and cp_old.size > done.statement
    statement = json.loads(rt.ledger.entry(done.statement).data)
    assert statement["type"] == "cbec.key-rotation/v1"
    assert (statement["replaces"], statement["verifier_key"]) == (old, new)
    rt.engine.dispose()

    with pytest.raises(KeysMismatch) as refused:  # the old signer key is refused now
        open_runtime(settings.model_copy(update={"ledger_signer_key": old_skey}))
    assert "ledger signer key differs" in str(refused.value)
    rt2 = open_runtime(settings)
    assert rt2.ledger.vkeys == [new, old]  # the active key, then the retired one
    assert [
        (r.fingerprint, r.active, r.retired_at is not None) for r in recorded(rt2, "ledger")
    ] == [
        (old, False, True),
        (new, True, False),
    ]
    assert refile(rt2, stored(rt2)[0].id) == 200
    assert rt2.ledger.fsck() == []  # every checkpoint, old and new, verifies
    later = rt2.ledger.bundle(done.statement)  # against a checkpoint signed after the rotation
    rt2.ledger.append([("application/vnd.cbec.entry+json", b'{"type":"probe"}')])
    latest = rt2.ledger.integrate(force_checkpoint=True)
    assert latest is not None and signature_lines(latest.note) == 1
    with pytest.raises(NoteError):
        open_checkpoint(latest.note, [old])
    # the offline verifier: old bundles with the old key, new ones with the new key
    assert verify_bundle(old_bundle, [old], origin=rt2.ledger.origin).ok
    assert verify_bundle(later, [old], origin=rt2.ledger.origin).ok  # the transition one
    newest = rt2.ledger.bundle(3)
    assert verify_bundle(newest, [new], origin=rt2.ledger.origin).ok
    assert not verify_bundle(newest, [old], origin=rt2.ledger.origin).ok
    assert verify_bundle(newest, rt2.ledger.vkeys, origin=rt2.ledger.origin).ok
    rt2.engine.dispose()


# --- the keys file -------------------------------------------------------------------------


def test_a_keys_file_others_may_read_is_refused(settings):
    path = keys_file(settings)
    path.chmod(0o644)
    with pytest.raises(KeysMismatch) as refused:
        open_runtime(settings)
    said = str(refused.value)
    assert str(path) in said and "0644" in said and f"chmod 600 {path}" in said
    path.chmod(0o600)
    old = os.umask(0)  # written 0600 whatever the umask
    try:
        rot.add_data_key(settings)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    open_runtime(settings).engine.dispose()


def command_line(settings: Settings):
    base: dict[str, str | None] = {name: None for name in KEY_VARS}
    base |= {"LANG": "en_US.UTF-8", "CBEC_LANG": None, "CBEC_DATA_DIR": str(settings.data_dir)}
    base |= {"CBEC_DATABASE_URL": settings.database_url}

    def cbec(*args: str, env: dict[str, str | None] | None = None):
        return CliRunner().invoke(app, list(args), env=base | (env or {}))

    return cbec


def test_the_command_line_rotates_the_hmac_and_ledger_keys(settings, loaded):
    cbec = command_line(settings)
    old_hmac = hmac_key_fingerprint(loaded.vault.hmac_key)
    loaded.engine.dispose()
    for step, said in (
        ("add-hmac-key", "now run `recompute`"),
        ("recompute", "now run `switch-hmac-key`"),
        ("switch-hmac-key", "the old one is retired"),
        ("rotate-ledger-key", "replaces cbec.local/ledger+"),
    ):
        done = cbec("admin", "keys", step)
        assert done.exit_code == 0 and said in done.output, done.output
    keys = file_keys(settings)
    assert hmac_key_fingerprint(base64.b64decode(keys["hmac_key"])) != old_hmac
    printed = cbec("ledger", "key").stdout.split()
    assert printed[0] == verifier_from_skey(keys["ledger_skey"]) and len(printed) == 2
    shown = cbec("admin", "keys", "show", "--format", "json")
    assert shown.exit_code == 0
    rows = json.loads(shown.stdout)
    assert [r["retired_at"] is not None for r in rows if r["purpose"] != "data"].count(True) == 2


def test_the_command_line_rotates_a_data_key(settings, loaded):
    old = loaded.vault.ring.active.kid
    loaded.engine.dispose()
    run = command_line(settings)

    def cbec(*args: str):
        return run("admin", "keys", *args)

    added = cbec("add-data-key")
    assert added.exit_code == 0, added.output
    new = file_keys(settings)["data_keys"].split(",")[-1].split("=")[0]
    assert f"data key {new} added" in added.output
    assert cbec("show").exit_code == 0  # the process holds the new key: it is recorded
    assert cbec("activate", new).exit_code == 0
    refused = cbec("retire", old)
    assert refused.exit_code == 2 and "still seals values in" in refused.output
    done = cbec("re-encrypt", "--batch", "50")
    assert done.exit_code == 0 and f"under data key {new}" in done.output
    retired = cbec("retire", old)
    assert retired.exit_code == 0, retired.output
    assert "is retired" in retired.output


# --- keys in the environment (or a key provider): --format env ----------------------------


def exported(stdout: str) -> dict[str, str | None]:
    """The lines ``--format env`` prints, as a shell would apply them (``unset``: None)."""
    out: dict[str, str | None] = {}
    for line in stdout.splitlines():
        verb, _, rest = line.partition(" ")
        if verb == "export":
            name, _, value = rest.partition("=")
            assert value.startswith("'") and value.endswith("'"), line
            out[name] = value[1:-1]
        else:
            assert verb == "unset", line
            out[rest] = None
    return out


def test_the_hmac_and_ledger_keys_rotate_with_keys_in_the_environment(settings, loaded):
    """A deployment whose keys are environment variables: the keys file's way is refused,
    naming the fix; ``--format env`` prints the variables to set at each step. The next HMAC
    key is recorded when made and used only once the process holds it; the next ledger key
    is only made by the first run — nothing is logged or recorded until a process holding
    it runs the rotation, so no key signs before it is kept where the keys are."""
    keys = file_keys(settings)
    keys_file(settings).unlink()  # from here on the keys are in the environment only
    env: dict[str, str | None] = {
        "CBEC_DATA_KEYS": keys["data_keys"],
        "CBEC_HMAC_KEY": keys["hmac_key"],
        "CBEC_LEDGER_SIGNER_KEY": keys["ledger_skey"],
    }
    old_hmac = hmac_key_fingerprint(loaded.vault.hmac_key)
    old_vkey = loaded.ledger.vkeys[0]
    sample = stored(loaded)[0].id
    entries = len(ledger_data(loaded))
    loaded.engine.dispose()
    run = command_line(settings)

    def cbec(*args: str):
        return run(*args, env=env)

    def opened() -> Runtime:
        given = {k[5:].lower(): v for k, v in env.items() if v is not None}
        return open_runtime(
            Settings(data_dir=settings.data_dir, database_url=settings.database_url, **given)
        )

    for step, what in (
        ("add-hmac-key", "HMAC key"),
        ("switch-hmac-key", "HMAC key"),
        ("rotate-ledger-key", "ledger signer key"),
    ):
        refused = cbec("admin", "keys", step)
        assert refused.exit_code == 2, refused.output
        assert f"the keys file does not hold the {what} (they come from the environment)" in (
            refused.stderr
        )
        assert "use --format env" in refused.stderr
    assert not keys_file(settings).exists()

    # the HMAC key: add (recorded, printed), recompute and switch with it
    added = cbec("admin", "keys", "add-hmac-key", "--format", "env")
    assert added.exit_code == 0, added.output
    (nxt,) = exported(added.stdout).values()
    nxt_fp = hmac_key_fingerprint(base64.b64decode(nxt))
    assert f"next HMAC key {nxt_fp} recorded" in added.stderr
    assert not keys_file(settings).exists()  # nothing written but the database's record
    missing = cbec("admin", "keys", "recompute")  # the process does not hold it yet
    assert missing.exit_code == 2 and f"next HMAC key ({nxt_fp})" in missing.stderr
    assert "CBEC_HMAC_KEY_NEXT" in missing.stderr
    env |= exported(added.stdout)
    again = cbec("admin", "keys", "add-hmac-key", "--format", "env")
    assert again.stdout == added.stdout  # run again: the next key the process holds
    stale = run("admin", "keys", "recompute", env=env | {"CBEC_HMAC_KEY_NEXT": keys["hmac_key"]})
    assert stale.exit_code == 2 and "is not the one the database records" in stale.stderr
    recomputed = cbec("admin", "keys", "recompute")
    assert recomputed.exit_code == 0, recomputed.output
    switched = cbec("admin", "keys", "switch-hmac-key", "--format", "env")
    assert switched.exit_code == 0, switched.output
    assert exported(switched.stdout) == {"CBEC_HMAC_KEY": nxt, "CBEC_HMAC_KEY_NEXT": None}
    assert f"HMAC key {nxt_fp} is current" in switched.stderr
    old_env = dict(env)
    env |= exported(switched.stdout)
    refused = run("ledger", "key", env=old_env)  # the old key is refused from now on
    assert refused.exit_code == 2 and "HMAC key differs" in refused.stderr

    # the ledger key: the first run makes the key and changes nothing else
    made = cbec("admin", "keys", "rotate-ledger-key", "--format", "env")
    assert made.exit_code == 0, made.output
    (new_skey,) = exported(made.stdout).values()
    new_vkey = verifier_from_skey(new_skey)
    assert "nothing signed with it yet" in made.stderr
    assert cbec("ledger", "key").stdout.split() == [old_vkey]
    rt = opened()
    assert len(ledger_data(rt)) == entries
    assert [r.fingerprint for r in recorded(rt, "ledger")] == [old_vkey]
    rt.engine.dispose()
    env |= exported(made.stdout)  # kept where the keys are: the second run rotates to it
    rotated = cbec("admin", "keys", "rotate-ledger-key", "--format", "env")
    assert rotated.exit_code == 0, rotated.output
    assert exported(rotated.stdout) == {
        "CBEC_LEDGER_SIGNER_KEY": new_skey,
        "CBEC_LEDGER_SIGNER_KEY_NEXT": None,
    }
    assert "replaces cbec.local/ledger+" in rotated.stderr
    old_env = dict(env)
    env |= exported(rotated.stdout)
    refused = run("ledger", "key", env=old_env)
    assert refused.exit_code == 2 and "ledger signer key differs" in refused.stderr
    assert cbec("ledger", "key").stdout.split() == [new_vkey, old_vkey]
    fsck = cbec("ledger", "fsck")
    assert fsck.exit_code == 0, fsck.output

    rt = opened()
    assert [(r.fingerprint, r.active) for r in recorded(rt, "hmac")] == [
        (old_hmac, False),
        (nxt_fp, True),
    ]
    assert refile(rt, sample) == 200  # unchanged: the fingerprints are the new key's
    statement = json.loads(ledger_data(rt)[entries])
    assert (statement["replaces"], statement["verifier_key"]) == (old_vkey, new_vkey)
    rt.engine.dispose()
    assert not keys_file(settings).exists()
