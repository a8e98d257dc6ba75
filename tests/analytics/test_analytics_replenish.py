"""Replenishment arithmetic, checked against numbers computed by hand (in the comments)."""

from __future__ import annotations

import math

import pytest

from cbec.analytics.replenish import (
    Demand,
    StockPosition,
    aggregate,
    demands_from_forecasts,
    replenish,
    round_order,
    suggest,
    z_value,
)

Z95 = 1.6448536269514722  # Φ⁻¹(0.95)
Z90 = 1.2815515655446004  # Φ⁻¹(0.90)


def test_z_values_are_normal_quantiles():
    assert z_value(0.95) == pytest.approx(Z95, abs=1e-12)
    assert z_value(0.90) == pytest.approx(Z90, abs=1e-12)
    assert z_value(0.5) == pytest.approx(0.0, abs=1e-12)
    for bad in (0.0, 1.0, 1.5, -0.1):
        with pytest.raises(ValueError):
            z_value(bad)


def test_safety_stock_reorder_point_and_order_with_lead_time_variance():
    # d = 10/week, σ_d = 4, L = 3 weeks, σ_L = 1 week, R = 1, CSL 95 % → z = 1.644854
    # SS  = z·√(L·σ_d² + d²·σ_L²) = 1.644854·√(3·16 + 100·1) = 1.644854·√148
    #     = 1.644854·12.165525 = 20.010508
    # ROP = d·L + SS = 30 + 20.010508 = 50.010508
    # S   = d·(R+L) + z·√((R+L)·σ_d² + d²·σ_L²) = 40 + 1.644854·√(4·16 + 100) = 40 + 1.644854·√164
    #     = 40 + 1.644854·12.806248 = 40 + 21.064404 = 61.064404
    # IP  = 20 on hand + 15 on order = 35 → raw = 61.064404 − 35 = 26.064404
    # MOQ 30 > 26.06 → 30 → packs of 12: ⌈30/12⌉ = 3 packs = 36
    s = suggest(
        Demand("SKU1", "DE", mean=10, std=4),
        StockPosition(
            "SKU1",
            "DE",
            on_hand=20,
            on_order=15,
            lead_time=3,
            lead_time_std=1,
            moq=30,
            pack_size=12,
        ),
        service_level=0.95,
    )
    assert s.z == pytest.approx(Z95)
    assert s.safety_stock == pytest.approx(Z95 * math.sqrt(148))
    assert s.safety_stock == pytest.approx(20.010508, abs=1e-6)
    assert s.reorder_point == pytest.approx(50.010508, abs=1e-6)
    assert s.order_up_to == pytest.approx(61.064404, abs=1e-6)
    assert s.inventory_position == 35
    assert s.raw_quantity == pytest.approx(26.064404, abs=1e-6)
    assert s.order_quantity == 36
    assert s.reorder_now  # IP 35 ≤ ROP 50.01


def test_without_lead_time_variance_it_is_the_textbook_periodic_review():
    # d = 5, σ_d = 2, L = 4, R = 2, σ_L = 0, CSL 90 % → z = 1.281552
    # SS  = z·σ_d·√L = 1.281552·2·2 = 5.126206
    # ROP = 5·4 + 5.126206 = 25.126206
    # S   = d·(R+L) + z·σ_d·√(R+L) = 30 + 1.281552·2·√6 = 30 + 1.281552·4.898979 = 36.278295
    # IP  = 10 → raw 26.278295 → pack 1, no MOQ → ⌈26.28⌉ = 27
    s = suggest(
        Demand("A", "W1", mean=5, std=2),
        StockPosition("A", "W1", on_hand=10, lead_time=4, review_period=2),
        service_level=0.90,
    )
    assert s.safety_stock == pytest.approx(Z90 * 2 * 2)
    assert s.reorder_point == pytest.approx(25.126206, abs=1e-6)
    assert s.order_up_to == pytest.approx(30 + Z90 * 2 * math.sqrt(6))
    assert s.order_up_to == pytest.approx(36.278295, abs=1e-6)
    assert s.order_quantity == 27


def test_enough_stock_means_no_order():
    # d = 2, σ = 1, L = 2, R = 1: S = 6 + 1.644854·√3 = 8.849; IP = 50 → nothing, MOQ ignored
    s = suggest(Demand("A", "W", 2, 1), StockPosition("A", "W", on_hand=50, lead_time=2, moq=100))
    assert s.order_up_to == pytest.approx(6 + Z95 * math.sqrt(3))
    assert s.raw_quantity == 0
    assert s.order_quantity == 0
    assert not s.reorder_now
    assert "nothing to order" in s.explanation
    assert "无需订货" in s.explanation_zh


