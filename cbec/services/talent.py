"""Use cases of talent sharing: publish an expert profile, list and read profiles, post a
project, read one's projects (changing them: :mod:`cbec.services.talent_edits`; the match:
:mod:`cbec.services.talent_matching`; the engagements:
:mod:`cbec.services.talent_engagements`). A withdrawn profile is read by its publisher alone.

Who: any tenant but a regulator publishes expert profiles — a consultancy, a logistics firm
or a platform offering its people; no new tenant role is made for it (module README). A
published profile is read by every tenant, but its personal parts (the expert's name,
contact and certificate numbers, stored encrypted) only by the tenant that published it and
by the sellers that have engaged the expert. Projects are posted by sellers (the SMEs) and
read by them alone: anyone else is told "not found", the answer an id that names nothing gets.

Every publication, posting and match is an entry in the evidence ledger (type
``cbec.talent/v1``): ids, codes, amounts and scores, never a name, a contact or a number.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from cbec.accounts import UserRole
from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.ledger.entry import CONTENT_TYPE, event_entry
from cbec.services import talent_models as m
from cbec.services.users import SessionUser
from cbec.store.repository import UnitOfWork
from cbec.store.talent_store import TalentStore
from cbec.talent import vocabulary
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.talent/v1"
EXPERT, PROJECT = "talent_expert", "talent_project"


@cache
def words() -> list[Any]:
    return vocabulary.load()


def log(uow: UnitOfWork, subject: str, viewer: Viewer, event: str, tenants: set[str], at, body):
    """Append the entry of ``event`` on ``subject`` (``kind:id``) and keep it with it."""
    kind, _, ident = subject.partition(":")
    entry = event_entry(
        ENTRY_TYPE,
        at=at,
        tenants=sorted(tenants),
        body={kind: ident, "event": event, "actor": viewer.name} | body,
    )
    (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
    TalentStore(uow.conn).add_event(subject, at, event, viewer.tenant_id, entry, index)
    return index


def check_period(starts: date, ends: date) -> None:
    if ends < starts:
        raise DocumentInvalid([Violation("ends_on", "talent_period", {"starts_on": str(starts)})])


def _codes_ok(problems: list[Violation]) -> None:
    if problems:
        raise DocumentInvalid(problems)


def expert_codes(
    on: date,
    skills: list[str] | None,
    languages: list[str] | None,
    certificates: list[m.Certificate] | None,
) -> None:
    """422 naming each code of a profile not in the vocabulary in force on ``on`` (a list
    not given is not checked: a partial change)."""
    rows = words()
    _codes_ok(
        vocabulary.check(rows, "skill", on, "skills", skills or [])
        + vocabulary.check(rows, "language", on, "languages", languages or [])
        + [
            Violation(
                f"certificates[{i}].kind",
                "talent_unknown_code",
                {"kind": "certificate", "code": c.kind},
            )
            for i, c in enumerate(certificates or [])
            if c.kind not in vocabulary.codes(rows, "certificate", on)
        ]
    )


def _sealed_personal(
    uow: UnitOfWork,
    tenant_id: int,
    expert_id: str,
    name: str | None,
    contact: str | None,
    certificates: list[m.Certificate] | None,
) -> dict[str, Any]:
    """The column values of a profile's personal parts, each sealed (the one place they are:
    publishing and changing a profile both come here); a part given as None is left out.
    Sealed under the profile's own key, one per publisher and profile (wrapped under the
    deployment's data key, :mod:`cbec.store.person_key_store`): a data subject's erasure
    shreds it, so the expert's name, contact and certificate numbers are gone from the
    database and every backup (PIPL Art. 47; :mod:`cbec.services.dsr_records`)."""
    key = None
    persons = uow.vault.persons
    if persons is not None and (name, contact, certificates) != (None, None, None):
        subject = expert_subject(expert_id)
        found = persons.for_subjects(tenant_id, [subject], now())[subject]
        persons.add([found])
        key = found.key

    def seal(path: str, value: str) -> str:
        return uow.vault.seal_value(EXPERT, expert_id, path, value, key)

    out: dict[str, Any] = {}
    if name is not None:
        out["name"] = seal("name", name)
    if contact is not None:
        out["contact"] = seal("contact", contact)
    if certificates is not None:
        out["certificates"] = json.dumps(
            [
                {
                    "kind": c.kind,
                    "issuer": c.issuer,
                    "number": seal(f"certificates[{i}].number", c.number),
                }
                for i, c in enumerate(certificates)
            ]
        )
    return out


def expert_subject(expert_id: str) -> str:
    """The subject of a profile's own key (``person_keys.subject_ref``): the profile, not a
    keyed hash of its contact — which an HMAC key rotation could not recompute."""
    return f"{EXPERT}:{expert_id}"


def publish_expert(uow: UnitOfWork, viewer: Viewer, req: m.ExpertRequest) -> m.ExpertView:
    """Publish a profile owned by the caller's tenant (403 for a regulator; 422 naming each
    code not in the vocabulary)."""
    if viewer.role is Role.REGULATOR:
        raise Forbidden("talent_expert_publisher")
    at = now()
    expert_codes(at.date(), req.skills, req.languages, req.certificates)
    expert_id = uuid.uuid4().hex
    with uow.writing():
        personal = _sealed_personal(
            uow, viewer.tenant_id, expert_id, req.name, req.contact, req.certificates
        )
        TalentStore(uow.conn).add_expert(
            personal
            | {
                "id": expert_id,
                "owner_tenant_id": viewer.tenant_id,
                "headline": req.headline,
                "skills": json.dumps(sorted(set(req.skills))),
                "languages": json.dumps(sorted(set(req.languages))),
                "day_rate": str(req.day_rate.amount),
                "currency": req.day_rate.currency,
                "days_per_week": req.days_per_week,
                "published_at": at,
            }
        )
        body = {
            "skills": sorted(set(req.skills)),
            "languages": sorted(set(req.languages)),
            "certificates": [c.kind for c in req.certificates],
            "day_rate": str(req.day_rate.amount),
            "currency": req.day_rate.currency,
        }
        log(uow, f"expert:{expert_id}", viewer, "published", {viewer.name}, at, body)
        uow.commit()
    return show_expert(uow, viewer, expert_id)


def _expert_view(uow: UnitOfWork, viewer: Viewer, row: Any, ratings: list[int], owner: str):
    store = TalentStore(uow.conn)
    shown = row.owner_tenant_id == viewer.tenant_id or store.engaged_by(row.id, viewer.tenant_id)
    opened = (
        (lambda path, token: uow.vault.open_value(EXPERT, row.id, path, token)) if shown else None
    )
    certificates = [
        m.CertificateView(
            kind=c["kind"],
            issuer=c["issuer"],
            number=opened(f"certificates[{i}].number", c["number"]) if opened else None,
        )
        for i, c in enumerate(json.loads(row.certificates))
    ]
    average = None
    if ratings:
        average = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return m.ExpertView(
        id=row.id,
        owner=owner,
        headline=row.headline,
        skills=json.loads(row.skills),
        languages=json.loads(row.languages),
        certificates=certificates,
        day_rate=m.Money(amount=Decimal(row.day_rate), currency=row.currency),
        days_per_week=row.days_per_week,
        published_at=row.published_at,
        updated_at=row.updated_at,
        withdrawn_at=row.withdrawn_at,
        ratings=len(ratings),
        rating_average=average,
        personal_shown=shown,
        name=opened("name", row.name) if opened else None,
        contact=opened("contact", row.contact) if opened else None,
    )


def show_expert(uow: UnitOfWork, viewer: Viewer, expert_id: str) -> m.ExpertView:
    """A published profile (every tenant reads it; its personal parts: module doc). A
    withdrawn one only its publisher reads: to anyone else it is "not found"."""
    with uow:
        store = TalentStore(uow.conn)
        row = store.expert(expert_id)
        if row is None or (row.withdrawn_at and row.owner_tenant_id != viewer.tenant_id):
            raise NotFound("not_found", {"kind": EXPERT})
        names = store.names({row.owner_tenant_id})
        ratings = store.ratings([row.id]).get(row.id, [])
        return _expert_view(uow, viewer, row, ratings, names[row.owner_tenant_id])


def list_experts(
    uow: UnitOfWork, viewer: Viewer, skill: str | None = None, mine: bool = False
) -> m.ExpertList:
    """The published profiles, newest first (only those with ``skill``, if given); with
    ``mine``, the caller's own, withdrawn ones too."""
    with uow:
        store = TalentStore(uow.conn)
        found = store.experts(owner=viewer.tenant_id if mine else None)
        rows = [r for r in found if skill is None or skill in json.loads(r.skills)]
        names = store.names({r.owner_tenant_id for r in rows})
        ratings = store.ratings([r.id for r in rows])
        experts = [
            _expert_view(uow, viewer, r, ratings.get(r.id, []), names[r.owner_tenant_id])
            for r in rows
        ]
    return m.ExpertList(experts=experts)


