"""Keys belong to the deployment and the database knows which (cbec.services.deployment_keys).

The scenario of a second host: host 1 makes the keys and files an order; a host with the
same database and no keys, or other keys, refuses to start — the CLI and ``cbec serve`` —
naming each key that is missing or different by fingerprint; a host given host 1's keys
(the copied keys file, environment variables, or a secrets-manager plug-in) reads host 1's
order in clear and prints the same ledger key. The fingerprints are recomputed here with
hashlib from the keys file (the oracle), not taken from cbec. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cbec.api.app import create_app
from cbec.cli.main import app
from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.ledger.note import generate_signer_key, verifier_from_skey
from cbec.privacy.fieldcrypt import KeyRing, KeyRingError
from cbec.privacy.keyprovider import KeyMaterial, generate
from cbec.runtime import open_runtime
from cbec.store.tables import deployment_keys
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from tests.conftest import (
    KEY_VARS,
    ON_POSTGRES,
    PG_URL,
    TEST_HMAC,
    TEST_LEDGER_SKEY,
    init_keys,
    make_order,
    reset_postgres,
)
from tests.serverproc import CBEC, START_LIMIT, free_port


def data_fp(key: bytes) -> str:
    """The oracle: SHA-256 over the documented label and the key, first 16 hex digits."""
    return hashlib.sha256(b"cbec data key v1\x00" + key).hexdigest()[:16]


def hmac_fp(key: bytes) -> str:
    return hashlib.sha256(b"cbec hmac key v1\x00" + key).hexdigest()[:16]


def spec_key(spec: str) -> tuple[str, bytes]:
    kid, _, b64 = spec.partition("=")
    return kid, base64.b64decode(b64)


@dataclass
class Host:
    """A machine running cbec: its data folder, the shared database, its environment."""

    data_dir: Path
    url: str
    env: dict[str, str]

    def settings(self) -> Settings:
        return Settings(
            data_dir=self.data_dir,
            database_url=self.url,
            **{k[5:].lower(): v for k, v in self.env.items() if k in KEY_VARS},
        )

    def cbec(self, *args: str) -> Result:
        env: dict[str, str | None] = {name: None for name in KEY_VARS}
        env |= {"LANG": "en_US.UTF-8", "CBEC_LANG": None, "CBEC_DATA_DIR": str(self.data_dir)}
        env |= {"CBEC_DATABASE_URL": self.url, **self.env}
        return CliRunner().invoke(app, list(args), env=env)

    def process_env(self) -> dict[str, str]:
        import os

        env = {k: v for k, v in os.environ.items() if k not in KEY_VARS}
        env |= {"CBEC_DATA_DIR": str(self.data_dir), "CBEC_DATABASE_URL": self.url}
        return env | self.env | {"LANG": "en_US.UTF-8"}

    @property
    def keys(self) -> dict[str, str]:
        return json.loads((self.data_dir / "secrets.json").read_text())


@pytest.fixture
def url(tmp_path: Path) -> str:
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'shared.db'}"


def host(tmp_path: Path, url: str, name: str, **env: str) -> Host:
    return Host(tmp_path / name, url, env)


def file_an_order(h: Host) -> tuple[str, dict]:
    """Host ``h`` files an order through the API and signs a checkpoint over it."""
    rt = open_runtime(h.settings())
    with rt.uow(write=True) as uow:
        _, seller_key = create_tenant(uow.repo, "seller-a", Role.SELLER)
        create_tenant(uow.repo, "platform-a", Role.PLATFORM)
        uow.commit()
    order = make_order(random.Random(3), 1)
    with TestClient(create_app(rt)) as client:
        r = client.post("/orders", json=order, headers={"Authorization": f"Bearer {seller_key}"})
        assert r.status_code == 201, r.text
    rt.ledger.integrate(force_checkpoint=True)
    rt.engine.dispose()
    h.seller_key = seller_key  # type: ignore[attr-defined]
    return r.json()["id"], order


def read_order(h: Host, doc_id: str, seller_key: str) -> dict:
    rt = open_runtime(h.settings())
    with TestClient(create_app(rt)) as client:
        got = client.get(f"/orders/{doc_id}", headers={"Authorization": f"Bearer {seller_key}"})
    rt.engine.dispose()
    assert got.status_code == 200, got.text
    return got.json()["document"]


def refused(result: Result) -> str:
    """The one-line refusal of a command: exit status 2, no traceback, the message."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    text = result.stderr
    assert "Traceback" not in text and text.startswith("error: ")
    assert text.count("\n") == 1, text  # one line, unwrapped
    return text


