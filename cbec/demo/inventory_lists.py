"""The demo seller's inventory lists (清单, CEB621) and what became of them: declared through
:func:`cbec.services.customs_declare.declare_inventory` (signed with its demo SM2 key), some
cancelled (CEB623) or returned (CEB625) through :func:`~cbec.services.customs_declare.withdraw`,
and the receipts (CEB622/624/626) the demo customs office logs for them through
:func:`cbec.services.customs_track.record` — the use cases the API calls.

Why this plan (:data:`PLANS`): the console's dashboard counts declarations by state and an
order's page shows its customs timeline, so the demo has an inventory list in every state
of :mod:`cbec.customs.state` and each withdrawal message in every state of its own; most
lists are accepted (入库), a few are rejected, a few cancelled or returned, as a customs
office sees them. The plan is fixed, the orders are the seller's first Chinese imports with
a waybill after those it declared with CEB311, so a second run finds the lists declared and
does nothing (the record guids are the builders' own, as for any declaration).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cbec.customs import xml as cx
from cbec.customs.bindings import ceb_import as b
from cbec.errors import BadRequest
from cbec.runtime import Runtime
from cbec.services import customs, customs_declare, customs_track
from cbec.services import documents as docs
from cbec.tenancy.access import Viewer


@dataclass(frozen=True)
class Plan:
    """One list's story: the returnStatus of each receipt of the list, then — once accepted
    — a withdrawal (``cancel`` or ``return``) and the statuses of its receipts."""

    receipts: tuple[int, ...]
    withdraw: str | None = None
    withdrawal_receipts: tuple[int, ...] = ()


ACCEPTED = (2, 3, 120)  # accepted by E-Port, sent to customs, accepted by customs (入库)
# The withdrawal plans: none yet, declaring, sent, accepted (the list is then cancelled or
# returned) and rejected (the list stands, accepted) — every state of a CEB623 and a CEB625.
_WITHDRAWALS = ((), (2,), (2, 3), ACCEPTED, (2, 100))
PLANS: list[Plan] = [
    *[Plan(ACCEPTED)] * 14,
    Plan(()),  # declared, no receipt yet
    Plan((2,)),  # declaring at E-Port
    Plan((2, 3)),  # sent to customs
    Plan((2, 100)),  # rejected by customs (退单)
    Plan((-1,)),  # a processing error
    *[Plan(ACCEPTED, "cancel", w) for w in _WITHDRAWALS],
    *[Plan(ACCEPTED, "return", w) for w in _WITHDRAWALS],
    *[Plan(ACCEPTED)] * 6,
]
DECLARATION = {  # the demo's port: Hangzhou's cross-border zone, by air
    "customs_code": "2991",
    "port_code": "2991",
    "assure_code": "4403960002",
    "trade_mode": "9610",
    "traf_mode": "5",
}
INFO = {
    2: "电子口岸已暂存",
    3: "已发送海关",
    100: "海关退单：商品信息与备案不符",
    120: "海关审结通过",
}
REASONS = {"cancel": "买家取消订单，货物未出区", "return": "买家退货，原包装退回区内"}
_NS = uuid.UUID("6f1d8a52-3c1e-4b7a-9a43-2f0d5c6e7b81")  # demo receipt guids, by name


def inventory_lists(
    rt: Runtime,
    seller: Viewer,
    office: Viewer,
    batches: dict[tuple[str, str], list[dict]],
    skip: int,
) -> None:
    """Declare the seller's demo inventory lists and log customs' answers (module doc);
    skipped when the seller has declared an inventory list already. ``skip``: the seller's
    first Chinese imports, declared with CEB311 instead."""
    query = customs.DeclarationsQuery(limit=1000)
    if any(d.message == "CEB621" for d in customs.list_declarations(rt.uow(), seller, query)):
        return
    shipped = {w["order_no"] for w in batches.get(("hai-express", "waybill"), [])}
    paid = {p["order_no"] for p in batches.get(("yun-pay", "payment"), [])}
    both = shipped & paid
    mine = [
        o
        for o in batches.get((seller.name, "order"), [])
        if o["destination_country"] == "CN" and o["order_no"] in both
    ][skip:]
    plans = iter(enumerate(PLANS))
    n, plan = next(plans)
    for order in mine:
        listed = _declare(rt, seller, order, n)
        if listed is None:  # its waybill is not the seller's to read (三单 mismatch): next
            continue
        _story(rt, seller, office, order, listed, plan, n)
        step = next(plans, None)
        if step is None:
            return
        n, plan = step


def _declare(rt: Runtime, seller: Viewer, order: dict[str, Any], n: int) -> bytes | None:
    query = docs.ListQuery(kind="order", order_no=order["order_no"], platform=order["platform"])
    (found,) = docs.list_documents(rt.uow(), seller, query).items
    req = customs_declare.DeclarationRequest.model_validate(
        DECLARATION
        | {
            "voyage_no": f"CA{1041 + n % 7}",
            "bill_no": f"999-{20261100 + n:08d}",
            "cop_no": f"SZG-{order['order_no']}",
        }
    )
    try:
        sent = customs_declare.declare_inventory(rt.uow(), seller, found["id"], req)
    except BadRequest as exc:
        if exc.rule == "customs_no_waybill":
            return None
        raise
    return sent.xml.encode()


def _story(
    rt: Runtime,
    seller: Viewer,
    office: Viewer,
    order: dict[str, Any],
    listed: bytes,
    plan: Plan,
    n: int,
) -> None:
    head = cx.read(listed).inventory[0].inventory_head
    when = datetime.fromisoformat(order["ordered_at"].replace("Z", "+00:00"))
    invt_no = f"2991{when.year}I{n + 1:09d}"
    for i, status in enumerate(plan.receipts):
        at = when + timedelta(hours=6 + i)
        receipt = b.InventoryReturn(
            **_answer(head, n, status, at, invt_no if status == 120 else None)
        )
        msg = b.Ceb622Message(inventory_return=[receipt], guid=_guid(head.guid, i), version="1.0")
        customs_track.record(rt.uow(), office, cx.write(msg))
    if plan.withdraw is None:
        return
    req = customs_declare.WithdrawalRequest(
        inventory=listed.decode(),
        action=plan.withdraw,
        invt_no=invt_no,
        reason=REASONS[plan.withdraw],
    )
    sent = customs_declare.withdraw(rt.uow(), seller, req)
    record = sent.declarations[0].record_guid or ""
    for i, status in enumerate(plan.withdrawal_receipts):
        answer = _answer(head, n, status, when + timedelta(days=3, hours=i), invt_no) | {
            "guid": record
        }
        if plan.withdraw == "cancel":
            msg: Any = b.Ceb624Message(
                invt_cancel_return=[b.InvtCancelReturn(**answer)],
                guid=_guid(record, i),
                version="1.0",
            )
        else:
            msg = b.Ceb626Message(
                invt_refund_return=[b.InvtRefundReturn(**answer)],
                guid=_guid(record, i),
                version="1.0",
            )
        customs_track.record(rt.uow(), office, cx.write(msg))


def _answer(head: Any, n: int, status: int, at: datetime, invt_no: str | None) -> dict[str, Any]:
    """The fields a receipt for the list ``head`` carries (202205 schema)."""
    return {
        "guid": head.guid,
        "customs_code": head.customs_code,
        "ebp_code": head.ebp_code,
        "ebc_code": head.ebc_code,
        "agent_code": head.agent_code,
        "cop_no": head.cop_no,
        "pre_no": f"B{at:%Y%m%d}{n + 1:09d}",
        "invt_no": invt_no,
        "return_status": str(status),
        "return_time": f"{at:%Y%m%d%H%M%S}000",
        "return_info": INFO.get(status, "报文处理错误"),
    }


def _guid(record: str, i: int) -> str:
    """A receipt message's guid: 36 upper-case characters, named after what it answers."""
    return str(uuid.uuid5(_NS, f"{record}:{i}")).upper()