def project_codes(
    on: date,
    skills: list[m.SkillNeed] | None,
    languages: list[str] | None,
    certificates: list[str] | None,
) -> None:
    """422 naming each code of a project not in the vocabulary in force on ``on``."""
    rows = words()
    _codes_ok(
        vocabulary.check(rows, "skill", on, "skills", [s.code for s in skills or []])
        + vocabulary.check(rows, "language", on, "languages", languages or [])
        + vocabulary.check(rows, "certificate", on, "certificates", certificates or [])
    )


def post_project(uow: UnitOfWork, viewer: Viewer, req: m.ProjectRequest) -> m.ProjectView:
    """A seller posts a project (403 for another role; 422 naming each unknown code and a
    period that ends before it starts)."""
    if viewer.role is not Role.SELLER:
        raise Forbidden("talent_project_seller")
    at = now()
    project_codes(at.date(), req.skills, req.languages, req.certificates)
    check_period(req.starts_on, req.ends_on)
    project_id = uuid.uuid4().hex
    needs = {
        "skills": {s.code: s.weight for s in req.skills},
        "languages": list(dict.fromkeys(req.languages)),
        "certificates": list(dict.fromkeys(req.certificates)),
    }
    with uow.writing():
        TalentStore(uow.conn).add_project(
            {
                "id": project_id,
                "seller_tenant_id": viewer.tenant_id,
                "title": req.title,
                "needs": json.dumps(needs),
                "day_budget": str(req.day_budget.amount),
                "currency": req.day_budget.currency,
                "days_per_week": req.days_per_week,
                "starts_on": req.starts_on.isoformat(),
                "ends_on": req.ends_on.isoformat(),
                "posted_at": at,
            }
        )
        body = needs | {
            "day_budget": str(req.day_budget.amount),
            "currency": req.day_budget.currency,
        }
        log(uow, f"project:{project_id}", viewer, "posted", {viewer.name}, at, body)
        uow.commit()
    return show_project(uow, viewer, project_id)


