"""Transit-time sums and leg costs against second implementations.

Oracles: a Monte Carlo sum of the legs' lognormal delays (numpy, fixed seed) for the
Fenton–Wilkinson closed form; the carriers' tariff arithmetic written out by hand for the
cost model (chargeable weight, minimum, fuel surcharge)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from cbec.logistics.cost import chargeable_kg, leg_cost
from cbec.logistics.model import CostModel
from cbec.logistics.transit import Transit, total


def test_one_leg_keeps_its_published_median_and_p90():
    t = Transit.of(16, 20)
    assert (t.p50, t.p90) == (pytest.approx(16), pytest.approx(20))
    assert total([t]) is t


@pytest.mark.parametrize(
    "legs", [[(1, 1.2), (35, 40)], [(3, 3.5), (1.5, 2), (1.2, 1.6)], [(7, 9), (16, 18), (1, 2)]]
)
def test_a_routes_p50_and_p90_match_a_monte_carlo_sum(legs):
    rng = np.random.default_rng(20261205)
    parts = [Transit.of(a, b) for a, b in legs]
    draws = sum(np.exp(rng.normal(t.mu, t.sigma, 400_000)) for t in parts)
    route = total(parts)
    assert route.p50 == pytest.approx(np.quantile(draws, 0.5), rel=0.02)
    assert route.p90 == pytest.approx(np.quantile(draws, 0.9), rel=0.02)
    assert route.mean == pytest.approx(draws.mean(), rel=0.005)


def test_a_leg_without_spread_adds_its_days():
    route = total([Transit.of(3, 3), Transit.of(1.5, 1.5)])
    assert (route.p50, route.p90) == (pytest.approx(4.5), pytest.approx(4.5))


def test_bad_transit_times_are_refused():
    with pytest.raises(ValueError):
        Transit.of(5, 4)
    with pytest.raises(ValueError):
        Transit.of(0, 4)


AIR = CostModel("USD", Decimal("4.29"), Decimal("166.67"), Decimal(50), Decimal(0), Decimal(0))


def test_air_charges_the_volumetric_weight_when_greater():
    """A light, bulky parcel: 10 kg in 0.12 m³ is 20.0004 kg volumetric (IATA 6,000 cm³/kg)."""
    assert chargeable_kg(AIR, Decimal(10), Decimal("0.12")) == Decimal("20.0004")
    assert leg_cost(AIR, Decimal(10), Decimal("0.12")) == Decimal("85.80")  # 20.0004 × 4.29
    assert leg_cost(AIR, Decimal(30), Decimal("0.01")) == Decimal("128.70")  # 30 × 4.29


def test_the_minimum_applies_before_the_fuel_surcharge():
    tariff = CostModel("USD", Decimal("2"), Decimal(1000), Decimal(40), Decimal(5), Decimal(12))
    assert leg_cost(tariff, Decimal(10), Decimal(0)) == Decimal("44.80")  # max(25, 40) × 1.12
    assert leg_cost(tariff, Decimal(30), Decimal(0)) == Decimal("72.80")  # (5 + 60) × 1.12
