"""Screen one party (buyer, consignee, payer, seller, supplier) against the loaded lists.

Scoring formula, for each candidate entity (all terms in 0..1):

1. **Name** ``N`` = max over the entity's candidate names and all readings of both names
   of ``form_similarity × name weight`` (:mod:`cbec.screening.names`; weights in
   :data:`cbec.screening.model.NAME_WEIGHTS`: weak aliases 0.8, former names 0.97).
2. **Date of birth** ``d`` (:func:`~cbec.screening.qualifiers.date_similarity`: 1 same
   day, 0.8 same month, 0.7 day and month swapped, 0.6 same year where one side has only
   the year, 0.3 same year but a different day, 0.2 a year apart, 0 otherwise; None when
   either side has no date)::

       dob_adj = +DOB_BONUS · d            if d ≥ 0.5   (+0.10 full date, +0.06 year only)
               = −DOB_PENALTY · (1 − 2d)   if d < 0.5   (−0.20 conflict, −0.08 a year off)

3. **Country** ``c`` (1 if nationality / citizenship / residence codes overlap, 0 if both
   stated and disjoint): ``+COUNTRY_BONUS`` (0.03) or ``−COUNTRY_PENALTY`` (0.05).
4. ``score = clamp(N + [N ≥ QUALIFIER_GATE]·(positive adjustments) + (negative
   adjustments), 0, 1)`` — qualifiers can confirm a plausible name (N ≥ 0.70) but cannot
   turn a different name into a hit; conflicts always count against.
5. **ID number** ``i``: an identical identifier (after dropping separators and labels) is
   near-certain: ``score = max(score, ID_FLOOR + (1 − ID_FLOOR)·N)`` (0.95 … 1.0). Different
   identifiers are not a conflict (a person holds several documents) and change nothing.

A hit is an entity with ``score ≥ threshold``; the default :data:`DEFAULT_THRESHOLD` = 0.85
keeps one-typo, reordered, initialled and transliterated names of two or more tokens above
it while a shared first name or surname alone stays far below (≈ 0.6–0.75). A caller that
must never miss (a payments team) can lower it and review more alerts. The measured recall
and false-positive rate are printed by ``bench/screening.py``.

Only candidates from :class:`~cbec.screening.index.ScreeningIndex` are scored;
:func:`screen_naive` scores every name and is the baseline / oracle for the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cbec.screening.index import DEFAULT_CANDIDATES, ScreeningIndex
from cbec.screening.model import DEFAULT_THRESHOLD
from cbec.screening.names import NameForm, form_similarity, name_forms
from cbec.screening.qualifiers import (
    PartialDate,
    country_codes,
    country_similarity,
    dob_similarity,
    id_keys,
    id_similarity,
    parse_dates,
)

QUALIFIER_GATE = 0.70
DOB_BONUS = 0.10
DOB_PENALTY = 0.20
COUNTRY_BONUS = 0.03
COUNTRY_PENALTY = 0.05
ID_FLOOR = 0.95


class Role(StrEnum):
    """Who the screened party is in the transaction (kept on the result for the audit log;
    the score does not depend on it)."""

    BUYER = "buyer"
    CONSIGNEE = "consignee"
    PAYER = "payer"
    SELLER = "seller"
    SUPPLIER = "supplier"


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    birth_date: str | None = None
    country: str | None = None
    id_number: str | None = None
    role: Role | None = None


@dataclass(frozen=True, slots=True)
class Features:
    """The evidence behind a score: each similarity in 0..1, None when not comparable."""

    name: float
    dob: float | None = None
    country: float | None = None
    id: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {
            "name": round(self.name, 4),
            "dob": None if self.dob is None else round(self.dob, 4),
            "country": self.country,
            "id": self.id,
        }


@dataclass(frozen=True, slots=True)
class Hit:
    entity_id: str
    caption: str
    schema: str
    source: str  # the list (ListVersion.source)
    matched_name: str  # the list's own spelling
    matched_name_normalized: str
    matched_name_kind: str
    query_name_normalized: str
    features: Features
    score: float
    datasets: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "source": self.source,
            "datasets": list(self.datasets),
            "matched_name": self.matched_name,
            "matched_name_normalized": self.matched_name_normalized,
            "matched_name_kind": self.matched_name_kind,
            "query_name_normalized": self.query_name_normalized,
            "features": self.features.as_dict(),
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class Result:
    query: Query
    threshold: float
    hits: tuple[Hit, ...]  # score ≥ threshold, best first
    best: Hit | None  # best candidate even below the threshold (what a reviewer looks at)
    candidates: int  # name forms scored
    lists: tuple[dict[str, Any], ...] = field(default=())

    @property
    def matched(self) -> bool:
        return bool(self.hits)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": {
                "name": self.query.name,
                "birth_date": self.query.birth_date,
                "country": self.query.country,
                "id_number": self.query.id_number,
                "role": str(self.query.role) if self.query.role else None,
            },
            "match": self.matched,
            "threshold": self.threshold,
            "hits": [h.as_dict() for h in self.hits],
            "best": self.best.as_dict() if self.best else None,
            "candidates": self.candidates,
            "lists": list(self.lists),
        }


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A query normalised once, before any candidate is looked at."""

    query: Query
    forms: tuple[NameForm, ...]
    dates: tuple[PartialDate, ...]
    countries: frozenset[str]
    ids: frozenset[str]