def project_row(uow: UnitOfWork, viewer: Viewer, project_id: str, lock: bool = False) -> Any:
    row = TalentStore(uow.conn).project(viewer.tenant_id, project_id, lock)
    if row is None:
        raise NotFound("not_found", {"kind": PROJECT})
    return row


def open_project(row: Any) -> None:
    """409 for a closed project: no match and no engagement on it."""
    if row.closed_at is not None:
        raise Conflict("talent_project_closed", {})


def _project_view(row: Any, seller: str) -> m.ProjectView:
    needs = json.loads(row.needs)
    return m.ProjectView(
        id=row.id,
        seller=seller,
        title=row.title,
        skills=[m.SkillNeed(code=c, weight=w) for c, w in needs["skills"].items()],
        languages=needs["languages"],
        certificates=needs["certificates"],
        day_budget=m.Money(amount=Decimal(row.day_budget), currency=row.currency),
        days_per_week=row.days_per_week,
        starts_on=date.fromisoformat(row.starts_on),
        ends_on=date.fromisoformat(row.ends_on),
        posted_at=row.posted_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
    )


def show_project(uow: UnitOfWork, viewer: Viewer, project_id: str) -> m.ProjectView:
    """A project of the caller's (404 for anyone else's)."""
    with uow:
        return _project_view(project_row(uow, viewer, project_id), viewer.name)


def list_projects(uow: UnitOfWork, viewer: Viewer) -> m.ProjectList:
    with uow:
        rows = TalentStore(uow.conn).projects(viewer.tenant_id)
    return m.ProjectList(projects=[_project_view(r, viewer.name) for r in rows])


def may_act(user: SessionUser) -> None:
    """The console's changes: an admin or operator of the tenant; a viewer only reads."""
    if user.role is UserRole.VIEWER:
        raise Forbidden("role_forbidden", {"allowed": "admin, operator"})
