"""Cancellation (CEB623) and return (CEB625) of a declared inventory list: built from the
CEB621, valid against the official schema once signed, and tracked through their receipts."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from cbec.customs import build_inventory, sign
from cbec.customs import build_withdraw as bw
from cbec.customs import xml as cx
from cbec.customs.validate import check
from cbec.errors import DocumentInvalid
from tests.conftest import DATA
from tests.customs.test_customs_build import AT, CATALOG, DECL, REG, sale

SAMPLES = DATA / "ceb" / "samples" / "import"
KEY = sign.Sm2SoftwareKey.generate("0001")


def inventory(seed: int = 3) -> build_inventory.b.Ceb621Message:
    order, _, waybill = sale(seed)
    return build_inventory.ceb621(order, waybill, CATALOG, REG, DECL, at=AT, cop_no=f"COP{seed}")


def test_cancellation_restates_the_list_and_validates_once_signed():
    listed = inventory()
    msg = bw.ceb623(listed, REG, invt_no="29912026I000000001", reason="买家取消订单", at=AT)
    unsigned = cx.write(msg)
    assert any(p.rule == "XSD" and "Signature" in p.message for p in check(unsigned))
    xml = sign.sign(unsigned, KEY)
    assert check(xml) == [], xml.decode()
    assert cx.shape(cx.write(cx.read(xml))) == cx.shape(xml)
    head, cancel = listed.inventory[0].inventory_head, msg.invt_cancel[0]
    for attr in ("order_no", "logistics_no", "cop_no", "buyer_id_number", "agent_code"):
        assert getattr(cancel, attr) == getattr(head, attr)
    assert cancel.guid != head.guid and len(cancel.guid) == 36 and cancel.guid.isupper()


def test_return_of_some_lines_and_its_refusals():
    listed = inventory(4)
    first = listed.inventory[0].inventory_list[0]
    msg = bw.ceb625(
        listed, REG, invt_no="29912026I000000002", reason="质量问题", at=AT, quantities={1: 1}
    )
    xml = sign.sign(cx.write(msg), KEY)
    assert check(xml) == [], xml.decode()
    (line,) = msg.invt_refund[0].invt_refund_list
    assert (line.gnum, line.gcode, line.qty, line.unit) == (1, first.gcode, 1, first.unit)
    whole = bw.ceb625(listed, REG, invt_no="2991", reason="拒收", at=AT)
    assert [x.qty for x in whole.invt_refund[0].invt_refund_list] == [
        x.qty for x in listed.inventory[0].inventory_list
    ]
    with pytest.raises(DocumentInvalid) as exc:
        bw.ceb625(
            listed,
            REG,
            invt_no="X" * 19,
            reason=" ",
            at=AT,
            quantities={1: first.qty + 1, 99: Decimal(1)},
        )
    assert {(v.field, v.rule) for v in exc.value.violations} == {
        ("invt_no", "customs_length"),
        ("reason", "missing"),
        ("quantities[1]", "customs_return_qty"),
        ("quantities[99]", "customs_no_line"),
    }
    with pytest.raises(DocumentInvalid) as exc:
        bw.ceb623(listed, REG, invt_no="X" * 19, reason="r", at=AT)
    assert [(v.field, v.rule) for v in exc.value.violations] == [("invt_no", "customs_length")]


def receipt(name: str, record_guid: str, status: int) -> bytes:
    """An official sample receipt re-addressed to one of our records."""
    msg = cx.read((SAMPLES / f"{name}Message.xml").read_bytes())
    field = next(f.name for f in dataclasses.fields(msg) if f.name not in ("guid", "version"))
    (first,) = getattr(msg, field)[:1]
    setattr(msg, field, [dataclasses.replace(first, guid=record_guid, return_status=str(status))])
    return cx.write(msg)


def test_cancellation_and_return_move_the_inventory_list(client, parties, rt):
    from tests.customs.test_customs_api import _profiles

    _profiles(rt, parties)  # platform-a sends under REG's identity
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}

    def post(xml: bytes) -> list[tuple[str, str | None]]:
        r = client.post("/customs/messages", content=xml, headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["valid"], r.json()["problems"]
        return [(d["message"], d["state"]) for d in r.json()["declarations"]]

    listed = inventory(5)
    record = listed.inventory[0].inventory_head.guid
    assert post(sign.sign(cx.write(listed), KEY)) == [("CEB621", "declared")]
    assert post(receipt("CEB622", record, 120)) == [("CEB621", "accepted")]

    cancel = bw.ceb623(listed, REG, invt_no="29912026I000000005", reason="取消", at=AT)
    assert post(sign.sign(cx.write(cancel), KEY)) == [
        ("CEB623", "declared"),
        ("CEB621", "cancelling"),
    ]
    rejected = receipt("CEB624", cancel.invt_cancel[0].guid, 100)
    assert post(rejected) == [("CEB623", "rejected"), ("CEB621", "accepted")]

    ret = bw.ceb625(listed, REG, invt_no="29912026I000000005", reason="退货", at=AT)
    assert post(sign.sign(cx.write(ret), KEY)) == [("CEB625", "declared"), ("CEB621", "returning")]
    refund = ret.invt_refund[0].invt_refund_head.guid
    assert post(receipt("CEB626", refund, 2)) == [("CEB625", "declaring"), ("CEB621", "returning")]
    assert post(receipt("CEB626", refund, 120)) == [("CEB625", "accepted"), ("CEB621", "returned")]

    # a returned list cannot be cancelled: refused, after the message was logged
    again = bw.ceb623(listed, REG, invt_no="29912026I000000005", reason="再取消", at=AT)
    r = client.post("/customs/messages", content=sign.sign(cx.write(again), KEY), headers=h)
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    history = client.get("/customs/declarations", headers=parties["platform-a"].headers).json()
    (inv,) = [d for d in history if d["message"] == "CEB621"]
    assert [e["event"] for e in inv["events"]] == [
        "declare",
        "receipt",
        "cancel",
        "receipt",
        "return",
        "receipt",
        "receipt",
    ]
    assert [e["state"] for e in inv["events"]][-1] == "returned"


def test_withdrawal_endpoint_signs_with_the_tenants_key(client, parties, rt):
    from tests.customs.test_customs_api import _profiles

    key = _profiles(rt, parties, signer="seller-a")
    listed = sign.sign(cx.write(inventory(6)), key)
    h = parties["seller-a"].headers
    body = {"inventory": listed.decode(), "action": "return", "invt_no": "2991I6", "reason": "退货"}
    r = client.post("/customs/withdrawals", json=body | {"quantities": {"1": "1"}}, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["message"] == "CEB625" and out["valid"] is True and out["signed_by"] == "CERT-0001"
    assert sign.verify(out["xml"].encode(), lambda n, c: key.public_key()).key_name == "CERT-0001"
    # the list was declared outside cbec: the withdrawal is tracked, the list is not
    assert out["declarations"][1] == {"message": "CEB621", "record_guid": None, "state": None}
    r = client.post("/customs/withdrawals", json=body | {"quantities": {"9": "1"}}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "quantities[9]"
    r = client.post("/customs/withdrawals", json=body | {"action": "undo"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "action"
