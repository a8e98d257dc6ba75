"""Emissions per ISO 14083 against hand calculations from the cited table.

Oracle: the UK Government GHG Conversion Factors 2025 (DESNZ), "Freighting goods" and
"WTT- delivery vehs & freight", kg CO2e per tonne.km, copied here from the published rows
(not read from cbec's data file), and ISO 14083:2023 Table 3's distance adjustments."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest

from cbec.logistics import emissions
from cbec.logistics.network import load_network
from cbec.logistics.planner import Planner, Shipment

ON = date(2026, 6, 1)
# DESNZ 2025 row ID -> (direct, WTT) kg CO2e per tonne.km
DESNZ = {
    ("rail", "freight_train"): (0.02779, 0.00691),  # 27_315_3151_14_1 / 28_911_3151_14_1
    ("sea", "container_8000plus"): (0.01266, 0.00287),  # 27_320_3229_14_1 / 28_916_3229_14_1
    ("air", "long_haul"): (0.5313, 0.13516),  # 27_317_3159_14_1 / 28_913_3159_14_1
    ("road", "hgv_artic_gt33t"): (0.07703, 0.01799),  # 27_304_3132_14_1 / 28_907_3132_14_1
    ("feeder", "container_0_999"): (0.03675, 0.00833),  # 27_320_3234_14_1 / 28_916_3234_14_1
}


@pytest.mark.parametrize(("mode", "vehicle"), sorted(DESNZ))
def test_the_factors_are_the_published_rows(mode, vehicle):
    direct, wtt = DESNZ[(mode, vehicle)]
    f = emissions.factor_for(mode, vehicle, ON)
    assert float(f.ttw_g_per_tkm) == pytest.approx(direct * 1000, abs=1e-9)
    assert float(f.wtw_g_per_tkm) == pytest.approx((direct + wtt) * 1000, abs=1e-9)
    assert f.tier == "default" and "DESNZ 2025" in f.source


def _haversine_km(a, b) -> float:
    """A second great-circle implementation: the sphere of mean radius 6,371.0088 km."""
    (lat1, lon1), (lat2, lon2) = (map(math.radians, p) for p in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_a_rail_leg_by_hand():
    """120 kg Chongqing–Duisburg, 11,179 km (iChongqing), rail: 0.12 t × 11,179 km ×
    (0.02779 + 0.00691) kg/tkm."""
    plan = Planner(load_network()).plan(
        Shipment("CNCKG-RAIL", "DEDUI-RAIL", Decimal(120), Decimal("0.5"), ON)
    )
    (option,) = plan.options
    direct, wtt = DESNZ[("rail", "freight_train")]
    assert option.co2e.wtw_kg == pytest.approx(0.12 * 11179 * (direct + wtt), rel=1e-12)
    assert option.co2e.ttw_kg == pytest.approx(0.12 * 11179 * direct, rel=1e-12)


def test_an_air_leg_is_the_great_circle_plus_95_km():
    network = load_network()
    leg = next(g for g in network.legs if g.id == "AIR-PVG-FRA")
    pvg, fra = network.locations["PVG"], network.locations["FRA"]
    gcd = _haversine_km((pvg.lat, pvg.lon), (fra.lat, fra.lon))
    assert leg.distance_km == pytest.approx(gcd, rel=0.005)  # ellipsoid vs sphere
    plan = Planner(network).plan(Shipment("PVG", "FRA", Decimal(50), Decimal(0), ON))
    (option,) = plan.options
    direct, wtt = DESNZ[("air", "long_haul")]
    want = 0.05 * (leg.distance_km + 95) * (direct + wtt)
    assert option.co2e.wtw_kg == pytest.approx(want, rel=1e-12)
    assert option.legs[0].emission_km == pytest.approx(leg.distance_km + 95)


def test_a_sea_leg_is_the_shortest_sea_route_times_1_15():
    """Shanghai–Rotterdam round the Cape: the Port Economics reference gives 13,800 nmi
    (25,558 km); searoute's network is within 3 % of it, and through Suez within 1 % of
    its 10,600 nmi. Emissions count the distance × 1.15 (ISO 14083 Table 3, sea)."""
    from cbec.logistics.distance import sea_km

    network = load_network()
    sha, rtm = network.locations["CNSHA"], network.locations["NLRTM"]
    cape = next(g for g in network.legs if g.id == "SEA-SHA-RTM").distance_km
    assert cape == pytest.approx(13_800 * 1.852, rel=0.03)
    assert sea_km(sha.lat, sha.lon, rtm.lat, rtm.lon) == pytest.approx(10_600 * 1.852, rel=0.01)
    plan = Planner(network).plan(Shipment("CNSHA", "NLRTM", Decimal(1000), Decimal(1), ON))
    (option,) = plan.options
    direct, wtt = DESNZ[("sea", "container_8000plus")]
    assert option.co2e.wtw_kg == pytest.approx(1.0 * cape * 1.15 * (direct + wtt), rel=1e-12)


def test_a_carriers_own_factor_overrides_the_default(tmp_path, monkeypatch):
    table = tmp_path / "factors.csv"
    rows = emissions.FACTORS.read_text(encoding="utf-8").rstrip("\n")
    table.write_text(
        rows + "\nrail,freight_train,GreenRail,10,12,primary,2025-01-01,,carrier report 2025\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(emissions, "FACTORS", table)
    emissions.factor_rows.cache_clear()
    try:
        own = emissions.factor_for("rail", "freight_train", ON, carrier="GreenRail")
        default = emissions.factor_for("rail", "freight_train", ON, carrier="Other")
    finally:
        monkeypatch.undo()
        emissions.factor_rows.cache_clear()
    assert (own.tier, own.wtw_g_per_tkm) == ("primary", Decimal(12))
    assert (default.tier, default.wtw_g_per_tkm) == ("default", Decimal("34.70"))


def test_hub_emissions_are_tonnes_times_the_sites_factor(tmp_path, monkeypatch):
    """No open hub default ships; with a deployment's figure each hub passed counts."""
    table = tmp_path / "hubs.csv"
    table.write_text(
        "kind,wtw_kg_per_t,effective_from,effective_to,source\n"
        "rail_terminal,2.5,2025-01-01,,site metering 2025\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(emissions, "HUBS", table)
    emissions.hub_rows.cache_clear()
    try:
        plan = Planner(load_network()).plan(
            Shipment("CNCKG-RAIL", "DEDUI-RAIL", Decimal(200), Decimal(0), ON)
        )
    finally:
        monkeypatch.undo()
        emissions.hub_rows.cache_clear()
    (option,) = plan.options
    direct, wtt = DESNZ[("rail", "freight_train")]
    legs = 0.2 * 11179 * (direct + wtt)
    assert option.co2e.wtw_kg == pytest.approx(legs + 2 * 0.2 * 2.5, rel=1e-12)
