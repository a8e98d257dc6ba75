"""The evidence pack of a case, checked as an auditor would: unzipped, every bundle run
through ``cbec-verify`` (a separate process, nothing but the log's public key), every item
against the manifest's hash, the clear order against its logged content hash with the salt
the pack gives its filer — all proofs against one checkpoint. A party not entitled to the
buyer's data finds none of it in the pack, only the commitments; a changed item fails."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from cbec.disputes.pack import verify
from cbec.ledger.bundle import parse_bundle
from cbec.ledger.entry import COMMIT_PREFIX, commitment
from cbec.ledger.verify import PII_PATHS
from tests.disputes.world import open_case, sale


def _pack(client, party, case_id: str) -> bytes:
    r = client.get(f"/disputes/{case_id}/pack", headers=party.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    return r.content


def _cbec_verify(bundle: Path, key: str, origin: str, *extra: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "cbec.ledger.verify", str(bundle), "--key", key]
    return subprocess.run(
        [*args, "--origin", origin, "--json", *extra], capture_output=True, text=True
    )


@pytest.fixture
def case(client, parties, cli):
    s = sale(client, parties, cli)
    r = open_case(client, parties["seller-a"], s.order_id, message="Never arrived")
    assert r.status_code == 201, r.text
    reply = {"text": "Scanned at LAX on the 19th"}
    client.post(
        f"/disputes/{r.json()['id']}/messages", json=reply, headers=parties["platform-a"].headers
    )
    return s, r.json()["id"]


def test_the_pack_verifies_offline_with_cbec_verify(client, parties, rt, case, tmp_path):
    s, case_id = case
    data = _pack(client, parties["seller-a"], case_id)
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["case"] == case_id and manifest["order"]["id"] == s.order_id
    kinds = Counter(i["kind"] for i in manifest["items"])
    assert kinds["order"] == kinds["payment"] == kinds["waybill"] == 1
    assert kinds["tracking_event"] == 2 and kinds["customs_message"] >= 1
    assert kinds["compliance_decision"] == 1
    assert kinds["dispute_event"] == 4  # opened, the seller's message, the platform's, responded
    key = client.get("/ledger/key", headers=parties["seller-a"].headers).json()["verifier_keys"][0]
    origin = manifest["log"]["origin"]
    checkpoint = (tmp_path / "checkpoint.txt").read_text()
    for item in manifest["items"]:
        raw = (tmp_path / item["file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == item["sha256"], item
        bundle = tmp_path / item["bundle"]
        assert parse_bundle(bundle.read_text()).checkpoint == checkpoint  # ONE checkpoint
        body = json.loads(raw)
        extra = []
        if item["kind"] in PII_PATHS and "evidence_salt" in body:
            extra = ["--document", str(tmp_path / item["file"]), "--salt", body["evidence_salt"]]
        done = _cbec_verify(bundle, key, origin, *extra)
        assert done.returncode == 0, (item, done.stdout, done.stderr)
        verdict = json.loads(done.stdout)
        assert verdict["verified"] and verdict["entry"] is not None
        if item["kind"] in PII_PATHS:
            assert verdict["entry"]["id"] == item["id"]
        if item["kind"] == "order":  # the seller filed it: clear, and checked to the byte
            assert body["pii"] == "clear" and "commitments" not in body
            assert (
                verdict["steps"][-1] == "the document you hold is exactly the one that was logged"
            )
            assert body["document"]["buyer"]["name"] == s.order["buyer"]["name"]
    assert verify(data, [key], origin) == []


def _rezip(data: bytes, name: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            raw = src.read(info)
            z.writestr(info, change(raw) if info.filename == name else raw)
    return out.getvalue()


def test_a_changed_item_fails_verification(client, parties, rt, case, tmp_path):
    _, case_id = case
    data = _pack(client, parties["seller-a"], case_id)
    key = rt.ledger.vkeys[0]
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    order = next(i for i in manifest["items"] if i["kind"] == "order")

    def cheaper(raw: bytes) -> bytes:
        body = json.loads(raw)
        body["document"]["amount_paid"] = "0.01"
        return json.dumps(body).encode()

    forged = _rezip(data, order["file"], cheaper)
    problems = verify(forged, [key])
    assert any("is not the file the manifest lists" in p for p in problems)
    assert any("not to the logged content hash" in p for p in problems)
    # the same forgery, caught by cbec-verify alone with the item and its salt
    zipfile.ZipFile(io.BytesIO(forged)).extractall(tmp_path)
    body = json.loads((tmp_path / order["file"]).read_text())
    done = _cbec_verify(
        tmp_path / order["bundle"],
        key,
        rt.ledger.origin,
        "--document",
        str(tmp_path / order["file"]),
        "--salt",
        body["evidence_salt"],
    )
    assert (
        done.returncode == 1
        and "not to the logged content hash" in json.loads(done.stdout)["error"]
    )
    # a case entry rewritten (the refund it records) no longer is the logged entry
    event = next(i for i in manifest["items"] if i["kind"] == "dispute_event")
    changed = _rezip(data, event["file"], lambda raw: raw.replace(b'"opened"', b'"resolved"'))
    assert any("not the entry the log holds" in p for p in verify(changed, [key]))


def test_a_party_not_entitled_gets_commitments_not_personal_data(client, parties, rt, case):
    s, case_id = case
    seller_pack = zipfile.ZipFile(io.BytesIO(_pack(client, parties["seller-a"], case_id)))
    platform_pack = zipfile.ZipFile(io.BytesIO(_pack(client, parties["platform-a"], case_id)))
    everything = b"".join(platform_pack.read(n) for n in platform_pack.namelist())
    text = everything.decode()
    personal = [
        s.order["buyer"]["name"],
        s.order["buyer"]["id_number"],
        s.order["buyer"]["phone"],
        s.order["consignee"]["address"],
    ]
    for value in personal:
        assert value not in text and json.dumps(value)[1:-1] not in text, value
    manifest = json.loads(platform_pack.read("manifest.json"))
    by_kind = {i["kind"]: json.loads(platform_pack.read(i["file"])) for i in manifest["items"]}
    order = by_kind["order"]
    assert order["pii"] == "masked" and "evidence_salt" not in order
    # the commitments are those the log's content hash is over: the filer, who holds the
    # salt and the clear order, recomputes each one
    seller_manifest = json.loads(seller_pack.read("manifest.json"))
    clear = next(
        json.loads(seller_pack.read(i["file"]))
        for i in seller_manifest["items"]
        if i["kind"] == "order"
    )
    salt = base64.b64decode(clear["evidence_salt"])
    doc = clear["document"]
    expected = {
        p: COMMIT_PREFIX + commitment(salt, p, str(v))
        for p in PII_PATHS["order"]
        if (v := _at(doc, p)) is not None
    }
    assert order["commitments"] == expected and len(expected) >= 5
    # the payment pay-a filed is masked for the seller too, with its commitments
    payment = next(
        json.loads(seller_pack.read(i["file"]))
        for i in seller_manifest["items"]
        if i["kind"] == "payment"
    )
    assert payment["pii"] == "masked" and set(payment["commitments"]) <= set(PII_PATHS["payment"])
    assert payment["commitments"] and "evidence_salt" not in payment
    # masked or not, the pack verifies
    assert verify(_pack(client, parties["platform-a"], case_id), rt.ledger.vkeys) == []


def _at(body: dict, path: str):
    node = body
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node
