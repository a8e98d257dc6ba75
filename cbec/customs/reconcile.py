"""三单对碰 — reconcile order, payment and waybill (and the inventory list) before customs does.

Customs releases a CBEC import only when the three documents filed independently by the
platform (CEB311), the payment firm (CEB411) and the logistics firm (CEB511) agree. This
module joins them as customs does — order ↔ payment on (ebpCode, orderNo), order ↔ waybill
on orderNo (and logisticsNo via the inventory), inventory ↔ order on (ebpCode, orderNo) and
↔ waybill on (logisticsCode, logisticsNo) — and lists every disagreement:

- ``MISSING_*``          a document the others refer to is absent
- ``PAID_MISMATCH``      order acturalPaid ≠ payment amountPaid
- ``PAY_TRANSACTION``    the order names another payment transaction than the voucher's
- ``CONSIGNEE_*``        name / telephone / address differ between order and waybill
- ``BUYER_PAYER``        buyer and payer are not the same person (ID number or name)
- ``INVENTORY_*``        inventory lines do not map 1:1 (gnum) to order lines, or their names,
                         quantities or prices differ; or its buyer differs from the order's

Text is compared after a documented normalisation: Unicode NFKC (full-width letters, digits
and punctuation become their ASCII forms — ``１３８`` = ``138``, ``（`` = ``(``), then runs of
white space collapse to one space and the ends are trimmed. Anything else — one different
character — is a real difference and is reported. Pure functions over plain records;
:func:`reconcile_messages` reads them from CEB messages as a caller hands them in, each
valid against the official XSD first (so amounts are finite decimals of at most 19 digits).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from cbec.customs import xml as cx


def normalise(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass(frozen=True)
class Line:
    gnum: int
    name: str
    qty: Decimal
    price: Decimal
    total: Decimal


@dataclass(frozen=True)
class OrderRec:
    ebp_code: str
    order_no: str
    paid: Decimal
    buyer_name: str
    buyer_id: str
    consignee: str
    consignee_phone: str
    consignee_address: str
    pay_code: str | None = None
    pay_transaction_id: str | None = None
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class PaymentRec:
    ebp_code: str
    order_no: str
    amount: Decimal
    payer_name: str
    payer_id: str
    pay_code: str
    transaction_id: str


@dataclass(frozen=True)
class WaybillRec:
    logistics_code: str
    logistics_no: str
    order_no: str
    consignee: str
    consignee_phone: str
    consignee_address: str


@dataclass(frozen=True)
class InventoryRec:
    ebp_code: str
    order_no: str
    logistics_code: str
    logistics_no: str
    buyer_name: str
    buyer_id: str
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Issue:
    code: str
    field: str
    order: Any
    other: Any
    message: str


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return not self.issues

    def as_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "issues": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(i).items()}
                for i in self.issues
            ],
        }


def _same(a: str | None, b: str | None) -> bool:
    return normalise(a) == normalise(b)


def reconcile(
    orders: list[OrderRec],
    payments: list[PaymentRec],
    waybills: list[WaybillRec],
    inventories: list[InventoryRec] | None = None,
) -> Report:
    report = Report()
    add = report.issues.append
    pay_by_key = {(p.ebp_code, p.order_no): p for p in payments}
    way_by_order = {w.order_no: w for w in waybills}
    way_by_no = {(w.logistics_code, w.logistics_no): w for w in waybills}
    order_keys = {(o.ebp_code, o.order_no) for o in orders}
    for o in orders:
        ref = f"{o.ebp_code}/{o.order_no}"
        p = pay_by_key.get((o.ebp_code, o.order_no))
        if p is None:
            add(Issue("MISSING_PAYMENT", "payment", ref, None, f"order {ref}: no payment voucher"))
        else:
            if o.paid != p.amount:
                add(
                    Issue(
                        "PAID_MISMATCH",
                        "acturalPaid/amountPaid",
                        str(o.paid),
                        str(p.amount),
                        f"order {ref}: acturalPaid {o.paid} ≠ payment amountPaid {p.amount}",
                    )
                )
            if o.pay_transaction_id and o.pay_transaction_id != p.transaction_id:
                add(
                    Issue(
                        "PAY_TRANSACTION",
                        "payTransactionId",
                        o.pay_transaction_id,
                        p.transaction_id,
                        f"order {ref}: names another payment transaction",
                    )
                )
            if normalise(o.buyer_id).upper() != normalise(p.payer_id).upper():
                add(
                    Issue(
                        "BUYER_PAYER",
                        "buyerIdNumber/payerIdNumber",
                        o.buyer_id,
                        p.payer_id,
                        f"order {ref}: the payer is not the buyer (ID numbers differ)",
                    )
                )
            elif not _same(o.buyer_name, p.payer_name):
                add(
                    Issue(
                        "BUYER_PAYER",
                        "buyerName/payerName",
                        o.buyer_name,
                        p.payer_name,
                        f"order {ref}: buyer and payer names differ",
                    )
                )
        w = way_by_order.get(o.order_no)
        if w is None:
            add(Issue("MISSING_WAYBILL", "waybill", ref, None, f"order {ref}: no waybill"))
        else:
            for code, fname, a, b in (
                ("CONSIGNEE_NAME", "consignee", o.consignee, w.consignee),
                ("CONSIGNEE_PHONE", "consigneeTelephone", o.consignee_phone, w.consignee_phone),
                ("CONSIGNEE_ADDRESS", "consigneeAddress", o.consignee_address, w.consignee_address),
            ):
                if not _same(a, b):
                    add(Issue(code, fname, a, b, f"order {ref}: {fname} differs on the waybill"))
    for p in payments:
        if (p.ebp_code, p.order_no) not in order_keys:
            add(
                Issue(
                    "MISSING_ORDER",
                    "order",
                    None,
                    f"{p.ebp_code}/{p.order_no}",
                    f"payment {p.transaction_id} refers to an order that is not here",
                )
            )
    order_nos = {o.order_no for o in orders}
    for w in waybills:
        if w.order_no not in order_nos:
            add(
                Issue(
                    "MISSING_ORDER",
                    "order",
                    None,
                    w.order_no,
                    f"waybill {w.logistics_no} refers to an order that is not here",
                )
            )
    by_key = {(o.ebp_code, o.order_no): o for o in orders}
    for inv in inventories or []:
        _inventory(inv, by_key, way_by_no, add)
    return report


def _inventory(inv: InventoryRec, orders: dict, waybills: dict, add: Any) -> None:
    ref = f"{inv.ebp_code}/{inv.order_no}"
    o = orders.get((inv.ebp_code, inv.order_no))
    if o is None:
        add(Issue("MISSING_ORDER", "order", None, ref, f"inventory list {ref}: no such order"))
        return
    if (inv.logistics_code, inv.logistics_no) not in waybills:
        add(
            Issue(
                "MISSING_WAYBILL",
                "waybill",
                ref,
                inv.logistics_no,
                f"inventory list {ref}: waybill {inv.logistics_no} is not here",
            )
        )
    if normalise(inv.buyer_id).upper() != normalise(o.buyer_id).upper() or not _same(
        inv.buyer_name, o.buyer_name
    ):
        add(
            Issue(
                "INVENTORY_BUYER",
                "buyerIdNumber",
                o.buyer_id,
                inv.buyer_id,
                f"inventory list {ref}: buyer differs from the order's",
            )
        )
    order_lines = {line.gnum: line for line in o.lines}
    inv_lines = {line.gnum: line for line in inv.lines}
    for gnum in sorted(set(order_lines) | set(inv_lines)):
        a, b = order_lines.get(gnum), inv_lines.get(gnum)
        if a is None or b is None:
            add(
                Issue(
                    "INVENTORY_LINES",
                    f"gnum {gnum}",
                    gnum if a else None,
                    gnum if b else None,
                    f"inventory list {ref}: line {gnum} is only on the "
                    f"{'order' if a else 'inventory list'}",
                )
            )
            continue
        if not _same(a.name, b.name):
            add(
                Issue(
                    "INVENTORY_NAME",
                    f"gnum {gnum} name",
                    a.name,
                    b.name,
                    f"inventory list {ref}: line {gnum} name differs from the order",
                )
            )
        if a.qty != b.qty or a.price != b.price:
            add(
                Issue(
                    "INVENTORY_QTY_PRICE",
                    f"gnum {gnum} qty/price",
                    f"{a.qty}×{a.price}",
                    f"{b.qty}×{b.price}",
                    f"inventory list {ref}: line {gnum} quantity or price differs",
                )
            )


# --- from the CEB bindings -------------------------------------------------------------


def reconcile_messages(
    order: bytes, payment: bytes, waybill: bytes, inventory: bytes | None = None
) -> Report:
    """三单对碰 of a CEB311, CEB411 and CEB511 (and a CEB621) as received: each must be
    well-formed, of its type and valid against the official schema, or a 422 names it."""
    return reconcile(
        orders_of(cx.read_input(order, "order", "CEB311")),
        payments_of(cx.read_input(payment, "payment", "CEB411")),
        waybills_of(cx.read_input(waybill, "waybill", "CEB511")),
        inventories_of(cx.read_input(inventory, "inventory", "CEB621")) if inventory else None,
    )


def _finite(value: Decimal, message: str, field: str) -> Decimal:
    """An amount read without the schema (a caller of the ``*_of`` functions may skip it):
    ``NaN`` and ``Infinity`` are decimals to Python, and ``sNaN`` raises on comparison."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise cx.MessageError(f"{message} {field} must be a finite decimal number")
    return value


