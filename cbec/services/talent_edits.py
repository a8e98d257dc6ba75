"""Use cases of changing what was published in talent sharing: a publisher changes, withdraws
or publishes again its expert profile; a seller changes, closes or opens again its project.

Only the profile's publisher and the project's seller change them; anyone else is told "not
found", the answer an id that names nothing gets (never "forbidden", which would say the
profile or project exists — OWASP API Security Top 10 2023, API1). A change is checked as
publishing and posting are (422 naming each unknown code and a period ending before it
starts), the personal parts sealed in the one place they are
(:func:`cbec.services.talent._sealed_personal`), and logged in the evidence ledger with the
names of the fields changed only — never a value, so no name, contact or certificate number
reaches the ledger (PIPL Art. 6: no more personal information than the purpose needs).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from cbec.errors import NotFound
from cbec.services import talent as t
from cbec.services import talent_models as m
from cbec.store.repository import UnitOfWork
from cbec.store.talent_store import TalentStore
from cbec.talent import vocabulary
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now


def _event(asked: bool | None, was_set: bool, on: str, off: str) -> str:
    """The event a change is logged as: switching ``on``/``off``, else an edit."""
    if asked is True and not was_set:
        return on
    if asked is False and was_set:
        return off
    return "edited"


def _stamp(asked: bool, current: datetime | None, at: datetime) -> datetime | None:
    """The time a switch is set at: kept when already set, cleared when switched off."""
    return (current or at) if asked else None


def edit_expert(
    uow: UnitOfWork, viewer: Viewer, expert_id: str, req: m.ExpertChange
) -> m.ExpertView:
    """The publisher changes its profile, withdraws it (out of the listings and the
    matches) or publishes it again (404 for anyone else's; 422 naming each unknown code)."""
    at = now()
    given = sorted(req.model_dump(exclude_none=True))
    with uow.writing():
        store = TalentStore(uow.conn)
        row = store.expert_of(viewer.tenant_id, expert_id, lock=True)
        if row is None:
            raise NotFound("not_found", {"kind": t.EXPERT})
        t.expert_codes(at.date(), req.skills, req.languages, req.certificates)
        if given:
            _change_expert(uow, viewer, row, req, given, at)
    return t.show_expert(uow, viewer, expert_id)


def _change_expert(
    uow: UnitOfWork, viewer: Viewer, row: Any, req: m.ExpertChange, given: list[str], at: datetime
) -> None:
    expert_id = row.id
    store = TalentStore(uow.conn)
    values = t._sealed_personal(
        uow, viewer.tenant_id, expert_id, req.name, req.contact, req.certificates
    )
    if req.headline is not None:
        values["headline"] = req.headline
    if req.skills is not None:
        values["skills"] = json.dumps(sorted(set(req.skills)))
    if req.languages is not None:
        values["languages"] = json.dumps(sorted(set(req.languages)))
    if req.day_rate is not None:
        values |= {"day_rate": str(req.day_rate.amount), "currency": req.day_rate.currency}
    if req.days_per_week is not None:
        values["days_per_week"] = req.days_per_week
    if req.withdrawn is not None:
        values["withdrawn_at"] = _stamp(req.withdrawn, row.withdrawn_at, at)
    store.change_expert(expert_id, values | {"updated_at": at})
    event = _event(req.withdrawn, row.withdrawn_at is not None, "withdrawn", "republished")
    t.log(uow, f"expert:{expert_id}", viewer, event, {viewer.name}, at, {"fields": given})
    uow.commit()


def edit_project(
    uow: UnitOfWork, viewer: Viewer, project_id: str, req: m.ProjectChange
) -> m.ProjectView:
    """The seller changes its project, closes it (no more matches or engagements on it) or
    opens it again (404 for anyone else's; 422 naming each unknown code and a period that
    ends before it starts, the dates not given taken from the project)."""
    at = now()
    given = sorted(req.model_dump(exclude_none=True))
    with uow.writing():
        row = t.project_row(uow, viewer, project_id, lock=True)
        t.project_codes(at.date(), req.skills, req.languages, req.certificates)
        starts = req.starts_on or date.fromisoformat(row.starts_on)
        ends = req.ends_on or date.fromisoformat(row.ends_on)
        t.check_period(starts, ends)
        if given:
            _change_project(uow, viewer, row, req, given, at, (starts, ends))
    return t.show_project(uow, viewer, project_id)


def _change_project(
    uow: UnitOfWork,
    viewer: Viewer,
    row: Any,
    req: m.ProjectChange,
    given: list[str],
    at: datetime,
    period: tuple[date, date],
) -> None:
    project_id, (starts, ends) = row.id, period
    needs = json.loads(row.needs)
    if req.skills is not None:
        needs["skills"] = {s.code: s.weight for s in req.skills}
    if req.languages is not None:
        needs["languages"] = list(dict.fromkeys(req.languages))
    if req.certificates is not None:
        needs["certificates"] = list(dict.fromkeys(req.certificates))
    values: dict[str, Any] = {
        "needs": json.dumps(needs),
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "updated_at": at,
    }
    if req.title is not None:
        values["title"] = req.title
    if req.day_budget is not None:
        values |= {
            "day_budget": str(req.day_budget.amount),
            "currency": req.day_budget.currency,
        }
    if req.days_per_week is not None:
        values["days_per_week"] = req.days_per_week
    if req.closed is not None:
        values["closed_at"] = _stamp(req.closed, row.closed_at, at)
    TalentStore(uow.conn).change_project(project_id, values)
    event = _event(req.closed, row.closed_at is not None, "closed", "reopened")
    t.log(uow, f"project:{project_id}", viewer, event, {viewer.name}, at, {"fields": given})
    uow.commit()


def show_own_expert(uow: UnitOfWork, viewer: Viewer, expert_id: str) -> m.ExpertView:
    """A profile the caller published, withdrawn or not — what its publisher changes (404
    for anyone else's, published or not: this is the publisher's page, not the listing)."""
    with uow:
        if TalentStore(uow.conn).expert_of(viewer.tenant_id, expert_id) is None:
            raise NotFound("not_found", {"kind": t.EXPERT})
    return t.show_expert(uow, viewer, expert_id)


def choices(lang: str, on: date | None = None) -> dict[str, list[tuple[str, str]]]:
    """The codes a form offers, by kind (skill, language, certificate): (code, its name in
    ``lang``) of the vocabulary in force on ``on`` (today), in the vocabulary's order."""
    on = on or now().date()
    name = "name_zh" if lang == "zh" else "name_en"
    return {
        kind: [(code, row[name]) for code, row in vocabulary.codes(t.words(), kind, on).items()]
        for kind in vocabulary.KINDS
    }
