"""Use cases that build customs messages from what cbec stores: CEB311/411/511 from a filed
order, payment or waybill, CEB621 (the inventory list, the declaration itself) from an order,
its waybill and its seller's catalog, and CEB623/625 withdrawing a declared CEB621.

Each is built by the tenant that filed the document (it holds the personal data anyway),
with the parties' customs identities (``cbec admin customs-profile``). A message customs
requires signed (CEB621/623/625, XML-DSig per the 202205 edition) is signed with the tenant's
software key when it has one; without one it comes back unsigned and unlogged for the China
E-Port card, and the signed message returns through ``POST /customs/messages``. A message
that is sent is recorded like any other (:func:`cbec.services.customs_track.record`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field

from cbec.customs import sign
from cbec.customs import xml as cx
from cbec.customs.validate import check
from cbec.errors import BadRequest, Conflict, Forbidden, NotFound
from cbec.privacy.vault import erased_in
from cbec.services.customs import CebXml, JsonBody
from cbec.services.customs_track import Finding, LedgerRef, StateChange, findings, record
from cbec.store.customs_store import ProfileStore, SigningKeyStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now
from cbec.trade.types import Quantity, Text

if TYPE_CHECKING:
    # The builders bring the generated message classes (cbec.customs.xml.messages): each use
    # case imports the ones it builds with, so a server starts without them.
    from cbec.customs import build
Gnum = Annotated[int, Field(ge=1, le=99999)]


class DeclarationRequest(JsonBody):
    """What the inventory list declares beyond the sale
    (:class:`cbec.customs.build_inventory.Declaration`); lengths as the 202205 schema sets."""

    customs_code: str = Field(
        min_length=4, max_length=4, pattern=r"^[0-9]{4}$", description="JGS/T 18 district code"
    )
    port_code: str = Field(
        min_length=4, max_length=4, pattern=r"^[0-9]{4}$", description="Port-of-entry customs"
    )
    assure_code: Text(30) = Field(description="Guarantor's customs registration code")
    trade_mode: Literal["9610", "1210"] = Field("9610", description="9610 direct, 1210 bonded")
    traf_mode: Text(1, 1) = Field("5", description="JGS-20 transport mode (5 = air)")
    traf_no: Text(100) | None = None
    voyage_no: Text(32) | None = Field(None, description="Required for 9610")
    bill_no: Text(37) | None = Field(None, description="Required for 9610")
    ems_no: Text(30) | None = Field(None, description="Warehouse account book (1210)")
    area: Text(64) | None = Field(None, description="Tenant name of the bonded-area firm (1210)")
    cop_no: Text(20) | None = Field(None, description="Your own reference for the list")


class WithdrawalRequest(JsonBody):
    """Cancel (CEB623) or return (CEB625) a declared inventory list, given as it was sent."""

    inventory: CebXml = Field(description="The CEB621 message as declared (signed)")
    action: Literal["cancel", "return"]
    invt_no: Text(18) = Field(description="The list's number, from its CEB622 receipt")
    reason: Text(1000)
    quantities: dict[Gnum, Quantity] | None = Field(
        None, max_length=999, description="Return only: gnum → quantity (all lines if omitted)"
    )


class Sent(BaseModel):
    """A message cbec built: checked, and — when sent (signed where it must be) — logged and
    tracked; otherwise ``ledger`` is null and the XML waits for the E-Port card."""

    message: str
    guid: str
    valid: bool
    problems: list[Finding]
    return_status: list[int] = []
    signed_by: str | None
    ledger: LedgerRef | None
    declarations: list[StateChange]
    xml: str


def _registry(profiles: dict[str, Any], sender: str) -> build.Registry:
    if sender not in profiles or not profiles[sender].dxp_id:
        raise BadRequest("customs_no_profile", {"tenant": sender})
    me = profiles[sender]
    from cbec.customs import build

    return build.Registry(
        parties={n: build.Party(r.code, r.registered_name) for n, r in profiles.items()},
        sender=build.Party(me.code, me.registered_name),
        dxp_id=me.dxp_id,
    )


def _filed(uow: UnitOfWork, caller: Viewer, kind: str, doc_id: str) -> dict[str, Any]:
    """A stored document in clear — only for its filer, who holds its personal data anyway.
    One whose personal data was erased (PIPL Art. 47) is refused with 409: a message built
    from it would declare ``(erased)`` as the buyer's name and ID."""
    stored = uow.repo.get_document(caller, kind, doc_id)
    if stored is None:
        raise NotFound("not_found", {"kind": kind})
    if stored.filer_tenant_id != caller.tenant_id:
        raise Forbidden("only_filer_changes", {"kind": kind})
    clear = uow.vault.open(kind, doc_id, KINDS[kind].pii, stored.body, clear=True)
    if erased_in(clear, KINDS[kind].pii):
        raise Conflict("document_erased", {"kind": kind})
    return clear


