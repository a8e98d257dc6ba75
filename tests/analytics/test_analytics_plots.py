"""Plots are real images (PNG signature / SVG root) drawn from the same spec the JSON gives."""

from __future__ import annotations

import json

from lxml import etree

from cbec.analytics import market, plots


def test_market_trend_png_and_svg_from_its_json_spec(tmp_path):
    figures = market.load()
    view = next(
        v.as_dict()
        for v in market.views(figures, kind="direction")
        if v.metric == "cbec_market_size"
    )
    spec = plots.market_spec(view)
    assert json.loads(json.dumps(spec))["series"]["total"][1] == {"period": "2024", "value": 17.66}
    png = plots.save(plots.market_trend(spec), tmp_path / "market.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plots.save(plots.market_trend(spec), tmp_path / "market.svg")
    assert etree.QName(etree.parse(str(svg)).getroot()).localname == "svg"


def test_cohort_histogram_and_forecast_plots(tmp_path):
    spec = plots.cohort_spec(["2011-01", "2011-02"], [[1.0, 0.4, 0.3], [1.0, 0.5, None]])
    assert spec["values"][1][2] is None
    plots.save(plots.cohort_heatmap(spec), tmp_path / "c.png")
    hist = plots.distribution_spec([1.0, 2.0, 2.5, 10.0], title="CLV", unit="USD", bins=3)
    assert sum(hist["y"]["counts"]) == 4 and hist["summary"]["median"] == 2.25
    plots.save(plots.histogram(hist), tmp_path / "h.svg")
    fc = plots.forecast_spec(
        "85123A|France",
        [("2011-10-03", 3), ("2011-10-10", 0)],
        [{"ds": "2011-10-17", "mean": 1.5, "lo-80": 0.5, "hi-80": 2.5, "lo-95": 0.0, "hi-95": 3.1}],
    )
    plots.save(plots.forecast_plot(fc), tmp_path / "f.png")
    assert all((tmp_path / n).stat().st_size > 1000 for n in ("c.png", "h.svg", "f.png"))
