"""The CO2e of many waybills at once (cbec.logistics.bulk) against the one-by-one path: each
waybill through shipment_emissions, summed by month and lane here the way the monthly report
was summed before it was computed in bulk. Both ways must agree to the gram, ties included."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec.logistics import bulk, emissions
from cbec.logistics.emissions import co2e_kg
from cbec.services.logistics_waybills import co2e_report, report_one_by_one


def _one_leg(masses: list[str], per_kg: list[Decimal]) -> list[int]:
    group = np.arange(len(masses))
    mass_kg = np.array([float(m) for m in masses])
    return bulk.leg_grams(mass_kg, masses, group, per_kg).tolist()


def test_a_half_gram_is_rounded_to_even_as_in_decimal():
    # 2.5 kg × 1.2522 kg/kg = 3.1305 kg: a tie, to the even gram 3.130. In floats 1,252.2 g/kg
    # is 1,252.2000000000000455, so the float product is just above the tie and would round up.
    assert co2e_kg(Decimal("2.5"), Decimal("1.2522")) == Decimal("3.130")
    assert co2e_kg(Decimal("2.5"), Decimal("1.2526")) == Decimal("3.132")
    masses = ["2.5", "2.5", "0.001", "99999.99999", "46250.0", "47752.8"]
    per_kg = [Decimal(v) for v in ("1.2522", "1.2526", "0.5", "24.5", "35.731806", "84.131875")]
    # 0.5 g is a tie to 0; 2,449,999.999755 kg is 2,450,000,000 g; the last two are ties whose
    # float products miss the half gram (1,652,596,027.4999998 and 4,017,532,600.5000005)
    want = [3130, 3132, 0, 2_450_000_000, 1_652_596_028, 4_017_532_600]
    assert _one_leg(masses, per_kg) == want


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(Decimal("0.00001"), Decimal(100000), places=5),
            st.integers(0, 20).flatmap(lambda p: st.decimals(Decimal(0), Decimal(30), places=p))
            | st.sampled_from([Decimal("1.2522"), Decimal("0.0005"), Decimal("0.0015")]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_each_leg_equals_the_decimal_rule(rows):
    masses = [str(m) for m, _ in rows]
    per_kg = [p for _, p in rows]
    want = [int(co2e_kg(Decimal(m), p).scaleb(3)) for m, p in zip(masses, per_kg, strict=True)]
    assert _one_leg(masses, per_kg) == want


# Routes over the starter network, described legs, a leg no factor covers, none at all. The
# sea legs enter the network on 2026-01-22: a waybill of a day before cannot be computed.
ROUTES: list[list[dict[str, str]] | None] = [
    [{"leg": "RAIL-CKG-DUI"}, {"mode": "van", "vehicle": "bev_avg", "distance_km": "18.5"}],
    [{"leg": "SEA-SHA-RTM"}, {"mode": "road", "vehicle": "hgv_avg", "distance_km": "230"}],
    [{"leg": "SEA-NGB-LGB"}, {"leg": "ROAD-LGB-ONT"}],
    [{"leg": "AIR-PVG-FRA"}],
    [{"leg": "RAIL-YIW-MAD"}, {"mode": "van", "vehicle": "diesel_avg", "distance_km": "10"}],
    [{"mode": "feeder", "vehicle": "container_0_999", "origin": "SGSIN", "destination": "IDJKT"}],
    [{"mode": "rail", "vehicle": "freight_train", "distance_km": "100"}],
    [{"mode": "road", "vehicle": "hovercraft", "distance_km": "3"}],
    None,
]
# Masses that make half grams on the 100 km of rail: 3.47 g/kg well-to-wheel (50 kg: 173.5 g),
# 2.779 tank-to-wheel (500 kg: 1,389.5 g), 3.725 from July (20 kg: 74.5 g)
ROUND_MASSES = ["50", "150", "500", "20", "2.5", "0.125", "2000"]


@pytest.fixture
def factor_change(tmp_path: Path, monkeypatch):
    """The shipped factors, with the rail and diesel van rows replaced from 2026-07-01."""
    lines = emissions.FACTORS.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith(("rail,freight_train,", "van,diesel_avg,")):
            out.append(line.replace(",2025-06-10,,", ",2025-06-10,2026-06-30,"))
            mode, vehicle = line.split(",")[:2]
            out.append(f"{mode},{vehicle},,30.00,37.25,default,2026-07-01,,test: a later row")
        else:
            out.append(line)
    path = tmp_path / "emission_factors.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    monkeypatch.setattr(emissions, "FACTORS", path)
    emissions.factor_rows.cache_clear()
    yield
    emissions.factor_rows.cache_clear()


def _waybills(n: int, seed: int) -> list[tuple[date, dict]]:
    rng = random.Random(seed)
    first = date(2025, 12, 20)
    out = []
    for _ in range(n):
        day = first + timedelta(days=rng.randrange(240))  # to mid-August 2026
        if rng.random() < 0.3:
            mass = rng.choice(ROUND_MASSES)
        else:
            mass = f"{rng.uniform(0.01, 30000):.{rng.randrange(4)}f}"
        body: dict = {"gross_weight_kg": mass}
        route = rng.choice(ROUTES)
        if route is not None:
            body["route"] = [dict(g) for g in route]
        out.append((day, body))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_report_in_bulk_equals_the_waybills_one_by_one(factor_change, seed):
    waybills = _waybills(1500, seed)
    got = co2e_report(2026, waybills).model_dump(mode="json")
    want = report_one_by_one(2026, waybills)
    assert got == want
    # the data made the cases it was meant to: both sides of each change, every lane
    assert {"2025-12", "2026-01", "2026-06", "2026-07"} <= {m["month"] for m in got["months"]}
    assert len(got["lanes"]) == 7


def test_a_leg_not_yet_in_the_network_counts_without_co2e():
    route = [{"leg": "SEA-SHA-RTM"}]  # in force from 2026-01-22
    days = (date(2026, 1, 21), date(2026, 1, 22))
    report = co2e_report(2026, [(d, {"gross_weight_kg": "100", "route": route}) for d in days])
    assert [(m.waybills, m.with_route) for m in report.months] == [(2, 1)]
    assert [(g.lane, g.waybills) for g in report.lanes] == [("CNSHA → NLRTM", 1)]


def test_the_factor_change_moves_the_figure(factor_change):
    """The rail route on each side of 2026-07-01: the later row's figure, not the first."""
    route = [{"leg": "RAIL-CKG-DUI"}]
    before = co2e_report(2026, [(date(2026, 6, 30), {"gross_weight_kg": "1000", "route": route})])
    after = co2e_report(2026, [(date(2026, 7, 1), {"gross_weight_kg": "1000", "route": route})])
    # 1 t × 11,179 km × 34.70 and 37.25 g/tkm
    assert before.co2e_wtw_kg == Decimal("387.911") and after.co2e_wtw_kg == Decimal("416.418")


def test_no_waybill_no_figure():
    report = co2e_report(2026, [(date(2026, 3, 1), {"gross_weight_kg": "3"})])
    assert [(m.waybills, m.with_route, str(m.co2e_wtw_kg)) for m in report.months] == [(1, 0, "0")]
    assert report.lanes == [] and str(report.co2e_wtw_kg) == "0"
    assert co2e_report(2026, []).months == []
