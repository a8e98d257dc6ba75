"""HTTP routes for customs messages: validate a message, reconcile three, and list the
orders whose stored order, payment and waybill would not pass 三单对碰 today."""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from cbec.api.body import parse_json
from cbec.customs import build
from cbec.customs import reconcile as rc
from cbec.customs import xml as cx
from cbec.customs.state import (
    ANSWERS,
    DECLARABLE,
    RECEIPTS,
    IllegalTransition,
    act,
    receipts_of,
    receive,
    records_of,
)
from cbec.customs.validate import check
from cbec.errors import BadRequest, Conflict, Forbidden, NotFound
from cbec.ledger.entry import CONTENT_TYPE as ENTRY_CONTENT_TYPE
from cbec.ledger.entry import customs_entry
from cbec.runtime import Runtime
from cbec.store.customs_store import DeclarationStore, ProfileStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

PERSONAL_FIELDS = ("consignee", "buyer", "payer", "Telephone", "Address", "IdNumber", "Name")


class ReconcileRequest(BaseModel):
    order: str
    payment: str
    waybill: str
    inventory: str | None = None


def _redacted(report: rc.Report) -> dict[str, Any]:
    """The report without the compared values of personal fields (names, phones, IDs,
    addresses): the codes and messages say what differs; the values stay in the documents."""
    out = report.as_dict()
    for issue in out["issues"]:
        if any(word.lower() in issue["field"].lower() for word in PERSONAL_FIELDS):
            issue["order"] = issue["other"] = None
    return out


def _record(rt: Runtime, v: Viewer, xml: bytes) -> dict[str, Any]:
    """Append a well-formed CEB message (or receipt) to the evidence log, valid or not —
    what was exchanged with customs is evidence either way — with its check result."""
    try:
        name = cx.root_name(xml)
        parsed = cx.read(xml) if not cx.validate_xsd(xml) else None
    except cx.MessageError as exc:
        raise BadRequest("invalid_json", {"detail": str(exc)}) from None
    problems = check(xml)
    code = name.removesuffix("Message")
    statuses = []
    if parsed is not None and code in RECEIPTS:
        statuses = [r.status for r in receipts_of(code, parsed)]
    guid = cx.guid_of(xml)
    entry = customs_entry(
        message=code,
        guid=guid,
        at=now(),
        submitter=v.name,
        xml=xml,
        valid=not problems,
        statuses=statuses,
    )
    index = rt.ledger.append_one(ENTRY_CONTENT_TYPE, entry)
    states = _track(rt, v, code, parsed, index, valid=not problems) if parsed is not None else []
    return {
        "message": code,
        "guid": guid,
        "valid": not problems,
        "problems": [{"rule": p.rule, "path": p.path, "message": p.message} for p in problems],
        "return_status": statuses,
        "ledger": {"index": index},
        "declarations": states,
    }


def _track(
    rt: Runtime, v: Viewer, code: str, parsed: Any, index: int, valid: bool
) -> list[dict[str, str | None]]:
    """Move the declaration state of each record: a valid business message declares it, a
    receipt moves it as its returnStatus says. A step the state machine does not allow is
    refused (409) — after the message was logged, since it was exchanged all the same."""
    out = []
    with rt.uow(write=True) as uow:
        store = DeclarationStore(uow.conn)
        try:
            if code in DECLARABLE and valid:
                for record_guid, key in records_of(code, parsed):
                    found = store.find(code, record_guid, lock=True)
                    if found is None:
                        state = act("draft", "declare")
                        did = store.create(v.tenant_id, code, record_guid, key, state)
                    else:
                        state, did = act(found.state, "declare"), found.id
                        store.move(did, state)
                    store.event(did, "declare", state, None, None, index)
                    out.append({"message": code, "record_guid": record_guid, "state": state})
            elif code in ANSWERS:
                for r in receipts_of(code, parsed):
                    found = store.find(ANSWERS[code], r.guid, lock=True)
                    if found is None:  # declared elsewhere, before cbec: logged, not tracked
                        out.append({"message": ANSWERS[code], "record_guid": r.guid, "state": None})
                        continue
                    state = receive(found.state, r.status)
                    store.move(found.id, state)
                    store.event(found.id, "receipt", state, r.status, r.info, index)
                    out.append({"message": ANSWERS[code], "record_guid": r.guid, "state": state})
        except IllegalTransition as exc:
            raise Conflict("illegal_transition", {"detail": str(exc), "index": index}) from None
        uow.commit()
    return out


def _registry(profiles: dict[str, Any], sender: str) -> build.Registry:
    if sender not in profiles or not profiles[sender].dxp_id:
        raise BadRequest("customs_no_profile", {"tenant": sender})
    me = profiles[sender]
    return build.Registry(
        parties={n: build.Party(r.code, r.registered_name) for n, r in profiles.items()},
        sender=build.Party(me.code, me.registered_name),
        dxp_id=me.dxp_id,
    )


