"""A several-host deployment (README, *Several hosts*): two ``cbec serve`` processes with their
own data folders and a copy of one keys file, both with ``CBEC_INTEGRATOR=off``, one
``cbec ledger integrate --follow`` process, one PostgreSQL database.

Orders filed through either server are read in clear through both; every checkpoint is
signed once, by the one ledger key the database records, and both servers serve the same
tree; ``cbec-verify`` (the console script) accepts a bundle fetched from one server for an
order filed through the other; a third server with keys of its own refuses to start with one
line naming the keys and writes nothing. The oracles are independent of cbec: the keys
file's verifier key, the signed notes checked here with ``cryptography`` (C2SP signed-note:
key id = SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key)[:4]), row counts read with SQL.

PostgreSQL only. Several hosts share a database over the network, which SQLite is not: its
write-ahead log needs shared memory on one machine, and SQLite's documentation warns against
putting a database on a network file system. Several processes on one machine and one
SQLite file is what the single-host tests already exercise (a real ``cbec serve`` beside the
test process, tests/system/test_concurrency.py; ``cbec ledger integrate --follow`` beside
it, tests/system/test_integrator.py, which runs on both databases); it is not a several-host
layout."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from cbec.config import Settings
from cbec.ledger.note import verifier_from_skey
from cbec.store.db import make_engine
from cbec.store.tables import deployment_keys, ledger_checkpoints, ledger_state, metadata
from tests.conftest import ON_POSTGRES, PG_URL, init_keys, make_order, reset_postgres
from tests.serverproc import CBEC, START_LIMIT, refused_start, running_server
from tests.waiting import wait_for

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="several hosts share a PostgreSQL database (set CBEC_DATABASE_URL; .ci/run does)",
)

VERIFY = str(Path(CBEC).parent / "cbec-verify")
ORDERS_PER_SELLER_AND_SERVER = 2
WAIT_LIMIT = 180.0  # bounds a hang only: every wait ends as soon as its signal is seen


def process_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A host's environment: the shared database, its own data folder (whose keys file holds
    the keys), no key in a variable, and nothing else of cbec's from this process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBEC_")}
    return env | {
        "CBEC_DATABASE_URL": PG_URL,
        "CBEC_DATA_DIR": str(data_dir),
        "CBEC_RATE_LIMIT": "",
        "CBEC_MAX_CONCURRENT_REQUESTS": "0",
        "CBEC_LEDGER_CHECKPOINT_INTERVAL_MS": "200",
        "LANG": "en_US.UTF-8",
        **extra,
    }


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }


def signatures(note: str) -> list[tuple[str, bytes, bytes]]:
    """The oracle's reading of a signed note: (key name, key id, signature) per line."""
    _text, sep, sigs = note.rpartition("\n\n")
    assert sep, note
    out = []
    for line in sigs.splitlines():
        assert line.startswith("\u2014 "), line
        name, raw = line[2:].rsplit(" ", 1)
        blob = base64.b64decode(raw)
        out.append((name, blob[:4], blob[4:]))
    return out


def check_signed_by(note: str, vkey: str) -> None:
    """``note`` carries exactly one signature, and it is ``vkey``'s (checked with Ed25519)."""
    name, hex_id, b64 = vkey.split("+", 2)
    encoded = base64.b64decode(b64)
    assert encoded[0] == 1  # Ed25519
    key_id = hashlib.sha256(name.encode() + b"\n" + encoded).digest()[:4]
    assert key_id.hex() == hex_id
    (sig,) = signatures(note)
    assert sig[0] == name and sig[1] == key_id
    body = note.rpartition("\n\n")[0] + "\n"
    Ed25519PublicKey.from_public_bytes(encoded[1:]).verify(sig[2], body.encode())


@pytest.fixture
def engine():
    """An empty database (its schema dropped), read by the test with SQL as the oracle."""
    reset_postgres(PG_URL)
    engine = make_engine(PG_URL)
    yield engine
    engine.dispose()


