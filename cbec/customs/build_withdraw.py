"""Withdrawing a declared inventory list: cancellation (CEB623, 撤销申请单) before the parcel
leaves customs control, return (CEB625, 退货申请单) after delivery.

Both restate the original list — order, parties, buyer, agent — and add the number customs
gave it (``invtNo``, from the CEB622 receipt) and a reason, so they are built from the CEB621
that was declared rather than from cbec documents that may have moved on since. A return
may cover only some lines, and never more than was declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from cbec.customs.bindings import ceb_import as b
from cbec.customs.build import Registry, _base_transfer, _new_record, _record
from cbec.errors import DocumentInvalid, Violation

_RESTATED = (
    "customs_code",
    "order_no",
    "ebp_code",
    "ebp_name",
    "ebc_code",
    "ebc_name",
    "logistics_no",
    "logistics_code",
    "logistics_name",
    "cop_no",
    "pre_no",
    "buyer_id_type",
    "buyer_id_number",
    "buyer_name",
    "buyer_telephone",
    "agent_code",
    "agent_name",
)


def _head_values(
    inventory: b.Ceb621Message, invt_no: str, reason: str, at: datetime
) -> dict[str, object]:
    head = inventory.inventory[0].inventory_head
    return {
        **_new_record(at),
        **{attr: getattr(head, attr) for attr in _RESTATED},
        "invt_no": invt_no,
        "reason": reason,
    }


def _checked(invt_no: str, reason: str, errors: list[Violation]) -> None:
    if not invt_no.strip():
        errors.append(Violation("invt_no", "missing", {}))
    if not reason.strip():
        errors.append(Violation("reason", "missing", {}))


def ceb623(
    inventory: b.Ceb621Message, reg: Registry, *, invt_no: str, reason: str, at: datetime
) -> b.Ceb623Message:
    """The cancellation of one declared inventory list; to be signed before it is sent."""
    errors: list[Violation] = []
    _checked(invt_no, reason, errors)
    values = _head_values(inventory, invt_no, reason, at)
    where = {"invt_no": "invt_no", "reason": "reason"}
    record = _record(b.InvtCancel, values, where, errors)
    if errors:
        raise DocumentInvalid(errors)
    return b.Ceb623Message(
        invt_cancel=[record],
        base_transfer=_base_transfer(reg),
        signature=None,  # signed (XML-DSig) before it is sent: the schema requires it
        guid=record.guid,
        version="1.0",
    )


def ceb625(
    inventory: b.Ceb621Message,
    reg: Registry,
    *,
    invt_no: str,
    reason: str,
    at: datetime,
    quantities: Mapping[int, Decimal] | None = None,
) -> b.Ceb625Message:
    """The return of a delivered inventory list: every line, or the quantities given by
    ``gnum`` — each at most what was declared on that line."""
    errors: list[Violation] = []
    _checked(invt_no, reason, errors)
    declared = {line.gnum: line for line in inventory.inventory[0].inventory_list}
    wanted = dict(quantities) if quantities is not None else {g: d.qty for g, d in declared.items()}
    lines = []
    for gnum, qty in sorted(wanted.items()):
        line = declared.get(gnum)
        if line is None:
            errors.append(Violation(f"quantities[{gnum}]", "customs_no_line", {"gnum": gnum}))
            continue
        if not 0 < qty <= line.qty:
            errors.append(
                Violation(f"quantities[{gnum}]", "customs_return_qty", {"declared": line.qty})
            )
            continue
        lines.append(
            b.InvtRefundList(gnum=gnum, gcode=line.gcode, gname=line.gname, qty=qty, unit=line.unit)
        )
    if not wanted:
        errors.append(Violation("quantities", "missing", {}))
    values = _head_values(inventory, invt_no, reason, at)
    where = {"invt_no": "invt_no", "reason": "reason"}
    head = _record(b.InvtRefundHead, values, where, errors)
    if errors:
        raise DocumentInvalid(errors)
    return b.Ceb625Message(
        invt_refund=[b.Ceb625Message.InvtRefund(invt_refund_head=head, invt_refund_list=lines)],
        base_transfer=_base_transfer(reg),
        signature=None,
        guid=head.guid,
        version="1.0",
    )
