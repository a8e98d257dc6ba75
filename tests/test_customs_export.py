"""9610 export messages built from cbec documents validate against the official export XSD."""

from __future__ import annotations

import random

import pytest

from cbec.customs import build_export as bx
from cbec.customs import xml as cx
from cbec.customs.validate import check
from cbec.demo import synthetic
from cbec.errors import DocumentInvalid
from tests.test_customs_build import AT, REG


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
