"""The cipher of a deployment's data keys (cbec.privacy.cipher_policy): SM4-GCM for a China
deployment, which is what a deployment that says nothing is; AES-256-GCM elsewhere or when
chosen; and a deployment moving from AES-256-GCM to SM4-GCM by rotating its data key. The
key lengths are the oracle (GB/T 32907: SM4 keys are 128 bits; AES-256 keys 256 bits), and
tokens name their algorithm (``enc1.sm4gcm.…``). SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.config import Settings
from cbec.demo import loader
from cbec.privacy.cipher_policy import CipherPolicyError, choose, region_cipher
from cbec.privacy.keyprovider import generate, keys_file
from cbec.privacy.vault import is_person_token
from cbec.runtime import open_runtime
from cbec.services import key_rotation as rot
from cbec.store.tables import person_keys
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


def test_an_aes_deployment_moves_to_sm4_by_rotating_its_data_key(aes_deployment, monkeypatch):
    """Region cn (the default) and no cipher chosen: the next data key is SM4; once active
    and re-encrypted, every token sealed under the deployment key is ``enc1.sm4gcm.<new
    key>``, every person key is wrapped under it, and everything reads as before. (A value
    sealed under a person's key keeps that key: rotation rewraps the key, not the value.)"""
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
    assert kids_of(rt) == {new}
    tokens = [
        part
        for r in stored(rt)
        for part in r.body.split('"')
        if part.startswith("enc1.") and not is_person_token(part)
    ]
    with rt.uow() as uow:
        tokens += uow.conn.execute(select(person_keys.c.wrapped)).scalars().all()
    assert tokens and all(t.startswith(f"enc1.sm4gcm.{new}.") for t in tokens)
    assert clear_bodies(rt) == before
    rot.retire(rt.engine, old)
    rt.engine.dispose()
    # the AES key leaves the keys file; the SM4 key alone reads every document
    material = json.loads(keys_file(sm4).read_text())
    assert [len(k) for k in key_bytes(material["data_keys"])] == [32, 16]
    only_new = ",".join(k for k in material["data_keys"].split(",") if k.startswith(new))
    rt = open_runtime(sm4.model_copy(update={"data_keys": only_new, "active_key_id": new}))
    assert clear_bodies(rt) == before
    rt.engine.dispose()
