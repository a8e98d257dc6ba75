"""Pictures a seller would rather look at than read: the cohort heat-map, the CLV
distribution, a SKU's forecast with its intervals, the market trend.

Every plot comes two ways from the same data: a matplotlib figure saved as PNG or SVG
(by the file's suffix), and a JSON spec (chart kind, axes, series) that the web console will
draw itself — so both always show the same numbers. Figures are drawn with the non-interactive
Agg backend: no display is needed on a server.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

FORMATS = {".png": "png", ".svg": "svg"}


def save(fig: Figure, path: Path | str) -> Path:
    """Write ``fig`` as PNG or SVG (from the suffix) and release it."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path.name}: give a .png or .svg file name")
    fig.savefig(path, format=fmt, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def cohort_spec(cohorts: Sequence[str], matrix: Sequence[Sequence[float | None]]) -> dict:
    """Rows: first-purchase month; columns: months since; cells: share still buying."""
    return {
        "chart": "heatmap",
        "title": "Monthly cohort retention",
        "x": {"label": "months since first purchase", "values": list(range(len(matrix[0])))},
        "y": {"label": "cohort (first purchase)", "values": list(cohorts)},
        "values": [[None if v is None else round(float(v), 4) for v in row] for row in matrix],
    }


def cohort_heatmap(spec: dict[str, Any]) -> Figure:
    import numpy as np

    values = np.array(
        [[np.nan if v is None else v for v in row] for row in spec["values"]], dtype=float
    )
    fig, ax = plt.subplots(figsize=(1 + 0.45 * values.shape[1], 1 + 0.35 * values.shape[0]))
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(values.shape[1]), spec["x"]["values"])
    ax.set_yticks(range(values.shape[0]), spec["y"]["values"])
    ax.set_xlabel(spec["x"]["label"])
    ax.set_ylabel(spec["y"]["label"])
    ax.set_title(spec["title"])
    fig.colorbar(image, ax=ax, label="share of cohort")
    return fig


def distribution_spec(values: Sequence[float], *, title: str, unit: str, bins: int = 30) -> dict:
    import numpy as np

    arr = np.asarray(values, dtype=float)
    dropped = int((~np.isfinite(arr)).sum())
    values = arr = arr[np.isfinite(arr)]  # a model that did not converge can give NaN
    counts, edges = np.histogram(arr, bins=bins) if len(arr) else (np.array([]), np.array([]))
    return {
        "chart": "histogram",
        "title": title,
        "x": {"label": unit, "edges": [round(float(e), 4) for e in edges]},
        "y": {"label": "customers", "counts": [int(c) for c in counts]},
        "summary": {
            "n": len(values),
            "mean": round(float(np.mean(values)), 4) if len(values) else None,
            "median": round(float(np.median(values)), 4) if len(values) else None,
            "not_finite": dropped,
        },
    }


def histogram(spec: dict[str, Any]) -> Figure:
    edges, counts = spec["x"]["edges"], spec["y"]["counts"]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.stairs(counts, edges, fill=True, alpha=0.7)
    ax.set_xlabel(spec["x"]["label"])
    ax.set_ylabel(spec["y"]["label"])
    ax.set_title(spec["title"])
    return fig


def forecast_spec(
    series_id: str,
    history: Sequence[tuple[str, float]],
    forecast: Sequence[dict[str, Any]],
) -> dict:
    """``forecast`` rows: ``{"ds", "mean"}`` and optional ``lo-80, hi-80, lo-95, hi-95``."""
    return {
        "chart": "forecast",
        "title": f"Demand forecast — {series_id}",
        "history": [{"ds": str(d), "y": float(y)} for d, y in history],
        "forecast": [
            {k: (str(v) if k == "ds" else (None if v is None else float(v))) for k, v in r.items()}
            for r in forecast
        ],
    }


def forecast_plot(spec: dict[str, Any]) -> Figure:
    fig, ax = plt.subplots(figsize=(8, 4))
    hist, fc = spec["history"], spec["forecast"]
    ax.plot([h["ds"] for h in hist], [h["y"] for h in hist], label="history", color="0.3")
    xs = [r["ds"] for r in fc]
    for level, alpha in (("95", 0.15), ("80", 0.3)):
        lo, hi = f"lo-{level}", f"hi-{level}"
        if fc and fc[0].get(lo) is not None:
            ax.fill_between(
                xs,
                [r[lo] for r in fc],
                [r[hi] for r in fc],
                alpha=alpha,
                color="tab:blue",
                label=f"{level} % interval",
            )
    ax.plot(xs, [r["mean"] for r in fc], color="tab:blue", label="forecast")
    ax.set_title(spec["title"])
    ax.set_ylabel("units")
    ax.tick_params(axis="x", labelrotation=45)
    step = max(1, (len(hist) + len(fc)) // 12)
    ax.set_xticks(ax.get_xticks()[::step])
    ax.legend()
    return fig


def market_spec(view: dict[str, Any]) -> dict:
    """A :class:`cbec.analytics.market.View` ``as_dict()`` as a line chart by scope."""
    return {
        "chart": "lines",
        "title": f"{view['metric']} ({view['unit']})",
        "series": {
            scope: [{"period": p, "value": float(v)} for p, v in points.items()]
            for scope, points in view["series"].items()
        },
        "growth_percent": view.get("growth_percent", {}),
    }


def market_trend(spec: dict[str, Any]) -> Figure:
    fig, ax = plt.subplots(figsize=(7, 4))
    for scope, points in spec["series"].items():
        ax.plot(
            [p["period"] for p in points], [p["value"] for p in points], marker="o", label=scope
        )
        for p in points:
            ax.annotate(
                f"{p['value']:g}",
                (p["period"], p["value"]),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    ax.set_title(spec["title"])
    ax.legend()
    return fig
