"""Use cases of the China customs messages (CEB 202205): check one, record one sent or
received, list declarations, reconcile three (三单对碰), and find stored orders that would
not reconcile. Building messages from stored documents is in
:mod:`cbec.services.customs_declare`; logging and state tracking in
:mod:`cbec.services.customs_track`.

Every message a caller hands in is read by the cores in :mod:`cbec.customs` — well-formed
XML without a DTD, the official XSD as the oracle, the business rules after it — and every
refusal is one of cbec's errors naming the input and the rule.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cbec.customs import reconcile as rc
from cbec.customs import reconcile_docs
from cbec.customs.validate import check
from cbec.jsonio import loads
from cbec.services.customs_track import (
    Finding,
    LedgerRef,
    MessageRequest,
    Recorded,
    StateChange,
    findings,
    record,
)
from cbec.store.customs_store import DeclarationStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import StoredDocument
from cbec.trade.types import Text, clean_text

__all__ = [
    "CebXml",
    "CheckResult",
    "DeclarationState",
    "DeclarationView",
    "DeclarationsQuery",
    "Finding",
    "JsonBody",
    "LedgerRef",
    "MessageRequest",
    "ReconcileReport",
    "ReconcileRequest",
    "Recorded",
    "StateChange",
    "Unmatched",
    "UnmatchedQuery",
    "list_declarations",
    "reconcile_messages",
    "record_message",
    "unmatched_orders",
    "validate_message",
]

MAX_XML = 1_048_576  # characters; the API's body limit is the same number of bytes
PERSONAL_FIELDS = ("consignee", "buyer", "payer", "Telephone", "Address", "IdNumber", "Name")
DeclarationState = Literal[
    "draft",
    "declared",
    "declaring",
    "sent",
    "accepted",
    "rejected",
    "cancelling",
    "cancelled",
    "returning",
    "returned",
]

#: A CEB message as a JSON string: XML text, free of the control characters XML 1.0 cannot
#: carry (a lone surrogate from a ``\ud800`` escape could not even be encoded as UTF-8).
CebXml = Annotated[str, Field(min_length=1, max_length=MAX_XML), AfterValidator(clean_text)]


class JsonBody(BaseModel):
    """A request read from JSON: unknown fields are errors, numbers are ``Decimal``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def from_json(cls, data: bytes) -> Self:
        """The request in ``data``: JSON read by :func:`cbec.jsonio.loads` (malformed or too
        deep: 400; never through ``float``), then the model's rules (422 naming each field)."""
        return cls.model_validate(loads(data))


class CheckResult(BaseModel):
    """Whether a message is schema-valid and rule-clean, and every problem if not."""

    valid: bool
    problems: list[Finding]


class ReconcileRequest(JsonBody):
    """The three messages of one sale — and the inventory list, when declared — as XML."""

    order: CebXml = Field(description="CEB311 order message")
    payment: CebXml = Field(description="CEB411 payment message")
    waybill: CebXml = Field(description="CEB511 waybill message")
    inventory: CebXml | None = Field(None, description="CEB621 inventory list, as declared")


class Issue(BaseModel):
    """One disagreement; the compared values of personal fields are withheld (null)."""

    code: str
    field: str
    order: str | int | None
    other: str | int | None
    message: str


class ReconcileReport(BaseModel):
    matched: bool
    issues: list[Issue]


class UnmatchedQuery(JsonBody):
    platform: Text(64) | None = None
    limit: int = Field(1000, ge=1, le=5000)


class UnmatchedOrder(ReconcileReport):
    id: str
    platform: str
    order_no: str


class Unmatched(BaseModel):
    checked: int
    unmatched: list[UnmatchedOrder]


class DeclarationsQuery(JsonBody):
    state: DeclarationState | None = None
    limit: int = Field(100, ge=1, le=1000)


class DeclarationEvent(BaseModel):
    at: str
    event: str
    return_status: int | None
    info: str | None
    state: str
    ledger_index: int | None


class DeclarationView(BaseModel):
    message: str
    record_guid: str
    key: str
    state: str
    tenant: str
    events: list[DeclarationEvent]


def validate_message(uow: UnitOfWork, caller: Viewer, req: MessageRequest) -> CheckResult:
    """Schema first, then the business rules (:func:`cbec.customs.validate.check`); nothing
    is stored. Unreadable input is a finding (rule ``XML``), not an error."""
    problems = check(req.xml)
    return CheckResult(valid=not problems, problems=findings(problems))


def record_message(uow: UnitOfWork, caller: Viewer, req: MessageRequest) -> Recorded:
    """Log a CEB message sent or a receipt received as evidence and move the declarations it
    concerns (see :func:`cbec.services.customs_track.record`)."""
    return record(uow, caller, req.xml)


def list_declarations(
    uow: UnitOfWork, caller: Viewer, query: DeclarationsQuery
) -> list[DeclarationView]:
    """The caller's declarations (a regulator's: everyone's), newest first, with history."""
    with uow:
        mine = None if caller.role is Role.REGULATOR else caller.tenant_id
        rows = DeclarationStore(uow.conn).list(mine, query.state, query.limit)
    return [DeclarationView.model_validate(row) for row in rows]


