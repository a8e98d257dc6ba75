"""The market view recomputes what its sources state and flags where they disagree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cbec.analytics import market

HEADER = "metric,scope,period,value,unit,reported_derived,source\n"


def test_stated_growth_and_shares_are_recomputed_and_the_import_growth_flagged():
    checks = {(c.figure.scope, c.name): c for c in market.check(market.load())}
    # 17.66 / 16.85 − 1 = 4.807 %; 13.70 / 13.24 − 1 = 3.474 %; 13.70 / 17.66 = 77.58 %
    assert checks[("total", "yoy_growth")].recomputed == Decimal("4.81")
    assert checks[("export", "yoy_growth")].recomputed == Decimal("3.47")
    assert checks[("export", "share_of_total")].recomputed == Decimal("77.58")
    # 14772 / 70769 = 20.873 % of customs-registered enterprises in Guangdong
    assert checks[("Guangdong", "share_of_total")].recomputed == Decimal("20.87")
    # 3.96 / 3.61 − 1 = 9.695 %, not the 9.57 % the report states: 0.13 point off
    wrong = checks[("import", "yoy_growth")]
    assert (wrong.recomputed, wrong.difference, wrong.agrees) == (
        Decimal("9.70"),
        Decimal("-0.13"),
        False,
    )
    assert sum(1 for c in checks.values() if c.agrees is False) == 1


def test_views_and_new_years_as_data(tmp_path):
    extra = tmp_path / "2025.csv"
    extra.write_text(
        HEADER + 'cbec_market_size,total,2025,18.50,trillion_CNY,yoy_growth=4.76%,"example"\n',
        encoding="utf-8",
    )
    figures = market.combine(market.load(), market.load(extra))
    (size,) = [v for v in market.views(figures, kind="direction") if v.metric == "cbec_market_size"]
    view = size.as_dict()
    assert view["series"]["total"] == {"2023": "16.85", "2024": "17.66", "2025": "18.50"}
    assert view["growth_percent"]["total"]["2025"] == "4.76"  # 18.50 / 17.66 − 1 = 4.756 %
    checks = [c for c in market.check(figures) if c.figure.period == "2025"]
    assert checks[0].agrees is True
    regions = market.views(figures, kind="region")
    assert {s for v in regions for s in v.series} >= {"Guangdong", "Zhejiang", "Shandong"}
    report = market.report(figures)
    assert len(report["disagreements"]) == 1 and report["sources"]


def test_a_bad_figures_file_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "cbec_market_size,total,2025,lots,x,,src\n", encoding="utf-8")
    with pytest.raises(market.FigureError, match=r"bad\.csv:2: value"):
        market.load(bad)
    bad.write_text(HEADER + "cbec_market_size,total,2025,1,x,yoy_growth,src\n", encoding="utf-8")
    with pytest.raises(market.FigureError, match="reported_derived"):
        market.load(bad)


def test_market_and_plot_commands(tmp_path):
    import json

    from typer.testing import CliRunner

    from cbec.cli.main import app

    out = tmp_path / "market.svg"
    done = CliRunner().invoke(app, ["analytics", "market", "--plot", str(out)])
    assert done.exit_code == 1  # the import growth disagrees with its own source
    report = json.loads(done.stdout)
    assert [(d["scope"], d["figure"]) for d in report["disagreements"]] == [
        ("import", "yoy_growth")
    ]
    assert out.read_text().lstrip().startswith("<?xml")
    spec = json.loads(out.with_suffix(".json").read_text())
    assert spec["series"]["export"][0] == {"period": "2023", "value": 13.24}
    bad = CliRunner().invoke(app, ["analytics", "market", "--plot", str(tmp_path / "m.gif")])
    assert bad.exit_code == 2
