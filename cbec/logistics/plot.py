"""The Pareto front of a route plan as a chart: transit time (90th percentile) across, cost
up, each route a point sized by its well-to-wheel CO2e, the front joined by a line and
labelled by its legs — the picture of the trade-off a table of three columns hides. Drawn
with matplotlib on a bare Figure (Agg), as :mod:`cbec.privacy.report_charts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

MODE_COLOURS = {"sea": "#2b6cb0", "feeder": "#4299e1", "rail": "#2f855a", "air": "#c53030"}


@dataclass(frozen=True)
class Point:
    """One route as the chart shows it."""

    transit_p90_days: float
    cost: float
    co2e_wtw_kg: float
    pareto: bool
    modes: tuple[str, ...]  # its legs' modes, in order
    main_mode: str  # the mode of its longest leg: the point's colour


def pareto_figure(points: Sequence[Point], title: str, currency: str) -> Figure:
    fig = Figure(figsize=(7.0, 4.2))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    biggest = max((p.co2e_wtw_kg for p in points), default=1.0) or 1.0
    for p in points:
        ax.scatter(
            p.transit_p90_days,
            p.cost,
            s=40 + 900 * p.co2e_wtw_kg / biggest,
            color=MODE_COLOURS.get(p.main_mode, "#718096"),
            alpha=0.85 if p.pareto else 0.35,
            edgecolors="black" if p.pareto else "none",
        )
        if p.pareto:
            ax.annotate(
                f"{' + '.join(p.modes)}\n{p.co2e_wtw_kg:.3f} kg CO2e",
                (p.transit_p90_days, p.cost),
                xytext=(8, 6),
                textcoords="offset points",
                fontsize=8,
            )
    front = sorted((p for p in points if p.pareto), key=lambda p: p.transit_p90_days)
    ax.plot(
        [p.transit_p90_days for p in front],
        [p.cost for p in front],
        color="#4a5568",
        linewidth=1,
        linestyle="--",
    )
    ax.set_xlabel("transit time, 90th percentile (days)")
    ax.set_ylabel(f"cost ({currency})")
    ax.set_title(title, fontsize=10)
    ax.margins(x=0.15, y=0.2)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return fig


def save_pareto(points: Sequence[Point], title: str, currency: str, path: Path) -> Path:
    fmt = {".png": "png", ".svg": "svg"}.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path.name}: give a .png or .svg file name")
    pareto_figure(points, title, currency).savefig(
        path, format=fmt, dpi=120, bbox_inches="tight", metadata={"Software": None}
    )
    return path