def _line(message: str, line: Any) -> Line:
    return Line(
        line.gnum,
        line.item_name,
        _finite(line.qty, message, "qty"),
        _finite(line.price, message, "price"),
        _finite(line.total_price, message, "totalPrice"),
    )


def orders_of(msg: Any) -> list[OrderRec]:
    out = []
    for order in msg.order:
        h = order.order_head
        lines = tuple(_line("CEB311", line) for line in order.order_list)
        out.append(
            OrderRec(
                h.ebp_code,
                h.order_no,
                _finite(h.actural_paid, "CEB311", "acturalPaid"),
                h.buyer_name,
                h.buyer_id_number,
                h.consignee,
                h.consignee_telephone,
                h.consignee_address,
                h.pay_code,
                h.pay_transaction_id,
                lines,
            )
        )
    return out


def payments_of(msg: Any) -> list[PaymentRec]:
    return [
        PaymentRec(
            h.ebp_code,
            h.order_no,
            _finite(h.amount_paid, "CEB411", "amountPaid"),
            h.payer_name,
            h.payer_id_number,
            h.pay_code,
            h.pay_transaction_id,
        )
        for h in (p.payment_head for p in msg.payment)
    ]


def waybills_of(msg: Any) -> list[WaybillRec]:
    return [
        WaybillRec(
            h.logistics_code,
            h.logistics_no,
            h.order_no,
            h.consignee,
            h.consignee_telephone,
            h.consignee_address,
        )
        for h in (w.logistics_head for w in msg.logistics)
    ]


def inventories_of(msg: Any) -> list[InventoryRec]:
    out = []
    for inv in msg.inventory:
        h = inv.inventory_head
        lines = tuple(_line("CEB621", line) for line in inv.inventory_list)
        out.append(
            InventoryRec(
                h.ebp_code,
                h.order_no,
                h.logistics_code,
                h.logistics_no,
                h.buyer_name,
                h.buyer_id_number,
                lines,
            )
        )
    return out
