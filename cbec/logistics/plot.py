"""The Pareto front of a route plan as a chart: transit time (90th percentile) across, cost
up, each route a point sized by its well-to-wheel CO2e, the front joined by a line and
labelled by its legs — the picture of the trade-off a table of three columns hides. Drawn
with matplotlib on a bare Figure (Agg), as :mod:`cbec.privacy.report_charts`."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cbec.services.logistics_models import RoutePlan

MODE_COLOURS = {"sea": "#2b6cb0", "feeder": "#4299e1", "rail": "#2f855a", "air": "#c53030"}


def pareto_figure(plan: RoutePlan, title: str) -> Figure:
    fig = Figure(figsize=(7.0, 4.2))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    routes = plan.options + plan.late
    biggest = max((float(o.co2e_wtw_kg) for o in routes), default=1.0) or 1.0
    for o in routes:
        main = max(o.legs, key=lambda g: g.distance_km).mode
        ax.scatter(
            float(o.transit_p90_days),
            float(o.cost),
            s=40 + 900 * float(o.co2e_wtw_kg) / biggest,
            color=MODE_COLOURS.get(main, "#718096"),
            alpha=0.85 if o.pareto else 0.35,
            edgecolors="black" if o.pareto else "none",
        )
        if o.pareto:
            legs = " + ".join(g.mode for g in o.legs)
            ax.annotate(
                f"{legs}\n{o.co2e_wtw_kg} kg CO2e",
                (float(o.transit_p90_days), float(o.cost)),
                xytext=(8, 6),
                textcoords="offset points",
                fontsize=8,
            )
    front = sorted((o for o in plan.options if o.pareto), key=lambda o: o.transit_p90_days)
    ax.plot(
        [float(o.transit_p90_days) for o in front],
        [float(o.cost) for o in front],
        color="#4a5568",
        linewidth=1,
        linestyle="--",
    )
    currency = routes[0].currency if routes else ""
    ax.set_xlabel("transit time, 90th percentile (days)")
    ax.set_ylabel(f"cost ({currency})")
    ax.set_title(title, fontsize=10)
    ax.margins(x=0.15, y=0.2)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return fig


def save_pareto(plan: RoutePlan, title: str, path: Path) -> Path:
    fmt = {".png": "png", ".svg": "svg"}.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path.name}: give a .png or .svg file name")
    pareto_figure(plan, title).savefig(
        path, format=fmt, dpi=120, bbox_inches="tight", metadata={"Software": None}
    )
    return path
