"""The customs contract: hostile input answers 4xx naming the input and the rule (never 500),
the capability errors are members of cbec's error family, a message's evidence and the state
it moves share one transaction, and OpenAPI describes every customs operation."""

from __future__ import annotations

import json
import random
import re

import pytest
from sqlalchemy import select, update

from cbec.api.errors import status_of
from cbec.customs import build, build_inventory, sign
from cbec.customs import reconcile as rc
from cbec.customs import xml as cx
from cbec.customs.state import IllegalTransition, act
from cbec.customs.validate import check
from cbec.demo import synthetic
from cbec.errors import BadRequest, Conflict, DocumentInvalid
from cbec.store.tables import documents
from tests.customs.test_customs_api import _profiles, _receipt
from tests.customs.test_customs_build import AT, REG, messages, sale


def _amount(xml: bytes, tag: str, value: str) -> bytes:
    return re.sub(
        rf"<ceb:{tag}>[^<]*</ceb:{tag}>".encode(),
        f"<ceb:{tag}>{value}</ceb:{tag}>".encode(),
        xml,
        count=1,
    )


def _sale_body(**replace: bytes) -> dict[str, str]:
    o, p, w = messages(*sale(7))
    parts = {"order": o, "payment": p, "waybill": w} | replace
    return {k: v.decode() for k, v in parts.items()}


# --- 三单对碰: the official XSD first, amounts finite ------------------------------------


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity", "Infinity", "1e999999", "1E3"])
def test_reconcile_refuses_amounts_the_schema_does_not_allow(client, parties, value):
    _, payment, _ = messages(*sale(7))
    body = _sale_body(payment=_amount(payment, "amountPaid", value))
    r = client.post("/customs/reconcile", json=body, headers=parties["platform-a"].headers)
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert error["field"] == "payment" and error["rule"] == "customs_xsd"
    assert "CEB411" in error["message"] and "amountPaid" in error["message"]


