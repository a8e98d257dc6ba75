"""The matching score of an expert for a project: a sum of named components, each its weight
(rule data, ``data/match_weights.csv``) times the share of it the expert meets, so that every
point of a score can be traced to a reason.

Components (each share between 0 and 1):

- ``skills``: the project's required skills carry weights (1–5); the share is the weight of
  the required skills the expert has over the weight of all of them.
- ``languages``: the share of the project's required languages the expert speaks (1 when the
  project requires none).
- ``certificates``: the share of the project's required certificate kinds the expert holds
  (1 when it requires none).
- ``rating``: the expert's average rating over 5; an expert never rated counts as one half.
- ``budget``: 1 when the expert's day rate is within the project's day budget, else the
  budget over the rate; 0 when the two are in different currencies (no conversion is made).
- ``availability``: the expert's available days a week over those the project needs, at most 1.

Each contribution is rounded half-up to 0.01 and the score is the sum of the rounded
contributions, so the shown parts add up to the shown total. Ties are broken by the skills
contribution (higher first), then by the expert's id (ascending): the order never depends on
the database's row order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from cbec import ruledata
from cbec.talent.vocabulary import DATA

WEIGHTS = DATA / "match_weights.csv"
COMPONENTS = ("skills", "languages", "certificates", "rating", "budget", "availability")
CENT = Decimal("0.01")


def load_weights(path: Path = WEIGHTS) -> list[ruledata.Row]:
    rows = ruledata.load(path, required=("component", "weight"), decimals=("weight",))
    for row in rows:
        if row["component"] not in COMPONENTS:
            raise ruledata.RuleDataError(path, row.line, "component", "is not a score component")
    return rows


def weights(rows: list[ruledata.Row], on: date) -> dict[str, Decimal]:
    out = {}
    for name in COMPONENTS:
        row = ruledata.one(rows, on, "talent match weights", component=name)
        out[name] = Decimal(row["weight"])
    return out


@dataclass(frozen=True)
class Needs:
    """What a project asks for."""

    skills: dict[str, int]  # code -> weight 1..5
    languages: tuple[str, ...]
    certificates: tuple[str, ...]
    day_budget: Decimal
    currency: str
    days_per_week: int


@dataclass(frozen=True)
class Offer:
    """What an expert offers."""

    expert_id: str
    skills: frozenset[str]
    languages: frozenset[str]
    certificates: frozenset[str]  # certificate kinds held
    day_rate: Decimal
    currency: str
    days_per_week: int
    ratings: tuple[int, ...]


@dataclass(frozen=True)
class Part:
    component: str
    weight: Decimal
    share: Fraction
    contribution: Decimal
    reason: str  # e.g. "2 of 3 (weight 7 of 9)"


@dataclass(frozen=True)
class Score:
    expert_id: str
    total: Decimal
    parts: tuple[Part, ...]


def _share_of(wanted: tuple[str, ...], held: frozenset[str]) -> tuple[Fraction, str]:
    if not wanted:
        return Fraction(1), "none required"
    met = sum(1 for w in wanted if w in held)
    return Fraction(met, len(wanted)), f"{met} of {len(wanted)}"


def shares(needs: Needs, offer: Offer) -> dict[str, tuple[Fraction, str]]:
    out: dict[str, tuple[Fraction, str]] = {}
    total = sum(needs.skills.values())
    met = sum(w for code, w in needs.skills.items() if code in offer.skills)
    count = sum(1 for code in needs.skills if code in offer.skills)
    out["skills"] = (
        (Fraction(met, total), f"{count} of {len(needs.skills)} (weight {met} of {total})")
        if total
        else (Fraction(1), "none required")
    )
    out["languages"] = _share_of(needs.languages, offer.languages)
    out["certificates"] = _share_of(needs.certificates, offer.certificates)
    if offer.ratings:
        avg = Fraction(sum(offer.ratings), len(offer.ratings))
        out["rating"] = (avg / 5, f"average {float(avg):.2f} of 5 over {len(offer.ratings)}")
    else:
        out["rating"] = (Fraction(1, 2), "never rated: counts as half")
    if offer.currency != needs.currency:
        out["budget"] = (Fraction(0), f"rate in {offer.currency}, budget in {needs.currency}")
    elif offer.day_rate <= needs.day_budget:
        out["budget"] = (Fraction(1), f"rate {offer.day_rate} within budget {needs.day_budget}")
    else:
        share = Fraction(needs.day_budget) / Fraction(offer.day_rate)
        out["budget"] = (share, f"rate {offer.day_rate} over budget {needs.day_budget}")
    days = min(Fraction(offer.days_per_week, needs.days_per_week), Fraction(1))
    out["availability"] = (days, f"{offer.days_per_week} of {needs.days_per_week} days a week")
    return out


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)


def score(needs: Needs, offer: Offer, weight: dict[str, Decimal]) -> Score:
    parts = []
    for name, (share, reason) in shares(needs, offer).items():
        contribution = _cents(Fraction(weight[name]) * share)
        parts.append(Part(name, weight[name], share, contribution, reason))
    return Score(
        offer.expert_id, sum((p.contribution for p in parts), Decimal("0.00")), tuple(parts)
    )


def rank(needs: Needs, offers: list[Offer], weight: dict[str, Decimal]) -> list[Score]:
    """Every offer's score, best first (ties: the skills contribution, then the expert id)."""
    scored = [score(needs, o, weight) for o in offers]
    return sorted(scored, key=lambda s: (-s.total, -s.parts[0].contribution, s.expert_id))
