"""The algorithm registry's rule data (``data/``): the five algorithm types of the filing
system and the filing deadlines in working days, each row with its validity and source
(:mod:`cbec.ruledata`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from cbec import ruledata

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class AlgorithmType:
    code: str
    zh: str
    en: str
    source: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@cache
def _types() -> tuple[ruledata.Row, ...]:
    return tuple(ruledata.load(DATA / "algorithm_types.csv", required=("code", "zh", "en")))


@cache
def _deadlines() -> tuple[ruledata.Row, ...]:
    rows = ruledata.load(
        DATA / "filing_deadlines.csv",
        required=("event", "working_days"),
        decimals=("working_days",),
    )
    return tuple(rows)


def algorithm_types(on: date) -> dict[str, AlgorithmType]:
    """The types in force on ``on``, by code, in the table's order."""
    return {
        r["code"]: AlgorithmType(r["code"], r["zh"], r["en"], r.source)
        for r in ruledata.in_force(_types(), on)
    }


def all_type_codes() -> tuple[str, ...]:
    """Every code the table has ever had (what a stored record may name)."""
    return tuple(dict.fromkeys(r["code"] for r in _types()))


def deadline_days(event: str, on: date) -> tuple[int, str]:
    """The working days allowed after ``event`` (``launch``, ``change``, ``end``) on ``on``,
    and the row's source."""
    row = ruledata.one(_deadlines(), on, f"filing deadline for {event}", event=event)
    return int(row["working_days"]), row.source


def first_in_force(event: str) -> date:
    """The first day any deadline row for ``event`` is in force."""
    return min(r.effective_from for r in _deadlines() if r["event"] == event)