def test_key_ids_are_fingerprints_of_the_keys():
    material = generate(Settings(field_cipher="aes-256-gcm"))
    kid, key = spec_key(material.data_keys)
    assert len(key) == 32 and kid == data_fp(key)
    sm4 = generate(Settings(field_cipher="sm4-gcm"))
    kid, key = spec_key(sm4.data_keys)
    assert len(key) == 16 and kid == data_fp(key)
    # a fingerprint-shaped id that is not the key's own is refused, a named id is read as is
    other = base64.b64encode(bytes(32)).decode()
    with pytest.raises(KeyRingError, match="not of this key"):
        KeyRing.from_spec(f"{data_fp(b'x' * 32)}={other}")
    assert KeyRing.from_spec(f"k1={other}").active.kid == "k1"
    assert generate(Settings(field_cipher="aes-256-gcm")).data_keys != material.data_keys


def test_the_second_host_scenario(tmp_path, url):
    h1 = host(tmp_path, url, "host1")
    assert h1.cbec("admin", "keys", "init").exit_code == 0
    keys = h1.keys
    kid, data_key = spec_key(keys["data_keys"])
    assert kid == data_fp(data_key)
    hmac_print = hmac_fp(base64.b64decode(keys["hmac_key"]))
    vkey = verifier_from_skey(keys["ledger_skey"])
    doc_id, order = file_an_order(h1)
    seller_key = h1.seller_key  # type: ignore[attr-defined]
    ledger_key = h1.cbec("ledger", "key")
    assert ledger_key.exit_code == 0 and ledger_key.stdout == vkey + "\n"

    # host 2, same database, an empty data folder: refuses, naming the three keys
    h2 = host(tmp_path, url, "host2")
    said = refused(h2.cbec("ledger", "key"))
    assert f"data key {kid} is missing" in said
    assert f"HMAC key is missing (the database's is {hmac_print})" in said
    assert f"ledger signer key is missing (the database's verifier key is {vkey[:-45]})" in said
    assert "CBEC_DATA_KEYS" in said and str(h2.data_dir / "secrets.json") in said
    for secret in (keys["hmac_key"], keys["ledger_skey"], keys["data_keys"].split("=", 1)[1]):
        assert secret not in said
    assert not (h2.data_dir / "secrets.json").exists()  # nothing was made
    refused(h2.cbec("admin", "keys", "init"))  # the database has keys: init is not for it
    assert h2.cbec("db", "upgrade").exit_code == 0  # the schema needs no keys

    # host 2 with keys of its own: refuses, naming which differ
    init_keys(h2.settings())
    other = h2.keys
    said = refused(h2.cbec("admin", "list-tenants"))
    assert f"data key {kid} is missing" in said
    other_hmac = hmac_fp(base64.b64decode(other["hmac_key"]))
    assert f"HMAC key differs (the database's is {hmac_print}, this process's {other_hmac})" in (
        said
    )
    other_vkey = verifier_from_skey(other["ledger_skey"])
    assert f"ledger signer key differs (the database's verifier key is {vkey[:-45]}" in said
    assert f"this process's {other_vkey[:-45]})" in said
    show = h2.cbec("admin", "keys", "show", "--format", "json")
    assert show.exit_code == 1  # "no": a key the database needs is not here
    rows = {(r["purpose"], r["fingerprint"]): r for r in json.loads(show.stdout)}
    assert rows[("data", kid)]["recorded"] and not rows[("data", kid)]["here"]
    assert rows[("hmac", other_hmac)]["here"] and not rows[("hmac", other_hmac)]["recorded"]
    assert rows[("ledger", vkey)]["recorded"] and not rows[("ledger", vkey)]["here"]

    # host 3 with a copy of host 1's keys file: the same ledger key, the order in clear
    h3 = host(tmp_path, url, "host3")
    h3.data_dir.mkdir()
    shutil.copy(h1.data_dir / "secrets.json", h3.data_dir / "secrets.json")
    assert h3.cbec("ledger", "key").stdout == ledger_key.stdout
    doc = read_order(h3, doc_id, seller_key)
    assert doc["buyer"]["id_number"] == order["buyer"]["id_number"]
    assert doc["buyer"]["name"] == order["buyer"]["name"]
    show = h3.cbec("admin", "keys", "show", "--format", "json")
    assert show.exit_code == 0 and all(r["here"] and r["recorded"] for r in json.loads(show.stdout))

    # host 4 with the keys in environment variables and no file
    h4 = host(
        tmp_path,
        url,
        "host4",
        CBEC_DATA_KEYS=keys["data_keys"],
        CBEC_HMAC_KEY=keys["hmac_key"],
        CBEC_LEDGER_SIGNER_KEY=keys["ledger_skey"],
    )
    assert h4.cbec("ledger", "key").stdout == ledger_key.stdout
    assert read_order(h4, doc_id, seller_key)["buyer"]["id_number"] == order["buyer"]["id_number"]
    assert not h4.data_dir.exists()


