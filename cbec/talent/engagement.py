"""An engagement of an expert on a project, as a pure state machine, and its cost against a
full-time hire (no web, no database).

Deliverables, each::

    planned ──(submit, the expert's side)──▶ submitted ──(accept, the SME)──▶ accepted
                                             submitted ──(reject, the SME)──▶ rejected
    rejected ──(submit again, the expert's side)──▶ submitted

``accepted`` is final. An engagement is *delivered* once it has deliverables and all of them
are accepted; only then does the SME rate it, 1 to 5, once (a second rating is refused).

The cost of a full-time hire for the engagement's period (its first to its last day,
inclusive) is ``annual_wage × (1 + employer_oncost_rate) × days / 365`` from the salary
benchmark in force on the first day (``data/salaries.csv``, each row with its source or
marked as an example figure), rounded half-up to 0.01. The comparison is made only in the
same currency: no exchange rate is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path

from cbec import ruledata
from cbec.errors import Conflict, Forbidden
from cbec.talent.vocabulary import DATA

SALARIES = DATA / "salaries.csv"
CENT = Decimal("0.01")


class Deliverable(StrEnum):
    PLANNED = "planned"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Side(StrEnum):
    SME = "sme"  # the project's seller
    EXPERT = "expert"  # the tenant that published the expert's profile


# (from, to) -> the side that makes the step
STEPS = {
    (Deliverable.PLANNED, Deliverable.SUBMITTED): Side.EXPERT,
    (Deliverable.REJECTED, Deliverable.SUBMITTED): Side.EXPERT,
    (Deliverable.SUBMITTED, Deliverable.ACCEPTED): Side.SME,
    (Deliverable.SUBMITTED, Deliverable.REJECTED): Side.SME,
}


def step(state: Deliverable, to: Deliverable, side: Side) -> Deliverable:
    """The deliverable's next state: 409 ``talent_deliverable_step`` for a step the machine
    does not have, 403 ``talent_deliverable_side`` for one the other side makes."""
    who = STEPS.get((state, to))
    if who is None:
        raise Conflict("talent_deliverable_step", {"state": state.value, "to": to.value})
    if who is not side:
        raise Forbidden("talent_deliverable_side", {"side": who.value})
    return to


def delivered(states: list[Deliverable]) -> bool:
    return bool(states) and all(s is Deliverable.ACCEPTED for s in states)


def may_rate(states: list[Deliverable], rated: bool, side: Side) -> None:
    """403 unless the SME rates; 409 before delivery or after a first rating."""
    if side is not Side.SME:
        raise Forbidden("talent_rating_side")
    if rated:
        raise Conflict("talent_rated", {})
    if not delivered(states):
        raise Conflict("talent_not_delivered", {})


def may_add(side: Side, rated: bool) -> None:
    """Deliverables are added by the SME (403 otherwise), until the engagement is rated (409)."""
    if side is not Side.SME:
        raise Forbidden("talent_deliverable_side", {"side": Side.SME.value})
    if rated:
        raise Conflict("talent_rated", {})


def load_salaries(path: Path = SALARIES) -> list[ruledata.Row]:
    rows = ruledata.load(
        path,
        required=("benchmark", "annual_wage", "currency", "employer_oncost_rate"),
        decimals=("annual_wage", "employer_oncost_rate"),
    )
    return rows


@dataclass(frozen=True)
class Comparison:
    benchmark: str
    source: str
    days: int
    annual_wage: Decimal
    oncost_rate: Decimal
    full_time_cost: Decimal | None  # None: a different currency
    currency: str
    engagement_cost: Decimal
    saving: Decimal | None  # full-time cost minus the engagement's (negative: dearer)
    ratio: Decimal | None  # the engagement's cost over the full-time cost, to 0.0001


def compare(
    rows: list[ruledata.Row], benchmark: str, starts: date, ends: date, cost: Decimal, currency: str
) -> Comparison:
    row = ruledata.one(rows, starts, "salary benchmarks", benchmark=benchmark)
    days = (ends - starts).days + 1
    wage, rate = Decimal(row["annual_wage"]), Decimal(row["employer_oncost_rate"])
    full = None
    saving = ratio = None
    if row["currency"] == currency:
        full = (wage * (1 + rate) * days / 365).quantize(CENT, ROUND_HALF_UP)
        saving = full - cost
        ratio = (cost / full).quantize(Decimal("0.0001"), ROUND_HALF_UP) if full else None
    return Comparison(
        benchmark, row.source, days, wage, rate, full, row["currency"], cost, saving, ratio
    )
