"""Evidence over HTTP: every accepted document is logged; its response carries the index and,
once integrated, a proof; bundles verify offline; the monitor catches forks."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbec.ledger import merkle
from cbec.ledger.monitor import Fork, check_next
from cbec.ledger.note import Checkpoint, generate_signer_key, sign_checkpoint
from cbec.ledger.verify import PII_PATHS, verify_bundle
from cbec.trade.kinds import KINDS
from tests.conftest import make_order


def _post(client, party, rng, n=1):
    r = client.post("/orders", json=make_order(rng, n), headers=party.headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_document_is_logged_without_personal_data(client, parties, rng, rt):
    seller, regulator = parties["seller-a"], parties["regulator"]
    order = make_order(rng, 1)
    posted = client.post("/orders", json=order, headers=seller.headers).json()
    index = posted["ledger"]["index"]
    assert isinstance(index, int)
    entry = client.get(f"/ledger/entries/{index}", headers=regulator.headers).json()
    raw = base64.b64decode(entry["data"])
    for path in KINDS["order"].pii:
        part, field = path.split(".")
        assert order[part][field].encode() not in raw
    assert entry["entry"]["id"] == posted["id"] and entry["entry"]["kind"] == "order"
    assert entry["entry"]["tenants"] == ["platform-a", "seller-a"]
    # tenants the entry names may read it; others get 404
    assert client.get(f"/ledger/entries/{index}", headers=seller.headers).status_code == 200
    assert (
        client.get(f"/ledger/entries/{index}", headers=parties["seller-b"].headers).status_code
        == 404
    )


def test_response_carries_a_proof_once_integrated(client, parties, rng, rt):
    seller = parties["seller-a"]
    docs = [_post(client, seller, rng, i) for i in range(5)]
    before = client.get(f"/orders/{docs[3]['id']}", headers=seller.headers).json()["ledger"]
    assert before["index"] == docs[3]["ledger"]["index"]
    rt.ledger.integrate(force_checkpoint=True)
    ledger = client.get(f"/orders/{docs[3]['id']}", headers=seller.headers).json()["ledger"]
    assert ledger["integrated"] is True
    cp = client.get("/ledger/checkpoint", headers=seller.headers).json()
    assert cp["note"] == ledger["checkpoint"]
    entry = rt.ledger.entry(ledger["index"])
    merkle.verify_inclusion(
        merkle.leaf_hash(entry.data),
        ledger["index"],
        ledger["checkpoint_size"],
        [base64.b64decode(h) for h in ledger["inclusion_proof"]],
        base64.b64decode(cp["root"]),
    )


def test_evidence_bundle_verifies_offline_with_the_document(client, parties, rng, rt):
    seller, regulator = parties["seller-a"], parties["regulator"]
    doc = _post(client, seller, rng)
    bundle = client.get(f"/orders/{doc['id']}/evidence", headers=seller.headers)
    assert bundle.status_code == 200 and bundle.text.startswith("c2sp.org/tlog-proof@v1\n")
    vkeys = client.get("/ledger/key", headers=regulator.headers).json()["verifier_keys"]
    verdict = verify_bundle(bundle.text, vkeys, origin=rt.ledger.origin)
    assert verdict.ok, verdict.error
    revealed = client.post(
        f"/orders/{doc['id']}/reveal",
        json={"reason": "dispute 2026-03: check the logged order"},
        headers=regulator.headers,
    ).json()
    salt = base64.b64decode(revealed["evidence_salt"])
    good = verify_bundle(
        bundle.text, vkeys, document=revealed["document"], salt=salt, pii_paths=PII_PATHS["order"]
    )
    assert good.ok and "exactly the one that was logged" in good.steps[-1]
    altered = json.loads(json.dumps(revealed["document"]))
    altered["amount_paid"] = "0.01"
    bad = verify_bundle(
        bundle.text, vkeys, document=altered, salt=salt, pii_paths=PII_PATHS["order"]
    )
    assert not bad.ok and "not to the logged content hash" in bad.error
    # other tenants cannot fetch the bundle of a document they cannot see
    r = client.get(f"/orders/{doc['id']}/evidence", headers=parties["seller-b"].headers)
    assert r.status_code == 404


def test_verifier_pii_list_matches_the_models():
    assert {k: sorted(v) for k, v in PII_PATHS.items()} == {
        k.name: sorted(k.pii) for k in KINDS.values()
    }


@pytest.mark.parametrize(
    "mutate,why",
    [
        (lambda t: t.replace("index ", "index 1", 1), "proof"),
        (lambda t: t.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"), "first line"),
        (lambda t: t[: t.rindex("— ")], "signature"),
    ],
)
def test_tampered_bundles_fail(client, parties, rng, rt, mutate, why):
    doc = _post(client, parties["seller-a"], rng)
    _post(client, parties["seller-a"], rng, 2)
    text = client.get(f"/orders/{doc['id']}/evidence", headers=parties["seller-a"].headers).text
    verdict = verify_bundle(mutate(text), rt.ledger.vkeys)
    assert not verdict.ok


def test_flipped_entry_byte_fails(client, parties, rng, rt):
    doc = _post(client, parties["seller-a"], rng)
    text = client.get(f"/orders/{doc['id']}/evidence", headers=parties["seller-a"].headers).text
    lines = text.split("\n")
    extra = bytearray(base64.b64decode(lines[1][6:]))
    extra[10] ^= 1
    lines[1] = "extra " + base64.b64encode(bytes(extra)).decode()
    verdict = verify_bundle("\n".join(lines), rt.ledger.vkeys)
    assert not verdict.ok and "inclusion proof does not hold" in verdict.error
    other_key = generate_signer_key("cbec.local/ledger")[1]
    assert (
        "no verified" in (verify_bundle(text, [other_key]).error or "")
        or not verify_bundle(text, [other_key]).ok
    )


def test_cbec_verify_command_runs_alone(client, parties, rng, rt, tmp_path):
    doc = _post(client, parties["seller-a"], rng)
    bundle = tmp_path / "order.tlog-proof"
    bundle.write_text(
        client.get(f"/orders/{doc['id']}/evidence", headers=parties["seller-a"].headers).text
    )
    exe = str(Path(sys.executable).parent / "cbec-verify")
    ok = subprocess.run(
        [exe, str(bundle), "--key", rt.ledger.vkeys[0]], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "VERIFIED" in ok.stdout and "is in that signed tree" in ok.stdout
    wrong = generate_signer_key("cbec.local/ledger")[1]
    bad = subprocess.run([exe, str(bundle), "--key", wrong], capture_output=True, text=True)
    assert bad.returncode == 1 and "NOT VERIFIED" in bad.stdout
    # the verifier loads no server, database or web code
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, cbec.ledger.verify as v; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy','fastapi','starlette','uvicorn','pydantic','typer','alembic','psycopg')))",
        ],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert probe.stdout.strip() == "[]", probe.stdout + probe.stderr


class FakeLog:
    """A log that can lie: serves the notes it is given."""

    def __init__(self, notes, proofs=None):
        self.notes = list(notes)
        self.proofs = proofs or {}

    def get(self, url, params=None):
        outer = self

        class R:
            def raise_for_status(self):
                return None

            def json(self):
                if url == "/ledger/checkpoint":
                    return {"note": outer.notes.pop(0)}
                if url == "/ledger/key":
                    return {"hash": "sha256"}
                return {"proof": outer.proofs.get((params["first"], params["second"]), [])}

        return R()


def test_monitor_follows_the_real_log_and_alarms_on_a_fork(client, parties, rng, rt):
    regulator = parties["regulator"]

    class Authed:
        def get(self, url, params=None):
            return client.get(url, params=params, headers=regulator.headers)

    _post(client, parties["seller-a"], rng, 1)
    rt.ledger.integrate(force_checkpoint=True)
    first = check_next(Authed(), rt.ledger.vkeys, None)
    for i in range(2, 6):
        _post(client, parties["seller-a"], rng, i)
    rt.ledger.integrate(force_checkpoint=True)
    second = check_next(Authed(), rt.ledger.vkeys, first.note)
    assert second.message.startswith("consistent")
    # a second history signed with the same key: same size, another root
    skey = rt.secrets.ledger_skey
    size = int(second.note.split("\n")[1])
    forged = sign_checkpoint(Checkpoint(rt.ledger.origin, size, b"\x07" * 32), skey)
    with pytest.raises(Fork, match="two different roots"):
        check_next(FakeLog([forged]), rt.ledger.vkeys, second.note)
    smaller = sign_checkpoint(Checkpoint(rt.ledger.origin, size - 1, b"\x07" * 32), skey)
    with pytest.raises(Fork, match="shrank"):
        check_next(FakeLog([smaller]), rt.ledger.vkeys, second.note)
    bigger = sign_checkpoint(Checkpoint(rt.ledger.origin, size + 3, b"\x07" * 32), skey)
    with pytest.raises(Fork, match="not consistent"):
        check_next(FakeLog([bigger]), rt.ledger.vkeys, second.note)


def test_ledger_routes_validate_ranges(client, parties, rng, rt):
    _post(client, parties["seller-a"], rng)
    rt.ledger.integrate(force_checkpoint=True)
    h = parties["regulator"].headers
    assert client.get("/ledger/proof/inclusion", params={"index": 0}, headers=h).status_code == 200
    r = client.get("/ledger/proof/inclusion", params={"index": 5, "size": 1}, headers=h)
    assert r.status_code == 400 and r.json()["code"] == "ledger_range"
    r = client.get("/ledger/proof/consistency", params={"first": 0, "second": 99}, headers=h)
    assert r.status_code == 400
    assert client.get("/ledger/checkpoints/424242", headers=h).status_code == 404
    assert client.get("/ledger/checkpoint").status_code == 401


def test_cli_prove_writes_a_bundle_that_verifies(client, parties, rng, rt, cli):
    doc = _post(client, parties["seller-a"], rng)
    result = cli("ledger", "prove", doc["id"])
    assert result.exit_code == 0, result.output
    assert verify_bundle(result.stdout, rt.ledger.vkeys).ok
    by_index = cli("ledger", "prove", "--index", doc["ledger"]["index"])
    assert by_index.stdout.split("\n\n")[0] == result.stdout.split("\n\n")[0]
    missing = cli("ledger", "prove", "no-such-document")
    assert missing.exit_code == 2 and "no logged document" in missing.output
    key = cli("ledger", "key").stdout.strip()
    assert key == rt.ledger.vkeys[0]
    assert cli("ledger", "fsck").exit_code == 0