def test_cbec_serve_refuses_to_start_with_other_keys(tmp_path, url):
    h1 = host(tmp_path, url, "host1")
    assert h1.cbec("admin", "keys", "init").exit_code == 0
    kid = spec_key(h1.keys["data_keys"])[0]
    assert h1.cbec("ledger", "key").exit_code == 0  # records host 1's keys
    h2 = host(tmp_path, url, "host2")
    proc = subprocess.run(
        [CBEC, "serve", "--port", str(free_port())],
        env=h2.process_env(),
        capture_output=True,
        text=True,
        timeout=START_LIMIT,  # a server that started would run on: this bounds the failure
    )
    assert proc.returncode == 2, proc.stderr
    assert f"data key {kid} is missing" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- a secrets manager plugged in through CBEC_KEY_PROVIDER ---------------------------------

VAULT: dict[str, str] = {}  # the "secrets manager" the provider below reads


class DictProvider:
    """The README's example shape: a provider that fetches the keys file's JSON."""

    def describe(self) -> str:
        return "the test's secrets manager"

    def load(self) -> KeyMaterial:
        return KeyMaterial.from_json(json.dumps(VAULT)) if VAULT else KeyMaterial()


def provider_factory(settings: Settings) -> DictProvider:
    return DictProvider()


def failing_factory(settings: Settings) -> DictProvider:
    raise ConnectionError("the secrets manager is unreachable")


def test_a_plugged_in_provider_supplies_the_keys(tmp_path, url):
    h1 = host(tmp_path, url, "host1")
    assert h1.cbec("admin", "keys", "init").exit_code == 0
    doc_id, order = file_an_order(h1)
    plugged = host(
        tmp_path, url, "host2", CBEC_KEY_PROVIDER=f"{__name__}:{provider_factory.__name__}"
    )
    try:
        said = refused(plugged.cbec("ledger", "key"))  # the manager holds nothing yet
        assert "the test's secrets manager" in said
        VAULT.update(h1.keys)
        assert plugged.cbec("ledger", "key").stdout == h1.cbec("ledger", "key").stdout
        got = read_order(plugged, doc_id, h1.seller_key)  # type: ignore[attr-defined]
        assert got["buyer"]["id_number"] == order["buyer"]["id_number"]
    finally:
        VAULT.clear()
    for spec in ("tests.no_such_module:factory", f"{__name__}:failing_factory"):
        bad = host(tmp_path, url, "host3", CBEC_KEY_PROVIDER=spec)
        assert f"CBEC_KEY_PROVIDER={spec!r}" in refused(bad.cbec("ledger", "key"))