def test_two_servers_one_integrator_one_database(tmp_path: Path, engine):
    dirs = {name: tmp_path / name for name in ("a", "b", "integrator")}
    init_keys(Settings(data_dir=dirs["a"]))  # the deployment's keys, made once
    for name in ("b", "integrator"):
        dirs[name].mkdir()
        shutil.copy(dirs["a"] / "secrets.json", dirs[name] / "secrets.json")
    env = {name: process_env(d, CBEC_INTEGRATOR="off") for name, d in dirs.items()}

    # the schema and the tenants first, through the CLI: one process migrates, the others meet
    # an up-to-date schema
    sellers = {}
    for tenant, role in (
        ("seller-a", "seller"),
        ("seller-b", "seller"),
        ("platform-a", "platform"),
    ):
        made = subprocess.run(
            [CBEC, "admin", "create-tenant", tenant, "--role", role, "--format", "json"],
            env=env["a"],
            capture_output=True,
            text=True,
            timeout=START_LIMIT,
        )
        assert made.returncode == 0, made.stderr
        if role == "seller":
            sellers[tenant] = json.loads(made.stdout)["api_key"]

    with engine.connect() as conn:
        recorded_vkeys = conn.scalars(
            select(deployment_keys.c.fingerprint).where(deployment_keys.c.purpose == "ledger")
        ).all()
    keys_file = json.loads((dirs["a"] / "secrets.json").read_text())
    vkey = verifier_from_skey(keys_file["ledger_skey"])
    assert recorded_vkeys == [vkey]  # one signer recorded: the keys file's

    with ExitStack() as stack:
        url_a, _ = stack.enter_context(running_server(env["a"]))
        url_b, _ = stack.enter_context(running_server(env["b"]))
        servers = {"A": url_a, "B": url_b}

        filed: list[tuple[str, str, str, dict]] = []  # (server, seller, id, order)
        rng = random.Random(15)
        n = 0
        for server, url in servers.items():
            for seller, key in sellers.items():
                for _ in range(ORDERS_PER_SELLER_AND_SERVER):
                    n += 1
                    order = make_order(rng, n, seller=seller)
                    r = httpx.post(
                        url + "/orders",
                        json=order,
                        headers={"Authorization": f"Bearer {key}"},
                        timeout=60,
                    )
                    assert r.status_code == 201, r.text
                    filed.append((server, seller, r.json()["id"], order))

        with engine.connect() as conn:
            size = conn.execute(select(ledger_state.c.size)).scalar_one()
            assert conn.execute(select(func.count()).select_from(ledger_checkpoints)).scalar() == 0
        assert size >= len(filed)

        # the one integrator, a process of its own
        out = stack.enter_context(tempfile.TemporaryFile())
        errs = stack.enter_context(tempfile.TemporaryFile())
        integrator = subprocess.Popen(
            [CBEC, "ledger", "integrate", "--follow"],
            env=env["integrator"],
            stdout=out,
            stderr=errs,
        )
        stack.callback(lambda: integrator.poll() is None and integrator.kill())

        def covered() -> bool:
            if integrator.poll() is not None:
                errs.seek(0)
                pytest.fail(f"the integrator stopped: {errs.read().decode()[-4000:]}")
            with engine.connect() as conn:
                top = conn.execute(select(func.max(ledger_checkpoints.c.size))).scalar()
            return top is not None and top >= size

        wait_for(f"a checkpoint covering {size} entries", covered)

        # every order reads in clear through both servers, for its filer
        for _server, seller, doc_id, order in filed:
            for url in servers.values():
                got = httpx.get(
                    f"{url}/orders/{doc_id}",
                    headers={"Authorization": f"Bearer {sellers[seller]}"},
                    timeout=60,
                )
                assert got.status_code == 200, got.text
                doc = got.json()["document"]
                assert doc["buyer"]["id_number"] == order["buyer"]["id_number"]
                assert doc["buyer"]["name"] == order["buyer"]["name"]

        # the same tree through both, signed once by the recorded key
        a_key = {"Authorization": f"Bearer {sellers['seller-a']}"}
        heads = {
            s: httpx.get(u + "/ledger/checkpoint", headers=a_key, timeout=60).json()
            for s, u in servers.items()
        }
        assert heads["A"] == heads["B"]
        assert heads["A"]["size"] >= size
        for s, u in servers.items():
            published = httpx.get(u + "/ledger/key", headers=a_key, timeout=60).json()
            assert published["verifier_keys"] == [vkey], s
        with engine.connect() as conn:
            notes = conn.scalars(select(ledger_checkpoints.c.note)).all()
        assert notes
        for note in notes:
            check_signed_by(note, vkey)

        # cbec-verify accepts a bundle from either server for an order filed through the other
        for server, seller, doc_id, _order in filed:
            other = servers["B" if server == "A" else "A"]
            bundle = httpx.get(
                f"{other}/orders/{doc_id}/evidence",
                headers={"Authorization": f"Bearer {sellers[seller]}"},
                timeout=60,
            )
            assert bundle.status_code == 200, bundle.text
            path = tmp_path / f"{doc_id}.tlog-proof"
            path.write_text(bundle.text)
            verdict = subprocess.run(
                [VERIFY, str(path), "--key", vkey, "--origin", "cbec.local/ledger", "--json"],
                capture_output=True,
                text=True,
                timeout=START_LIMIT,
            )
            assert verdict.returncode == 0, verdict.stdout + verdict.stderr
            shown = json.loads(verdict.stdout)
            assert shown["verified"] and shown["entry"]["id"] == doc_id  # this order's entry
        with engine.connect() as conn:  # the bundles were served, not signed on demand
            assert conn.scalars(select(ledger_checkpoints.c.note)).all() == notes

        # the integrator stops on SIGTERM, having signed what the table holds
        integrator.send_signal(signal.SIGTERM)
        assert integrator.wait(timeout=START_LIMIT) == 0
        out.seek(0)
        said = out.read().decode().splitlines()
        with engine.connect() as conn:
            sizes = conn.scalars(select(ledger_checkpoints.c.size).order_by("size")).all()
        assert said == [f"signed checkpoint at size {s}" for s in sizes]

        # a third server with keys of its own refuses, naming them, and writes nothing
        before = row_counts(engine)
        third = init_keys(Settings(data_dir=tmp_path / "c"))
        assert third.data_dir is not None
        rc, stderr = refused_start(process_env(tmp_path / "c"))
        assert rc == 2, stderr
        assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
        assert "Traceback" not in stderr
        data_kid = keys_file["data_keys"].split("=", 1)[0]
        assert f"data key {data_kid} is missing" in stderr
        assert "HMAC key differs" in stderr
        assert f"ledger signer key differs (the database's verifier key is {vkey[:-45]}" in stderr
        assert row_counts(engine) == before
