"""Build the 9610 export messages — CEB303 order, CEB403 collection (收款单), CEB505 waybill,
CEB603 inventory list (出口清单) — from cbec documents, validated against
``ceb_export_202205.xsd``.

Export declarations use the seller's own currency (a JGS-20 currency code, from
``data/currencies.csv``) and carry no buyer identity; otherwise the mapping and the checks
follow :mod:`cbec.customs.build`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from cbec.customs.bindings import ceb_export as e
from cbec.customs.build import (
    CHINA_TIME,
    DATA,
    Party,
    Registry,
    _countries,
    _money,
    _new_record,
    _record,
    app_time,
)
from cbec.customs.build_inventory import catalog_line
from cbec.errors import DocumentInvalid, Violation


@cache
def _currencies() -> dict[str, str]:
    with (DATA / "currencies.csv").open(encoding="utf-8") as fh:
        return {
            r["iso4217"]: r["customs_code"] for r in csv.DictReader(fh) if not r["effective_to"]
        }


def _currency(doc: Mapping[str, Any], errors: list[Violation], field: str = "currency") -> str:
    """The JGS-20 code of ``doc``'s currency; ``field`` names it when a message draws on
    several documents (CEB603 takes its freight from the waybill)."""
    code = _currencies().get(doc.get("currency", ""))
    if code is None:
        errors.append(Violation(field, "customs_currency_code", {"iso": doc.get("currency")}))
    return code or ""


def _transfer(reg: Registry) -> e.BaseTransfer:
    return e.BaseTransfer(
        cop_code=reg.sender.code, cop_name=reg.sender.name, dxp_mode="DXP", dxp_id=reg.dxp_id
    )


def ceb303(order: Mapping[str, Any], reg: Registry, *, at: datetime) -> e.Ceb303Message:
    errors: list[Violation] = []
    currency = _currency(order, errors)
    platform = reg.party(order["platform"], "platform", errors)
    seller = reg.party(order["seller"], "seller", errors)
    lines = []
    for i, line in enumerate(order["lines"]):
        if len(line["unit"]) != 3 or not line["unit"].isdigit():
            errors.append(Violation(f"lines[{i}].unit", "customs_unit", {}))
        lines.append(
            _record(
                e.OrderList,
                {
                    "gnum": line["line_no"],
                    "item_no": line["sku"],
                    "item_name": line["name"],
                    "bar_code": line.get("barcode"),
                    "unit": line["unit"],
                    "currency": currency,
                    "qty": _money(line["qty"]),
                    "price": _money(line["unit_price"]),
                    "total_price": _money(line["line_total"]),
                },
                {"item_no": f"lines[{i}].sku", "item_name": f"lines[{i}].name"},
                errors,
            )
        )
    head = _record(
        e.OrderHead,
        {
            **_new_record(at),
            "order_type": "E",
            "order_no": order["order_no"],
            "ebp_code": platform.code,
            "ebp_name": platform.name,
            "ebc_code": seller.code,
            "ebc_name": seller.name,
            "goods_value": _money(order["goods_value"]),
            "freight": _money(order["freight"]),
            "currency": currency,
            "note": order.get("note"),
        },
        {"order_no": "order_no", "note": "note"},
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return e.Ceb303Message(
        order=[e.Order(order_head=head, order_list=lines)],
        base_transfer=_transfer(reg),
        guid=head.guid,
        version="1.0",
    )


def ceb403(
    payment: Mapping[str, Any], order: Mapping[str, Any], reg: Registry, *, at: datetime
) -> e.Ceb403Message:
    """The collection (收款单) the seller declares for an export order it was paid for."""
    errors: list[Violation] = []
    currency = _currency(payment, errors)
    platform = reg.party(order["platform"], "platform", errors)
    seller = reg.party(order["seller"], "seller", errors)
    firm = reg.party(payment["payment_firm"], "payment_firm", errors)
    paid_at = datetime.fromisoformat(payment["paid_at"])
    record = _record(
        e.Receipts,
        {
            **_new_record(at),
            "ebp_code": platform.code,
            "ebp_name": platform.name,
            "ebc_code": seller.code,
            "ebc_name": seller.name,
            "order_no": order["order_no"],
            "pay_code": firm.code,
            "pay_name": firm.name,
            "pay_no": payment["transaction_id"],
            "charge": _money(payment["amount"]),
            "currency": currency,
            "accounting_date": app_time(paid_at),
        },
        {"order_no": "order_no", "pay_no": "transaction_id"},
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return e.Ceb403Message(
        receipts=[record], base_transfer=_transfer(reg), guid=record.guid, version="1.0"
    )


def ceb505(
    waybill: Mapping[str, Any], order: Mapping[str, Any], reg: Registry, *, at: datetime
) -> e.Ceb505Message:
    errors: list[Violation] = []
    currency = _currency(waybill, errors)
    firm = reg.party(waybill["logistics_firm"], "logistics_firm", errors)
    seller = reg.party(order["seller"], "seller", errors)
    goods = "; ".join(f"{line['name']} × {line['qty']}" for line in order["lines"])
    record = _record(
        e.Logistics,
        {
            **_new_record(at),
            "logistics_code": firm.code,
            "logistics_name": firm.name,
            "logistics_no": waybill["waybill_no"],
            "freight": _money(waybill["freight"]),
            "insured_fee": _money(waybill["insured_fee"]),
            "currency": currency,
            "gross_weight": _money(waybill["gross_weight_kg"]),
            "pack_no": waybill["packages"],
            "goods_info": goods,
            "ebc_code": seller.code,
            "ebc_name": seller.name,
        },
        {"logistics_no": "waybill_no", "goods_info": "lines (names and quantities)"},
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return e.Ceb505Message(
        logistics=[record], base_transfer=_transfer(reg), guid=record.guid, version="1.0"
    )


@dataclass(frozen=True)
class ExportDeclaration:
    """What an export inventory list (CEB603) declares beyond the sale: where it is declared
    and leaves, how it travels, and who declares it. Only the declaring agent knows these;
    cbec documents carry none of them.

    :class:`cbec.customs.build_inventory.Declaration` does not fit: it carries the import
    guarantor and the bonded-import fields, while an export list needs a statistics flag, a
    port of destination and a packaging type, which import lists do not have. Only general export
    (9610) is built. Special-area export (1210) also needs the area enterprise, the account
    book and a record number for each item, and cbec carries none of them.
    """

    customs_code: str  # declaring customs (申报海关), 4 digits
    port_code: str  # customs at the exit port (出口口岸), 4 digits
    agent: Party  # declaring enterprise (报关企业)
    statistics_flag: str  # A simplified (no licence, export duty or tax refund), B summary
    pod: str  # port of destination (指运港), customs parameter code of 3–4 characters
    wrap_type: str  # packaging type (包装种类), customs parameter code of 1 character
    traf_mode: str = "5"  # JGS-20 transport mode (5 = air)
    traf_name: str | None = None  # means of transport
    voyage_no: str | None = None  # flight or voyage, from the carrier
    bill_no: str | None = None  # master bill of lading or air waybill, from the carrier
    total_package_no: str | None = None  # pallet or mail-bag number grouping the parcels
    loct_no: str | None = None  # supervision site (监管场所) code
    license_no: str | None = None  # export licence, for goods that need one
    owner: Party | None = None  # producer or seller (生产销售单位); the seller when None
    ie_date: date | None = None  # export date; the China date of ``at`` when None


# Declaration values with a known format. The schema fixes their length or code set, and the
# length check in ``_record`` is an upper bound only, so a short code would slip through it
# and surface only as a schema error in the built message.
_DECLARATION_FORMATS: dict[str, tuple[str, str]] = {  # attribute → (pattern, CEB name)
    "customs_code": (r"[0-9]{4}", "customsCode"),
    "port_code": (r"[0-9]{4}", "portCode"),
    "statistics_flag": (r"[AB]", "statisticsFlag"),
    "pod": (r"\S{3,4}", "POD"),
    "wrap_type": (r"\S", "wrapType"),
    "traf_mode": (r"[0-9]", "trafMode"),
}
NO_BARCODE = "无"  # what customs asks for in barCode, which is required, when goods have none
_N19_5 = Decimal("0.00001")  # customs decimals are N19,5


def _declared(decl: ExportDeclaration, errors: list[Violation]) -> dict[str, str]:
    """The format-checked declaration values, by binding attribute. A value that is not in
    its format is reported here and passed on empty, so it is not reported twice."""
    values: dict[str, str] = {}
    for attr, (pattern, ceb) in _DECLARATION_FORMATS.items():
        value = getattr(decl, attr)
        if re.fullmatch(pattern, value):
            values[attr] = value
        else:
            errors.append(
                Violation(f"declaration.{attr}", "customs_format", {"ceb": ceb, "pattern": pattern})
            )
            values[attr] = ""
    return values


def _max_occurs(cls: type, attr: str) -> int:
    """The schema's maxOccurs for a repeated element, as the generated binding records it."""
    return next(f.metadata["max_occurs"] for f in fields(cls) if f.name == attr)


