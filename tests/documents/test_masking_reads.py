"""Every read shows each personal field through the operator the masking policy names for the
reader (cbec/privacy/data/masking_policy.csv): the single read, the list read and the console's
CSV export, for each reader relation; free text anonymized by the same operators.

Oracle: the operator functions (cbec.privacy.masking.apply) applied here to the clear values
this test filed, with the operator looked up in the policy table for the reader's relation and
the level the inventory file gives the field (read with the csv module)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import random
from typing import Any

import pytest

from cbec.demo import synthetic
from cbec.privacy import masking, masking_policy
from cbec.privacy.inventory import INVENTORY
from cbec.privacy.scan.anonymize import anonymize_text
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade import views
from cbec.trade.kinds import KINDS
from tests.console.test_console_seller import console_user

NOTE = "请联系收件人，电话13812345678，身份证11010519491231002X"
EVENT_NOTE = "已电话13987654321联系收件人"


def _levels() -> dict[tuple[str, str], str]:
    with INVENTORY.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {(r["kind"], r["field"]): r["pi"] for r in rows}


LEVELS = _levels()


def _get(doc: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def expected(
    rt, kind: str, clear: dict, reader: str, tenant_id: int, user_role: str | None = None
) -> dict:
    """``{path: value}`` of every personal field and free text as ``reader`` (of tenant
    ``tenant_id``, whose pseudonyms are its own) must see it."""
    policy = masking_policy.current()
    on = masking_policy.today()
    by_level = policy.by_level(reader, user_role, on)
    key, purpose = rt.vault.hmac_key, f"mask:{tenant_id}"
    out: dict[str, Any] = {}
    for path, mask in KINDS[kind].pii.items():
        operator = by_level["sensitive" if LEVELS[(kind, path)] == "sensitive" else "personal"]
        out[path] = masking.apply(operator, mask, _get(clear, path), key, purpose)
    if kind == "order":
        note = clear.get("note")
        masked = note is not None and reader != "filer"
        out["note"] = anonymize_text(note, by_level, key, purpose=purpose)[0] if masked else note
    if kind == "waybill":
        note = clear["events"][0]["note"]
        masked_note = anonymize_text(note, by_level, key, purpose=purpose)[0]
        out["events.0.note"] = note if reader == "filer" else masked_note
    return out


def shown(kind: str, document: dict) -> dict:
    out = {path: _get(document, path) for path in KINDS[kind].pii}
    if kind == "order":
        out["note"] = document.get("note")
    if kind == "waybill":
        out["events.0.note"] = document["events"][0]["note"]
    return out


@pytest.fixture
def filed(client, parties) -> dict[str, tuple[str, str, dict]]:
    """Two orders of one buyer (seller-a on platform-a), their payments and a waybill."""
    rng = random.Random(5)
    o1 = synthetic.order(rng, "platform-a", "seller-a", "M-0001") | {"note": NOTE}
    o2 = synthetic.order(rng, "platform-a", "seller-a", "M-0002")
    o2 = o2 | {"buyer": o1["buyer"], "consignee": o1["consignee"]}  # the same person
    w1 = synthetic.waybill(rng, o1, "WB-M1")
    w1["events"][0]["note"] = EVENT_NOTE
    docs = {
        "O1": ("order", "seller-a", o1),
        "O2": ("order", "seller-a", o2),
        "P1": ("payment", "pay-a", synthetic.payment(rng, o1, "TX-M1")),
        "P2": ("payment", "pay-a", synthetic.payment(rng, o2, "TX-M2")),
        "W1": ("waybill", "ship-a", w1),
    }
    out = {}
    for name, (kind, filer, body) in docs.items():
        r = client.post(f"/{KINDS[kind].plural}", json=body, headers=parties[filer].headers)
        assert r.status_code == 201, r.text
        out[name] = (kind, r.json()["id"], body)
    return out


# reader tenant -> its relation to documents filed by seller-a, pay-a and ship-a
RELATION = {
    "seller-a": {"seller-a": "filer", "pay-a": "seller", "ship-a": "seller"},
    "platform-a": {"seller-a": "platform", "pay-a": "platform", "ship-a": "platform"},
    "regulator": {"seller-a": "regulator", "pay-a": "regulator", "ship-a": "regulator"},
}
FILER = {"O1": "seller-a", "O2": "seller-a", "P1": "pay-a", "P2": "pay-a", "W1": "ship-a"}


@pytest.mark.parametrize("reader", sorted(RELATION))
def test_single_and_list_reads_show_the_policy_operator(rt, client, parties, filed, reader):
    headers = parties[reader].headers
    for name, (kind, doc_id, clear) in filed.items():
        relation = RELATION[reader][FILER[name]]
        want = expected(rt, kind, clear, relation, parties[reader].viewer.tenant_id)
        one = client.get(f"/{KINDS[kind].plural}/{doc_id}", headers=headers)
        assert one.status_code == 200, one.text
        assert shown(kind, one.json()["document"]) == want, (reader, name)
        assert one.json()["pii"] == ("clear" if relation == "filer" else "masked")
        listed = client.get(f"/{KINDS[kind].plural}", headers=headers).json()["items"]
        item = next(i for i in listed if i["id"] == doc_id)
        assert shown(kind, item["document"]) == want, (reader, name, "list")
        if relation != "filer":  # nothing of the clear values leaks through the free text
            text = str(item["document"])
            assert "13812345678" not in text and "11010519491231002X" not in text
            assert "13987654321" not in text


def test_the_hash_operator_links_one_person_across_documents(rt, client, parties, filed):
    """seller-a reads its orders' payments (filed by pay-a): the payer's ID number is a keyed
    pseudonym (policy: seller × sensitive = hash), the same for the same person — and
    seller-b, reading its own order's payment by the same person, gets another pseudonym:
    the two sellers cannot join what each reads. Oracle: HMAC-SHA-256 (RFC 2104) over the
    purpose ``mask:<reader tenant id>``, computed here with the standard library."""
    assert masking_policy.for_reader("seller", None)["sensitive"] == "hash"
    headers = parties["seller-a"].headers
    ids = [client.get(f"/payments/{filed[p][1]}", headers=headers).json() for p in ("P1", "P2")]
    first, second = (d["document"]["payer"]["id_number"] for d in ids)
    payer_id = filed["P1"][2]["payer"]["id_number"]
    assert first == second and len(first) == masking.PSEUDONYM_CHARS
    assert first == _hmac16(rt, parties["seller-a"].viewer.tenant_id, payer_id)

    rng = random.Random(6)
    theirs = synthetic.order(rng, "platform-a", "seller-b", "M-B-0001")
    theirs |= {"buyer": filed["O1"][2]["buyer"], "consignee": filed["O1"][2]["consignee"]}
    posted = client.post("/orders", json=theirs, headers=parties["seller-b"].headers)
    assert posted.status_code == 201, posted.text
    paid = client.post(
        "/payments",
        json=synthetic.payment(rng, theirs, "TX-M-B1"),
        headers=parties["pay-a"].headers,
    )
    assert paid.status_code == 201, paid.text
    seen = client.get(f"/payments/{paid.json()['id']}", headers=parties["seller-b"].headers)
    assert seen.status_code == 200, seen.text
    other = seen.json()["document"]["payer"]["id_number"]
    assert other == _hmac16(rt, parties["seller-b"].viewer.tenant_id, payer_id) != first


def _hmac16(rt, tenant_id: int, value: str) -> str:
    message = f"mask:{tenant_id}".encode() + b"\x00" + value.encode()
    return hmac.new(rt.vault.hmac_key, message, hashlib.sha256).hexdigest()[:16]


@pytest.mark.parametrize(
    "tenant,user_role,relation",
    [
        ("seller-a", "viewer", "filer"),
        ("platform-a", "operator", "platform"),
        ("platform-a", "viewer", "platform"),
        ("regulator", "admin", "regulator"),
        ("regulator", "viewer", "regulator"),
    ],
)
def test_the_csv_export_shows_the_operator_for_the_console_user(
    rt, client, parties, filed, tenant, user_role, relation
):
    """The orders export's buyer column; a viewer of a counterparty gets its own row."""
    console_user(rt, client, tenant, role=user_role)
    r = client.get("/console/orders/export.csv")
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_no = {row[0]: row for row in rows[1:]}
    for name in ("O1", "O2"):
        _kind, _id, clear = filed[name]
        tenant_id = parties[tenant].viewer.tenant_id
        want = expected(rt, "order", clear, relation, tenant_id, user_role)["buyer.name"]
        assert by_no[clear["order_no"]][-1] == (want or ""), (tenant, user_role)
    if relation != "filer" and user_role == "viewer":
        assert set(by_no[filed["O1"][2]["order_no"]][-1]) == {"*"}  # policy: viewer × personal