def exported(stdout: str) -> dict[str, str]:
    """``export NAME='value'`` lines, as ``--format env`` prints them."""
    out = {}
    for line in stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        assert line.startswith("export ") and value[0] == value[-1] == "'", line
        out[name] = value[1:-1]
    return out


def test_keys_init_and_add_data_key_print_environment_lines(tmp_path, url):
    """``--format env``: the keys as variables for a secret store, no keys file made; a host
    given those variables runs, and a data key is added and made active the same way."""
    h = host(tmp_path, url, "envhost")
    made = h.cbec("admin", "keys", "init", "--format", "env")
    assert made.exit_code == 0, made.output
    env = exported(made.stdout)
    assert set(env) == {"CBEC_DATA_KEYS", "CBEC_HMAC_KEY", "CBEC_LEDGER_SIGNER_KEY"}
    assert not (h.data_dir / "secrets.json").exists()  # printed, never written
    kid, key = spec_key(env["CBEC_DATA_KEYS"])
    assert kid == data_fp(key) and len(base64.b64decode(env["CBEC_HMAC_KEY"])) == 32
    vkey = verifier_from_skey(env["CBEC_LEDGER_SIGNER_KEY"])

    h.env |= env
    key_cmd = h.cbec("ledger", "key")  # records them, as the first process does
    assert key_cmd.exit_code == 0 and key_cmd.stdout == vkey + "\n"
    assert "keys exist already in" in refused(h.cbec("admin", "keys", "init", "--format", "env"))
    # the keys file's way is refused, saying what to do instead
    said = refused(h.cbec("admin", "keys", "add-data-key"))
    assert "the keys file does not hold the data keys (they come from the environment)" in said
    assert "use --format env" in said

    added = h.cbec("admin", "keys", "add-data-key", "--format", "env")
    assert added.exit_code == 0, added.output
    lines = exported(added.stdout)
    assert set(lines) == {"CBEC_DATA_KEYS", "CBEC_ACTIVE_KEY_ID"}
    first, second = lines["CBEC_DATA_KEYS"].split(",")
    assert first == env["CBEC_DATA_KEYS"] and lines["CBEC_ACTIVE_KEY_ID"] == kid  # not active
    new, new_key = spec_key(second)
    assert new == data_fp(new_key) and new != kid
    assert not (h.data_dir / "secrets.json").exists()
    h.env |= lines
    assert h.cbec("ledger", "key").exit_code == 0  # a process holding the new key records it
    show = h.cbec("admin", "keys", "show", "--format", "json")
    assert show.exit_code == 0, show.output
    rows = {r["fingerprint"]: r for r in json.loads(show.stdout) if r["purpose"] == "data"}
    assert set(rows) == {kid, new} and all(r["here"] and r["recorded"] for r in rows.values())
    activated = h.cbec("admin", "keys", "activate", new, "--format", "env")
    assert activated.exit_code == 0, activated.output
    assert exported(activated.stdout) == {"CBEC_ACTIVE_KEY_ID": new}
    said = refused(h.cbec("ledger", "key"))  # still sealing with the old key: refused
    assert f"the active data key differs (the database's is {new}" in said
    h.env |= exported(activated.stdout)
    doc_id, order = file_an_order(h)
    assert read_order(h, doc_id, h.seller_key)["buyer"]["name"] == order["buyer"]["name"]  # type: ignore[attr-defined]
    rt = open_runtime(h.settings())
    with rt.engine.connect() as conn:
        # the order names its buyer: sealed under the buyer's key, wrapped under the data key
        body = conn.exec_driver_sql("SELECT wrapped FROM person_keys").scalar_one()
    rt.engine.dispose()
    assert f".{new}." in body  # sealed under the new key


