"""9610 export messages built from cbec documents validate against the official export XSD."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal

import pytest

from cbec.customs import build_export as bx
from cbec.customs import xml as cx
from cbec.customs.build import Party
from cbec.customs.validate import check
from cbec.demo import synthetic
from cbec.errors import DocumentInvalid
from tests.customs.test_customs_build import AT, CATALOG, REG


def export_sale(seed: int, currency: str = "USD"):
    rng = random.Random(seed)
    order = synthetic.order(rng, "silk-mall", "sz-gadgets", f"EX{seed:08d}")
    order |= {"destination_country": "US", "currency": currency}
    payment = synthetic.payment(rng, order, f"YP{seed:010d}") | {"payment_firm": "yun-pay"}
    waybill = synthetic.waybill(rng, order, f"HX{seed:09d}US") | {"logistics_firm": "hai-express"}
    waybill["currency"] = currency
    return order, payment, waybill


@pytest.mark.parametrize("seed", range(5))
def test_export_order_collection_and_waybill_validate(seed):
    order, payment, waybill = export_sale(seed)
    for message in (
        bx.ceb303(order, REG, at=AT),
        bx.ceb403(payment, order, REG, at=AT),
        bx.ceb505(waybill, order, REG, at=AT),
    ):
        xml = cx.write(message)
        assert cx.validate_xsd(xml) == [], xml.decode()
        assert check(xml) == []
        assert cx.shape(cx.write(cx.read(xml))) == cx.shape(xml)


def test_export_currency_codes_and_refusals():
    order, _, _ = export_sale(9, currency="EUR")
    head = bx.ceb303(order, REG, at=AT).order[0].order_head
    assert head.currency == "300" and head.order_type == "E"
    order["currency"] = "XXX"
    with pytest.raises(DocumentInvalid) as exc:
        bx.ceb303(order, REG, at=AT)
    assert [(v.field, v.rule) for v in exc.value.violations] == [
        ("currency", "customs_currency_code")
    ]


# Test values in the declared formats, not codes of any real customs office or port.
EXPORT_DECL = bx.ExportDeclaration(
    customs_code="5301",
    port_code="5302",
    agent=Party("4403980005", "深圳示例报关有限公司"),
    statistics_flag="B",
    pod="1234",
    wrap_type="2",
    voyage_no="CA0001",
    bill_no="999-00000001",
)


def export_list(seed: int, catalog=CATALOG, decl=EXPORT_DECL):
    order, _, waybill = export_sale(seed)
    return order, waybill, bx.ceb603(order, waybill, catalog, REG, decl, at=AT, cop_no=f"C{seed}")


def refusals(order, waybill, catalog=CATALOG, decl=EXPORT_DECL) -> set[tuple[str, str]]:
    with pytest.raises(DocumentInvalid) as exc:
        bx.ceb603(order, waybill, catalog, REG, decl, at=AT, cop_no="C1")
    return {(v.field, v.rule) for v in exc.value.violations}


@pytest.mark.parametrize("seed", range(8))
def test_export_inventory_list_validates_and_maps_order_lines_one_to_one(seed):
    order, waybill, msg = export_list(seed)
    xml = cx.write(msg)
    assert cx.validate_xsd(xml) == [], xml.decode()
    assert check(xml) == []
    assert cx.shape(cx.write(cx.read(xml))) == cx.shape(xml)
    # what the XML says, read back, not the objects it was written from
    (inventory,) = cx.read(xml).inventory
    head = inventory.inventory_head
    assert (head.ie_flag, head.trade_mode, head.app_status) == ("E", "9610", "2")
    assert (head.ie_date, head.statistics_flag) == ("20260301", "B")  # China date of AT
    assert (head.order_no, head.logistics_no) == (order["order_no"], waybill["waybill_no"])
    assert (head.ebc_code, head.owner_code) == (REG.parties["sz-gadgets"].code,) * 2
    assert head.logistics_code == REG.parties["hai-express"].code
    assert (head.country, head.f_currency, head.i_currency) == ("502", "502", "502")  # US, USD
    assert head.gross_weight == Decimal(waybill["gross_weight_kg"])
    assert head.pack_no == waybill["packages"]
    net = sum(Decimal(CATALOG[x["sku"]]["weight_kg"]) * Decimal(x["qty"]) for x in order["lines"])
    assert head.net_weight == net <= head.gross_weight
    assert [line.gnum for line in inventory.inventory_list] == [
        x["line_no"] for x in order["lines"]
    ]
    for line, src in zip(inventory.inventory_list, order["lines"], strict=True):
        product = CATALOG[src["sku"]]
        assert (line.item_no, line.item_name, line.gname, line.gmodel) == (
            src["sku"],
            src["name"],
            src["name"],
            src["spec"],
        )
        assert (line.qty, line.price, line.total_price, line.unit) == (
            Decimal(src["qty"]),
            Decimal(src["unit_price"]),
            Decimal(src["line_total"]),
            src["unit"],
        )
        assert (line.currency, line.country, line.bar_code) == ("502", "502", bx.NO_BARCODE)
        cn = next(c["code"] for c in product["hs_codes"] if c["country"] == "CN")
        assert line.gcode == cn and len(cn) == 10
        assert line.unit1 == product["legal_unit"]
        assert line.qty1 == Decimal(src["qty"]) * Decimal(product["legal_qty_per_unit"])


def test_declaration_options_reach_the_list():
    owner = Party("4403960099", "深圳示例工厂有限公司")
    decl = dataclasses.replace(EXPORT_DECL, owner=owner, ie_date=date(2026, 3, 5))
    order, _, waybill = export_sale(4)
    order["lines"][0] = order["lines"][0] | {"barcode": "6901234567892"}
    msg = bx.ceb603(order, waybill, CATALOG, REG, decl, at=AT, cop_no="C4")
    head = msg.inventory[0].inventory_head
    assert (head.owner_code, head.owner_name, head.ie_date) == (owner.code, owner.name, "20260305")
    assert (head.voyage_no, head.bill_no) == ("CA0001", "999-00000001")
    assert [x.bar_code for x in msg.inventory[0].inventory_list] == ["6901234567892", "无"]
    assert cx.validate_xsd(cx.write(msg)) == []


def test_legal_quantity_is_given_to_the_five_places_customs_takes():
    order, _, waybill = export_sale(2)  # one line
    sku = order["lines"][0]["sku"]
    catalog = dict(CATALOG)
    catalog[sku] = catalog[sku] | {"legal_unit": "035", "legal_qty_per_unit": "0.12345"}
    order["lines"][0] = order["lines"][0] | {"qty": "1.00001"}
    msg = bx.ceb603(order, waybill, catalog, REG, EXPORT_DECL, at=AT, cop_no="C2")
    assert msg.inventory[0].inventory_list[0].qty1 == Decimal("0.12345")  # 0.1234512345
    assert cx.validate_xsd(cx.write(msg)) == []


def test_export_inventory_list_refuses_with_every_cbec_field_named():
    order, _, waybill = export_sale(1)  # three lines
    first, last = order["lines"][0]["sku"], order["lines"][2]["sku"]
    catalog = dict(CATALOG)
    del catalog[first]
    catalog[last] = catalog[last] | {
        "hs_codes": [{"country": "CN", "code": "851830000"}]  # 9 digits: not a CN tariff line
    }
    order["order_no"] = "E" * 70
    waybill["waybill_no"] = "W" * 40
    assert refusals(order, waybill, catalog) == {
        ("lines[0].sku", "customs_no_product"),
        ("lines[2].sku", "customs_gcode"),
        ("order_no", "customs_length"),
        ("waybill.waybill_no", "customs_length"),
    }
    with pytest.raises(DocumentInvalid) as exc:
        bx.ceb603(order, waybill, CATALOG, REG, EXPORT_DECL, at=AT, cop_no="C1")
    messages = {v.field: v.message() for v in exc.value.violations}
    assert messages == {
        "order_no": "70 characters do not fit customs field orderNo (at most 60)",
        "waybill.waybill_no": "40 characters do not fit customs field logisticsNo (at most 32)",
    }


def test_a_nine_digit_hs_code_alone_is_refused_on_its_line():
    order, _, waybill = export_sale(0)  # two lines
    sku = order["lines"][1]["sku"]
    catalog = dict(CATALOG)
    hs = [
        c | {"code": c["code"][:9]} if c["country"] == "CN" else c for c in CATALOG[sku]["hs_codes"]
    ]
    catalog[sku] = CATALOG[sku] | {"hs_codes": hs}
    assert refusals(order, waybill, catalog) == {("lines[1].sku", "customs_gcode")}


def test_line_fields_too_long_for_the_list_name_the_order_line():
    order, _, waybill = export_sale(0)
    sku = "SKU-" + "X" * 30  # cbec takes 64 characters, itemNo 20
    catalog = dict(CATALOG) | {sku: CATALOG[order["lines"][0]["sku"]]}
    order["lines"][0] = order["lines"][0] | {"sku": sku, "spec": "规" * 260, "unit": "pcs"}
    assert refusals(order, waybill, catalog) == {
        ("lines[0].sku", "customs_length"),
        ("lines[0].spec", "customs_length"),
        ("lines[0].unit", "customs_unit"),
    }


def test_declaration_values_and_codes_customs_cannot_take():
    order, _, waybill = export_sale(3)
    order["destination_country"] = "BR"  # not in cbec's country table
    waybill["currency"] = "XXX"
    decl = dataclasses.replace(
        EXPORT_DECL,
        customs_code="53",
        statistics_flag="C",
        pod="12",
        agent=Party("4" * 19, "深圳示例报关有限公司"),
        voyage_no="V" * 33,
    )
    found = refusals(order, waybill, decl=decl)
    assert found == {
        ("declaration.customs_code", "customs_format"),
        ("declaration.statistics_flag", "customs_format"),
        ("declaration.pod", "customs_format"),
        ("declaration.agent", "customs_length"),
        ("declaration.voyage_no", "customs_length"),
        ("destination_country", "customs_country"),
        ("waybill.currency", "customs_currency_code"),
    }


def test_more_lines_than_one_list_takes_and_net_weight_over_gross():
    order, _, waybill = export_sale(2)
    line = order["lines"][0]
    order["lines"] = [line | {"line_no": n} for n in range(1, 102)]
    assert refusals(order, waybill) == {
        ("lines", "customs_lines_limit"),
        ("waybill.gross_weight_kg", "customs_net_over_gross"),  # 101 power banks weigh more
    }
