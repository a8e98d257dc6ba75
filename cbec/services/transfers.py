"""Use cases of the cross-border transfer register: the route a transfer needs, worked out
from the exporter's yearly counts in the register, and the record of a transfer made.

The CAC provisions of 2024-03-22 set their thresholds on individuals sent abroad since
1 January (自当年1月1日起累计), so the counts come from what cbec recorded, not from the
caller: every recorded transfer adds its individuals — once each when named by stored
documents (their keyed ID hash), by number otherwise — unless it was exempt whatever the
volume (a necessity purpose, Art. 5(1)-(3), or data collected abroad, Art. 4; a policy row
can count those too). The route itself is the pure engine's
(:func:`cbec.privacy.transfer.decide`), whose every reason cites its provision.

A tenant reads and records only its own transfers; the regulator reads every tenant's and
records none. A record is logged in the evidence ledger without personal data.
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import cache
from zoneinfo import ZoneInfo

from cbec.accounts import UserRole
from cbec.errors import FieldInputError, Forbidden, NotFound
from cbec.privacy.transfer import Transfer, TransferRules, decide, shipped
from cbec.privacy.transfer.engine import PI_CATEGORIES
from cbec.services.evidence import log_event
from cbec.services.transfer_models import (
    PlannedTransfer,
    RecordedTransfer,
    TransferEntry,
    TransferRegister,
    TransferRequest,
    YearCounts,
)
from cbec.services.users import SessionUser
from cbec.store.repository import UnitOfWork
from cbec.store.transfer_store import TransferStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.transfers/v1"
CHINA = ZoneInfo("Asia/Shanghai")  # "the year" of the provisions is China's calendar year
REGISTER_LIMIT = 1000


class TransferInput(FieldInputError):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__(field, detail, "transfer_input")


@cache
def _rules() -> TransferRules:
    return shipped()


def _today() -> date:
    return now().astimezone(CHINA).date()


def _planned(
    store: TransferStore, caller: Viewer, req: TransferRequest, rules: TransferRules
) -> tuple[PlannedTransfer, date, list[tuple[str, bool]]]:
    """The decision and the counts it rests on, and the transfer's individuals by hash."""
    t = req.transfer
    on = t.transferred_on or _today()
    found = store.subjects_of(caller.tenant_id, t.document_ids)
    missing = [i for i, doc_id in enumerate(t.document_ids) if doc_id not in found]
    if missing:  # another tenant's document reads as a missing one
        raise NotFound("not_found", {"kind": "document"})
    refs = sorted({ref for ref in found.values() if ref is not None})
    subjects = [(ref, t.documents_sensitive) for ref in refs]
    carries_pi = any(c in PI_CATEGORIES for c in t.data_categories)
    if carries_pi and not subjects and t.individuals + t.sensitive_individuals == 0:
        raise TransferInput(
            "transfer.individuals",
            "a transfer of personal information names its individuals: document_ids naming "
            "buyers or payers, or individuals / sensitive_individuals",
        )
    counted = rules.counts_toward_thresholds(
        on, t.origin, carries_pi, t.purpose, t.collected_abroad
    )
    counts = None
    ns = s = 0
    if t.origin == "CN":
        before = store.year_counts(caller.tenant_id, date(on.year, 1, 1), on)
        prior = store.prior_subjects(caller.tenant_id, date(on.year, 1, 1), on, refs)
        ns = before.non_sensitive + t.individuals
        s = before.sensitive + t.sensitive_individuals
        for ref, sensitive in subjects:
            if ref not in prior:
                ns, s = (ns, s + 1) if sensitive else (ns + 1, s)
            elif sensitive and not prior[ref]:
                ns, s = ns - 1, s + 1
        counts = YearCounts(year=on.year, through=on, non_sensitive=ns, sensitive=s)
    transfer = Transfer(
        origin=t.origin,
        destination=t.destination,
        purpose=t.purpose,
        data_categories=tuple(t.data_categories),
        non_sensitive_count=ns,
        sensitive_count=s,
        important_data=t.important_data,
        collected_abroad=t.collected_abroad,
        exporter_role=t.exporter_role,
        importer_role=t.importer_role,
        importer_dpf_certified=t.importer_dpf_certified,
    )
    decision = decide(req.profile, transfer, on, rules)
    planned = PlannedTransfer(
        decision=decision,
        counts=counts,
        counted=counted,
        documents=len(t.document_ids),
        individuals_in_documents=len(refs),
    )
    return planned, on, subjects


