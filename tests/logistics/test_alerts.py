"""Tracking alerts (cbec.logistics.alerts) against independent oracles: scipy's lognormal
for the planned transit-time percentiles, a Monte Carlo sum of lognormal legs for a route,
and the limits written in the cited texts (Directive 89/108/EEC: -18 °C, +3 °C tolerance in
transport; WHO TRS 961 Annex 9: +2 to +8 °C)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats

from cbec.logistics import alerts as al
from cbec.logistics.transit import Transit

T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)
ON = date(2026, 11, 2)


def _lognorm(t: Transit):
    return stats.lognorm(s=t.sigma, scale=math.exp(t.mu))


@pytest.mark.parametrize("days", [1.0, 10.0, 17.5, 18.0, 25.0])
def test_percentile_is_the_lognormal_cdf(days):
    t = Transit.of(17, 18)
    assert al.percentile(t, days) == pytest.approx(_lognorm(t).cdf(days), abs=1e-12)


def test_a_single_leg_arrival_past_its_quantiles_is_late_warning_then_critical():
    t = Transit.of(17, 18)
    legs = [al.PlannedLeg("CNSHA", "USLAX", "sea", t)]
    pol = al.policy(ON)
    dist = _lognorm(t)
    # just before and after the 90th and 99th percentiles the scipy oracle gives
    for share, expected in [
        (0.89, None),
        (0.91, "warning"),
        (0.985, "warning"),
        (0.995, "critical"),
    ]:
        arrive = T0 + timedelta(days=float(dist.ppf(share)))
        scans = [al.Scan(T0, "CNSHA", "picked_up"), al.Scan(arrive, "USLAX", "in_transit")]
        found = al.delay_alerts(legs, scans, arrive, pol)
        assert [a.severity for a in found] == ([expected] if expected else [])
        if expected:
            assert found[0].params["percentile"] == pytest.approx(100 * share, abs=0.1)
            assert found[0].params["place"] == "USLAX" and found[0].params["arrived"]


def test_a_two_leg_route_is_late_against_the_sum_of_its_legs():
    sea, road = Transit.of(17, 18), Transit.of(1, 2)
    legs = [
        al.PlannedLeg("CNSHA", "USLAX", "sea", sea),
        al.PlannedLeg("USLAX", "WH-US-ONT", "road", road),
    ]
    rng = np.random.default_rng(7)
    total = rng.lognormal(sea.mu, sea.sigma, 400_000) + rng.lognormal(road.mu, road.sigma, 400_000)
    p95 = float(np.quantile(total, 0.95))
    scans = [
        al.Scan(T0, "CNSHA"),
        al.Scan(T0 + timedelta(days=17), "USLAX"),
        al.Scan(T0 + timedelta(days=p95), "WH-US-ONT", "delivered"),
    ]
    found = al.delay_alerts(legs, scans, T0 + timedelta(days=40), al.policy(ON))
    assert [(a.params["place"], a.severity) for a in found] == [("WH-US-ONT", "warning")]
    # Fenton–Wilkinson against the simulated sum: within a point of the true share
    assert found[0].params["percentile"] == pytest.approx(95, abs=1.0)


def test_a_parcel_not_yet_arrived_is_late_as_of_the_moment_asked():
    t = Transit.of(2, 3)
    legs = [al.PlannedLeg("SZX", "SIN", "air", t)]
    scans = [al.Scan(T0, "SZX", "picked_up")]
    pol = al.policy(ON)
    on_time = T0 + timedelta(days=float(_lognorm(t).ppf(0.5)))
    late = T0 + timedelta(days=float(_lognorm(t).ppf(0.995)))
    assert al.delay_alerts(legs, scans, on_time, pol) == []
    found = al.delay_alerts(legs, scans, late, pol)
    assert [(a.severity, a.params["arrived"], a.params["place"]) for a in found] == [
        ("critical", False, "SIN")
    ]
    delivered = [*scans, al.Scan(T0 + timedelta(days=1), "SIN", "delivered")]
    assert al.delay_alerts(legs, delivered, late, pol) == []


def test_no_scan_is_measured_against_the_current_legs_quantile_and_the_modes_floor():
    sea, van = Transit.of(17, 18), Transit.of(0.2, 0.3)
    legs = [al.PlannedLeg("CNSHA", "USLAX", "sea", sea), al.PlannedLeg("USLAX", "Z", "van", van)]
    pol = al.policy(ON)
    q, floor_h = pol.no_scan["sea"][0], pol.no_scan["sea"][1]
    limit_h = max(floor_h, float(_lognorm(sea).ppf(q)) * 24)
    scans = [al.Scan(T0, "CNSHA", "picked_up")]
    assert al.no_scan_alerts(legs, scans, T0 + timedelta(hours=limit_h - 1), pol) == []
    found = al.no_scan_alerts(legs, scans, T0 + timedelta(hours=limit_h + 1), pol)
    assert [a.rule for a in found] == ["no_scan"]
    assert found[0].params["limit_hours"] == pytest.approx(limit_h, abs=0.05)
    assert found[0].params["mode"] == "sea" and found[0].params["place"] == "CNSHA"
    # on the van leg the floor decides: a few-hour leg's p99 (10 h) is below 24 h
    at_port = [*scans, al.Scan(T0 + timedelta(days=17), "USLAX")]
    van_limit = max(pol.no_scan["van"][1], float(_lognorm(van).ppf(q)) * 24)
    assert van_limit == pol.no_scan["van"][1] == 24
    t = at_port[-1].time
    assert al.no_scan_alerts(legs, at_port, t + timedelta(hours=23), pol) == []
    assert len(al.no_scan_alerts(legs, at_port, t + timedelta(hours=25), pol)) == 1
    done = [*at_port, al.Scan(t + timedelta(hours=5), "Z", "delivered")]
    assert al.no_scan_alerts(legs, done, t + timedelta(days=30), pol) == []


def _read(value: str, measurement: str = "gs1:Temperature", uom: str = "CEL") -> al.Scan:
    r = al.Reading(measurement, Decimal(value), uom, T0)
    return al.Scan(T0, "CNSHA", None, (r,))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-19", []),
        ("-18", []),
        ("-17.5", ["warning"]),
        ("-15", ["warning"]),
        ("-14.9", ["critical"]),
    ],
)
def test_frozen_goods_limits_are_the_directives(value, expected):
    bounds = al.limits(["frozen"], ON)
    assert {(b.maximum, b.severity) for b in bounds} == {
        (Decimal(-18), "warning"),
        (Decimal(-15), "critical"),
    }
    assert all("89/108/EEC" in b.source for b in bounds)
    assert [a.severity for a in al.sensor_alerts([_read(value)], bounds)] == expected


def test_refrigerated_medicines_are_kept_between_2_and_8_degrees():
    bounds = al.limits(["refrigerated"], ON)
    assert [(b.minimum, b.maximum) for b in bounds] == [(Decimal(2), Decimal(8))]
    said = [al.sensor_alerts([_read(v)], bounds) for v in ("1.9", "2", "8", "8.1")]
    assert [[(a.params["side"], a.params["bound"]) for a in s] for s in said] == [
        [("below", "2")],
        [],
        [],
        [("above", "8")],
    ]
    # another unit or measurement is not compared against the °C limit
    assert al.sensor_alerts([_read("50", uom="FAH")], bounds) == []
    assert al.sensor_alerts([_read("50", "gs1:RelativeHumidity", "P1")], bounds) == []
    # goods without a storage class have no limits
    assert al.limits(["battery"], ON) == []


def test_alerts_come_in_time_order():
    t = Transit.of(2, 3)
    legs = [al.PlannedLeg("SZX", "SIN", "air", t)]
    warm = al.Scan(
        T0 + timedelta(hours=1),
        "SZX",
        None,
        (al.Reading("gs1:Temperature", Decimal(9), "CEL", T0 + timedelta(hours=1)),),
    )
    found = al.alerts(
        legs,
        [al.Scan(T0, "SZX"), warm],
        T0 + timedelta(days=20),
        al.policy(ON),
        al.limits(["refrigerated"], ON),
    )
    assert [a.rule for a in found] == ["sensor", "delay", "no_scan"]
    assert [a.at for a in found] == sorted(a.at for a in found)
