"""The market view: published China CBEC figures with their sources, every derived figure a
source states (year-on-year growth, share of a total) recomputed from the raw values, and
the disagreements reported — a seller planning on "import grew 9.57 %" should know the
source's own totals say 9.70 %.

Figures are rows ``metric, scope, period, value, unit, reported_derived, source`` (the
columns of ``data/market_figures.csv``, copied from the market data set of the paper cbec
started from); new years are added as more rows in the same columns, from any CSV.
``reported_derived`` holds ``name=value%`` pairs separated by ``;``: ``yoy_growth`` (against
the same metric and scope one period earlier) and ``share_of_total`` (against the same
metric and period with scope ``total``). A stated figure agrees when it is within 0.1
percentage point of the recomputed one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cbec.analytics.errors import FigureError

FIGURES = Path(__file__).with_name("data") / "market_figures.csv"
COLUMNS = ("metric", "scope", "period", "value", "unit", "reported_derived", "source")
TOLERANCE = Decimal("0.1")  # percentage points
DIRECTIONS = ("total", "export", "import")


@dataclass(frozen=True)
class Figure:
    metric: str
    scope: str
    period: str
    value: Decimal
    unit: str
    stated: dict[str, Decimal]  # derived figures the source states, in percent
    source: str
    where: str  # file:line

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.metric, self.scope, self.period)


def _percent(text: str, where: str) -> Decimal:
    try:
        return Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise FigureError(f"{where}: reported_derived: {text!r} is not a percentage") from None


def load(path: Path | str = FIGURES) -> list[Figure]:
    path = Path(path)
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise FigureError(f"{path}:1: columns missing: {', '.join(missing)}")
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            for col in ("metric", "scope", "period", "value", "source"):
                if not (row[col] or "").strip():
                    raise FigureError(f"{where}: {col}: must not be empty")
            try:
                value = Decimal(row["value"])
            except InvalidOperation:
                raise FigureError(f"{where}: value: {row['value']!r} is not a number") from None
            stated = {}
            for pair in filter(None, (row["reported_derived"] or "").split(";")):
                name, sep, text = pair.partition("=")
                if not sep:
                    raise FigureError(f"{where}: reported_derived: {pair!r} is not name=value%")
                stated[name.strip()] = _percent(text, where)
            out.append(
                Figure(
                    row["metric"].strip(),
                    row["scope"].strip(),
                    row["period"].strip(),
                    value,
                    row["unit"].strip(),
                    stated,
                    row["source"].strip(),
                    where,
                )
            )
    return out


def combine(*tables: Iterable[Figure]) -> list[Figure]:
    """Figures from several files; a later file's row replaces an earlier one with the same
    (metric, scope, period) — how a corrected or newer figure is brought in."""
    merged: dict[tuple[str, str, str], Figure] = {}
    for table in tables:
        for f in table:
            merged[f.key] = f
    return list(merged.values())


def _previous(period: str) -> str | None:
    return str(int(period) - 1) if period.isdigit() and len(period) == 4 else None


def _round2(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Check:
    figure: Figure
    name: str
    stated: Decimal
    recomputed: Decimal | None
    basis: str  # what it was recomputed from

    @property
    def difference(self) -> Decimal | None:
        return None if self.recomputed is None else _round2(self.stated - self.recomputed)

    @property
    def agrees(self) -> bool | None:
        d = self.difference
        return None if d is None else abs(d) <= TOLERANCE

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.figure.metric,
            "scope": self.figure.scope,
            "period": self.figure.period,
            "figure": self.name,
            "stated_percent": str(self.stated),
            "recomputed_percent": None if self.recomputed is None else str(self.recomputed),
            "difference_points": None if self.difference is None else str(self.difference),
            "agrees": self.agrees,
            "basis": self.basis,
            "source": self.figure.source,
        }


def check(figures: list[Figure]) -> list[Check]:
    """Recompute every stated derived figure (to 0.01 %) and compare."""
    by_key = {f.key: f for f in figures}
    out = []
    for f in figures:
        for name, stated in f.stated.items():
            recomputed, basis = None, "unknown figure name: not recomputed"
            if name == "yoy_growth":
                prev = by_key.get((f.metric, f.scope, _previous(f.period) or ""))
                if prev is not None and prev.value:
                    recomputed = _round2((f.value / prev.value - 1) * 100)
                    basis = f"{f.value} / {prev.value} ({prev.period}) − 1"
                else:
                    basis = "no figure for the previous period"
            elif name == "share_of_total":
                total = by_key.get((f.metric, "total", f.period))
                if total is not None and total.value:
                    recomputed = _round2(f.value / total.value * 100)
                    basis = f"{f.value} / {total.value} (total)"
                else:
                    basis = "no total for the period"
            out.append(Check(f, name, stated, recomputed, basis))
    return out


@dataclass
class View:
    """Figures of one metric by scope and period, with growth where two periods exist."""

    metric: str
    unit: str
    series: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # scope → period → v

    def as_dict(self) -> dict[str, Any]:
        growth = {}
        for scope, points in self.series.items():
            for period, value in points.items():
                prev = points.get(_previous(period) or "")
                if prev:
                    growth.setdefault(scope, {})[period] = str(_round2((value / prev - 1) * 100))
        return {
            "metric": self.metric,
            "unit": self.unit,
            "series": {
                s: {p: str(v) for p, v in sorted(pts.items())} for s, pts in self.series.items()
            },
            "growth_percent": growth,
        }


def views(figures: list[Figure], *, kind: str) -> list[View]:
    """``kind`` "direction": total/export/import; "region": every other scope."""
    out: dict[str, View] = {}
    for f in figures:
        is_direction = f.scope in DIRECTIONS
        if (kind == "direction") != is_direction:
            continue
        v = out.setdefault(f.metric, View(f.metric, f.unit))
        v.series.setdefault(f.scope, {})[f.period] = f.value
    return list(out.values())


def report(figures: list[Figure]) -> dict[str, Any]:
    checks = check(figures)
    return {
        "figures": len(figures),
        "checks": [c.as_dict() for c in checks],
        "disagreements": [c.as_dict() for c in checks if c.agrees is False],
        "direction": [v.as_dict() for v in views(figures, kind="direction")],
        "regions": [v.as_dict() for v in views(figures, kind="region")],
        "sources": sorted({f.source for f in figures}),
    }
