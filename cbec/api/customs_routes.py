"""HTTP routes for customs messages: validate a message, reconcile three, and list the
orders whose stored order, payment and waybill would not pass 三单对碰 today."""

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cbec.api.body import parse_json
from cbec.customs import build, build_withdraw, sign
from cbec.customs import reconcile as rc
from cbec.customs import xml as cx
from cbec.customs.state import (
    ANSWERS,
    DECLARABLE,
    RECEIPTS,
    WITHDRAWS,
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
from cbec.store.customs_store import DeclarationStore, ProfileStore, SigningKeyStore
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
                    if found is not None and not _owns(v, found):
                        raise Conflict("customs_record_taken", {"guid": record_guid})
                    if found is None:
                        state = act("draft", "declare")
                        did = store.create(v.tenant_id, code, record_guid, key, state)
                    else:
                        state, did = act(found.state, "declare"), found.id
                        store.move(did, state)
                    store.event(did, "declare", state, None, None, index)
                    out.append({"message": code, "record_guid": record_guid, "state": state})
                    if code in WITHDRAWS:
                        out.append(_withdraw(store, v.tenant_id, code, key, index))
            elif code in ANSWERS:
                for r in receipts_of(code, parsed):
                    found = store.find(ANSWERS[code], r.guid, lock=True)
                    if found is None or not _owns(v, found):  # declared elsewhere: not tracked
                        out.append({"message": ANSWERS[code], "record_guid": r.guid, "state": None})
                        continue
                    state = receive(found.state, r.status)
                    store.move(found.id, state)
                    store.event(found.id, "receipt", state, r.status, r.info, index)
                    out.append({"message": ANSWERS[code], "record_guid": r.guid, "state": state})
                    if ANSWERS[code] in WITHDRAWS:
                        out.append(_withdrawn(store, found, r, index))
        except IllegalTransition as exc:
            raise Conflict("illegal_transition", {"detail": str(exc), "index": index}) from None
        uow.commit()
    return out


def _tenant_id(uow: Any, name: str) -> int:
    tenant = uow.repo.tenant_by_name(name)
    return tenant.id if tenant else -1


def _owns(v: Viewer, declaration: Any) -> bool:
    """Only the declarer's messages (or a regulator's) move a declaration's state."""
    return declaration.tenant_id == v.tenant_id or v.role is Role.REGULATOR


def _withdraw(store: DeclarationStore, tenant_id: int, code: str, key: str, index: int) -> dict:
    """Start the cancellation or return a CEB623/625 asks for on the declarer's inventory
    list of the same order (untracked when that list was declared outside cbec)."""
    target, action = WITHDRAWS[code]
    listed = store.find_by_key(tenant_id, target, key, lock=True)
    if listed is None:
        return {"message": target, "record_guid": None, "state": None}
    state = act(listed.state, action)
    store.move(listed.id, state)
    store.event(listed.id, action, state, None, None, index)
    return {"message": target, "record_guid": listed.record_guid, "state": state}


def _withdrawn(store: DeclarationStore, withdrawal: Any, r: Any, index: int) -> dict:
    """Finish (or fail) the withdrawal on the inventory list as its receipt says."""
    target, _ = WITHDRAWS[withdrawal.message]
    listed = store.find_by_key(withdrawal.tenant_id, target, withdrawal.business_key, lock=True)
    if listed is None:
        return {"message": target, "record_guid": None, "state": None}
    if listed.state not in ("cancelling", "returning"):  # already settled by an earlier one
        return {"message": target, "record_guid": listed.record_guid, "state": listed.state}
    state = receive(listed.state, r.status)
    store.move(listed.id, state)
    store.event(listed.id, "receipt", state, r.status, r.info, index)
    return {"message": target, "record_guid": listed.record_guid, "state": state}


def _registry(profiles: dict[str, Any], sender: str) -> build.Registry:
    if sender not in profiles or not profiles[sender].dxp_id:
        raise BadRequest("customs_no_profile", {"tenant": sender})
    me = profiles[sender]
    return build.Registry(
        parties={n: build.Party(r.code, r.registered_name) for n, r in profiles.items()},
        sender=build.Party(me.code, me.registered_name),
        dxp_id=me.dxp_id,
    )


def _filed(rt: Runtime, uow: Any, v: Viewer, kind: str, doc_id: str) -> dict[str, Any]:
    """A stored document in clear — only for its filer, who holds its personal data anyway."""
    stored = uow.repo.get_document(v, kind, doc_id)
    if stored is None:
        raise NotFound("not_found", {"kind": kind})
    if stored.filer_tenant_id != v.tenant_id:
        raise Forbidden("only_filer_changes", {"kind": kind})
    return rt.vault.open(kind, doc_id, KINDS[kind].pii, stored.body, clear=True)


def _related(rt: Runtime, uow: Any, v: Viewer, kind: str, order: dict[str, Any]) -> list[dict]:
    """The caller-visible documents of ``kind`` filed for the same platform order; personal
    data in clear only where the caller filed them (the builders need none of it)."""
    platform_id = _tenant_id(uow, order["platform"])
    found = uow.repo.list_documents(
        v, kind, order_no=order["order_no"], platform_id=platform_id, limit=5
    )
    return [
        rt.vault.open(kind, d.id, KINDS[kind].pii, d.body, clear=d.filer_tenant_id == v.tenant_id)
        for d in found
        if d.body.get("platform") == order["platform"]
    ]


def _catalog(rt: Runtime, uow: Any, order: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The order's products from its seller's catalog (current versions, by SKU). The
    declarer reads them by the order it declares, as it would the seller's product filing."""
    seller = uow.repo.tenant_by_name(order["seller"])
    wanted = {line["sku"] for line in order["lines"]}
    out: dict[str, dict[str, Any]] = {}
    if seller is None:
        return out
    viewer = Viewer(seller.id, seller.name, seller.role)
    after = 0
    while True:
        page = uow.repo.list_documents(viewer, "product", after_seq=after, limit=500)
        for d in page:
            if d.body.get("sku") in wanted and d.body.get("seller") == order["seller"]:
                out[d.body["sku"]] = d.body
        if len(page) < 500:
            return out
        after = page[-1].seq


def _send(rt: Runtime, v: Viewer, xml: bytes, signer: Any = None) -> dict[str, Any]:
    """Sign (when the message needs it and the tenant has a software key), then check, log
    and track it as sent. Without a key the message is returned unsigned and not logged:
    it goes to the E-Port card for signing and comes back through ``/customs/messages``."""
    if signer is not None:
        xml = sign.sign(xml, signer)
    result = _record(rt, v, xml)
    result["signed_by"] = signer.key_name if signer is not None else None
    result["xml"] = xml.decode("utf-8")
    return result


def _needs_card(xml: bytes) -> dict[str, Any]:
    problems = check(xml)
    return {
        "message": cx.root_name(xml).removesuffix("Message"),
        "guid": cx.guid_of(xml),
        "valid": False,
        "problems": [{"rule": p.rule, "path": p.path, "message": p.message} for p in problems],
        "signed_by": None,
        "ledger": None,
        "declarations": [],
        "xml": xml.decode("utf-8"),
    }


BUILDERS = {"order": build.ceb311, "payment": build.ceb411, "waybill": build.ceb511}


def _declare(rt: Runtime, v: Viewer, kind: str, doc_id: str) -> dict[str, Any]:
    """CEB311/411/511 for a stored order, payment or waybill, by the tenant that filed it;
    an order's CEB311 carries its payment's transaction when one is filed."""
    extra = {}
    with rt.uow() as uow:
        doc = _filed(rt, uow, v, kind, doc_id)
        if kind == "order":
            extra["payment"] = next(iter(_related(rt, uow, v, "payment", doc)), None)
        registry = _registry(ProfileStore(uow.conn).by_name(), v.name)
    return _send(rt, v, cx.write(BUILDERS[kind](doc, registry, at=now(), **extra)))


class DeclarationRequest(BaseModel):
    """What the inventory list declares beyond the sale (see ``build.Declaration``)."""

    customs_code: Annotated[str, Field(min_length=4, max_length=4)]
    port_code: Annotated[str, Field(min_length=4, max_length=4)]
    assure_code: Annotated[str, Field(min_length=1, max_length=18)]
    trade_mode: Literal["9610", "1210"] = "9610"
    traf_mode: Annotated[str, Field(min_length=1, max_length=1)] = "5"
    traf_no: str | None = None
    voyage_no: str | None = None
    bill_no: str | None = None
    ems_no: str | None = None
    area: str | None = None  # tenant name of the bonded-area enterprise (1210)
    cop_no: str | None = None


def _declare_inventory(
    rt: Runtime, v: Viewer, doc_id: str, body: DeclarationRequest
) -> dict[str, Any]:
    """CEB621 (the declaration itself) from a stored order, its waybill and its seller's
    catalog, by the order's filer acting as declaring agent; signed with the tenant's
    software key when it has one."""
    with rt.uow() as uow:
        order = _filed(rt, uow, v, "order", doc_id)
        waybills = _related(rt, uow, v, "waybill", order)
        if not waybills:
            raise BadRequest("customs_no_waybill", {"order_no": order["order_no"]})
        catalog = _catalog(rt, uow, order)
        profiles = ProfileStore(uow.conn).by_name()
        registry = _registry(profiles, v.name)
        signer = SigningKeyStore(uow.conn, rt.vault).signer(v.tenant_id)
    area = registry.parties.get(body.area) if body.area else None
    decl = build.Declaration(
        agent=registry.sender,
        area=area,
        **body.model_dump(exclude={"area", "cop_no"}),
    )
    message = build.ceb621(
        order, waybills[0], catalog, registry, decl, at=now(), cop_no=body.cop_no
    )
    xml = cx.write(message)
    return _send(rt, v, xml, signer) if signer is not None else _needs_card(xml)


class WithdrawalRequest(BaseModel):
    """Cancel (CEB623) or return (CEB625) a declared inventory list, given as sent."""

    inventory: str  # the CEB621 XML as declared
    action: Literal["cancel", "return"]
    invt_no: Annotated[str, Field(min_length=1, max_length=18)]  # from the CEB622 receipt
    reason: Annotated[str, Field(min_length=1, max_length=1000)]
    quantities: dict[int, Decimal] | None = None  # return only: gnum → quantity


def _withdrawal(rt: Runtime, v: Viewer, body: WithdrawalRequest) -> dict[str, Any]:
    try:
        listed = cx.read(body.inventory.encode())
    except cx.MessageError as exc:
        raise BadRequest("invalid_json", {"detail": str(exc)}) from None
    if cx.root_name(body.inventory.encode()) != "CEB621Message":
        raise BadRequest("invalid_json", {"detail": "inventory must be a CEB621 message"})
    with rt.uow() as uow:
        registry = _registry(ProfileStore(uow.conn).by_name(), v.name)
        signer = SigningKeyStore(uow.conn, rt.vault).signer(v.tenant_id)
    args = {"invt_no": body.invt_no, "reason": body.reason, "at": now()}
    if body.action == "cancel":
        message = build_withdraw.ceb623(listed, registry, **args)
    else:
        message = build_withdraw.ceb625(listed, registry, quantities=body.quantities, **args)
    xml = cx.write(message)
    return _send(rt, v, xml, signer) if signer is not None else _needs_card(xml)


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

    def declaring(kind: str) -> Any:
        def declare(doc_id: str, v: Auth) -> dict[str, Any]:
            return _declare(rt, v, kind, doc_id)

        return declare

    for kind, message in (("order", "CEB311"), ("payment", "CEB411"), ("waybill", "CEB511")):
        app.add_api_route(
            f"/{KINDS[kind].plural}/{{doc_id}}/customs/{message.lower()}",
            declaring(kind),
            methods=["POST"],
            tags=["customs"],
            summary=f"Build, check, log and track the {message} of a stored {kind} "
            "(its filer only)",
            name=f"declare_{kind}",
        )

    @app.post(
        "/orders/{doc_id}/customs/ceb621",
        tags=["customs"],
        summary="Build the CEB621 inventory list of a stored order; signed, logged and "
        "tracked with the tenant's software key, else returned unsigned for the E-Port card",
    )
    async def declare_inventory(doc_id: str, request: Request, v: Auth) -> dict[str, Any]:
        body = DeclarationRequest.model_validate(parse_json(await request.body()))
        return await run_in_threadpool(_declare_inventory, rt, v, doc_id, body)

    @app.post(
        "/customs/withdrawals",
        tags=["customs"],
        summary="Cancel (CEB623) or return (CEB625) a declared inventory list; signed, logged "
        "and tracked with the tenant's software key, else returned unsigned for the card",
    )
    async def withdraw(request: Request, v: Auth) -> dict[str, Any]:
        body = WithdrawalRequest.model_validate(parse_json(await request.body()))
        return await run_in_threadpool(_withdrawal, rt, v, body)

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
            platform_ids: dict[str, int] = {}
            for o in orders:
                doc = rt.vault.open("order", o.id, KINDS["order"].pii, o.body, clear=True)
                related = {}
                for kind in ("payment", "waybill"):
                    found = uow.repo.list_documents(
                        v,
                        kind,
                        order_no=doc["order_no"],
                        platform_id=platform_ids.setdefault(
                            doc["platform"], _tenant_id(uow, doc["platform"])
                        ),
                        limit=5,
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
