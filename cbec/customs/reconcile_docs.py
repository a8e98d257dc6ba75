"""Stored cbec documents as 三单对碰 records (:mod:`cbec.customs.reconcile`): the order, its
payment and its waybill as filed — JSON form, personal fields in clear — so the platform can
see before declaring which of its orders customs would not release. A tenant's name stands
in for the customs registration code the messages would carry; the amounts were checked at
filing (finite decimals of customs' N19,5).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cbec.customs.reconcile import Line, OrderRec, PaymentRec, WaybillRec


def _lines(doc: dict[str, Any]) -> tuple[Line, ...]:
    return tuple(
        Line(
            line["line_no"],
            line["name"],
            Decimal(line["qty"]),
            Decimal(line["unit_price"]),
            Decimal(line["line_total"]),
        )
        for line in doc.get("lines", [])
    )


def order_record(doc: dict[str, Any]) -> OrderRec:
    """A stored cbec order (JSON form, personal fields in clear) as a reconciliation record;
    the platform's tenant name stands in for its customs code."""
    b, c = doc["buyer"], doc["consignee"]
    return OrderRec(
        doc["platform"],
        doc["order_no"],
        Decimal(doc["amount_paid"]),
        b["name"],
        b.get("id_number") or "",
        c["name"],
        c["phone"],
        c["address"],
        None,
        None,
        _lines(doc),
    )


def payment_record(doc: dict[str, Any]) -> PaymentRec:
    p = doc["payer"]
    return PaymentRec(
        doc["platform"],
        doc["order_no"],
        Decimal(doc["amount"]),
        p["name"],
        p["id_number"],
        doc.get("payment_firm") or "",
        doc["transaction_id"],
    )


def waybill_record(doc: dict[str, Any]) -> WaybillRec:
    c = doc["consignee"]
    return WaybillRec(
        doc.get("logistics_firm") or "",
        doc["waybill_no"],
        doc["order_no"],
        c["name"],
        c["phone"],
        c["address"],
    )
