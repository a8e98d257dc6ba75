"""Build CEB621, the inventory list (清单) — the declaration itself — from a cbec order, its
waybill and the seller's catalog: each order line takes its 10-digit CN tariff code
(``gcode``) and first legal unit (``qty1``/``unit1``) from the catalog, and the list carries
where, how and under whose guarantee it is declared (:class:`Declaration`). The mapping and
the checks (schema lengths, XML 1.0 characters, RMB, resident ID) follow
:mod:`cbec.customs.build`; every gap is refused at once, naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from cbec.customs.bindings import ceb_import as b
from cbec.customs.build import (
    CHINA_TIME,
    Party,
    Registry,
    _base_transfer,
    _countries,
    _money,
    _new_record,
    _record,
    _rmb,
)
from cbec.errors import DocumentInvalid, Violation


@dataclass(frozen=True)
class Declaration:
    """What an inventory list declares beyond the sale itself: where, how and under whose
    guarantee. Direct purchase (9610) needs the transport's voyage and bill numbers; bonded
    (1210) needs the warehouse account book and the bonded-area enterprise."""

    customs_code: str  # JGS/T 18 customs district code of the declaring customs (4)
    port_code: str  # JGS/T 18 code of the customs at the port of entry (4)
    assure_code: str  # guarantor registration code
    agent: Party  # the declaring enterprise
    trade_mode: str = "9610"  # 9610 direct purchase, 1210 bonded
    traf_mode: str = "5"  # JGS-20 transport mode (5 = air)
    traf_no: str | None = None
    voyage_no: str | None = None
    bill_no: str | None = None
    ems_no: str | None = None
    area: Party | None = None
    net_weight_ratio: Decimal = Decimal("0.9")  # net weight from gross when not known


@dataclass(frozen=True)
class CatalogLine:
    """What a customs inventory line takes from the seller's catalog for one order line."""

    product: Mapping[str, Any]
    gcode: str  # the 10-digit CN tariff code
    legal_unit: str  # the first legal unit (JGS-20, 3 digits)
    per_unit: Decimal | None  # legal quantity per unit sold


def catalog_line(
    i: int, line: Mapping[str, Any], catalog: Mapping[str, Mapping[str, Any]], errors: list
) -> CatalogLine | None:
    """The catalog facts of order line ``i`` (None when its SKU is not in the catalog); every
    gap is reported naming the line: no product, no 10-digit CN code, no legal unit."""
    sku = line["sku"]
    product = catalog.get(sku)
    if product is None:
        errors.append(Violation(f"lines[{i}].sku", "customs_no_product", {"sku": sku}))
        return None
    gcode = next((c["code"] for c in product.get("hs_codes", []) if c["country"] == "CN"), "")
    if not re.fullmatch(r"[0-9]{10}", gcode):
        errors.append(Violation(f"lines[{i}].sku", "customs_gcode", {"sku": sku}))
    legal_unit = product.get("legal_unit") or ""
    per_unit = product.get("legal_qty_per_unit")
    if not re.fullmatch(r"[0-9]{3}", legal_unit) or not per_unit:
        errors.append(Violation(f"lines[{i}].sku", "customs_legal_unit", {"sku": sku}))
    return CatalogLine(product, gcode, legal_unit, _money(per_unit) if per_unit else None)


def _declaration_errors(d: Declaration) -> list[Violation]:
    out = []
    if d.trade_mode not in ("9610", "1210"):
        out.append(Violation("trade_mode", "customs_trade_mode", {}))
    if d.trade_mode == "9610":
        out += [
            Violation(f, "customs_9610_needs", {})
            for f in ("voyage_no", "bill_no")
            if not getattr(d, f)
        ]
    if d.trade_mode == "1210":
        out += [
            Violation(f, "customs_1210_needs", {}) for f in ("ems_no", "area") if not getattr(d, f)
        ]
    return out


