"""Use cases of the algorithm registry: a platform (or a seller) files the algorithms that
rank, recommend or target people — China's algorithm filing fields and the DSA Art. 27
statement (:mod:`cbec.governance`) — changes them (each change a new version with its note),
records the filing number the filing system gave, and exports a record filing-ready.

Who: a platform or seller tenant files and changes its own records; a regulator reads every
record; anyone else — any other tenant included — gets "not found" for a record that is not
its own, and reads only the public part of filed records
(:func:`public_registry`, no login). Every change appends a PII-free entry to the evidence
log: the record's id, version, the changed fields' names and the SHA-256 of the version.
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from cbec.errors import DocumentInvalid, Forbidden, NotFound, Unavailable
from cbec.governance import filing, pdf, rules
from cbec.governance.record import AlgorithmRecordIn, problems
from cbec.services.algorithm_models import (
    AlgorithmList,
    AlgorithmSummary,
    AlgorithmView,
    ChangeRequest,
    FilingExport,
    FilingRequest,
    LedgerRef,
    PublicAlgorithm,
    PublicRegistry,
    VersionEntry,
    VersionList,
)
from cbec.services.evidence import log_event
from cbec.services.users import SessionUser
from cbec.store.algorithm_store import AlgorithmStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.algorithms/v1"
KIND = "algorithm"
FILERS = (Role.PLATFORM, Role.SELLER)
CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    """The date in China now: the day a change is made on, and overdue is judged against."""
    return now().astimezone(CHINA).date()


def _may_file(viewer: Viewer) -> None:
    if viewer.role not in FILERS:
        raise Forbidden("role_forbidden", {"allowed": ", ".join(r.value for r in FILERS)})


def _checked(record: AlgorithmRecordIn, prefix: str = "") -> dict[str, Any]:
    found = problems(record)
    if found:
        if prefix:
            found = [type(v)(f"{prefix}{v.field}", v.rule, v.params) for v in found]
        raise DocumentInvalid(found)
    return record.model_dump(mode="json")


def _deadline(row: Any, today: date) -> dict[str, Any]:
    state = filing.state_of(
        version=row.version,
        filed_version=row.filed_version,
        launch_date=row.launch_date,
        pending_since=row.pending_since,
        today=today,
    )
    return {
        "state": state.state,
        "due_by": state.due_by,
        "overdue": state.overdue,
        "calendar_covered": state.calendar_covered,
    }


def _summary(row: Any, today: date) -> AlgorithmSummary:
    return AlgorithmSummary(
        id=row.id,
        owner=row.tenant,
        name=row.name,
        algorithm_type=row.algorithm_type,
        version=row.version,
        filed_version=row.filed_version,
        filing_number=row.filing_number,
        updated_at=row.updated_at,
        **_deadline(row, today),
    )


def _view(store: AlgorithmStore, row: Any, index: int | None = None) -> AlgorithmView:
    body = store.body(row.id, row.version)
    if index is None:
        index = store.versions(row.id)[-1].ledger_index
    base = _summary(row, today_in_china()).model_dump()
    return AlgorithmView(
        **base,
        record=AlgorithmRecordIn.model_validate(body),
        created_at=row.created_at,
        ledger=LedgerRef(index=index),
    )


def _readable(store: AlgorithmStore, viewer: Viewer, record_id: str) -> Any:
    """The record if ``viewer`` owns it or is a regulator; "not found" otherwise (another
    tenant's record and no record answer alike)."""
    owner = None if viewer.role is Role.REGULATOR else viewer.tenant_id
    row = store.get(record_id, owner)
    if row is None:
        raise NotFound("not_found", {"kind": KIND})
    return row


def _own(store: AlgorithmStore, viewer: Viewer, record_id: str) -> Any:
    _may_file(viewer)
    row = store.get(record_id, viewer.tenant_id)
    if row is None:
        raise NotFound("not_found", {"kind": KIND})
    return row


def _log(uow: UnitOfWork, viewer: Viewer, body: dict[str, Any]) -> int | None:
    return log_event(uow, ENTRY_TYPE, at=now(), tenants=[viewer.name], body=body)


def create(uow: UnitOfWork, viewer: Viewer, record: AlgorithmRecordIn) -> AlgorithmView:
    """File a new record (version 1, a draft until its filing number is recorded); 403 for a
    tenant that is not a platform or seller, 422 naming each field that breaks a rule."""
    _may_file(viewer)
    body = _checked(record)
    record_id = secrets.token_hex(16)
    with uow.writing():
        store = AlgorithmStore(uow.conn)
        digest = store.create(record_id, viewer.tenant_id, body, now())
        entry = {"algorithm": record_id, "action": "create", "version": 1, "sha256": digest}
        index = _log(uow, viewer, entry)
        store.set_ledger_index(record_id, 1, index)
        row = store.get(record_id, viewer.tenant_id)
        view = _view(store, row, index)
        uow.commit()
    return view


def change(uow: UnitOfWork, viewer: Viewer, record_id: str, req: ChangeRequest) -> AlgorithmView:
    """Save a new version of the caller's record with its change note. A change to a filed
    record starts (or keeps) the refiling clock: 10 Chinese working days from the first
    change not yet refiled. The same record again makes no version."""
    _may_file(viewer)
    body = _checked(req.record, "record.")
    with uow.writing():
        store = AlgorithmStore(uow.conn)
        row = _own(store, viewer, record_id)
        before = store.body(row.id, row.version)
        changed = filing.changed_fields(before, body)
        if not changed:
            return _view(store, row)
        pending = None
        if row.filed_version is not None:
            pending = row.pending_since or today_in_china()
        digest = store.add_version(row, body, req.change_summary, changed, now(), pending)
        version = row.version + 1
        entry = {
            "algorithm": record_id,
            "action": "change",
            "version": version,
            "fields": changed,
            "sha256": digest,
        }
        index = _log(uow, viewer, entry)
        store.set_ledger_index(record_id, version, index)
        view = _view(store, store.get(record_id, viewer.tenant_id), index)
        uow.commit()
    return view


def mark_filed(
    uow: UnitOfWork, viewer: Viewer, record_id: str, req: FilingRequest
) -> AlgorithmView:
    """Record that the current version was filed (or refiled) under ``filing_number``: the
    record is then filed, its refiling clock stopped, and its public part published."""
    _may_file(viewer)
    number = req.filing_number.strip()
    with uow.writing():
        store = AlgorithmStore(uow.conn)
        row = _own(store, viewer, record_id)
        store.mark_filed(row, number, now())
        entry = {
            "algorithm": record_id,
            "action": "file",
            "version": row.version,
            "filing_number": number,
        }
        index = _log(uow, viewer, entry)
        view = _view(store, store.get(record_id, viewer.tenant_id), index)
        uow.commit()
    return view


def get(uow: UnitOfWork, viewer: Viewer, record_id: str) -> AlgorithmView:
    with uow:
        store = AlgorithmStore(uow.conn)
        return _view(store, _readable(store, viewer, record_id))


def list_records(uow: UnitOfWork, viewer: Viewer, owner: str | None = None) -> AlgorithmList:
    """The caller's records; a regulator's: every tenant's (``owner`` narrows to one)."""
    today = today_in_china()
    with uow:
        store = AlgorithmStore(uow.conn)
        if viewer.role is Role.REGULATOR:
            rows = store.list(None, owner)
        else:
            rows = store.list(viewer.tenant_id, owner)
    return AlgorithmList(algorithms=[_summary(r, today) for r in rows])


def versions(uow: UnitOfWork, viewer: Viewer, record_id: str) -> VersionList:
    """Every version of a record, oldest first: the change log."""
    with uow:
        store = AlgorithmStore(uow.conn)
        row = _readable(store, viewer, record_id)
        rows = store.versions(row.id)
    return VersionList(id=record_id, versions=[_entry(v) for v in rows])


def _entry(v: Any) -> VersionEntry:
    return VersionEntry(
        version=v.version,
        changed_at=v.changed_at,
        summary=v.summary,
        changed_fields=json.loads(v.changed_fields),
        body_sha256=v.body_sha256,
        filing_number=v.filing_number,
        filed_at=v.filed_at,
        ledger_index=v.ledger_index,
    )


def export(uow: UnitOfWork, viewer: Viewer, record_id: str) -> FilingExport:
    """The record's current version in the filing system's sections, with its state and
    change log (JSON)."""
    with uow:
        store = AlgorithmStore(uow.conn)
        row = _readable(store, viewer, record_id)
        body = store.body(row.id, row.version)
        log = [_entry(v).model_dump(mode="json") for v in store.versions(row.id)]
    today = today_in_china()
    meta = {
        "id": row.id,
        "owner": row.tenant,
        "version": row.version,
        "filing_number": row.filing_number,
        "as_of": today.isoformat(),
    } | {k: (str(v) if isinstance(v, date) else v) for k, v in _deadline(row, today).items()}
    return filing.export(body, meta=meta, change_log=log)


def export_pdf(uow: UnitOfWork, viewer: Viewer, record_id: str) -> tuple[FilingExport, bytes]:
    """:func:`export` laid out as a PDF (:mod:`cbec.governance.pdf`), with the export it
    shows. :class:`Unavailable` (``pdf_font_missing``) when no font that renders Chinese is
    installed — checked after the record is found, so an unknown id is still "not found"."""
    out = export(uow, viewer, record_id)
    font = pdf.find_font(uow.settings.pdf_font)
    if font is None:
        raise Unavailable("pdf_font_missing", {})
    return out, pdf.render(out, font)


def public_registry(uow: UnitOfWork, platform: str) -> PublicRegistry:
    """The public part of every filed record of the tenant named ``platform`` — the version
    filed, never a later draft — for anyone, signed in or not. A name with nothing filed
    (or no such tenant) answers an empty list: the page says nothing of who exists."""
    types = rules.algorithm_types(today_in_china())
    with uow:
        rows = AlgorithmStore(uow.conn).published(platform)
    out = []
    for row in rows:
        part = filing.public_part(json.loads(row.filed_body))
        kind = types.get(part["algorithm_type"])
        label = {"zh": kind.zh, "en": kind.en} if kind else {}
        out.append(
            PublicAlgorithm(
                id=row.id,
                version=row.filed_version,
                filing_number=row.filing_number,
                algorithm_type_label=label,
                **part,
            )
        )
    return PublicRegistry(platform=platform, algorithms=out)


def may_write(user: SessionUser) -> None:
    """The console's writes: an admin or operator of a platform or seller tenant."""
    if user.role.value == "viewer":
        raise Forbidden("role_forbidden", {"allowed": "admin, operator"})
    _may_file(user.viewer)
