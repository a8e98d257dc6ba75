"""Customs over HTTP: validate a message, reconcile three, and list unmatched stored orders."""

from __future__ import annotations

import random

from cbec.demo import synthetic
from tests.conftest import DATA
from tests.customs.test_customs_build import messages, sale

SAMPLES = DATA / "ceb" / "samples" / "import"


def test_validate_endpoint(client, parties):
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    bad = client.post(
        "/customs/validate", content=(SAMPLES / "CEB311Message.xml").read_bytes(), headers=h
    )
    assert bad.status_code == 200 and bad.json()["valid"] is False
    assert any(
        p["rule"] == "CEB-TOTAL" and p["path"].endswith("Order[1]/OrderList[2]/totalPrice")
        for p in bad.json()["problems"]
    )
    good = client.post(
        "/customs/validate", content=(SAMPLES / "CEB511Message.xml").read_bytes(), headers=h
    )
    assert good.json() == {"valid": True, "problems": []}
    assert client.post("/customs/validate", content=b"x", headers={}).status_code == 401


def test_reconcile_endpoint_hides_personal_values(client, parties):
    order, payment, waybill = sale(7)
    waybill["consignee"] = waybill["consignee"] | {"phone": "13900000000"}
    o, p, w = messages(order, payment, waybill)
    body = {"order": o.decode(), "payment": p.decode(), "waybill": w.decode()}
    r = client.post("/customs/reconcile", json=body, headers=parties["platform-a"].headers)
    assert r.status_code == 200
    issue = r.json()["issues"][0]
    assert issue["code"] == "CONSIGNEE_PHONE" and issue["order"] is None and issue["other"] is None
    assert "13900000000" not in r.text


def test_unmatched_lists_stored_orders_that_would_fail(client, parties):
    rng = random.Random(12)
    seller = parties["seller-a"]

    def file(order, pay_amount=None, waybill=True):
        assert client.post("/orders", json=order, headers=seller.headers).status_code == 201
        payment = synthetic.payment(rng, order, "T-" + order["order_no"])
        if pay_amount:
            payment["amount"] = pay_amount
        assert (
            client.post("/payments", json=payment, headers=parties["pay-a"].headers).status_code
            == 201
        )
        if waybill:
            w = synthetic.waybill(rng, order, "W-" + order["order_no"])
            assert (
                client.post("/waybills", json=w, headers=parties["ship-a"].headers).status_code
                == 201
            )

    good = synthetic.order(rng, "platform-a", "seller-a", "GOOD-1")
    file(good)
    paid_wrong = synthetic.order(rng, "platform-a", "seller-a", "BAD-PAID")
    file(paid_wrong, pay_amount="1.00")
    no_waybill = synthetic.order(rng, "platform-a", "seller-a", "BAD-SHIP")
    file(no_waybill, waybill=False)
    r = client.get("/customs/unmatched", headers=seller.headers).json()
    assert r["checked"] == 3
    found = {u["order_no"]: [i["code"] for i in u["issues"]] for u in r["unmatched"]}
    assert found == {"BAD-PAID": ["PAID_MISMATCH"], "BAD-SHIP": ["MISSING_WAYBILL"]}
    # another seller sees none of it
    assert client.get("/customs/unmatched", headers=parties["seller-b"].headers).json() == {
        "checked": 0,
        "unmatched": [],
    }
    platform = client.get(
        "/customs/unmatched",
        params={"platform": "platform-a"},
        headers=parties["platform-a"].headers,
    ).json()
    assert platform["checked"] == 3 and len(platform["unmatched"]) == 2


