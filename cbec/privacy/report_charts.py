"""The compliance report's charts as inline SVG, drawn with matplotlib (Agg backend, as
:mod:`cbec.analytics.plots`): a bar chart of counts by label. The SVG is made to sit inside an
HTML page with nothing to fetch — no XML prolog or DOCTYPE, no metadata, no style element (a
strict Content-Security-Policy refuses inline styles), text kept as text (``svg.fonttype:
none``, so the reader's fonts draw Chinese labels) — and is deterministic (fixed hash salt, no
date), so one report renders the same bytes twice."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

_DROP = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<metadata>.*?</metadata>|<style.*?</style>", re.S)
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "cbec-report", "font.size": 9}


def bar_svg(title: str, labels: Sequence[str], values: Sequence[int], chart_id: str) -> str:
    """A horizontal bar chart of ``values`` by ``labels``, as an ``<svg>`` element whose
    accessible name is ``title`` (the figure's caption says it too)."""
    with plt.rc_context(STYLE), warnings.catch_warnings():
        # labels in Chinese: measured with the default font, drawn by the reader's
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        height = 0.6 + 0.32 * max(1, len(labels))
        fig, ax = plt.subplots(figsize=(6.0, height))
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
        plt.close(fig)
    svg = _DROP.sub("", out.getvalue()).strip()
    label = f'role="img" aria-labelledby="{chart_id}-t"'
    svg = svg.replace("<svg ", f"<svg {label} ", 1)
    head = svg.index(">") + 1
    return f'{svg[:head]}<title id="{chart_id}-t">{escape(title)}</title>{svg[head:]}'
