"""Alerts on a shipment's tracking, each with its reason: late against the planned transit-
time distribution, silent on a leg for longer than the leg's own distribution allows, or a
sensor reading outside the limits of the goods' storage class.

The planned route gives each leg a lognormal transit time (:mod:`cbec.logistics.transit`).
A parcel is *late* when the time from its first scan to its arrival at a place — or, while it
has not arrived, to the moment asked about — lies beyond the quantile the policy names of the
sum of the legs up to that place (Fenton–Wilkinson); the alert says which quantile it
reached, so "later than 97 % of parcels planned like it" is the reason, not a fixed number of
hours. A parcel is *silent* when no scan has come for longer than the current leg's quantile
(never less than the mode's floor): the usual pattern of a lost parcel. Sensor limits are
rule data (``data/sensor_thresholds.csv``) per storage class, with their legal source.

Pure: the policy and limits are passed in, the moment is the caller's (no clock here).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from statistics import NormalDist
from typing import Any, Literal

from cbec.logistics.transit import Transit, total
from cbec.ruledata import Row, in_force, load

DATA = Path(__file__).parent / "data"
_N = NormalDist()
DAY_H = 24.0

Severity = Literal["warning", "critical"]


@dataclass(frozen=True)
class PlannedLeg:
    """A leg the parcel is planned on: its places, mode and transit time (None when the
    route names the leg only by mode and distance, so no distribution is known)."""

    origin: str | None
    destination: str | None
    mode: str
    transit: Transit | None


@dataclass(frozen=True)
class Reading:
    measurement: str  # CBV 2.0 sensor measurement type, e.g. gs1:Temperature
    value: Decimal
    uom: str | None
    time: datetime


@dataclass(frozen=True)
class Scan:
    """One tracking event as the alerts read it: when, where (a network place code when
    the event names one), the carrier milestone it stands for, and its sensor readings."""

    time: datetime
    location: str | None = None
    milestone: str | None = None
    readings: tuple[Reading, ...] = ()


@dataclass(frozen=True)
class Limit:
    attribute: str
    measurement: str
    minimum: Decimal | None
    maximum: Decimal | None
    uom: str
    severity: Severity
    source: str


@dataclass(frozen=True)
class Policy:
    """Delay quantiles by severity, and per mode the no-scan quantile and floor in hours."""

    delay: tuple[tuple[float, Severity, str], ...]
    no_scan: dict[str, tuple[float, float, Severity, str]]


@dataclass(frozen=True)
class Alert:
    """``rule`` is one of delay / no_scan / sensor; ``params`` carry the figures the reason
    is made of, so a console can say it in its own language."""

    rule: str
    severity: Severity
    at: datetime
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""


@cache
def _threshold_rows(folder: Path) -> tuple[Row, ...]:
    return tuple(
        load(
            folder / "sensor_thresholds.csv",
            required=("attribute", "measurement", "uom", "severity"),
            decimals=("minimum", "maximum"),
        )
    )


@cache
def _policy_rows(folder: Path) -> tuple[Row, ...]:
    return tuple(
        load(
            folder / "alert_policy.csv",
            required=("rule", "quantile", "severity"),
            decimals=("quantile", "min_hours"),
        )
    )


def limits(attributes: Iterable[str], on: date, folder: Path = DATA) -> list[Limit]:
    """The sensor limits in force on ``on`` for goods of these storage classes."""
    wanted = set(attributes)
    return [
        Limit(
            r["attribute"],
            r["measurement"],
            r.decimal("minimum"),
            r.decimal("maximum"),
            r["uom"],
            r["severity"],  # type: ignore[arg-type]
            r.source,
        )
        for r in in_force(_threshold_rows(folder), on)
        if r["attribute"] in wanted
    ]


def policy(on: date, folder: Path = DATA) -> Policy:
    """The alert policy in force on ``on``."""
    rows = in_force(_policy_rows(folder), on)
    delay = tuple(
        sorted(
            (float(r["quantile"]), r["severity"], r.source)  # type: ignore[misc]
            for r in rows
            if r["rule"] == "delay"
        )
    )
    no_scan = {
        r["mode"]: (
            float(r["quantile"]),
            float(r.decimal("min_hours") or 0),
            r["severity"],
            r.source,
        )
        for r in rows
        if r["rule"] == "no_scan"
    }
    return Policy(delay, no_scan)  # type: ignore[arg-type]


def percentile(transit: Transit, days: float) -> float:
    """The share of parcels planned on ``transit`` that take at most ``days`` (its CDF)."""
    if days <= 0:
        return 0.0
    return (
        _N.cdf((math.log(days) - transit.mu) / transit.sigma)
        if transit.sigma
        else float(days >= math.exp(transit.mu))
    )


def _hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600


def _arrivals(legs: Sequence[PlannedLeg], scans: Sequence[Scan]) -> list[tuple[int, Scan]]:
    """(k, scan): the first scan at the destination of leg k, in the legs' order."""
    out: list[tuple[int, Scan]] = []
    k = 0
    for scan in scans:
        for j in range(k, len(legs)):
            if scan.location is not None and scan.location == legs[j].destination:
                out.append((j, scan))
                k = j + 1
                break
    return out


