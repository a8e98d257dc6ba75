"""Use cases of regulatory sandboxes: a regulator enrols a firm, lists and ends enrolments, and
reads what each firm did under them.

An enrolment lets a named firm (seller or platform) do, within limits and for a period, what
a deny rule would forbid (:mod:`cbec.compliance.sandbox`). Enrolling and ending are logged;
the order checks (:mod:`cbec.services.checks`) apply an open enrolment to the firm's orders
and count its usage against the limits.
"""

from __future__ import annotations

from datetime import timedelta

from cbec.compliance import Enrolment, sandbox_report
from cbec.errors import DocumentInvalid, NotFound, Violation
from cbec.ledger.entry import RULES_ENTRY_TYPE
from cbec.services.compliance import require_role
from cbec.services.compliance_models import (
    Enrolled,
    EnrolmentEnded,
    EnrolmentRequest,
    EnrolmentView,
    LedgerRef,
    SandboxReport,
)
from cbec.services.evidence import log_event
from cbec.store.compliance_store import DecisionStore, EnrolmentStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

REGULATORS = (Role.REGULATOR,)


def enrol(uow: UnitOfWork, caller: Viewer, req: EnrolmentRequest) -> Enrolled:
    """Enrol a firm (regulators); the enrolment is checked by the core
    (:class:`~cbec.compliance.sandbox.EnrolmentError` names the field) and logged."""
    require_role(caller, REGULATORS)
    body = req.as_core()
    with uow.writing():
        tenant = uow.repo.tenant_by_name(req.firm)
        if tenant is None:
            raise DocumentInvalid([Violation("firm", "unknown_tenant", {"tenant": req.firm})])
        Enrolment.from_dict(body | {"id": "new"})
        store = EnrolmentStore(uow.conn)
        enrolment_id = store.create(tenant.id, body, caller.tenant_id)
        index = log_event(
            uow,
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[caller.name, tenant.name],
            body={"sandbox": enrolment_id, "action": "enrol", "firm": tenant.name},
        )
        store.set_ledger_index(enrolment_id, index)
        uow.commit()
    return Enrolled(id=enrolment_id, firm=tenant.name, ledger=LedgerRef(index=index))


def list_enrolments(uow: UnitOfWork, caller: Viewer) -> list[EnrolmentView]:
    """Every enrolment, open and ended, oldest first (regulators)."""
    require_role(caller, REGULATORS)
    with uow:
        return [EnrolmentView.model_validate(e) for e in EnrolmentStore(uow.conn).list()]


def end_enrolment(uow: UnitOfWork, caller: Viewer, enrolment_id: int) -> EnrolmentEnded:
    """End an open enrolment (regulators); later orders of the firm get no relaxation."""
    require_role(caller, REGULATORS)
    with uow.writing():
        if not EnrolmentStore(uow.conn).end(enrolment_id):
            raise NotFound("not_found", {"kind": "sandbox"})
        index = log_event(
            uow,
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[caller.name],
            body={"sandbox": enrolment_id, "action": "end"},
        )
        uow.commit()
    return EnrolmentEnded(id=enrolment_id, ended=True, ledger=LedgerRef(index=index))


def sandbox_activity(uow: UnitOfWork, caller: Viewer, days: int) -> SandboxReport:
    """What each enrolled firm did in the last ``days``: orders relaxed, allowed, stopped by a
    limit, per rule (regulators; the report a pilot zone files)."""
    require_role(caller, REGULATORS)
    with uow:
        bodies = DecisionStore(uow.conn).bodies(since=now() - timedelta(days=days))
    report = sandbox_report(b for b in bodies if b.get("sandbox"))
    return SandboxReport(days=days, firms={k: a.as_dict() for k, a in sorted(report.items())})