@pytest.mark.parametrize("role", [Role.PAYMENT, Role.LOGISTICS, Role.SELLER, Role.PLATFORM])
@pytest.mark.parametrize("user_role", [None, "operator", "viewer"])
def test_every_relation_reads_through_the_policy(rt, filed, role, user_role):
    """The reads' one way to a body (cbec.trade.views.opened) for relations the roster's
    visibility never produces on these documents (a payment firm reading an order), with a
    redacted sensitive field null, not a masked string."""
    kind, doc_id, clear = filed["O1"]
    viewer = Viewer(10**6, "outsider", role, user_role=user_role)
    with rt.uow() as uow:
        stored = uow.repo.get_by_id(doc_id)
    body = views.opened(rt.vault, KINDS[kind], viewer, doc_id, stored.body, stored.filer_tenant_id)
    assert shown(kind, body) == expected(rt, kind, clear, str(role), 10**6, user_role)
    if masking_policy.for_reader(str(role), user_role)["sensitive"] == "redact":
        assert body["buyer"]["id_number"] is None


def test_a_note_with_two_phones_a_space_apart_reads_masked_for_the_platform(client, parties):
    """Presidio merges same-type spans a space apart unless told not to; a note like this
    once answered every reader but the filer with a 500."""
    note = "call 13812345678 13912345679 after six"
    order = synthetic.order(random.Random(9), "platform-a", "seller-a", "M-TWO") | {"note": note}
    filed = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert filed.status_code == 201, filed.text
    doc = filed.json()["id"]
    seen = client.get(f"/orders/{doc}", headers=parties["platform-a"].headers)
    assert seen.status_code == 200, seen.text
    shown = seen.json()["document"]["note"]
    assert "13812345678" not in shown and "13912345679" not in shown
    listed = client.get("/orders", headers=parties["platform-a"].headers)
    assert listed.status_code == 200, listed.text