def test_reconcile_names_the_input_that_is_not_the_right_message(client, parties):
    h = parties["platform-a"].headers
    _, payment, _ = messages(*sale(7))
    r = client.post("/customs/reconcile", json=_sale_body(order=payment), headers=h)
    assert r.status_code == 422
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [
        ("order", "customs_message_type")
    ]
    assert "CEB311" in r.json()["errors"][0]["message"]
    r = client.post("/customs/reconcile", json=_sale_body(waybill=b"<not xml"), headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "waybill"
    assert r.json()["errors"][0]["rule"] == "customs_message"
    # an unsigned CEB621 is not a CEB621 customs would reconcile: the schema requires it signed
    inv = cx.write(build_inventory.ceb621(*_inventory_inputs(), at=AT))
    r = client.post("/customs/reconcile", json=_sale_body(inventory=inv), headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "inventory"
    assert "Signature" in r.json()["errors"][0]["message"]


def _inventory_inputs():
    from tests.customs.test_customs_build import CATALOG, DECL

    order, _, waybill = sale(7)
    return order, waybill, CATALOG, REG, DECL


@pytest.mark.parametrize(
    ("raw", "field", "rule"),
    [
        ('{"order": "\\ud800", "payment": "x", "waybill": "x"}', "order", "string_unicode"),
        ('{"order": "a\\u0000b", "payment": "x", "waybill": "x"}', "order", "control_character"),
        ('{"order": "", "payment": "x", "waybill": "x"}', "order", "string_too_short"),
        ('{"order": "x", "payment": "x", "waybill": "x", "extra": 1}', "extra", "extra_forbidden"),
        ('{"order": 1, "payment": "x", "waybill": "x"}', "order", "string_type"),
    ],
)
def test_reconcile_body_shapes_answer_422_naming_the_field(client, parties, raw, field, rule):
    h = {**parties["platform-a"].headers, "Content-Type": "application/json"}
    r = client.post("/customs/reconcile", content=raw.encode(), headers=h)
    assert r.status_code == 422, r.text
    assert (field, rule) in {(e["field"], e["rule"]) for e in r.json()["errors"]}


def test_reconcile_body_that_is_not_json_answers_400(client, parties):
    h = {**parties["platform-a"].headers, "Content-Type": "application/json"}
    r = client.post("/customs/reconcile", content=b"[" * 5000, headers=h)
    assert r.status_code == 400 and r.json()["code"] == "json_too_deep"
    r = client.post("/customs/reconcile", content=b'{"order": NaN}', headers=h)
    assert r.status_code in (400, 422)


def test_records_read_without_the_schema_still_refuse_non_finite_amounts():
    """The ``*_of`` readers are what a caller uses who skips the XSD (the command line did):
    a signalling NaN would otherwise raise inside the comparison."""
    _, payment, _ = messages(*sale(7))
    parsed = cx.read(_amount(payment, "amountPaid", "sNaN"))
    with pytest.raises(cx.MessageError, match="CEB411 amountPaid must be a finite"):
        rc.payments_of(parsed)
    o, p, w = messages(*sale(7))
    assert rc.reconcile_messages(o, p, w).matched


def test_the_reconcile_command_refuses_a_signalling_nan_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from cbec.cli.main import app

    args = ["customs", "reconcile"]
    o, p, w = messages(*sale(7))
    for name, xml in (("order", o), ("payment", _amount(p, "amountPaid", "sNaN")), ("waybill", w)):
        (tmp_path / f"{name}.xml").write_bytes(xml)
        args += [f"--{name}", str(tmp_path / f"{name}.xml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output  # an uncaught error would exit 1
    assert "amountPaid" in result.output


def test_rules_are_exact_for_the_largest_amounts_the_schema_allows(client, parties):
    """price × qty of two 19-digit amounts has 38 digits: more than Python's default 28, which
    made ``quantize`` raise (a 500 from /customs/validate)."""
    order, _, _ = messages(*sale(7))
    big = "99999999999999.99999"
    xml = _amount(_amount(_amount(order, "price", big), "qty", big), "totalPrice", "1.00001")
    assert [p.rule for p in check(xml)] == ["CEB-TOTAL"]
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    r = client.post("/customs/validate", content=xml, headers=h)
    assert r.status_code == 200 and r.json()["problems"][0]["rule"] == "CEB-TOTAL"


# --- text XML 1.0 cannot carry ------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x0c", "\x1f", "\ufffe", "\ud800"])
def test_builders_refuse_characters_xml_cannot_carry_naming_the_field(char):
    order, payment, _ = sale(7)
    order["lines"][0] = order["lines"][0] | {"name": f"a{char}b"}
    with pytest.raises(DocumentInvalid) as exc:
        build.ceb311(order, REG, at=AT, payment=payment)
    (v,) = exc.value.violations
    assert (v.field, v.rule) == ("lines[0].name", "customs_xml_char")
    assert f"U+{ord(char):04X}" in v.message() and "itemName" in v.message()


def test_writing_a_message_with_such_a_character_anywhere_is_a_400():
    reg = build.Registry(REG.parties, build.Party("3301960001", "bad\x00name"), REG.dxp_id)
    order, payment, _ = sale(7)
    message = build.ceb311(order, reg, at=AT, payment=payment)
    with pytest.raises(cx.MessageError) as exc:
        cx.write(message)
    assert status_of(exc.value) == 400


def test_a_stored_order_with_a_nul_answers_422_not_500(client, parties, rt):
    """Documents filed before text fields refused control characters may hold one."""
    _profiles(rt, parties)
    seller = parties["seller-a"].headers
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "NUL-1")
    doc = client.post("/orders", json=order, headers=seller).json()
    with rt.uow(write=True) as uow:
        body = json.loads(
            uow.conn.execute(
                select(documents.c.body).where(documents.c.id == doc["id"])
            ).scalar_one()
        )
        body["lines"][0]["name"] = "移动\x00电源"
        uow.conn.execute(
            update(documents).where(documents.c.id == doc["id"]).values(body=json.dumps(body))
        )
        uow.commit()
    size = rt.ledger.state().size
    r = client.post(f"/orders/{doc['id']}/customs/ceb311", headers=seller)
    assert r.status_code == 422, r.text
    assert {(e["field"], e["rule"]) for e in r.json()["errors"]} == {
        ("lines[0].name", "customs_xml_char")
    }
    assert rt.ledger.state().size == size  # nothing was built, nothing logged


# --- messages and receipts --------------------------------------------------------------


@pytest.mark.parametrize("status", ["abc", "１２０", "9999999999", " 120", ""])
def test_a_receipt_whose_return_status_is_not_a_number_moves_nothing(client, parties, rt, status):
    _profiles(rt, parties)
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    order, payment, _ = sale(23)
    msg = build.ceb311(order, REG, at=AT, payment=payment)
    record = msg.order[0].order_head.guid
    assert client.post("/customs/messages", content=cx.write(msg), headers=h).status_code == 200
    bad = _receipt(record, order["order_no"], 120).replace(
        b"<ceb:returnStatus>120<", f"<ceb:returnStatus>{status}<".encode()
    )
    size = rt.ledger.state().size
    r = client.post("/customs/messages", content=bad, headers=h)
    if status == "":  # under the schema's minLength: no receipt at all, so not logged
        assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "customs_schema"
        assert rt.ledger.state().size == size
    else:  # schema-valid, breaking the status rule: logged, moves nothing
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["valid"] is False and body["declarations"] == []
        assert body["return_status"] == [] and body["problems"][0]["rule"] == "CEB-STATUS"
        assert body["ledger"]["index"] == size
    (d,) = client.get("/customs/declarations", headers=parties["platform-a"].headers).json()
    assert d["state"] == "declared" and len(d["events"]) == 1


def test_input_that_is_no_ceb_message_is_refused_and_not_logged(client, parties, rt):
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    size = rt.ledger.state().size
    for body in (b"<foo/>", b"", b"\x00", b"<?xml version='1.0'?><!DOCTYPE x []><x/>"):
        r = client.post("/customs/messages", content=body, headers=h)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["code"] == "customs_message"
    assert rt.ledger.state().size == size
    r = client.post("/customs/validate", content=b"<foo/>", headers=h)
    assert r.status_code == 200 and r.json()["valid"] is False


def test_evidence_and_state_share_one_transaction(client, parties, rt):
    """A declared record's event cites the entry that declared it; a refused step leaves the
    state as it was, and the refusal names the entry that still logs the message."""
    _profiles(rt, parties)
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    order, payment, _ = sale(24)
    msg = build.ceb311(order, REG, at=AT, payment=payment)
    record = msg.order[0].order_head.guid
    declared = client.post("/customs/messages", content=cx.write(msg), headers=h).json()
    accepted = client.post(
        "/customs/messages", content=_receipt(record, order["order_no"], 120), headers=h
    ).json()
    late = client.post(
        "/customs/messages", content=_receipt(record, order["order_no"], 100), headers=h
    )
    assert late.status_code == 409 and late.json()["code"] == "illegal_transition"
    size = rt.ledger.state().size
    entry = json.loads(rt.ledger.entry(size - 1).data)
    assert entry["return_status"] == [100] and entry["guid"] == record
    assert f"entry {size - 1}" in late.json()["detail"]
    zh = client.post(
        "/customs/messages",
        content=_receipt(record, order["order_no"], 100),
        headers=h | {"Accept-Language": "zh"},
    )
    assert "returnStatus 为 100 的回执" in zh.json()["detail"]
    (d,) = client.get("/customs/declarations", headers=parties["platform-a"].headers).json()
    assert d["state"] == "accepted"
    assert [e["ledger_index"] for e in d["events"]] == [
        declared["ledger"]["index"],
        accepted["ledger"]["index"],
    ]


def test_declarations_filter_is_checked(client, parties):
    h = parties["platform-a"].headers
    assert client.get("/customs/declarations?state=accepted", headers=h).json() == []
    r = client.get("/customs/declarations?state=bogus", headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("state")
    assert client.get("/customs/declarations?limit=0", headers=h).status_code == 422


# --- declaration and withdrawal bodies --------------------------------------------------


def test_declaration_and_withdrawal_bodies_are_checked_field_by_field(client, parties, rt):
    from tests.customs.test_customs_api import DECLARE, _file_sale

    _profiles(rt, parties, signer="seller-a")
    _, ids = _file_sale(client, parties, 44)
    h = parties["seller-a"].headers
    inventory = f"/orders/{ids['orders']}/customs/ceb621"
    for change, field in (
        ({"bill_no": "999\x00123"}, "bill_no"),
        ({"customs_code": "29A1"}, "customs_code"),
        ({"trade_mode": "0110"}, "trade_mode"),
        ({"surprise": True}, "surprise"),
    ):
        r = client.post(inventory, json=DECLARE | change, headers=h)
        assert r.status_code == 422, r.text
        assert field in {e["field"] for e in r.json()["errors"]}
    r = client.post(inventory, json=DECLARE, headers=h)
    assert r.status_code == 200 and r.json()["valid"] is True, r.text
    listed = r.json()["xml"]
    body = {"inventory": listed, "action": "return", "invt_no": "2991I6", "reason": "退货"}
    for quantities in ({"1": "NaN"}, {"1": "1e999999"}, {"1": "-1"}, {"0": "1"}, {"x": "1"}):
        r = client.post("/customs/withdrawals", json=body | {"quantities": quantities}, headers=h)
        assert r.status_code == 422, (quantities, r.text)
        assert r.json()["errors"][0]["field"].startswith("quantities")
    raw = json.dumps(body | {"quantities": {}})[:-1] + ', "quantities": {"1": 1e999999}}'
    r = client.post(
        "/customs/withdrawals", content=raw, headers=h | {"Content-Type": "application/json"}
    )
    assert r.status_code == 422
    r = client.post("/customs/withdrawals", json=body | {"reason": "a\x07b"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    # the list is declared, not yet accepted: cancelling it is refused, the CEB623 is logged
    size = rt.ledger.state().size
    r = client.post("/customs/withdrawals", json=body | {"action": "cancel"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition", r.text
    assert "cannot cancel a message that is declared" in r.json()["detail"]
    assert rt.ledger.state().size == size + 1
    assert json.loads(rt.ledger.entry(size).data)["message"] == "CEB623"
    history = client.get("/customs/declarations", headers=h).json()
    assert [d["message"] for d in history] == ["CEB621"]  # the CEB623 was not tracked
    unsigned = re.sub(r"<ds:Signature.*</ds:Signature>", "", listed, flags=re.S)
    r = client.post("/customs/withdrawals", json=body | {"inventory": unsigned}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "inventory"
    r = client.post("/customs/withdrawals", json=body | {"inventory": "<x/>"}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == "customs_message_type"


# --- the error family -------------------------------------------------------------------


def test_customs_errors_are_members_of_the_family():
    with pytest.raises(cx.MessageError) as message:
        cx.parse(b"<nope")
    assert isinstance(message.value, BadRequest) and status_of(message.value) == 400
    assert message.value.rule == "customs_message"
    with pytest.raises(IllegalTransition) as step:
        act("accepted", "declare")
    assert isinstance(step.value, Conflict) and status_of(step.value) == 409
    assert str(step.value) == "cannot declare a message that is accepted"
    assert "accepted" in step.value.logged(7).message("zh") and "7" in str(step.value.logged(7))
    key = sign.Sm2SoftwareKey.generate("0001")
    o, _, _ = messages(*sale(7))
    signed = sign.sign(o, key)
    with pytest.raises(sign.SignatureInvalid) as bad:
        sign.verify(signed.replace(b"<ceb:qty>", b"<ceb:qty>1", 1), lambda n, c: key.public_key())
    exc = bad.value
    assert isinstance(exc, BadRequest) and status_of(exc) == 400
    assert exc.code == "CEB-SIG-DIGEST" and exc.rule == "customs_signature"
    assert f"{exc.message}" == "the message changed after it was signed"  # as the CLI prints
    assert "签名验证未通过" in exc.message("zh")


# --- OpenAPI ------------------------------------------------------------------------------

OPERATIONS = {
    ("post", "/customs/validate"): ("application/xml", set()),
    ("post", "/customs/messages"): ("application/xml", {"409"}),
    ("post", "/orders/{doc_id}/customs/ceb311"): (None, {"403", "404"}),
    ("post", "/payments/{doc_id}/customs/ceb411"): (None, {"403", "404"}),
    ("post", "/waybills/{doc_id}/customs/ceb511"): (None, {"403", "404"}),
    ("post", "/orders/{doc_id}/customs/ceb621"): ("application/json", {"403", "404"}),
    ("post", "/customs/withdrawals"): ("application/json", {"409"}),
    ("get", "/customs/declarations"): (None, set()),
    ("post", "/customs/reconcile"): ("application/json", set()),
    ("get", "/customs/unmatched"): (None, set()),
    ("get", "/orders/{doc_id}/customs/timeline"): (None, {"404"}),
}


def test_openapi_describes_every_customs_operation(client):
    doc = client.get("/openapi.json").json()
    customs = {
        (method, path)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if "customs" in op.get("tags", [])
    }
    assert customs == set(OPERATIONS)
    for (method, path), (media, statuses) in OPERATIONS.items():
        op = doc["paths"][path][method]
        assert op["summary"] and op["description"] and op["description"] != op["summary"]
        assert {"400", "401", "422", "503"} | statuses <= set(op["responses"]), path
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok or ok.get("type") == "array", path
        if media is None:
            assert "requestBody" not in op, path
            continue
        assert "413" in op["responses"]
        content = op["requestBody"]["content"]
        assert list(content) == [media], path
        if media == "application/xml":
            assert content[media]["example"].startswith("<?xml")
            assert check(content[media]["example"].encode()) == []
        else:
            schema = content[media]["schema"]
            assert schema["type"] == "object" and schema["properties"], path
            assert schema["additionalProperties"] is False
            assert "$defs" not in schema
    withdrawal = doc["paths"]["/customs/withdrawals"]["post"]["requestBody"]["content"]
    quantities = withdrawal["application/json"]["schema"]["properties"]["quantities"]
    assert "maxProperties" in quantities["anyOf"][0]
    assert doc["paths"]["/customs/messages"]["post"]["responses"]["409"]["content"][
        "application/problem+json"
    ]
