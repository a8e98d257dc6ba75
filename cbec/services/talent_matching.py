"""The match of talent sharing: every published profile scored for a seller's project, best
first, each score with its parts (:mod:`cbec.talent.match`), and the ranking logged in the
evidence ledger (ids and scores). The profiles are read a batch at a time
(:meth:`cbec.store.talent_store.TalentStore.published_batches`), so the match considers all
of them however many tenants publish, holding one batch in memory."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from cbec.services import talent_models as m
from cbec.services.talent import log, open_project, project_row
from cbec.store.repository import UnitOfWork
from cbec.store.talent_store import TalentStore
from cbec.talent import match
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now


@cache
def _weights() -> list[Any]:
    return match.load_weights()


def needs_of(row: Any) -> match.Needs:
    needs = json.loads(row.needs)
    return match.Needs(
        skills=dict(needs["skills"]),
        languages=tuple(needs["languages"]),
        certificates=tuple(needs["certificates"]),
        day_budget=Decimal(row.day_budget),
        currency=row.currency,
        days_per_week=row.days_per_week,
    )


def offer_of(row: Any, ratings: list[int]) -> match.Offer:
    return match.Offer(
        expert_id=row.id,
        skills=frozenset(json.loads(row.skills)),
        languages=frozenset(json.loads(row.languages)),
        certificates=frozenset(c["kind"] for c in json.loads(row.certificates)),
        day_rate=Decimal(row.day_rate),
        currency=row.currency,
        days_per_week=row.days_per_week,
        ratings=tuple(ratings),
    )


def weights_on(on: date) -> tuple[dict[str, Decimal], str]:
    rows = _weights()
    found = match.weights(rows, on)
    sources = sorted({r.source for r in rows if r.in_force(on)})
    return found, "; ".join(sources)


def match_project(
    uow: UnitOfWork, viewer: Viewer, project_id: str, limit: int = 20, at: datetime | None = None
) -> m.MatchList:
    """Score every published expert for a project of the caller's, best first, each score
    with its parts (:mod:`cbec.talent.match`); the ranking is logged (ids and scores). 409
    for a closed project.

    The profiles are read in batches (:meth:`TalentStore.published_batches`) and only the
    best ``limit`` offers are kept between them: each batch is ranked together with those,
    so the result is the ranking of all profiles at once, held in memory a batch at a time."""
    at = at or now()
    weight, source = weights_on(at.date())
    with uow.writing():
        row = project_row(uow, viewer, project_id)
        open_project(row)
        needs = needs_of(row)
        store = TalentStore(uow.conn)
        kept: dict[str, tuple[match.Offer, str]] = {}
        ranked: list[match.Score] = []
        for batch in store.published_batches():
            ratings = store.ratings([x.id for x in batch])
            offers = {x.id: (offer_of(x, ratings.get(x.id, [])), x.headline) for x in batch}
            offers |= kept
            ranked = match.rank(needs, [o for o, _ in offers.values()], weight)[:limit]
            kept = {s.expert_id: offers[s.expert_id] for s in ranked}
        headlines = {k: h for k, (_, h) in kept.items()}
        body = {
            "weights": {k: str(v) for k, v in weight.items()},
            "ranking": [[s.expert_id, str(s.total)] for s in ranked],
        }
        index = log(uow, f"project:{row.id}", viewer, "matched", {viewer.name}, at, body)
        uow.commit()
    views = [
        m.MatchView(
            expert_id=s.expert_id,
            headline=headlines[s.expert_id],
            total=s.total,
            parts=[
                m.PartView(
                    component=p.component,
                    weight=p.weight,
                    share=f"{p.share.numerator}/{p.share.denominator}",
                    contribution=p.contribution,
                    reason=p.reason,
                )
                for p in s.parts
            ],
        )
        for s in ranked
    ]
    return m.MatchList(
        project_id=project_id, weights_source=source, matches=views, ledger_index=index
    )