def ceb621(
    order: Mapping[str, Any],
    waybill: Mapping[str, Any],
    catalog: Mapping[str, Mapping[str, Any]],
    reg: Registry,
    decl: Declaration,
    *,
    at: datetime,
    cop_no: str | None = None,
) -> b.Ceb621Message:
    """CEB621 (the declaration) from an order, its waybill and the seller's catalog (by SKU):
    ``gcode`` is the product's 10-digit CN tariff code, ``qty1``/``unit1`` its first legal
    unit times the quantity. Built with ``appStatus`` 2 (declare), so it must be signed
    before it is sent."""
    errors = _declaration_errors(decl)
    _rmb(order, errors)
    buyer = order["buyer"]
    if buyer.get("id_type") != "resident_id":
        errors.append(Violation("buyer.id_type", "customs_id_type", {}))
    platform = reg.party(order["platform"], "platform", errors)
    seller = reg.party(order["seller"], "seller", errors)
    carrier = reg.party(waybill["logistics_firm"], "waybill.logistics_firm", errors)
    countries = _countries()
    lines = []
    for i, line in enumerate(order["lines"]):
        goods = catalog_line(i, line, catalog, errors)
        if goods is None:
            continue
        country = countries.get(line["origin_country"], "")
        if not country:
            errors.append(
                Violation(
                    f"lines[{i}].origin_country", "customs_country", {"iso": line["origin_country"]}
                )
            )
        qty = _money(line["qty"])
        lines.append(
            _record(
                b.InventoryList,
                {
                    "gnum": line["line_no"],
                    "item_no": line["sku"],
                    "item_name": line["name"],
                    "gcode": goods.gcode,
                    "gname": line["name"],
                    "gmodel": line["spec"],
                    "bar_code": line.get("barcode"),
                    "country": country,
                    "currency": "142",
                    "qty": qty,
                    "unit": line["unit"],
                    "qty1": qty * (goods.per_unit or 0),
                    "unit1": goods.legal_unit,
                    "price": _money(line["unit_price"]),
                    "total_price": _money(line["line_total"]),
                },
                {
                    "item_no": f"lines[{i}].sku",
                    "item_name": f"lines[{i}].name",
                    "gname": f"lines[{i}].name",
                    "gmodel": f"lines[{i}].spec",
                },
                errors,
            )
        )
    gross = _money(waybill["gross_weight_kg"])
    first_origin = countries.get(order["origin_country"], "")
    head = _record(
        b.InventoryHead,
        {
            **_new_record(at),
            "order_no": order["order_no"],
            "ebp_code": platform.code,
            "ebp_name": platform.name,
            "ebc_code": seller.code,
            "ebc_name": seller.name,
            "logistics_no": waybill["waybill_no"],
            "logistics_code": carrier.code,
            "logistics_name": carrier.name,
            "cop_no": cop_no,
            "assure_code": decl.assure_code,
            "ems_no": decl.ems_no,
            "ie_flag": "I",
            "decl_time": at.astimezone(CHINA_TIME).strftime("%Y%m%d"),
            "customs_code": decl.customs_code,
            "port_code": decl.port_code,
            "buyer_id_type": "1",
            "buyer_id_number": buyer.get("id_number") or "",
            "buyer_name": buyer["name"],
            "buyer_telephone": buyer["phone"],
            "consignee_address": order["consignee"]["address"],
            "agent_code": decl.agent.code,
            "agent_name": decl.agent.name,
            "area_code": decl.area.code if decl.area else None,
            "area_name": decl.area.name if decl.area else None,
            "trade_mode": decl.trade_mode,
            "traf_mode": decl.traf_mode,
            "traf_no": decl.traf_no,
            "voyage_no": decl.voyage_no,
            "bill_no": decl.bill_no,
            "country": first_origin,
            "freight": _money(order["freight"]),
            "insured_fee": _money(waybill["insured_fee"]),
            "currency": "142",
            "pack_no": 1,
            "gross_weight": gross,
            "net_weight": (gross * decl.net_weight_ratio).quantize(Decimal("0.001")),
        },
        {
            "order_no": "order_no",
            "logistics_no": "waybill.waybill_no",
            "buyer_name": "buyer.name",
            "buyer_telephone": "buyer.phone",
            "consignee_address": "consignee.address",
        },
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return b.Ceb621Message(
        inventory=[b.Ceb621Message.Inventory(inventory_head=head, inventory_list=lines)],
        base_transfer=_base_transfer(reg),
        signature=None,  # to be signed (XML-DSig) before it is sent: the schema requires it
        guid=head.guid,
        version="1.0",
    )
