"""Build the 9610 export messages — CEB303 order, CEB403 collection (收款单), CEB505 waybill —
from cbec documents, validated against ``ceb_export_202205.xsd``.

Export declarations use the seller's own currency (a JGS-20 currency code, from
``data/currencies.csv``) and carry no buyer identity; otherwise the mapping and the checks
follow :mod:`cbec.customs.build`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from cbec.customs.bindings import ceb_export as e
from cbec.customs.build import DATA, Registry, _money, _new_record, _record, app_time
from cbec.errors import DocumentInvalid, Violation


@cache
def _currencies() -> dict[str, str]:
    with (DATA / "currencies.csv").open(encoding="utf-8") as fh:
        return {
            r["iso4217"]: r["customs_code"] for r in csv.DictReader(fh) if not r["effective_to"]
        }


def _currency(doc: Mapping[str, Any], errors: list[Violation]) -> str:
    code = _currencies().get(doc.get("currency", ""))
    if code is None:
        errors.append(Violation("currency", "customs_currency_code", {"iso": doc.get("currency")}))
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