def test_messages_and_receipts_are_logged_as_evidence(client, parties, rt):
    import hashlib
    import json as _json

    from cbec.customs import build
    from cbec.customs import xml as cx
    from cbec.ledger.verify import verify_bundle
    from tests.customs.test_customs_build import AT, REG

    _profiles(rt, parties)
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    order, payment, _ = sale(20)
    msg = build.ceb311(order, REG, at=AT, payment=payment)
    assert client.post("/customs/messages", content=cx.write(msg), headers=h).status_code == 200
    receipt = _receipt(msg.order[0].order_head.guid, order["order_no"], 2)
    r = client.post("/customs/messages", content=receipt, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["message"] == "CEB312" and body["valid"] is True
    assert body["return_status"] == [2]
    index = body["ledger"]["index"]
    entry = client.get(f"/ledger/entries/{index}", headers=parties["platform-a"].headers).json()[
        "entry"
    ]
    assert entry["type"] == "cbec.customs/v1" and entry["guid"] == body["guid"]
    assert entry["xml_sha256"] == hashlib.sha256(receipt).hexdigest()
    # a schema-valid message of the caller's that breaks a business rule is evidence too,
    # recorded with its problems
    msg.order[0].order_list[0].total_price += 1
    bad = client.post("/customs/messages", content=cx.write(msg), headers=h)
    assert bad.status_code == 200, bad.text
    assert bad.json()["valid"] is False and bad.json()["problems"][0]["rule"] == "CEB-TOTAL"
    assert _json.loads(rt.ledger.entry(bad.json()["ledger"]["index"]).data)["valid"] is False
    assert verify_bundle(rt.ledger.bundle(index), rt.ledger.vkeys).ok
    assert client.post("/customs/messages", content=b"<nope", headers=h).status_code == 400


def test_the_log_admits_only_the_callers_own_schema_valid_messages(client, parties, rt):
    """Ledger spam: nothing a tenant cannot have exchanged with customs itself reaches the
    permanent log — each refusal is a 422 naming its rule, and the log does not grow."""
    from cbec.customs import build
    from cbec.customs import xml as cx
    from tests.customs.test_customs_build import AT, REG

    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    order, payment, _ = sale(25)
    msg = cx.write(build.ceb311(order, REG, at=AT, payment=payment))
    size = rt.ledger.state().size

    def refused(xml: bytes, who: str = "platform-a") -> set[tuple[str, str]]:
        headers = {**parties[who].headers, "Content-Type": "application/xml"}
        r = client.post("/customs/messages", content=xml, headers=headers)
        assert r.status_code == 422, r.text
        assert rt.ledger.state().size == size
        return {(e["field"].split("/")[0], e["rule"]) for e in r.json()["errors"]}

    # no customs identity yet: not even its own message
    assert refused(msg) == {("BaseTransfer", "customs_no_identity")}
    _profiles(rt, parties)
    # not schema-valid (an unknown element in a real CEB311): not a message customs takes
    junk = msg.replace(b"</ceb:OrderHead>", b"<ceb:foo/></ceb:OrderHead>")
    assert {rule for _, rule in refused(junk)} == {"customs_schema"}
    # the official sample: schema-valid, but sent by another firm
    sample = (SAMPLES / "CEB311Message.xml").read_bytes()
    assert "customs_not_sender" in {rule for _, rule in refused(sample)}
    # another tenant's message, with its own identity
    assert {rule for _, rule in refused(msg, "seller-a")} == {"customs_not_sender"}
    # its own transfer, for a record of firms it is none of
    foreign = build.ceb311(order, REG, at=AT, payment=payment)
    foreign.order[0].order_head.ebp_code = "3301960009"
    assert refused(cx.write(foreign)) == {("CEB311", "customs_not_a_party")}
    waybill = cx.write(build.ceb511(sale(25)[2], REG, at=AT))  # the carrier's to declare
    assert refused(waybill) == {("CEB511", "customs_not_a_party")}
    # a receipt for nothing declared here, and the sample receipts
    stray = _receipt("0" * 8 + "-0000-0000-0000-" + "0" * 12, "X", 120)
    assert refused(stray) == {("OrderReturn[1]", "customs_not_declarer")}
    assert {r for _, r in refused((SAMPLES / "CEB312Message.xml").read_bytes())} == {
        "customs_not_declarer"
    }
    # the caller's own message is admitted; its receipt, but to another tenant, is not
    assert client.post("/customs/messages", content=msg, headers=h).status_code == 200
    size = rt.ledger.state().size
    record = cx.read(msg).order[0].order_head.guid
    receipt = _receipt(record, order["order_no"], 120)
    assert refused(receipt, "seller-b") == {("OrderReturn[1]", "customs_not_declarer")}
    assert client.post("/customs/messages", content=receipt, headers=h).status_code == 200


def _receipt(record_guid: str, order_no: str, status: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB312Message guid="{record_guid}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:OrderReturn>
    <ceb:guid>{record_guid}</ceb:guid>
    <ceb:ebpCode>3301960001</ceb:ebpCode>
    <ceb:ebcCode>4403960002</ceb:ebcCode>
    <ceb:orderNo>{order_no}</ceb:orderNo>
    <ceb:returnStatus>{status}</ceb:returnStatus>
    <ceb:returnTime>20260301103000000</ceb:returnTime>
    <ceb:returnInfo>status {status}</ceb:returnInfo>
  </ceb:OrderReturn>
</ceb:CEB312Message>""".encode()


def test_declaration_state_follows_messages_and_receipts(client, parties, rt):
    from cbec.customs import build
    from cbec.customs import xml as cx
    from tests.customs.test_customs_build import AT, REG

    _profiles(rt, parties)
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    order, payment, _ = sale(21)
    msg = build.ceb311(order, REG, at=AT, payment=payment)
    record = msg.order[0].order_head.guid
    r = client.post("/customs/messages", content=cx.write(msg), headers=h)
    assert r.json()["declarations"] == [
        {"message": "CEB311", "record_guid": record, "state": "declared"}
    ]
    for status, state in ((2, "declaring"), (3, "sent"), (120, "accepted")):
        r = client.post(
            "/customs/messages", content=_receipt(record, order["order_no"], status), headers=h
        )
        assert r.status_code == 200, r.text
        assert r.json()["declarations"][0]["state"] == state
    late = client.post(
        "/customs/messages", content=_receipt(record, order["order_no"], 100), headers=h
    )
    assert late.status_code == 409 and late.json()["code"] == "illegal_transition"
    assert "does not apply to a accepted message" in late.json()["detail"]
    history = client.get("/customs/declarations", headers=parties["platform-a"].headers).json()
    (d,) = history
    assert d["state"] == "accepted" and d["key"] == order["order_no"]
    assert [e["state"] for e in d["events"]] == ["declared", "declaring", "sent", "accepted"]
    # the late receipt is in the log even though it was refused
    size = rt.ledger.state().size
    assert size >= 5
    # a receipt for a record not declared here is not the caller's to log
    other = "0" * 8 + "-0000-0000-0000-" + "0" * 12
    stray = client.post("/customs/messages", content=_receipt(other, "X", 120), headers=h)
    assert stray.status_code == 422 and stray.json()["errors"][0]["rule"] == "customs_not_declarer"
    assert rt.ledger.state().size == size
    assert client.get("/customs/declarations", headers=parties["seller-b"].headers).json() == []


def test_declare_a_stored_order_end_to_end(client, parties, rt, cli):
    rng = random.Random(31)
    order = synthetic.order(rng, "platform-a", "seller-a", "DECL-1")
    doc = client.post("/orders", json=order, headers=parties["seller-a"].headers).json()
    r = client.post(f"/orders/{doc['id']}/customs/ceb311", headers=parties["seller-a"].headers)
    assert r.status_code == 400 and r.json()["code"] == "customs_no_profile"
    for tenant, code in (("seller-a", "4403960002"), ("platform-a", "3301960001")):
        args = ["admin", "customs-profile", tenant, "--code", code, "--name", f"{tenant} 有限公司"]
        if tenant == "seller-a":
            args += ["--dxp-id", "DXPENT0000000002"]
        assert cli(*args).exit_code == 0
    payment = synthetic.payment(rng, order, "PAY-DECL-1")
    client.post("/payments", json=payment, headers=parties["pay-a"].headers)
    cli("admin", "customs-profile", "pay-a", "--code", "3101960003", "--name", "pay")
    r = client.post(f"/orders/{doc['id']}/customs/ceb311", headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["valid"] is True and body["declarations"][0]["state"] == "declared"
    assert "<ceb:payTransactionId>PAY-DECL-1</ceb:payTransactionId>" in body["xml"]
    assert order["buyer"]["id_number"] in body["xml"]  # the filer's own message, in clear
    entry = rt.ledger.entry(body["ledger"]["index"])
    assert order["buyer"]["id_number"].encode() not in entry.data  # the log holds its hash only
    # only the filer may build it; others do not see it at all
    r = client.post(f"/orders/{doc['id']}/customs/ceb311", headers=parties["platform-a"].headers)
    assert r.status_code == 403
    r = client.post(f"/orders/{doc['id']}/customs/ceb311", headers=parties["seller-b"].headers)
    assert r.status_code == 404


def _profiles(rt, parties, signer: str | None = None):
    from cbec.customs.sign import Sm2SoftwareKey
    from cbec.store.customs_store import ProfileStore, SigningKeyStore

    ids = {
        "seller-a": ("4403960002", "甲卖家有限公司", "DXPENT0000000002"),
        "platform-a": ("3301960001", "甲平台有限公司", "DXPENT0000000001"),
        "pay-a": ("3101960003", "甲支付有限公司", "DXPENT0000000003"),
        "ship-a": ("3301980004", "甲物流有限公司", "DXPENT0000000004"),
    }
    key = Sm2SoftwareKey.generate("CERT-0001")
    with rt.uow(write=True) as uow:
        for name, values in ids.items():
            ProfileStore(uow.conn).set(parties[name].viewer.tenant_id, *values)
        if signer:
            SigningKeyStore(uow.conn, rt.vault).put(parties[signer].viewer.tenant_id, key)
        uow.commit()
    return key


def _file_sale(client, parties, n: int):
    rng = random.Random(n)
    seller = parties["seller-a"].headers
    for item in synthetic.CATALOG:
        r = client.post("/products", json=synthetic.product(item), headers=seller)
        assert r.status_code in (200, 201), r.text
    order = synthetic.order(rng, "platform-a", "seller-a", f"INV-{n}")
    payment = synthetic.payment(rng, order, f"PAY-INV-{n}")
    waybill = synthetic.waybill(rng, order, f"WB{n:08d}CN")
    ids = {}
    for kind, doc, who in (
        ("orders", order, "seller-a"),
        ("payments", payment, "pay-a"),
        ("waybills", waybill, "ship-a"),
    ):
        r = client.post(f"/{kind}", json=doc, headers=parties[who].headers)
        assert r.status_code == 201, r.text
        ids[kind] = r.json()["id"]
    return order, ids


DECLARE = {
    "customs_code": "2991",
    "port_code": "2991",
    "assure_code": "4403960002",
    "voyage_no": "CA1234",
    "bill_no": "999-12345678",
}


def test_payment_waybill_and_inventory_list_declared_from_stored_documents(client, parties, rt):
    from cbec.customs import reconcile as rc
    from cbec.customs import sign
    from cbec.customs import xml as cx

    key = _profiles(rt, parties)
    order, ids = _file_sale(client, parties, 41)
    built = {}
    for path, who in (
        (f"/orders/{ids['orders']}/customs/ceb311", "seller-a"),
        (f"/payments/{ids['payments']}/customs/ceb411", "pay-a"),
        (f"/waybills/{ids['waybills']}/customs/ceb511", "ship-a"),
    ):
        r = client.post(path, headers=parties[who].headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["valid"] is True, body["problems"]
        assert body["declarations"][0]["state"] == "declared"
        assert body["ledger"]["index"] >= 0
        built[body["message"]] = body["xml"].encode()
    # the seller sees the payment of its order, but only the payment firm declares it
    r = client.post(
        f"/payments/{ids['payments']}/customs/ceb411", headers=parties["seller-a"].headers
    )
    assert r.status_code == 403

    # without a software key the inventory list comes back unsigned, for the E-Port card
    inventory = f"/orders/{ids['orders']}/customs/ceb621"
    r = client.post(inventory, json=DECLARE, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["signed_by"] is None and draft["ledger"] is None and draft["valid"] is False
    assert cx.validate_xsd(draft["xml"].encode())  # the schema requires the signature
    # signed on the "card" and sent back, it is logged and tracked like any message
    signed = sign.sign(draft["xml"].encode(), key)
    h = {**parties["seller-a"].headers, "Content-Type": "application/xml"}
    r = client.post("/customs/messages", content=signed, headers=h)
    assert r.status_code == 200 and r.json()["valid"] is True, r.text
    assert r.json()["declarations"][0]["state"] == "declared"

    # with a software key cbec signs it itself
    key = _profiles(rt, parties, signer="seller-a")
    r = client.post(inventory, json=DECLARE, headers=parties["seller-a"].headers)
    body = r.json()
    assert body["valid"] is True and body["signed_by"] == "CERT-0001", body["problems"]
    xml = body["xml"].encode()
    assert sign.verify(xml, lambda name, cert: key.public_key()).key_name == "CERT-0001"
    report = rc.reconcile(
        rc.orders_of(cx.read(built["CEB311"])),
        rc.payments_of(cx.read(built["CEB411"])),
        rc.waybills_of(cx.read(built["CEB511"])),
        rc.inventories_of(cx.read(xml)),
    )
    assert report.matched, report.as_dict()
    head = cx.read(xml).inventory[0].inventory_head
    assert head.order_no == order["order_no"] and head.logistics_no == "WB00000041CN"


def test_inventory_list_refusals_name_the_field(client, parties, rt):
    _profiles(rt, parties, signer="seller-a")
    _, ids = _file_sale(client, parties, 42)
    inventory = f"/orders/{ids['orders']}/customs/ceb621"
    h = {**parties["seller-a"].headers, "Accept-Language": "zh"}
    r = client.post(inventory, json=DECLARE | {"customs_code": "29"}, headers=h)
    assert r.status_code in (400, 422)
    assert "customs_code" in r.text
    r = client.post(inventory, json={k: v for k, v in DECLARE.items() if k != "bill_no"}, headers=h)
    assert r.status_code in (400, 422), r.text
    assert "bill_no" in r.text
    # an order with no waybill yet cannot be declared
    rng = random.Random(43)
    lone = synthetic.order(rng, "platform-a", "seller-a", "INV-LONE")
    doc = client.post("/orders", json=lone, headers=parties["seller-a"].headers).json()
    r = client.post(f"/orders/{doc['id']}/customs/ceb621", json=DECLARE, headers=h)
    assert r.status_code == 400 and r.json()["code"] == "customs_no_waybill"
    assert "INV-LONE" in r.json()["detail"]
    # a malformed body is a 422 naming the field, not a server error
    r = client.post("/customs/reconcile", json={"order": "<x/>"}, headers=h)
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} >= {"payment"}


def test_only_the_declarer_moves_its_declaration(client, parties, rt):
    from cbec.customs import build
    from cbec.customs import xml as cx
    from cbec.store.customs_store import ProfileStore
    from tests.customs.test_customs_build import AT, REG

    _profiles(rt, parties)
    with rt.uow(write=True) as uow:
        tenant = parties["seller-b"].viewer.tenant_id
        ProfileStore(uow.conn).set(tenant, "4403960009", "乙卖家有限公司", "DXPENT0000000009")
        uow.commit()
    order, payment, _ = sale(22)
    msg = cx.write(build.ceb311(order, REG, at=AT, payment=payment))
    record = cx.read(msg).order[0].order_head.guid
    mine = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    other = {**parties["seller-b"].headers, "Content-Type": "application/xml"}
    assert client.post("/customs/messages", content=msg, headers=mine).status_code == 200
    r = client.post("/customs/messages", content=_receipt(record, "X", -1), headers=other)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "customs_not_declarer"
    history = client.get("/customs/declarations", headers=parties["platform-a"].headers).json()
    assert history[0]["state"] == "declared" and len(history[0]["events"]) == 1
    r = client.post("/customs/messages", content=msg, headers=other)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "customs_not_sender"
    # a regulator may log customs' receipt of any record declared here
    reg = {**parties["regulator"].headers, "Content-Type": "application/xml"}
    r = client.post("/customs/messages", content=_receipt(record, "X", 2), headers=reg)
    assert r.status_code == 200 and r.json()["declarations"][0]["state"] == "declaring"