def test_rounding_to_moq_and_packs():
    assert round_order(0, moq=50, pack=12) == 0
    assert round_order(24, moq=0, pack=12) == 24  # exactly two packs, not three
    assert round_order(24.0000000001, moq=0, pack=12) == 24  # float noise is not a pack
    assert round_order(25, moq=0, pack=12) == 36
    assert round_order(3, moq=10, pack=1) == 10
    assert round_order(3, moq=10, pack=4) == 12  # MOQ 10 → ⌈10/4⌉ = 3 packs
    assert round_order(0.2, moq=0, pack=1) == 1
    assert round_order(7, moq=0, pack=0) == 7  # pack 0 means "no pack constraint"


def test_zero_demand_gives_zero_safety_stock():
    s = suggest(Demand("A", "W", 0, 0), StockPosition("A", "W", on_hand=0, lead_time=3))
    assert (s.safety_stock, s.reorder_point, s.order_up_to, s.order_quantity) == (0, 0, 0, 0)
    assert s.reorder_now  # IP 0 ≤ ROP 0: a continuous-review trigger, but nothing to order


def test_explanation_substitutes_the_numbers_in_both_languages():
    s = suggest(
        Demand("SKU1", "DE", mean=10, std=4),
        StockPosition(
            "SKU1",
            "DE",
            on_hand=20,
            on_order=15,
            lead_time=3,
            lead_time_std=1,
            moq=30,
            pack_size=12,
        ),
    )
    en, zh = s.explanation, s.explanation_zh
    for text in (en, zh):
        assert "1.6449·√(3·4² + 10²·1²) = 20.01" in text
        assert "10·3 + 20.01 = 50.01" in text
        assert "10·4 + 1.6449·√(4·4² + 10²·1²) = 61.06" in text
        assert "max(0, 26.06) = 26.06" in text
        assert text.rstrip("。.").endswith("= 36")
    assert "Safety stock" in en and "per week" in en and "3 weeks" in en
    assert "安全库存" in zh and "再订货点" in zh and "最小起订量 30" in zh and "每周" in zh


def test_daily_periods_are_named_days():
    s = suggest(
        Demand("A", "W", 1, 1, period_days=1), StockPosition("A", "W", on_hand=0, lead_time=14)
    )
    assert "per day" in s.explanation and "14 days" in s.explanation
    assert "每天" in s.explanation_zh


def test_service_level_per_row_overrides_the_run():
    pos = StockPosition("A", "W", on_hand=0, lead_time=1, review_period=0, service_level=0.9)
    s = suggest(Demand("A", "W", 0, 1), pos, service_level=0.99)
    # d = 0, σ = 1, L = 1: SS = z(0.90)·1
    assert s.service_level == 0.9
    assert s.safety_stock == pytest.approx(Z90)


def test_aggregate_adds_means_and_variances_per_warehouse():
    # DE: d 3, σ 4; FR: d 5, σ 3 → warehouse EU: d 8, σ √(16 + 9) = 5
    got = aggregate(
        [Demand("A", "DE", 3, 4), Demand("A", "FR", 5, 3), Demand("A", "US", 1, 1)],
        {"DE": "EU", "FR": "EU"},
    )
    assert got[("A", "EU")].mean == 8
    assert got[("A", "EU")].std == pytest.approx(5.0)
    assert got[("A", "US")].mean == 1  # unmapped market is its own warehouse
    with pytest.raises(ValueError, match="mixed periods"):
        aggregate([Demand("A", "DE", 1, 1, 7), Demand("A", "FR", 1, 1, 1)], {"FR": "DE"})


def test_demand_from_forecast_rows_is_the_mean_over_the_horizon():
    rows = [
        {"sku": "A", "market": "DE", "forecast": f, "sigma": 2.5, "period_days": 7}
        for f in (1.0, 2.0, 3.0, 6.0)
    ]
    (d,) = demands_from_forecasts(rows)
    assert (d.sku, d.location, d.mean, d.std, d.period_days) == ("A", "DE", 3.0, 2.5, 7)


def test_stock_without_forecast_is_reported_not_guessed():
    demands = {("A", "DE"): Demand("A", "DE", 1, 1)}
    done, missing = replenish(
        demands, [StockPosition("A", "DE", on_hand=0), StockPosition("B", "DE", on_hand=0)]
    )
    assert [s.sku for s in done] == ["A"]
    assert [m.sku for m in missing] == ["B"]


def test_negative_lead_time_is_rejected():
    with pytest.raises(ValueError, match="lead time"):
        suggest(Demand("A", "W", 1, 1), StockPosition("A", "W", on_hand=0, lead_time=-1))