def test_a_provider_deployment_rotates_its_ledger_key_in_two_runs(tmp_path, url):
    """Keys from a secrets manager: the keys file's way is refused, naming the provider; the
    first ``--format env`` run only makes the next key, which the operator puts in the
    secret (``ledger_skey_next``); the second run, by a process that reads it there,
    rotates to it."""
    h1 = host(tmp_path, url, "host1")
    assert h1.cbec("admin", "keys", "init").exit_code == 0
    file_an_order(h1)
    spec = f"{__name__}:{provider_factory.__name__}"
    plugged = host(tmp_path, url, "host2", CBEC_KEY_PROVIDER=spec)
    try:
        VAULT.update(h1.keys)
        old = verifier_from_skey(VAULT["ledger_skey"])
        said = refused(plugged.cbec("admin", "keys", "rotate-ledger-key"))
        assert f"(they come from the key provider {spec})" in said and "--format env" in said
        made = plugged.cbec("admin", "keys", "rotate-ledger-key", "--format", "env")
        assert made.exit_code == 0, made.output
        (skey,) = exported(made.stdout).values()
        assert plugged.cbec("ledger", "key").stdout == old + "\n"  # nothing rotated yet
        VAULT["ledger_skey_next"] = "PRIVATE+KEY+not-a-key"
        said = refused(plugged.cbec("admin", "keys", "rotate-ledger-key", "--format", "env"))
        assert "the keys cannot be read: next ledger signer key:" in said
        VAULT["ledger_skey_next"] = generate_signer_key("elsewhere.example/log")[0]
        said = refused(plugged.cbec("admin", "keys", "rotate-ledger-key", "--format", "env"))
        assert "named elsewhere.example/log, the log is cbec.local/ledger" in said
        assert plugged.cbec("ledger", "key").stdout == old + "\n"  # refused: nothing changed
        VAULT["ledger_skey_next"] = skey
        done = plugged.cbec("admin", "keys", "rotate-ledger-key", "--format", "env")
        assert done.exit_code == 0, done.output
        assert exported(done.stdout.split("\nunset")[0]) == {"CBEC_LEDGER_SIGNER_KEY": skey}
        assert done.stdout.endswith("unset CBEC_LEDGER_SIGNER_KEY_NEXT\n")
        said = refused(plugged.cbec("ledger", "key"))  # the secret still holds the old key
        assert "ledger signer key differs" in said
        VAULT["ledger_skey"] = VAULT.pop("ledger_skey_next")
        printed = plugged.cbec("ledger", "key").stdout.split()
        assert printed == [verifier_from_skey(skey), old]
        assert plugged.cbec("ledger", "fsck").exit_code == 0
    finally:
        VAULT.clear()


# --- a database from before keys were recorded ----------------------------------------------

K1 = "k1=" + base64.b64encode(b"\x01" * 32).decode()


def old_style(tmp_path: Path, url: str) -> tuple[Host, str, dict]:
    """A database written with a named key ``k1``, then stripped of its recorded keys — what
    migration 0022 finds in a database from before it."""
    h = host(
        tmp_path,
        url,
        "old",
        CBEC_DATA_KEYS=K1,
        CBEC_HMAC_KEY=TEST_HMAC,
        CBEC_LEDGER_SIGNER_KEY=TEST_LEDGER_SKEY,
    )
    doc_id, order = file_an_order(h)
    rt = open_runtime(h.settings())
    with rt.engine.begin() as conn:
        conn.execute(deployment_keys.delete())
        tokens = conn.exec_driver_sql("SELECT body FROM documents").scalars().all()
        tokens += conn.exec_driver_sql("SELECT wrapped FROM person_keys").scalars().all()
    rt.engine.dispose()
    assert any(".k1." in body for body in tokens)  # sealed (the buyer's key) under the named id
    return h, doc_id, order


def recorded(h: Host) -> set[tuple[str, str, str | None]]:
    rt = open_runtime(h.settings(), migrate=False)
    with rt.engine.connect() as conn:
        rows = conn.execute(select(deployment_keys)).all()
    rt.engine.dispose()
    return {(r.purpose, r.fingerprint, r.kid) for r in rows}


def test_an_old_database_adopts_keys_that_open_its_data(tmp_path, url):
    h, doc_id, order = old_style(tmp_path, url)
    got = read_order(h, doc_id, h.seller_key)  # type: ignore[attr-defined]
    assert got["buyer"]["id_number"] == order["buyer"]["id_number"]
    assert recorded(h) == {
        ("data", data_fp(b"\x01" * 32), "k1"),
        ("hmac", hmac_fp(base64.b64decode(TEST_HMAC)), None),
        ("ledger", verifier_from_skey(TEST_LEDGER_SKEY), None),
    }


