"""The logistics network as data: places (``data/locations.csv``) and the legs between them
(``data/legs.csv``), each row dated and sourced like every rule table
(:mod:`cbec.ruledata`). A leg's distance may be left empty when its method computes it
(``searoute`` for sea legs, ``gcd_air`` for air legs, :mod:`cbec.logistics.distance`); a
``data`` leg gives the operator's published figure.

The shipped network is **starter data**: the main China export lanes to the EU, the US and
ASEAN, to plan with out of the box and to replace with a deployment's own carriers' legs
(``CBEC_LOGISTICS_DIR`` names a folder holding its own ``locations.csv`` and ``legs.csv``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from cbec.logistics import distance
from cbec.logistics.model import (
    LOCATION_KINDS,
    MODES,
    CostModel,
    DistanceMethod,
    Leg,
    Location,
)
from cbec.ruledata import Row, RuleDataError, load

DATA = Path(__file__).with_name("data")
METHODS: tuple[DistanceMethod, ...] = ("searoute", "gcd_air", "data")
SEA_MODES = frozenset({"sea", "feeder", "ferry"})


@dataclass
class Network:
    """Places by id and the legs between them (every dated row; :meth:`legs_on` picks)."""

    locations: dict[str, Location]
    legs: list[Leg]
    _on: dict[date, list[Leg]] = field(default_factory=dict, repr=False)

    def legs_on(self, on: date) -> list[Leg]:
        """The legs in force on ``on``."""
        if on not in self._on:
            self._on[on] = [
                g
                for g in self.legs
                if g.effective_from <= on and (g.effective_to is None or on <= g.effective_to)
            ]
        return self._on[on]


def _float(row: Row, column: str, path: Path, *, positive: bool = False) -> float | None:
    text = row.get(column)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise RuleDataError(path, row.line, column, f"{text!r} is not a number") from None
    if positive and not value > 0:
        raise RuleDataError(path, row.line, column, "must be greater than 0")
    return value


def load_locations(path: Path) -> dict[str, Location]:
    rows = load(path, required=("id", "name", "kind", "country", "lat", "lon"))
    out: dict[str, Location] = {}
    for r in rows:
        if r["id"] in out:
            raise RuleDataError(path, r.line, "id", f"{r['id']!r} is given twice")
        if r["kind"] not in LOCATION_KINDS:
            raise RuleDataError(
                path, r.line, "kind", f"{r['kind']!r} is not one of {LOCATION_KINDS}"
            )
        lat, lon = _float(r, "lat", path), _float(r, "lon", path)
        assert lat is not None and lon is not None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RuleDataError(path, r.line, "lat", "is not a latitude/longitude on Earth")
        out[r["id"]] = Location(
            r["id"],
            r["name"],
            r.get("name_zh"),
            r["kind"],
            r["country"],
            lat,
            lon,
            r.source,  # type: ignore[arg-type]
        )
    return out


def _cost(r: Row) -> CostModel:
    def dec(column: str) -> Decimal:
        return r.decimal(column) or Decimal(0)

    return CostModel(
        currency=r["currency"],
        rate_per_kg=dec("rate_per_kg"),
        volumetric_kg_per_m3=dec("volumetric_kg_per_m3"),
        minimum=dec("minimum"),
        fixed=dec("fixed"),
        fuel_surcharge_pct=dec("fuel_surcharge_pct"),
    )


def load_legs(path: Path, places: dict[str, Location]) -> list[Leg]:
    money = ("rate_per_kg", "volumetric_kg_per_m3", "minimum", "fixed", "fuel_surcharge_pct")
    rows = load(
        path,
        required=("id", "origin", "destination", "mode", "vehicle", "distance_method", "currency"),
        decimals=money,
    )
    legs, seen = [], set()
    for r in rows:
        key = (r["id"], r["effective_from"])
        if key in seen:
            raise RuleDataError(path, r.line, "id", f"{r['id']!r} is given twice from one date")
        seen.add(key)
        for column in ("origin", "destination"):
            if r[column] not in places:
                raise RuleDataError(path, r.line, column, f"{r[column]!r} is not a location")
        if r["mode"] not in MODES:
            raise RuleDataError(path, r.line, "mode", f"{r['mode']!r} is not one of {MODES}")
        method = r["distance_method"]
        if method not in METHODS:
            raise RuleDataError(
                path, r.line, "distance_method", f"{method!r} is not one of {METHODS}"
            )
        for column in money:
            if (r.decimal(column) or 0) < 0:
                raise RuleDataError(path, r.line, column, "must not be negative")
        p50 = _float(r, "transit_p50_days", path, positive=True)
        p90 = _float(r, "transit_p90_days", path, positive=True)
        if p50 is None or p90 is None or p90 < p50:
            raise RuleDataError(path, r.line, "transit_p90_days", "needs 0 < p50 ≤ p90 days")
        a, b = places[r["origin"]], places[r["destination"]]
        km = _float(r, "distance_km", path, positive=True)
        if km is None:
            km = _distance(r, path, method, a, b)
        legs.append(
            Leg(
                id=r["id"],
                origin=a.id,
                destination=b.id,
                mode=r["mode"],  # type: ignore[arg-type]
                vehicle=r["vehicle"],
                distance_km=km,
                distance_method=method,  # type: ignore[arg-type]
                transit_p50_days=p50,
                transit_p90_days=p90,
                cost=_cost(r),
                carrier=r.get("carrier"),
                effective_from=r.effective_from,
                effective_to=r.effective_to,
                source=r.source,
            )
        )
    return legs


def _distance(r: Row, path: Path, method: str, a: Location, b: Location) -> float:
    if method == "searoute":
        if r["mode"] not in SEA_MODES:
            raise RuleDataError(path, r.line, "distance_method", "searoute is for sea legs")
        avoid = tuple(p for p in r.get("sea_avoid").split() if p)
        try:
            return distance.sea_km(a.lat, a.lon, b.lat, b.lon, avoid)
        except ValueError as e:
            raise RuleDataError(path, r.line, "sea_avoid", str(e)) from None
    if method == "gcd_air":
        if r["mode"] != "air":
            raise RuleDataError(path, r.line, "distance_method", "gcd_air is for air legs")
        return distance.geodesic_km(a.lat, a.lon, b.lat, b.lon)
    raise RuleDataError(path, r.line, "distance_km", "a data leg gives its distance")


def load_network(folder: Path = DATA) -> Network:
    """The network of ``folder`` (its ``locations.csv`` and ``legs.csv``), checked whole:
    a bad row is refused naming its file, line and column."""
    places = load_locations(folder / "locations.csv")
    return Network(places, load_legs(folder / "legs.csv", places))


def merged(networks: Iterable[Network]) -> Network:
    """One network of several (a deployment's own legs beside the starter data)."""
    locations: dict[str, Location] = {}
    legs: list[Leg] = []
    for n in networks:
        locations.update(n.locations)
        legs.extend(n.legs)
    return Network(locations, legs)
