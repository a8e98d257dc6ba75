"""The compliance report's charts as inline SVG, drawn with matplotlib (Agg backend, as
:mod:`cbec.analytics.plots`): a bar chart of counts by label. The SVG is made to sit inside an
HTML page with nothing to fetch — no XML prolog or DOCTYPE, no metadata, no style element (a
strict Content-Security-Policy refuses inline styles), text kept as text (``svg.fonttype:
none``, so the reader's fonts draw Chinese labels) — and is deterministic (fixed hash salt, no
date), so one report renders the same bytes twice.

The figure is a bare :class:`~matplotlib.figure.Figure` (no pyplot: its figure manager is
process-wide state), and the style is matplotlib's global ``rcParams``, read while drawing:
one lock serialises drawing, so two reports made at once (the API serves requests on
threads) neither see each other's style nor interleave."""

from __future__ import annotations

import io
import re
import threading
import warnings
from collections.abc import Sequence
from html import escape

_DROP = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<metadata>.*?</metadata>|<style.*?</style>", re.S)
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "cbec-report", "font.size": 9}
_DRAWING = threading.Lock()


def bar_svg(title: str, labels: Sequence[str], values: Sequence[int], chart_id: str) -> str:
    """A horizontal bar chart of ``values`` by ``labels``, as an ``<svg>`` element whose
    accessible name is ``title`` (the figure's caption says it too)."""
    # imported on the first chart, not with the API: matplotlib is half a second of every
    # server start and CLI command that never draws one
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _DRAWING, matplotlib.rc_context(STYLE), warnings.catch_warnings():
        # labels in Chinese: measured with the default font, drawn by the reader's
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        height = 0.6 + 0.32 * max(1, len(labels))
        fig = Figure(figsize=(6.0, height))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        positions = list(range(len(labels)))
        ax.barh(positions, list(values), color="#2b6cb0")
        ax.set_yticks(positions, list(labels))
        ax.invert_yaxis()
        ax.xaxis.get_major_locator().set_params(integer=True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        for y, v in zip(positions, values, strict=True):
            ax.annotate(str(v), (v, y), xytext=(3, 0), textcoords="offset points", va="center")
        out = io.StringIO()
        fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _DROP.sub("", out.getvalue()).strip()
    label = f'role="img" aria-labelledby="{chart_id}-t"'
    svg = svg.replace("<svg ", f"<svg {label} ", 1)
    head = svg.index(">") + 1
    return f'{svg[:head]}<title id="{chart_id}-t">{escape(title)}</title>{svg[head:]}'