def test_an_old_database_refuses_keys_that_do_not_open_its_data(tmp_path, url):
    h, _doc_id, _order = old_style(tmp_path, url)
    wrong_k1 = "k1=" + base64.b64encode(b"\x02" * 32).decode()
    for env, expected in (
        ({"CBEC_DATA_KEYS": wrong_k1}, "data key k1 differs"),
        ({"CBEC_DATA_KEYS": "k9=" + wrong_k1[3:]}, "data key k1, which stored documents"),
        ({"CBEC_LEDGER_SIGNER_KEY": generate(Settings()).ledger_skey}, "ledger signer key"),
    ):
        other = Host(h.data_dir, h.url, h.env | env)
        with pytest.raises(KeysMismatch) as caught:
            open_runtime(other.settings())
        assert caught.value.rule == "keys_unproven"
        assert expected in str(caught.value)
        said = refused(other.cbec("ledger", "key"))
        assert expected in said
    # nothing was adopted by the refused processes; the right keys still are
    h_rt = open_runtime(h.settings())
    h_rt.engine.dispose()
    assert ("data", data_fp(b"\x01" * 32), "k1") in recorded(h)


def test_demo_makes_keys_for_a_new_empty_database_only(tmp_path, url):
    fresh = host(tmp_path, url, "fresh")
    made = fresh.cbec("demo", "--size", "40", "--format", "json")
    assert made.exit_code == 0, made.output
    assert (fresh.data_dir / "secrets.json").stat().st_mode & 0o777 == 0o600
    assert fresh.cbec("ledger", "key").stdout == (
        verifier_from_skey(fresh.keys["ledger_skey"]) + "\n"
    )
    # a second host's demo on the same database makes nothing: it is refused like the rest
    again = host(tmp_path, url, "again")
    assert "is missing" in refused(again.cbec("demo", "--size", "40"))
    assert not (again.data_dir / "secrets.json").exists()


def test_two_hosts_starting_at_once_on_a_new_database_agree_on_one_set_of_keys(tmp_path, url):
    """Two processes with different keys open a new, empty database at the same moment:
    one set is recorded, the other process is refused — never both recorded."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    hosts = [host(tmp_path, url, name) for name in ("a", "b")]
    for h in hosts:
        init_keys(h.settings())
    # the schema first, so that both meet at the keys rather than at the migrations
    assert hosts[0].cbec("db", "upgrade").exit_code == 0
    start = Barrier(2)

    def open_one(h: Host) -> str:
        start.wait()
        try:
            open_runtime(h.settings(), migrate=False).engine.dispose()
        except KeysMismatch as exc:
            return exc.rule
        return "opened"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(open_one, hosts))
    assert outcomes == ["keys_mismatch", "opened"]
    winner = hosts[0] if hosts[0].cbec("ledger", "key").exit_code == 0 else hosts[1]
    hmac_print = hmac_fp(base64.b64decode(winner.keys["hmac_key"]))
    assert {(p, fp) for p, fp, _ in recorded(winner) if p == "hmac"} == {("hmac", hmac_print)}


def test_an_unreadable_keys_file_is_named_not_replaced(tmp_path, url):
    h = host(tmp_path, url, "broken")
    h.data_dir.mkdir()
    (h.data_dir / "secrets.json").write_text("{not json")
    (h.data_dir / "secrets.json").chmod(0o600)  # a keys file others may read is refused first
    said = refused(h.cbec("ledger", "key"))
    assert f"the keys cannot be read: {h.data_dir / 'secrets.json'}: not JSON" in said
    assert (h.data_dir / "secrets.json").read_text() == "{not json"  # left as it was
    (h.data_dir / "secrets.json").write_text(json.dumps({"hmac_key": "not base64!"}))
    assert "HMAC key: not base64" in refused(h.cbec("ledger", "key"))