def _redacted(report: rc.Report) -> dict[str, Any]:
    """The report without the compared values of personal fields (names, phones, IDs,
    addresses): the codes and messages say what differs; the values stay in the documents
    (PIPL art. 6: no more personal information than the purpose needs)."""
    out = report.as_dict()
    for issue in out["issues"]:
        if any(word.lower() in issue["field"].lower() for word in PERSONAL_FIELDS):
            issue["order"] = issue["other"] = None
    return out


def reconcile_messages(uow: UnitOfWork, caller: Viewer, req: ReconcileRequest) -> ReconcileReport:
    """三单对碰 of messages as received: each is checked against the official XSD first
    (:func:`cbec.customs.reconcile.reconcile_messages`), so a ``NaN`` amount is a 422 naming
    the message and the field, not an arithmetic error."""
    report = rc.reconcile_messages(
        req.order.encode(),
        req.payment.encode(),
        req.waybill.encode(),
        req.inventory.encode() if req.inventory else None,
    )
    return ReconcileReport.model_validate(_redacted(report))


def _tenant_id(uow: UnitOfWork, name: str) -> int:
    tenant = uow.repo.tenant_by_name(name)
    return tenant.id if tenant else -1


def _duplicates(caller: Viewer, doc: dict, twins: list[StoredDocument] | None) -> list[rc.Issue]:
    """``DUPLICATE_ORDER`` when sellers other than this order's have filed an order with the
    same platform and number (``twins``: the caller-visible orders of that platform and
    number) — a finding for the platform and regulators, who read all those orders. A
    seller reads only its own order of a number, so it is never told of another's."""
    if caller.role is Role.SELLER:
        return []
    others = sorted(
        {t.body.get("seller") for t in twins or []} - {doc.get("seller")}, key=lambda s: str(s)
    )
    if not others:
        return []
    ref = f"{doc['platform']}/{doc['order_no']}"
    return [
        rc.Issue(
            "DUPLICATE_ORDER",
            "seller",
            doc.get("seller"),
            ", ".join(map(str, others)),
            f"order {ref} is also filed for seller(s) {', '.join(map(str, others))}: its "
            "payment and waybill are shown to no seller until the platform resolves it",
        )
    ]


RELATED_PER_ORDER = 5  # payments or waybills of one order number compared with it
TWINS_PER_ORDER = 20  # orders of one number looked at for other sellers


def unmatched_orders(uow: UnitOfWork, caller: Viewer, query: UnmatchedQuery) -> Unmatched:
    """The caller's newest stored orders (``limit`` of them, newest first) whose order,
    payment and waybill (within the order's platform) would not pass 三单对碰 today, with
    the reasons (personal values withheld); for a platform or a regulator, also orders whose
    number another seller has filed too.

    The payments, waybills and same-numbered orders are read for the whole page at once, a
    query per platform and kind (:meth:`~cbec.store.repository.Repository.documents_by_order`,
    under the same visibility as a list), not three queries per order: the dashboard checks
    500 orders on every visit."""
    out = []
    with uow:
        filt = {}
        if query.platform is not None:
            filt["platform_id"] = _tenant_id(uow, query.platform)
        orders = uow.repo.list_documents(  # the newest `limit`: what is still being worked on
            caller, "order", limit=query.limit, before_seq=2**63 - 1, **filt
        )
        uow.vault.preload(KINDS["order"].pii, (o.body for o in orders))
        opened = [
            (o, uow.vault.open("order", o.id, KINDS["order"].pii, o.body, clear=True, share=True))
            for o in orders
        ]
        numbers: dict[str, set[str]] = {}  # platform name → the page's order numbers
        for _, doc in opened:
            numbers.setdefault(doc["platform"], set()).add(doc["order_no"])
        platform_ids = {name: _tenant_id(uow, name) for name in numbers}
        found: dict[tuple[str, str], dict[str, list[StoredDocument]]] = {}
        for platform, nos in numbers.items():
            pid = platform_ids[platform]
            for kind in ("payment", "waybill"):
                found[platform, kind] = uow.repo.documents_by_order(
                    caller, kind, pid, nos, RELATED_PER_ORDER
                )
            if caller.role is not Role.SELLER:
                found[platform, "order"] = uow.repo.documents_by_order(
                    caller, "order", pid, nos, TWINS_PER_ORDER, shared=True
                )
        for (_, kind), by_number in found.items():
            if kind != "order":  # the twins are not opened, only compared by who filed them
                bodies = (d.body for docs in by_number.values() for d in docs)
                uow.vault.preload(KINDS[kind].pii, bodies)
        for o, doc in opened:
            platform, number = doc["platform"], doc["order_no"]
            related: dict[str, list[dict[str, Any]]] = {}
            for kind in ("payment", "waybill"):
                related[kind] = [
                    uow.vault.open(kind, d.id, KINDS[kind].pii, d.body, clear=True, share=True)
                    for d in found[platform, kind].get(number, [])
                    if d.body.get("platform") == platform
                ]
            report = rc.reconcile(
                [reconcile_docs.order_record(doc)],
                [reconcile_docs.payment_record(p) for p in related["payment"]],
                [reconcile_docs.waybill_record(w) for w in related["waybill"]],
            )
            twins = found.get((platform, "order"), {}).get(number)
            report.issues += _duplicates(caller, doc, twins)
            if not report.matched:
                view = {"id": o.id, "platform": platform, "order_no": number}
                out.append(UnmatchedOrder.model_validate(view | _redacted(report)))
    return Unmatched(checked=len(orders), unmatched=out)