def prepare(query: Query) -> PreparedQuery:
    return PreparedQuery(
        query=query,
        forms=name_forms(query.name or "", None),
        dates=tuple(parse_dates(query.birth_date)),
        countries=country_codes([query.country] if query.country else []),
        ids=id_keys(query.id_number),
    )


def combine(features: Features) -> float:
    """The final score from the features (module docstring, steps 2–5)."""
    n = features.name
    bonus = malus = 0.0
    if features.dob is not None:
        if features.dob >= 0.5:
            bonus += DOB_BONUS * features.dob
        else:
            malus += DOB_PENALTY * (1.0 - 2.0 * features.dob)
    if features.country is not None:
        if features.country >= 1.0:
            bonus += COUNTRY_BONUS
        else:
            malus += COUNTRY_PENALTY
    score = n + (bonus if n >= QUALIFIER_GATE else 0.0) - malus
    score = min(1.0, max(0.0, score))
    if features.id == 1.0:
        score = max(score, ID_FLOOR + (1.0 - ID_FLOOR) * n)
    return score


@dataclass(slots=True)
class _Scored:
    """An entity's score before a Hit is made of it (most candidates never become one)."""

    entity: int
    form: int  # position in index.forms of the best-matching name, -1 if none
    query_form: NameForm
    features: Features
    score: float


def _score_entity(
    pq: PreparedQuery, index: ScreeningIndex, e: int, form_ids: Iterable[int]
) -> _Scored:
    best_sim, best_f = -1.0, -1
    best_q = pq.forms[0] if pq.forms else NameForm((), "")
    forms = index.forms
    for f in form_ids:
        item = forms[f]
        weight = item.name.weight
        for qf in pq.forms:
            sim = form_similarity(qf, item.form) * weight
            if sim > best_sim:
                best_sim, best_f, best_q = sim, f, qf
    features = Features(
        name=max(0.0, best_sim),
        dob=dob_similarity(pq.dates, index.entity_dates[e]) if pq.dates else None,
        country=country_similarity(pq.countries, index.entities[e].countries),
        id=id_similarity(pq.ids, index.entity_ids[e]) if pq.ids else None,
    )
    if best_f < 0 and index.entity_forms[e]:  # found by ID only: show its first name
        best_f = index.entity_forms[e][0]
    return _Scored(e, best_f, best_q, features, combine(features))


def _hit(index: ScreeningIndex, scored: _Scored) -> Hit:
    entity = index.entities[scored.entity]
    item = index.forms[scored.form] if scored.form >= 0 else None
    return Hit(
        entity_id=entity.id,
        caption=entity.caption,
        schema=entity.schema,
        source=entity.source,
        matched_name=item.name.text if item else entity.caption,
        matched_name_normalized=item.form.text if item else "",
        matched_name_kind=item.name.kind if item else "",
        query_name_normalized=scored.query_form.text,
        features=scored.features,
        score=scored.score,
        datasets=entity.datasets,
    )


def _result(
    pq: PreparedQuery,
    index: ScreeningIndex,
    by_entity: dict[int, list[int]],
    threshold: float,
    scored: int,
) -> Result:
    ranked = sorted(
        (_score_entity(pq, index, e, forms) for e, forms in by_entity.items()),
        key=lambda s: (-s.score, index.entities[s.entity].id),
    )
    hits = tuple(_hit(index, s) for s in ranked if s.score >= threshold)
    best = hits[0] if hits else (_hit(index, ranked[0]) if ranked else None)
    return Result(
        query=pq.query,
        threshold=threshold,
        hits=hits,
        best=best,
        candidates=scored,
        lists=index.version_dicts,
    )


def screen(
    query: Query,
    index: ScreeningIndex,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    candidates: int = DEFAULT_CANDIDATES,
) -> Result:
    """Screen ``query``: blocking picks ≤ ``candidates`` name forms, each candidate entity is
    scored (module docstring), hits are those at or above ``threshold``."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be within 0..1, not {threshold}")
    pq = prepare(query)
    by_entity: dict[int, list[int]] = {}
    form_ids = index.candidates(pq.forms, limit=candidates) if pq.forms else []
    for f in form_ids:
        by_entity.setdefault(index.forms[f].entity, []).append(f)
    for e in index.entities_with_ids(pq.ids):  # an identical ID: score all its names
        by_entity[e] = list(index.entity_forms[e])
    return _result(pq, index, by_entity, threshold, len(form_ids))


def screen_naive(
    query: Query, index: ScreeningIndex, threshold: float = DEFAULT_THRESHOLD
) -> Result:
    """Score every name of every entity — no blocking. Slow; the baseline and the oracle
    that the index does not lose hits."""
    pq = prepare(query)
    by_entity = {e: forms for e, forms in enumerate(index.entity_forms)}
    return _result(pq, index, by_entity, threshold, len(index.forms))


def screen_many(
    queries: Iterable[Query], index: ScreeningIndex, threshold: float = DEFAULT_THRESHOLD
) -> list[Result]:
    return [screen(q, index, threshold) for q in queries]