def _through(legs: Sequence[PlannedLeg], k: int) -> Transit | None:
    parts = [leg.transit for leg in legs[: k + 1]]
    if any(t is None for t in parts):
        return None
    return total(t for t in parts if t is not None)


def _late(planned: Transit, elapsed_days: float, pol: Policy) -> tuple[float, Severity, str] | None:
    share = percentile(planned, elapsed_days)
    hit = None
    for q, severity, source in pol.delay:
        if share > q:
            hit = (share, severity, source)
    return hit


def delay_alerts(
    legs: Sequence[PlannedLeg], scans: Sequence[Scan], as_of: datetime, pol: Policy
) -> list[Alert]:
    """Arrivals later than the policy's quantiles of the planned time to that place, and,
    while the parcel has not reached its next place, the moment ``as_of`` likewise."""
    if not scans or not legs:
        return []
    start = scans[0].time
    out: list[Alert] = []
    arrivals = _arrivals(legs, scans)
    for k, scan in arrivals:
        planned = _through(legs, k)
        elapsed = _hours(start, scan.time) / DAY_H
        hit = planned and _late(planned, elapsed, pol)
        if planned and hit:
            out.append(_delay(hit, scan.time, legs[k].destination, elapsed, planned, True))
    reached = arrivals[-1][0] + 1 if arrivals else 0
    delivered = any(s.milestone == "delivered" for s in scans)
    if reached < len(legs) and not delivered and as_of > scans[-1].time:
        planned = _through(legs, reached)
        elapsed = _hours(start, as_of) / DAY_H
        hit = planned and _late(planned, elapsed, pol)
        if planned and hit:
            out.append(_delay(hit, as_of, legs[reached].destination, elapsed, planned, False))
    return out


def _delay(
    hit: tuple[float, Severity, str],
    at: datetime,
    place: str | None,
    elapsed: float,
    planned: Transit,
    arrived: bool,
) -> Alert:
    share, severity, source = hit
    params = {
        "place": place,
        "elapsed_days": round(elapsed, 2),
        "percentile": round(100 * share, 1),
        "planned_p50_days": round(planned.p50, 2),
        "planned_p90_days": round(planned.p90, 2),
        "arrived": arrived,
    }
    verb = "reached" if arrived else "has not reached"
    reason = (
        f"{verb} {place} after {elapsed:.1f} d, later than {100 * share:.1f} % of parcels "
        f"planned on the same legs (planned median {planned.p50:.1f} d, p90 {planned.p90:.1f} d)"
    )
    return Alert("delay", severity, at, reason, params, source)