def _five_places(value: Decimal) -> Decimal:
    """``value`` with at most the five decimals customs takes. A product of two cbec
    quantities of five places each (qty × legal quantity per unit) can have ten."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -5:
        return value.quantize(_N19_5, ROUND_HALF_UP)
    return value


def ceb603(
    order: Mapping[str, Any],
    waybill: Mapping[str, Any],
    catalog: Mapping[str, Mapping[str, Any]],
    reg: Registry,
    decl: ExportDeclaration,
    *,
    at: datetime,
    cop_no: str,
) -> e.Ceb603Message:
    """CEB603 (the export inventory list) for one 9610 sale, built from the order, its
    waybill and the seller's catalog (by SKU).

    Each order line becomes the inventory line of the same number (``gnum``). ``gcode`` is
    the product's 10-digit CN tariff code, and ``qty1``/``unit1`` are its first legal unit
    times the quantity. ``country`` is where the goods go. The net weight is the catalog
    weight of the goods (``weight_kg`` × qty); the waybill's gross weight also counts the
    packaging. ``cop_no`` is the declarer's own number for this list, which it keeps when it
    changes or withdraws the list later. The list is built with appStatus 2 (declare) and
    without a signature, which the export schema does not require.
    """
    errors: list[Violation] = []
    declared = _declared(decl, errors)
    limit = _max_occurs(e.Inventory, "inventory_list")
    if len(order["lines"]) > limit:
        errors.append(
            Violation(
                "lines", "customs_lines_limit", {"count": len(order["lines"]), "limit": limit}
            )
        )
    currency = _currency(order, errors)
    waybill_currency = _currency(waybill, errors, "waybill.currency")
    platform = reg.party(order["platform"], "platform", errors)
    seller = reg.party(order["seller"], "seller", errors)
    carrier = reg.party(waybill["logistics_firm"], "waybill.logistics_firm", errors)
    destination = _countries().get(order["destination_country"], "")
    if not destination:
        errors.append(
            Violation(
                "destination_country", "customs_country", {"iso": order["destination_country"]}
            )
        )
    lines = []
    net = Decimal(0)
    for i, line in enumerate(order["lines"]):
        sku = line["sku"]
        goods = catalog_line(i, line, catalog, errors)
        if goods is None:
            continue
        product, gcode, legal_unit, per_unit = (
            goods.product,
            goods.gcode,
            goods.legal_unit,
            goods.per_unit,
        )
        if not re.fullmatch(r"[0-9]{3}", line["unit"]):
            errors.append(Violation(f"lines[{i}].unit", "customs_unit", {}))
        qty = _money(line["qty"])
        net += _money(product["weight_kg"]) * qty
        lines.append(
            _record(
                e.InventoryList,
                {
                    "gnum": line["line_no"],
                    "item_no": sku,
                    "item_name": line["name"],
                    "gcode": gcode,
                    "gname": line["name"],
                    "gmodel": line["spec"],
                    "bar_code": line.get("barcode") or product.get("barcode") or NO_BARCODE,
                    "country": destination,
                    "currency": currency,
                    "qty": qty,
                    "qty1": _five_places(qty * _money(per_unit or 0)),
                    "unit": line["unit"],
                    "unit1": legal_unit,
                    "price": _money(line["unit_price"]),
                    "total_price": _money(line["line_total"]),
                },
                {
                    "item_no": f"lines[{i}].sku",
                    "item_name": f"lines[{i}].name",
                    "gname": f"lines[{i}].name",
                    "gmodel": f"lines[{i}].spec",
                    "bar_code": f"lines[{i}].barcode",
                },
                errors,
            )
        )
    gross = _money(waybill["gross_weight_kg"])
    net = _five_places(net)
    if net > gross:
        errors.append(Violation("waybill.gross_weight_kg", "customs_net_over_gross", {"net": net}))
    owner = decl.owner or seller
    optional = ("traf_name", "voyage_no", "bill_no", "total_package_no", "loct_no", "license_no")
    head = _record(
        e.InventoryHead,
        {
            **_new_record(at),
            **declared,
            "ebp_code": platform.code,
            "ebp_name": platform.name,
            "order_no": order["order_no"],
            "logistics_code": carrier.code,
            "logistics_name": carrier.name,
            "logistics_no": waybill["waybill_no"],
            "cop_no": cop_no,
            "ie_flag": "E",
            "ie_date": (decl.ie_date or at.astimezone(CHINA_TIME).date()).strftime("%Y%m%d"),
            "agent_code": decl.agent.code,
            "agent_name": decl.agent.name,
            "ebc_code": seller.code,
            "ebc_name": seller.name,
            "owner_code": owner.code,
            "owner_name": owner.name,
            "trade_mode": "9610",
            **{attr: getattr(decl, attr) for attr in optional},
            "country": destination,
            "freight": _money(waybill["freight"]),
            "f_currency": waybill_currency,
            "insured_fee": _money(waybill["insured_fee"]),
            "i_currency": waybill_currency,
            "pack_no": waybill["packages"],
            "gross_weight": gross,
            "net_weight": net,
            "note": order.get("note"),
        },
        {
            "order_no": "order_no",
            "logistics_no": "waybill.waybill_no",
            "cop_no": "cop_no",
            "note": "note",
            "ebp_code": "platform",
            "ebp_name": "platform",
            "ebc_code": "seller",
            "ebc_name": "seller",
            "logistics_code": "waybill.logistics_firm",
            "logistics_name": "waybill.logistics_firm",
            "agent_code": "declaration.agent",
            "agent_name": "declaration.agent",
            "owner_code": "declaration.owner" if decl.owner else "seller",
            "owner_name": "declaration.owner" if decl.owner else "seller",
            **{attr: f"declaration.{attr}" for attr in optional},
        },
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return e.Ceb603Message(
        inventory=[e.Inventory(inventory_head=head, inventory_list=lines)],
        base_transfer=_transfer(reg),
        guid=head.guid,
        version="1.0",
    )
