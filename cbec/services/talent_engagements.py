"""Use cases of engagements (talent sharing): a seller engages a published expert on one of
its projects, deliverables are submitted by the expert's side and accepted or rejected by
the seller, the seller rates the engagement once after delivery, and each engagement shows
its cost against a full-time hire for the same period (:mod:`cbec.talent.engagement`).

An engagement has two sides: the project's seller (the SME) and the tenant that published
the expert's profile; only they read it — anyone else is told "not found". Every step is an
entry in the evidence ledger (type ``cbec.talent/v1``): ids, states, amounts and the rating,
never the expert's name.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from cbec.errors import DocumentInvalid, NotFound, Violation
from cbec.services import talent as t
from cbec.services import talent_matching as tm
from cbec.services import talent_models as m
from cbec.store.repository import UnitOfWork
from cbec.store.talent_store import TalentStore
from cbec.talent import engagement as core
from cbec.talent import match
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now

KIND = "talent_engagement"


@cache
def _salaries() -> list[Any]:
    return core.load_salaries()


def _row(uow: UnitOfWork, viewer: Viewer, engagement_id: str, lock: bool = False) -> Any:
    row = TalentStore(uow.conn).engagement(viewer.tenant_id, engagement_id, lock=lock)
    if row is None:
        raise NotFound("not_found", {"kind": KIND})
    return row


def _side(row: Any, viewer: Viewer) -> core.Side:
    return core.Side.SME if viewer.tenant_id == row.seller_tenant_id else core.Side.EXPERT


def _log(uow: UnitOfWork, row: Any, viewer: Viewer, event: str, at, body) -> None:
    names = TalentStore(uow.conn).names({row.seller_tenant_id, row.expert_tenant_id})
    t.log(uow, f"engagement:{row.id}", viewer, event, set(names.values()), at, body)


def engage(uow: UnitOfWork, viewer: Viewer, req: m.EngagementRequest) -> m.EngagementView:
    """The seller of a project engages a published expert on it (404 for a project not the
    caller's or an expert that does not exist or is withdrawn; 409 for a closed project; 422
    naming a period that ends before it starts or a benchmark not in the salary data)."""
    t.check_period(req.starts_on, req.ends_on)
    benchmarks = {r["benchmark"] for r in _salaries() if r.in_force(req.starts_on)}
    if req.benchmark not in benchmarks:
        params = {"known": ", ".join(sorted(benchmarks))}
        raise DocumentInvalid([Violation("benchmark", "talent_benchmark", params)])
    at = now()
    engagement_id = uuid.uuid4().hex
    with uow.writing():
        project = t.project_row(uow, viewer, req.project_id)
        t.open_project(project)
        store = TalentStore(uow.conn)
        expert = store.expert(req.expert_id)
        if expert is None or expert.withdrawn_at is not None:
            raise NotFound("not_found", {"kind": t.EXPERT})
        weight, _ = tm.weights_on(at.date())
        ratings = store.ratings([expert.id]).get(expert.id, [])
        score = match.score(tm.needs_of(project), tm.offer_of(expert, ratings), weight).total
        store.add_engagement(
            {
                "id": engagement_id,
                "project_id": project.id,
                "expert_id": expert.id,
                "seller_tenant_id": viewer.tenant_id,
                "expert_tenant_id": expert.owner_tenant_id,
                "starts_on": req.starts_on.isoformat(),
                "ends_on": req.ends_on.isoformat(),
                "cost": str(req.cost.amount),
                "currency": req.cost.currency,
                "benchmark": req.benchmark,
                "score": str(score),
                "created_at": at,
            }
        )
        for title in req.deliverables:
            store.add_deliverable(engagement_id, title, core.Deliverable.PLANNED.value, at)
        row = store.engagement(viewer.tenant_id, engagement_id)
        body = {
            "project": project.id,
            "expert": expert.id,
            "cost": str(req.cost.amount),
            "currency": req.cost.currency,
            "score": str(score),
            "benchmark": req.benchmark,
            "deliverables": len(req.deliverables),
        }
        _log(uow, row, viewer, "engaged", at, body)
        uow.commit()
    return show(uow, viewer, engagement_id)


def add_deliverable(
    uow: UnitOfWork, viewer: Viewer, engagement_id: str, req: m.DeliverableRequest
) -> m.EngagementView:
    """The seller adds a deliverable (403 for the expert's side; 409 once rated)."""
    at = now()
    with uow.writing():
        row = _row(uow, viewer, engagement_id, lock=True)
        core.may_add(_side(row, viewer), row.rating is not None)
        number = TalentStore(uow.conn).add_deliverable(
            row.id, req.title, core.Deliverable.PLANNED.value, at
        )
        _log(uow, row, viewer, "deliverable", at, {"number": number, "state": "planned"})
        uow.commit()
    return show(uow, viewer, engagement_id)


def step(
    uow: UnitOfWork, viewer: Viewer, engagement_id: str, req: m.StepRequest
) -> m.EngagementView:
    """Move a deliverable along :func:`cbec.talent.engagement.step` (422 naming ``number``
    for a deliverable the engagement does not have)."""
    at = now()
    with uow.writing():
        row = _row(uow, viewer, engagement_id, lock=True)
        store = TalentStore(uow.conn)
        found = {d.number: d for d in store.deliverables(row.id)}
        if req.number not in found:
            raise DocumentInvalid([Violation("number", "talent_no_deliverable")])
        state = core.step(
            core.Deliverable(found[req.number].state), core.Deliverable(req.to), _side(row, viewer)
        )
        store.set_deliverable(row.id, req.number, state.value, at)
        _log(uow, row, viewer, "deliverable", at, {"number": req.number, "state": state.value})
        uow.commit()
    return show(uow, viewer, engagement_id)


def rate(
    uow: UnitOfWork, viewer: Viewer, engagement_id: str, req: m.RatingRequest
) -> m.EngagementView:
    """The seller rates a delivered engagement, once (:func:`~cbec.talent.engagement.may_rate`)."""
    at = now()
    with uow.writing():
        row = _row(uow, viewer, engagement_id, lock=True)
        store = TalentStore(uow.conn)
        states = [core.Deliverable(d.state) for d in store.deliverables(row.id)]
        core.may_rate(states, row.rating is not None, _side(row, viewer))
        store.rate(row.id, req.rating, at)
        _log(uow, row, viewer, "rated", at, {"rating": req.rating})
        uow.commit()
    return show(uow, viewer, engagement_id)


def _view(uow: UnitOfWork, row: Any) -> m.EngagementView:
    store = TalentStore(uow.conn)
    names = store.names({row.seller_tenant_id, row.expert_tenant_id})
    project = store.project(row.seller_tenant_id, row.project_id)
    expert = store.expert(row.expert_id)
    deliverables = store.deliverables(row.id)
    events = store.events(f"engagement:{row.id}")
    names |= store.names({e.actor_tenant_id for e in events} - set(names))
    starts, ends = date.fromisoformat(row.starts_on), date.fromisoformat(row.ends_on)
    cost = Decimal(row.cost)
    c = core.compare(_salaries(), row.benchmark, starts, ends, cost, row.currency)
    return m.EngagementView(
        id=row.id,
        project_id=row.project_id,
        project_title=project.title,
        expert_id=row.expert_id,
        expert_headline=expert.headline,
        seller=names[row.seller_tenant_id],
        expert_owner=names[row.expert_tenant_id],
        starts_on=starts,
        ends_on=ends,
        cost=m.Money(amount=cost, currency=row.currency),
        score=Decimal(row.score) if row.score else None,
        deliverables=[
            m.DeliverableView(
                number=d.number, title=d.title, state=d.state, updated_at=d.updated_at
            )
            for d in deliverables
        ],
        delivered=core.delivered([core.Deliverable(d.state) for d in deliverables]),
        rating=row.rating,
        rated_at=row.rated_at,
        comparison=m.ComparisonView(
            benchmark=c.benchmark,
            source=c.source,
            days=c.days,
            annual_wage=c.annual_wage,
            employer_oncost_rate=c.oncost_rate,
            currency=c.currency,
            full_time_cost=c.full_time_cost,
            engagement_cost=c.engagement_cost,
            saving=c.saving,
            ratio=c.ratio,
        ),
        events=[
            m.EventView(
                event=e.event, at=e.at, actor=names[e.actor_tenant_id], ledger_index=e.ledger_index
            )
            for e in events
        ],
    )


def show(uow: UnitOfWork, viewer: Viewer, engagement_id: str) -> m.EngagementView:
    """An engagement the caller is a side of (404 otherwise)."""
    with uow:
        return _view(uow, _row(uow, viewer, engagement_id))


def list_engagements(uow: UnitOfWork, viewer: Viewer) -> m.EngagementList:
    with uow:
        rows = TalentStore(uow.conn).engagements(viewer.tenant_id)
        return m.EngagementList(engagements=[_view(uow, r) for r in rows])