def no_scan_alerts(
    legs: Sequence[PlannedLeg], scans: Sequence[Scan], as_of: datetime, pol: Policy
) -> list[Alert]:
    """Silence on the current leg longer than the leg's quantile allows (lost-parcel
    pattern): the time since the last scan against the policy for the leg's mode."""
    if not scans or any(s.milestone == "delivered" for s in scans):
        return []
    last = scans[-1]
    arrivals = _arrivals(legs, scans)
    k = arrivals[-1][0] + 1 if arrivals else 0
    if k >= len(legs):
        return []
    leg = legs[k]
    rule = pol.no_scan.get(leg.mode)
    if rule is None:
        return []
    q, floor_h, severity, source = rule
    limit_h = floor_h
    if leg.transit is not None:
        limit_h = max(floor_h, leg.transit.quantile(_N.inv_cdf(q)) * DAY_H)
    gap_h = _hours(last.time, as_of)
    if gap_h <= limit_h:
        return []
    params = {
        "since": last.time.isoformat(),
        "place": last.location,
        "gap_hours": round(gap_h, 1),
        "limit_hours": round(limit_h, 1),
        "mode": leg.mode,
        "leg": f"{leg.origin}→{leg.destination}",
    }
    reason = (
        f"no scan for {gap_h:.1f} h since {last.location or 'the last scan'} on the "
        f"{leg.mode} leg {leg.origin}→{leg.destination} (limit {limit_h:.1f} h)"
    )
    return [Alert("no_scan", severity, as_of, reason, params, source)]


def sensor_alerts(scans: Sequence[Scan], bounds: Sequence[Limit]) -> list[Alert]:
    """Readings outside a limit of the goods' storage class (same measurement and unit;
    a reading in another unit is not compared). A reading past two limits on one side (the
    law's limit and its transport tolerance) is reported once, at the graver one."""
    out: list[Alert] = []
    rank = {"warning": 0, "critical": 1}
    ordered = sorted(bounds, key=lambda b: -rank[b.severity])
    for scan in scans:
        for r in scan.readings:
            said: set[tuple[str, str]] = set()
            for lim in ordered:
                if r.measurement != lim.measurement or (r.uom or lim.uom) != lim.uom:
                    continue
                low = lim.minimum is not None and r.value < lim.minimum
                high = lim.maximum is not None and r.value > lim.maximum
                if not (low or high):
                    continue
                if (lim.attribute, "low" if low else "high") in said:
                    continue
                said.add((lim.attribute, "low" if low else "high"))
                bound = lim.minimum if low else lim.maximum
                params = {
                    "measurement": r.measurement,
                    "value": str(r.value),
                    "uom": lim.uom,
                    "bound": str(bound),
                    "side": "below" if low else "above",
                    "attribute": lim.attribute,
                    "place": scan.location,
                }
                reason = (
                    f"{r.measurement} {r.value} {lim.uom} is {params['side']} the "
                    f"{lim.attribute} limit {bound} {lim.uom}"
                )
                out.append(Alert("sensor", lim.severity, r.time, reason, params, lim.source))
    return out


def alerts(
    legs: Sequence[PlannedLeg],
    scans: Sequence[Scan],
    as_of: datetime,
    pol: Policy,
    bounds: Sequence[Limit] = (),
) -> list[Alert]:
    """Every alert on a shipment, in time order (scans must be in time order)."""
    found = [
        *delay_alerts(legs, scans, as_of, pol),
        *no_scan_alerts(legs, scans, as_of, pol),
        *sensor_alerts(scans, bounds),
    ]
    return sorted(found, key=lambda a: a.at)


def identity(alert: Alert) -> str:
    """What makes two judgements the same alert, as a SHA-256 hex digest — so a subscriber
    is told of it once however often it is judged. A reading out of limits or a late arrival
    is fixed by its moment and reason. A silence, and a parcel not yet at a place, are judged
    as of a moment that moves and name figures that grow: they are the same alert while they
    last — a silence by the last scan it started at and its leg, a delay by the place not
    reached — and a new one at a graver severity."""
    p = alert.params
    if alert.rule == "no_scan":
        parts = [alert.rule, alert.severity, str(p.get("since")), str(p.get("leg"))]
    elif alert.rule == "delay" and not p.get("arrived"):
        parts = [alert.rule, alert.severity, "not_arrived", str(p.get("place"))]
    else:
        parts = [alert.rule, alert.severity, alert.at.isoformat(), alert.reason]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
