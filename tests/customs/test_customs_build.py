"""Messages built from cbec documents validate against the official XSD, pass the business
rules, and — built from a consistent sale — reconcile; a real difference is reported."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.customs import build, build_inventory, sign
from cbec.customs import reconcile as rc
from cbec.customs import xml as cx
from cbec.customs.rules import evaluate
from cbec.customs.validate import check
from cbec.demo import synthetic
from cbec.errors import DocumentInvalid
from tests.conftest import DATA

AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
SAMPLES = DATA / "ceb" / "samples" / "import"
REG = build.Registry(
    parties={
        "silk-mall": build.Party("3301960001", "丝路商城（杭州）有限公司"),
        "sz-gadgets": build.Party("4403960002", "深圳小工具贸易有限公司"),
        "yun-pay": build.Party("3101960003", "云付支付有限公司"),
        "hai-express": build.Party("3301980004", "海运快递有限公司"),
    },
    sender=build.Party("3301960001", "丝路商城（杭州）有限公司"),
    dxp_id="DXPENT0000000001",
)


def sale(seed: int = 1):
    rng = random.Random(seed)
    order = synthetic.order(rng, "silk-mall", "sz-gadgets", f"SM{seed:08d}")
    payment = synthetic.payment(rng, order, f"YP{seed:010d}") | {"payment_firm": "yun-pay"}
    waybill = synthetic.waybill(rng, order, f"HX{seed:09d}CN") | {"logistics_firm": "hai-express"}
    return order, payment, waybill


def messages(order, payment, waybill):
    return (
        cx.write(build.ceb311(order, REG, at=AT, payment=payment)),
        cx.write(build.ceb411(payment, REG, at=AT)),
        cx.write(build.ceb511(waybill, REG, at=AT)),
    )


@pytest.mark.parametrize("seed", range(8))
def test_built_messages_are_schema_valid_and_rule_clean(seed):
    for xml in messages(*sale(seed)):
        assert check(xml) == [], xml.decode()


def test_header_fields_follow_the_specification():
    order, payment, _ = sale()
    msg = build.ceb311(order, REG, at=AT, payment=payment)
    head = msg.order[0].order_head
    assert len(msg.guid) == 36 and msg.guid == msg.guid.upper()
    assert head.app_time == "20260301100000"  # China time
    assert head.currency == "142" and head.buyer_id_type == "1"
    assert head.actural_paid == head.goods_value + head.freight + head.tax_total - head.discount
    assert head.pay_transaction_id == payment["transaction_id"]
    assert [line.gnum for line in msg.order[0].order_list] == list(
        range(1, len(order["lines"]) + 1)
    )


def test_documents_customs_cannot_take_are_refused_with_every_reason():
    order, _, _ = sale()
    order = order | {"order_no": "X" * 70, "currency": "USD"}
    order["lines"][0] = order["lines"][0] | {"unit": "pcs", "origin_country": "BR"}
    with pytest.raises(DocumentInvalid) as exc:
        build.ceb311(order, REG, at=AT)
    found = {(v.field, v.rule) for v in exc.value.violations}
    assert found >= {
        ("currency", "customs_currency"),
        ("lines[0].unit", "customs_unit"),
        ("lines[0].origin_country", "customs_country"),
    }
    order["currency"], order["lines"][0] = "CNY", sale()[0]["lines"][0]
    with pytest.raises(DocumentInvalid) as exc:
        build.ceb311(order, REG, at=AT)
    (v,) = exc.value.violations
    assert (v.field, v.rule) == ("order_no", "customs_length")
    assert v.message() == "70 characters do not fit customs field orderNo (at most 60)"


def _reconcile(o, p, w):
    return rc.reconcile(
        rc.orders_of(cx.read(o)), rc.payments_of(cx.read(p)), rc.waybills_of(cx.read(w))
    )


def test_a_consistent_sale_reconciles_and_normalisation_is_as_documented():
    order, payment, waybill = sale(3)
    assert _reconcile(*messages(order, payment, waybill)).matched
    # full-width digits and extra spaces on the waybill are the same text …
    full = waybill["consignee"]["phone"].translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    waybill["consignee"] = waybill["consignee"] | {
        "phone": full,
        "name": " " + waybill["consignee"]["name"] + "  ",
    }
    assert _reconcile(*messages(order, payment, waybill)).matched
    # … one different character in the address is not
    waybill["consignee"] = waybill["consignee"] | {"address": waybill["consignee"]["address"] + "A"}
    report = _reconcile(*messages(order, payment, waybill))
    assert [i.code for i in report.issues] == ["CONSIGNEE_ADDRESS"]


def test_amount_payer_and_missing_documents():
    order, payment, waybill = sale(4)
    payment = payment | {"amount": "1.00"}
    payment["payer"] = payment["payer"] | {"name": "李四"}
    o, p, w = messages(order, payment, waybill)
    codes = [i.code for i in _reconcile(o, p, w).issues]
    assert codes == ["PAID_MISMATCH", "BUYER_PAYER"]
    other = messages(*sale(5))
    codes = {i.code for i in _reconcile(o, other[1], other[2]).issues}
    assert codes == {"MISSING_PAYMENT", "MISSING_WAYBILL", "MISSING_ORDER"}


def test_cli_reconcile_prints_json_and_exit_status(tmp_path):
    order, payment, waybill = sale(6)
    files = {}
    for name, xml in zip(
        ("order", "payment", "waybill"), messages(order, payment, waybill), strict=True
    ):
        files[name] = tmp_path / f"{name}.xml"
        files[name].write_bytes(xml)
    args = [
        "customs",
        "reconcile",
        "--order",
        str(files["order"]),
        "--payment",
        str(files["payment"]),
        "--waybill",
        str(files["waybill"]),
    ]
    ok = CliRunner().invoke(app, args)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout) == {"matched": True, "issues": []}
    payment = payment | {"amount": "2.00"}
    files["payment"].write_bytes(cx.write(build.ceb411(payment, REG, at=AT)))
    bad = CliRunner().invoke(app, args)
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["matched"] is False
    assert report["issues"][0]["code"] == "PAID_MISMATCH"
    assert set(report["issues"][0]) == {"code", "field", "order", "other", "message"}


DECL = build_inventory.Declaration(
    customs_code="2991",
    port_code="2991",
    assure_code="3301960001",
    agent=build.Party("3301960001", "丝路商城（杭州）有限公司"),
    voyage_no="CA1234",
    bill_no="999-12345678",
)
CATALOG = {c["sku"]: synthetic.product(c) for c in synthetic.CATALOG}


@pytest.mark.parametrize("seed", range(6))
def test_inventory_list_from_order_waybill_and_catalog_validates(seed):
    order, _, waybill = sale(seed)
    msg = build_inventory.ceb621(order, waybill, CATALOG, REG, DECL, at=AT, cop_no=f"COP{seed}")
    assert [f.rule for f in evaluate("CEB621", msg)] == ["CEB-SIGN"]  # unsigned as built
    key = sign.Sm2SoftwareKey.generate("0001")
    xml = sign.sign(cx.write(msg), key)
    assert check(xml) == [], xml.decode()
    assert sign.verify(xml, lambda name, cert: key.public_key()).key_name == "0001"
    head = msg.inventory[0].inventory_head
    assert head.trade_mode == "9610" and head.decl_time == "20260301"
    for line, src in zip(msg.inventory[0].inventory_list, order["lines"], strict=True):
        product = CATALOG[src["sku"]]
        assert len(line.gcode) == 10 and line.gcode == product["hs_codes"][0]["code"]
        assert line.unit1 == product["legal_unit"]
        assert line.qty1 == Decimal(src["qty"]) * Decimal(product["legal_qty_per_unit"])
    # the inventory list reconciles with its order and waybill, line by line
    o, p, w = messages(*sale(seed))
    report = rc.reconcile(
        rc.orders_of(cx.read(o)),
        rc.payments_of(cx.read(p)),
        rc.waybills_of(cx.read(w)),
        rc.inventories_of(cx.read(xml)),
    )
    assert report.matched, report.as_dict()


def test_inventory_list_refusals_name_every_gap():
    order, _, waybill = sale(2)
    catalog = dict(CATALOG)
    first = order["lines"][0]["sku"]
    catalog[first] = {
        k: v for k, v in catalog[first].items() if k not in ("legal_unit", "legal_qty_per_unit")
    }
    bonded = dataclasses.replace(DECL, trade_mode="1210")
    with pytest.raises(DocumentInvalid) as exc:
        build_inventory.ceb621(order, waybill, catalog, REG, bonded, at=AT)
    found = {(v.field, v.rule) for v in exc.value.violations}
    assert found >= {
        ("ems_no", "customs_1210_needs"),
        ("area", "customs_1210_needs"),
        ("lines[0].sku", "customs_legal_unit"),
    }


def test_every_build_gets_a_fresh_guid():
    order, payment, _ = sale(1)
    guids = {build.ceb311(order, REG, at=AT, payment=payment).guid for _ in range(5)}
    assert len(guids) == 5
