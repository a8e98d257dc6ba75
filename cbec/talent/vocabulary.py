"""The talent vocabulary (``data/vocabulary.csv``): skills, languages and certificate kinds by
code, each row dated and sourced. A profile or a project may only name codes in force on the
day it is written; an unknown code is refused naming the field and the code."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from cbec import ruledata
from cbec.errors import Violation

DATA = Path(__file__).resolve().parent / "data"
VOCABULARY = DATA / "vocabulary.csv"
KINDS = ("skill", "language", "certificate")


def load(path: Path = VOCABULARY) -> list[ruledata.Row]:
    rows = ruledata.load(path, required=("code", "kind", "name_en", "name_zh"))
    for row in rows:
        if row["kind"] not in KINDS:
            raise ruledata.RuleDataError(
                path, row.line, "kind", "is not skill, language or certificate"
            )
    return rows


def codes(rows: list[ruledata.Row], kind: str, on: date) -> dict[str, ruledata.Row]:
    """The codes of ``kind`` in force on ``on``, with their rows."""
    return {r["code"]: r for r in ruledata.in_force(rows, on, kind=kind)}


def check(
    rows: list[ruledata.Row], kind: str, on: date, field: str, given: Iterable[str]
) -> list[Violation]:
    """A violation per code of ``given`` that is not a ``kind`` in force on ``on``, naming
    ``field[i]`` and the code."""
    known = codes(rows, kind, on)
    return [
        Violation(f"{field}[{i}]", "talent_unknown_code", {"kind": kind, "code": code})
        for i, code in enumerate(given)
        if code not in known
    ]