def plan_transfer(
    uow: UnitOfWork,
    who: Viewer | SessionUser,
    req: TransferRequest,
    rules: TransferRules | None = None,
) -> PlannedTransfer:
    """The route a transfer would need now (nothing is written): a what-if."""
    caller = _viewer(who)
    with uow:
        planned, _, _ = _planned(TransferStore(uow.conn), caller, req, rules or _rules())
    return planned


def may_record(caller: Viewer | SessionUser) -> bool:
    """Whether ``caller`` records transfers: an exporter (not the regulator), and in the
    console not a viewer."""
    if isinstance(caller, SessionUser) and caller.role is UserRole.VIEWER:
        return False
    return _viewer(caller).role is not Role.REGULATOR


def _viewer(caller: Viewer | SessionUser) -> Viewer:
    return caller.viewer if isinstance(caller, SessionUser) else caller


def record_transfer(
    uow: UnitOfWork,
    who: Viewer | SessionUser,
    req: TransferRequest,
    rules: TransferRules | None = None,
) -> RecordedTransfer:
    """Record a transfer made, with the route decided on the register's counts in the same
    transaction (two records of one exporter cannot both count on the other's absence)."""
    if not may_record(who):
        raise Forbidden("role_forbidden", {"allowed": "seller, platform, payment, logistics"})
    caller = _viewer(who)
    at = now()
    with uow.writing():
        store = TransferStore(uow.conn)
        store.lock_exporter(caller.tenant_id)
        planned, on, subjects = _planned(store, caller, req, rules or _rules())
        t = req.transfer
        transfer_id = str(uuid.uuid4())
        decision = planned.decision.model_dump(mode="json")
        index = log_event(
            uow,
            ENTRY_TYPE,
            at=at,
            tenants=[caller.name],
            body={
                "id": transfer_id,
                "transferred_on": on.isoformat(),
                "origin": t.origin,
                "destination": t.destination,
                "purpose": t.purpose,
                "data_categories": sorted(t.data_categories),
                "route": planned.decision.route.value,
                "articles": planned.decision.articles,
                "counted": planned.counted,
                "documents": planned.documents,
                "individuals": planned.individuals_in_documents
                + t.individuals
                + t.sensitive_individuals,
            },
        )
        store.add(
            {
                "id": transfer_id,
                "tenant_id": caller.tenant_id,
                "recorded_at": at,
                "transferred_on": on,
                "origin": t.origin,
                "destination": t.destination,
                "recipient": t.recipient,
                "purpose": t.purpose,
                "data_categories": list(t.data_categories),
                "declared_individuals": t.individuals,
                "declared_sensitive": t.sensitive_individuals,
                "document_count": len(t.document_ids),
                "important_data": t.important_data,
                "collected_abroad": t.collected_abroad,
                "counted": planned.counted,
                "route": planned.decision.route.value,
                "decision": decision,
                "ledger_index": index,
            },
            subjects,
        )
        uow.commit()
    return RecordedTransfer(
        **planned.model_dump(),
        id=transfer_id,
        exporter=caller.name,
        recorded_at=at,
        transferred_on=on,
        ledger_index=index,
    )


def _steps(decision: dict) -> list[dict]:
    return [*decision["reasons"], *decision["obligations"]]


def list_transfers(
    uow: UnitOfWork, who: Viewer | SessionUser, year: int | None = None
) -> TransferRegister:
    """The transfers dated in ``year`` (default: this year in China), newest first: the
    caller's own, or every tenant's for the regulator."""
    caller = _viewer(who)
    year = year or _today().year
    if not 2000 <= year <= 9999:
        raise TransferInput("year", "must be a year between 2000 and 9999")
    tenant = None if caller.role is Role.REGULATOR else caller.tenant_id
    with uow:
        rows = TransferStore(uow.conn).listed(
            tenant, date(year, 1, 1), date(year, 12, 31), REGISTER_LIMIT
        )
    items = [
        TransferEntry.model_validate(
            r
            | {
                "articles": [
                    x["source"] for x in (*r["decision"]["reasons"], *r["decision"]["obligations"])
                ],
                "documents": r["document_count"],
                "individuals_in_documents": r["subjects"],
            }
        )
        for r in rows
    ]
    return TransferRegister(year=year, items=items)
