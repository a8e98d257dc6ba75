"""A case's evidence pack: the case assembles, from what is stored for its order, every
record the caller may read — the order, its payments and waybills, the waybills' tracking
events, the customs messages and receipts, the compliance decisions, and the case's own
ledger entries — each with its c2sp.org/tlog-proof bundle, all against ONE signed
checkpoint, zipped with a manifest (:mod:`cbec.disputes.pack`).

Personal data only for the parties entitled to it: a document reads as the documents' API
reads it to the caller — in clear for its filer, who also gets the commitment salt (so the
clear document can be checked against the logged content hash), masked for everyone else,
who gets instead the commitments of its personal fields (the HMACs the logged hash is over).
Tracking events, customs events and decisions carry ids, states and hashes, no personal data.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cbec.disputes.pack import PackItem, build
from cbec.errors import NotFound
from cbec.ledger.bundle import Bundle, format_bundle
from cbec.ledger.entry import redact
from cbec.privacy.vault import ERASED
from cbec.services import disputes
from cbec.services.customs_timeline import order_timeline
from cbec.store.compliance_store import DecisionStore
from cbec.store.dispute_store import DisputeStore
from cbec.store.repository import UnitOfWork
from cbec.store.tracking_store import TrackingStore
from cbec.tenancy.access import Viewer, sees_clear
from cbec.trade import views
from cbec.trade.kinds import KINDS
from cbec.trade.ports import StoredDocument, now

MAX_RELATED = 50  # payments or waybills of one order


def _document_item(uow: UnitOfWork, viewer: Viewer, doc: StoredDocument) -> PackItem:
    kind = KINDS[doc.kind]
    body = views.present(uow.vault, kind, viewer, doc)
    salt = _salt(uow, doc)
    if sees_clear(viewer, doc.filer_tenant_id):
        if salt is not None:
            body["evidence_salt"] = base64.b64encode(salt).decode()
    elif salt is not None:
        clear = uow.vault.open(kind.name, doc.id, kind.pii, doc.body, clear=True)
        committed = redact(clear, kind.pii, salt)
        body["commitments"] = {p: v for p in sorted(kind.pii) if (v := _at(committed, p))}
    return PackItem(doc.kind, doc.id, doc.ledger_index, body, None)


def _salt(uow: UnitOfWork, doc: StoredDocument) -> bytes | None:
    if not doc.commit_salt:
        return None
    text = uow.vault.open_value(doc.kind, doc.id, "commit_salt", doc.commit_salt)
    if text == ERASED:  # erased with its person: the commitments stay closed
        return None
    return base64.b64decode(text)


def _at(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _related(uow: UnitOfWork, viewer: Viewer, order: StoredDocument, kind: str):
    platform = uow.repo.tenant_by_name(str(order.body.get("platform")))
    return uow.repo.list_documents(
        viewer,
        kind,
        order_no=str(order.body.get("order_no")),
        platform_id=platform.id if platform else -1,
        limit=MAX_RELATED,
    )


def _items(uow: UnitOfWork, viewer: Viewer, row: Any) -> list[PackItem]:
    items: list[PackItem] = []
    order = uow.repo.get_document(viewer, "order", row.order_id)
    if order is None:  # the order is no longer readable (erased or withdrawn)
        return items
    items.append(_document_item(uow, viewer, order))
    payments = _related(uow, viewer, order, "payment")
    waybills = _related(uow, viewer, order, "waybill")
    items += [_document_item(uow, viewer, d) for d in payments + waybills]
    store = TrackingStore(uow.conn)
    for waybill in waybills:  # readable, so are the events about it
        for e in store.of_waybill(waybill.id):
            items.append(
                PackItem("tracking_event", e.event_id, e.ledger_index, json.loads(e.body), None)
            )
    for d in DecisionStore(uow.conn).for_document(order.id):
        index = d.pop("ledger_index")
        name = f"{order.id}-{d['decided_at']}"
        items.append(
            PackItem("compliance_decision", name, index, d | {"document_id": order.id}, None)
        )
    for e in DisputeStore(uow.conn).events(row.id):
        entry = json.loads(e.entry)
        items.append(PackItem("dispute_event", f"{row.id}-{e.id}", e.ledger_index, entry, None))
    return items


def assemble(uow: UnitOfWork, viewer: Viewer, case_id: str) -> bytes:
    """The pack of a case the caller is a party to (404 otherwise), as the zip's bytes."""
    case = disputes.show_case(uow, viewer, case_id)
    timeline = order_timeline(uow, viewer, case.order_id) if _readable(uow, viewer, case) else None
    with uow:
        row = DisputeStore(uow.conn).get(viewer.tenant_id, case_id)
        if row is None:
            raise NotFound("not_found", {"kind": disputes.KIND})
        items = _items(uow, viewer, row)
    for ev in timeline.events if timeline else []:
        name = f"{ev.record_guid}-{ev.event}-{ev.at}"
        items.append(PackItem("customs_message", name, ev.ledger_index, ev.model_dump(), None))
    logged = [i.ledger_index for i in items if i.ledger_index is not None]
    ledger = uow.ledger
    cp = ledger.latest_checkpoint()
    if logged and (cp is None or cp.size <= max(logged)):
        cp = ledger.integrate(force_checkpoint=True) or ledger.latest_checkpoint()
    if cp is None:
        raise NotFound("not_found", {"kind": "checkpoint"})
    proven = []
    for item in items:
        bundle = None
        if item.ledger_index is not None and item.ledger_index < cp.size:
            entry = ledger.entry(item.ledger_index)
            proof = ledger.inclusion_proof(item.ledger_index, cp.size)
            bundle = format_bundle(Bundle(item.ledger_index, proof, cp.note, entry.data))
        proven.append(PackItem(item.kind, item.id, item.ledger_index, item.body, bundle))
    header = {
        "case": case.id,
        "order": {"id": case.order_id, "order_no": case.order_no},
        "assembled_for": viewer.name,
        "assembled_at": now().isoformat().replace("+00:00", "Z"),
        "log": {"origin": ledger.origin, "hash": ledger.hasher.name, "verifier_keys": ledger.vkeys},
        "checkpoint_size": cp.size,
    }
    return build(header, case.model_dump(mode="json"), cp.note, proven)


def _readable(uow: UnitOfWork, viewer: Viewer, case: Any) -> bool:
    with uow:
        return uow.repo.get_document(viewer, "order", case.order_id) is not None