def _related(uow: UnitOfWork, caller: Viewer, kind: str, order: dict[str, Any]) -> list[dict]:
    """The caller-visible documents of ``kind`` filed for the same platform order; personal
    data in clear only where the caller filed them (the builders need none of it)."""
    platform = uow.repo.tenant_by_name(order["platform"])
    found = uow.repo.list_documents(
        caller,
        kind,
        order_no=order["order_no"],
        platform_id=platform.id if platform else -1,
        limit=5,
    )
    return [
        uow.vault.open(
            kind, d.id, KINDS[kind].pii, d.body, clear=d.filer_tenant_id == caller.tenant_id
        )
        for d in found
        if d.body.get("platform") == order["platform"]
    ]


def _catalog(uow: UnitOfWork, order: dict[str, Any]) -> dict[str, dict[str, Any]]:
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


def _send(uow: UnitOfWork, caller: Viewer, xml: bytes, signer: Any = None) -> Sent:
    """Sign (when the message needs it and a key is given), then record it as sent."""
    if signer is not None:
        xml = sign.sign(xml, signer)
    done = record(uow, caller, xml)
    signed_by = signer.key_name if signer is not None else None
    return Sent(**done.model_dump(), signed_by=signed_by, xml=xml.decode("utf-8"))


def _for_the_card(xml: bytes) -> Sent:
    """An unsigned message for the E-Port card: checked (the missing signature shows), not
    logged — it is logged when it comes back signed."""
    return Sent(
        message=cx.root_name(xml).removesuffix("Message"),
        guid=cx.guid_of(xml),
        valid=False,
        problems=findings(check(xml)),
        signed_by=None,
        ledger=None,
        declarations=[],
        xml=xml.decode("utf-8"),
    )


def declare_document(
    uow: UnitOfWork, caller: Viewer, kind: Literal["order", "payment", "waybill"], doc_id: str
) -> Sent:
    """CEB311/411/511 for a stored order, payment or waybill, by the tenant that filed it;
    an order's CEB311 carries its payment's transaction when one is filed."""
    extra = {}
    with uow:
        doc = _filed(uow, caller, kind, doc_id)
        if kind == "order":
            extra["payment"] = next(iter(_related(uow, caller, "payment", doc)), None)
        registry = _registry(ProfileStore(uow.conn).by_name(), caller.name)
    from cbec.customs import build

    builder = {"order": build.ceb311, "payment": build.ceb411, "waybill": build.ceb511}[kind]
    message = builder(doc, registry, at=now(), **extra)
    return _send(uow, caller, cx.write(message))


def declare_inventory(
    uow: UnitOfWork, caller: Viewer, doc_id: str, req: DeclarationRequest
) -> Sent:
    """CEB621 (the declaration itself) from a stored order, its waybill and its seller's
    catalog, by the order's filer acting as declaring agent."""
    with uow:
        order = _filed(uow, caller, "order", doc_id)
        waybills = _related(uow, caller, "waybill", order)
        if not waybills:
            raise BadRequest("customs_no_waybill", {"order_no": order["order_no"]})
        catalog = _catalog(uow, order)
        registry = _registry(ProfileStore(uow.conn).by_name(), caller.name)
        signer = SigningKeyStore(uow.conn, uow.vault).signer(caller.tenant_id)
    from cbec.customs import build_inventory

    area = registry.parties.get(req.area) if req.area else None
    decl = build_inventory.Declaration(
        agent=registry.sender, area=area, **req.model_dump(exclude={"area", "cop_no"})
    )
    message = build_inventory.ceb621(
        order, waybills[0], catalog, registry, decl, at=now(), cop_no=req.cop_no
    )
    xml = cx.write(message)
    return _send(uow, caller, xml, signer) if signer is not None else _for_the_card(xml)


def withdraw(uow: UnitOfWork, caller: Viewer, req: WithdrawalRequest) -> Sent:
    """CEB623 (cancel) or CEB625 (return) restating a declared CEB621, which must be valid
    against the official schema (422 naming ``inventory`` otherwise)."""
    listed = cx.read_input(req.inventory.encode(), "inventory", "CEB621")
    with uow:
        registry = _registry(ProfileStore(uow.conn).by_name(), caller.name)
        signer = SigningKeyStore(uow.conn, uow.vault).signer(caller.tenant_id)
    from cbec.customs import build_withdraw

    args: dict[str, Any] = {"invt_no": req.invt_no, "reason": req.reason, "at": now()}
    if req.action == "cancel":
        message = build_withdraw.ceb623(listed, registry, **args)
    else:
        quantities: dict[int, Decimal] | None = req.quantities
        message = build_withdraw.ceb625(listed, registry, quantities=quantities, **args)
    xml = cx.write(message)
    return _send(uow, caller, xml, signer) if signer is not None else _for_the_card(xml)