def _declare_order(rt: Runtime, v: Viewer, doc_id: str) -> dict[str, Any]:
    """CEB311 for a stored order (with its payment's transaction when one is filed), checked,
    logged and tracked like any message sent — only by the order's filer, who holds its
    personal data in clear."""
    with rt.uow() as uow:
        stored = uow.repo.get_document(v, "order", doc_id)
        if stored is None:
            raise NotFound("not_found", {"kind": "order"})
        if stored.filer_tenant_id != v.tenant_id:
            raise Forbidden("only_filer_changes", {"kind": "order"})
        order = rt.vault.open("order", doc_id, KINDS["order"].pii, stored.body, clear=True)
        payments = uow.repo.list_documents(v, "payment", order_no=order["order_no"], limit=5)
        payment = next(
            (
                rt.vault.open("payment", p.id, KINDS["payment"].pii, p.body, clear=True)
                for p in payments
                if p.body.get("platform") == order["platform"]
            ),
            None,
        )
        registry = _registry(ProfileStore(uow.conn).by_name(), v.name)
    message = build.ceb311(order, registry, at=now(), payment=payment)
    xml = cx.write(message)
    result = _record(rt, v, xml)
    result["xml"] = xml.decode("utf-8")
    return result


def install(app: FastAPI, rt: Runtime, auth: Any) -> None:
    Auth = Annotated[Viewer, Depends(auth)]

    @app.post("/customs/validate", tags=["customs"], summary="Check a CEB message (XSD + rules)")
    async def validate(request: Request, v: Auth) -> dict[str, Any]:
        problems = await run_in_threadpool(check, await request.body())
        return {
            "valid": not problems,
            "problems": [{"rule": p.rule, "path": p.path, "message": p.message} for p in problems],
        }

    @app.post(
        "/customs/messages",
        tags=["customs"],
        summary="Record a CEB message or receipt sent or received: checked, then logged",
    )
    async def record(request: Request, v: Auth) -> dict[str, Any]:
        xml = await request.body()
        return await run_in_threadpool(_record, rt, v, xml)

    @app.post(
        "/orders/{doc_id}/customs/ceb311",
        tags=["customs"],
        summary="Build, check, log and track the CEB311 of a stored order (its filer only)",
    )
    def declare_order(doc_id: str, v: Auth) -> dict[str, Any]:
        return _declare_order(rt, v, doc_id)

    @app.get("/customs/declarations", tags=["customs"], summary="Declarations and their history")
    def declarations(
        v: Auth,
        state: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        with rt.uow() as uow:
            mine = None if v.role is Role.REGULATOR else v.tenant_id
            return DeclarationStore(uow.conn).list(mine, state, limit)

    @app.post("/customs/reconcile", tags=["customs"], summary="三单对碰 of CEB311/411/511 (+621)")
    async def reconcile(request: Request, v: Auth) -> dict[str, Any]:
        body = ReconcileRequest.model_validate(parse_json(await request.body()))
        try:
            report = rc.reconcile(
                rc.orders_of(cx.read(body.order.encode())),
                rc.payments_of(cx.read(body.payment.encode())),
                rc.waybills_of(cx.read(body.waybill.encode())),
                rc.inventories_of(cx.read(body.inventory.encode())) if body.inventory else None,
            )
        except (cx.MessageError, AttributeError) as exc:
            raise BadRequest("invalid_json", {"detail": str(exc)}) from None
        return _redacted(report)

    @app.get(
        "/customs/unmatched",
        tags=["customs"],
        summary="Your orders whose stored order, payment and waybill do not reconcile",
    )
    def unmatched(
        v: Auth,
        platform: str | None = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ) -> dict[str, Any]:
        with rt.uow() as uow:
            filt = {}
            if platform is not None:
                t = uow.repo.tenant_by_name(platform)
                filt["platform_id"] = t.id if t else -1
            orders = uow.repo.list_documents(v, "order", limit=limit, **filt)
            out = []
            for o in orders:
                doc = rt.vault.open("order", o.id, KINDS["order"].pii, o.body, clear=True)
                related = {}
                for kind in ("payment", "waybill"):
                    found = uow.repo.list_documents(
                        v, kind, order_no=doc["order_no"], platform_id=None, limit=5
                    )
                    related[kind] = [
                        rt.vault.open(kind, d.id, KINDS[kind].pii, d.body, clear=True)
                        for d in found
                        if d.body.get("platform") == doc["platform"]
                    ]
                report = rc.reconcile(
                    [rc.order_record(doc)],
                    [rc.payment_record(p) for p in related["payment"]],
                    [rc.waybill_record(w) for w in related["waybill"]],
                )
                if not report.matched:
                    out.append(
                        {
                            "id": o.id,
                            "platform": doc["platform"],
                            "order_no": doc["order_no"],
                            **_redacted(report),
                        }
                    )
        return {"checked": len(orders), "unmatched": out}
