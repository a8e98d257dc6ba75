"""The route planner: the feasible multimodal routes of a shipment over the network and the
Pareto front of cost, transit time (its 90th percentile) and well-to-wheel CO2e.

Routes are enumerated with networkx's k shortest simple paths (Yen's algorithm, J. Y. Yen,
Management Science 17(11), 1971), once by each criterion, over a graph where every leg is a
node of its own between its two places — so two carriers' legs between the same ports are
two routes. Each candidate is then evaluated exactly: the cost of each leg for this
shipment (:mod:`cbec.logistics.cost`), the transit-time distribution of the whole
(:mod:`cbec.logistics.transit`) and the emissions of each leg and hub
(:mod:`cbec.logistics.emissions`). Legs the goods may not travel on are left out first
(``data/goods_rules.csv``: standalone lithium batteries not by air, as IATA's Dangerous
Goods Regulations forbid them on passenger aircraft and a deployment's policy may extend to
every aircraft); a route whose 90th-percentile transit time misses the deadline is
infeasible. A route is on the front when no other is as good on all three criteria and
better on one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cbec.logistics import emissions, transit
from cbec.logistics.cost import leg_cost
from cbec.logistics.model import Leg, Location
from cbec.logistics.network import Network
from cbec.ruledata import Row, in_force, load

if TYPE_CHECKING:  # imported where a route is searched: a third of a second of every start
    import networkx as nx

DATA = Path(__file__).with_name("data")
GOODS_RULES = DATA / "goods_rules.csv"
CRITERIA = ("cost", "time", "co2e")
HUB_KINDS = frozenset({"seaport", "airport", "rail_terminal", "warehouse"})
Lithium = Literal["none", "contained", "packed_with", "standalone"]


@dataclass(frozen=True)
class Shipment:
    origin: str
    destination: str
    weight_kg: Decimal
    volume_m3: Decimal
    on: date
    deadline_days: float | None = None
    lithium: Lithium = "none"


@dataclass(frozen=True)
class LegPlan:
    leg: Leg
    cost: Decimal
    co2e: emissions.Emissions
    hub_co2e: emissions.Emissions  # at the leg's destination, when it is a hub
    factor: Any  # the EmissionFactor used
    emission_km: float  # the distance emissions are counted on (ISO 14083 Table 3)


@dataclass
class Option:
    """One route: its legs, totals and whether it is on the Pareto front."""

    legs: list[LegPlan]
    cost: Decimal
    currency: str
    transit: transit.Transit
    co2e: emissions.Emissions
    origin_hub: emissions.Emissions
    pareto: bool = False
    best: list[str] = field(default_factory=list)  # the criteria it is best on

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(p.leg.id for p in self.legs)

    def metrics(self) -> tuple[float, float, float]:
        return (float(self.cost), self.transit.p90, self.co2e.wtw_kg)


@dataclass
class Plan:
    shipment: Shipment
    options: list[Option]  # feasible ones, the front first, each by cost
    excluded: dict[str, str]  # leg id -> why the goods may not travel on it
    late: list[Option]  # routes found that miss the deadline (fastest first)


class NoRoute(LookupError):
    """No route joins the two places for these goods (``reason`` says why)."""

    def __init__(self, reason: str, params: dict[str, Any]) -> None:
        self.reason, self.params = reason, params
        super().__init__(reason)


@cache
def goods_rules() -> tuple[Row, ...]:
    return tuple(load(GOODS_RULES, required=("attribute", "value", "forbidden_modes")))


def forbidden_modes(shipment: Shipment) -> dict[str, str]:
    """Mode -> the rule's source, for the modes the goods may not travel by."""
    out: dict[str, str] = {}
    for r in in_force(goods_rules(), shipment.on, attribute="lithium", value=shipment.lithium):
        for mode in r["forbidden_modes"].split():
            out[mode] = r.source
    return out


@dataclass(frozen=True)
class _Static:
    """What ranks a leg and does not depend on the shipment (cached per day and goods)."""

    leg: Leg
    days: float  # median transit
    co2e_per_kg: float  # well-to-wheel kg CO2e per kg carried, legs and the arrival hub
    rate: float
    divisor: float
    minimum: float
    fixed: float
    fuel: float

    def cost(self, kg: float, m3: float) -> float:
        charged = max(self.fixed + self.rate * max(kg, m3 * self.divisor), self.minimum)
        return charged * (1 + self.fuel / 100)


class Planner:
    """Plans over one network. Candidate routes are searched on a graph of places whose edge
    between two places stands for every leg joining them, weighted by the best of them on
    the criterion searched (k shortest simple paths, Yen); each candidate is then priced
    and weighed exactly, leg by leg. The shipment-independent part of each leg's ranking
    (its median days, its CO2e per kg) is computed once per day and goods; only the cost,
    which depends on the chargeable weight, is computed per plan."""

    def __init__(self, network: Network, k: int = 6, max_legs: int = 8) -> None:
        self.network = network
        self.k = k
        self.max_legs = max_legs
        self._static: dict[tuple[date, frozenset[str]], list[_Static]] = {}

    def _legs(self, on: date, banned: frozenset[str]) -> list[_Static]:
        key = (on, banned)
        if key not in self._static:
            places = self.network.locations
            out = []
            for leg in self.network.legs_on(on):
                if leg.mode in banned:
                    continue
                factor = _factor(leg, on)
                km = emissions.adjusted_km(leg.mode, leg.distance_km, on)
                per_kg = emissions.leg(1.0, km, factor).wtw_kg
                end = places[leg.destination]
                hub = emissions.hub_factor(end.kind, on) if end.kind in HUB_KINDS else None
                if hub is not None:
                    per_kg += emissions.hub(1.0, hub).wtw_kg
                c = leg.cost
                out.append(
                    _Static(
                        leg,
                        leg.transit_p50_days,
                        per_kg,
                        float(c.rate_per_kg),
                        float(c.volumetric_kg_per_m3),
                        float(c.minimum),
                        float(c.fixed),
                        float(c.fuel_surcharge_pct),
                    )
                )
            self._static[key] = out
        return self._static[key]

    def _graph(self, s: Shipment, banned: frozenset[str]) -> nx.DiGraph:
        """The places graph for ``s``: per edge, each criterion's best value and its leg."""
        kg, m3 = float(s.weight_kg), float(s.volume_m3)
        best: dict[tuple[str, str], dict[str, Any]] = {}
        for x in self._legs(s.on, banned):
            values = {"cost": x.cost(kg, m3), "time": x.days, "co2e": x.co2e_per_kg}
            edge = best.get((x.leg.origin, x.leg.destination))
            if edge is None:
                best[(x.leg.origin, x.leg.destination)] = values | {
                    f"leg_{c}": x.leg for c in CRITERIA
                }
                continue
            for c in CRITERIA:
                if values[c] < edge[c]:
                    edge[c], edge[f"leg_{c}"] = values[c], x.leg
        import networkx as nx

        g = nx.DiGraph()
        g.add_edges_from((u, v, d) for (u, v), d in best.items())
        return g

    def ends(self, s: Shipment) -> tuple[list[str], list[str]]:
        """The places a shipment may leave from and arrive at: a location id names one; an
        ISO 3166-1 alpha-2 country code names every place of that country."""
        places = self.network.locations
        out = []
        for name in ("origin", "destination"):
            given = getattr(s, name)
            if given in places:
                out.append([given])
                continue
            found = sorted(i for i, p in places.items() if p.country == given.upper())
            if not found:
                raise NoRoute("unknown_location", {"field": name, "id": given})
            out.append(found)
        return out[0], out[1]

    def plan(self, s: Shipment) -> Plan:
        places = self.network.locations
        sources, sinks = self.ends(s)
        banned = forbidden_modes(s)
        excluded = {
            g.id: f"{s.lithium} lithium batteries may not travel by {g.mode} ({banned[g.mode]})"
            for g in self.network.legs_on(s.on)
            if g.mode in banned
        }
        graph = self._graph(s, frozenset(banned))
        start, end = ("from",), ("to",)  # one source and one sink joined to every end place
        zero = dict.fromkeys(CRITERIA, 0.0)
        graph.add_edges_from((start, p, zero) for p in sources if p in graph)
        graph.add_edges_from((p, end, zero) for p in sinks if p in graph)
        if start not in graph or end not in graph:
            raise NoRoute("no_route", {"origin": s.origin, "destination": s.destination})
        per_leg: dict[str, LegPlan] = {}

        def planned(leg: Leg) -> LegPlan:
            if leg.id not in per_leg:
                per_leg[leg.id] = _leg_plan(leg, s, places)
            return per_leg[leg.id]

        found: dict[tuple[str, ...], Option] = {}
        for criterion in CRITERIA:
            for path in _paths(graph, start, end, criterion, self.k):
                hops = [graph.edges[a, b] for a, b in itertools.pairwise(path)]
                legs = [planned(h[f"leg_{criterion}"]) for h in hops if f"leg_{criterion}" in h]
                if not legs or len(legs) > self.max_legs:
                    continue
                option = _option(legs, s, places)
                found.setdefault(option.key, option)
        if not found:
            raise NoRoute("no_route", {"origin": s.origin, "destination": s.destination})
        every = list(found.values())
        ok = [o for o in every if s.deadline_days is None or o.transit.p90 <= s.deadline_days]
        late = sorted((o for o in every if o not in ok), key=lambda o: o.transit.p90)
        _front(ok)
        ok.sort(key=lambda o: (not o.pareto, o.cost, o.transit.p90, o.co2e.wtw_kg))
        return Plan(s, ok, excluded, late)


def _paths(graph: nx.DiGraph, a: str, b: str, weight: Any, k: int) -> Iterator[list[Any]]:
    import networkx as nx

    try:
        yield from itertools.islice(nx.shortest_simple_paths(graph, a, b, weight=weight), k)
    except nx.NetworkXNoPath:
        return


@cache
def _factor_of(mode: str, vehicle: str, carrier: str, on: date) -> Any:
    return emissions.factor_for(mode, vehicle, on, carrier)


def _factor(leg: Leg, on: date) -> Any:
    return _factor_of(leg.mode, leg.vehicle, leg.carrier, on)


def _leg_plan(leg: Leg, s: Shipment, places: dict[str, Location]) -> LegPlan:
    factor = _factor(leg, s.on)
    km = emissions.adjusted_km(leg.mode, leg.distance_km, s.on)
    co2e = emissions.leg(float(s.weight_kg), km, factor)
    end = places[leg.destination]
    hub = emissions.hub_factor(end.kind, s.on) if end.kind in HUB_KINDS else None
    at_hub = emissions.hub(float(s.weight_kg), hub) if hub else emissions.NONE
    return LegPlan(leg, leg_cost(leg.cost, s.weight_kg, s.volume_m3), co2e, at_hub, factor, km)


def _option(legs: list[LegPlan], s: Shipment, places: dict[str, Location]) -> Option:
    start = places[legs[0].leg.origin]
    hub = emissions.hub_factor(start.kind, s.on) if start.kind in HUB_KINDS else None
    origin_hub = emissions.hub(float(s.weight_kg), hub) if hub else emissions.NONE
    total = origin_hub
    for p in legs:
        total = total + p.co2e + p.hub_co2e
    currencies = {p.leg.cost.currency for p in legs}
    if len(currencies) != 1:
        raise ValueError(f"a route's legs are priced in {sorted(currencies)}: one currency only")
    return Option(
        legs=legs,
        cost=sum((p.cost for p in legs), Decimal(0)),
        currency=currencies.pop(),
        transit=transit.total(
            transit.Transit.of(p.leg.transit_p50_days, p.leg.transit_p90_days) for p in legs
        ),
        co2e=total,
        origin_hub=origin_hub,
    )


def _front(options: list[Option]) -> None:
    """Mark the Pareto-optimal options and what each is best on."""
    for o in options:
        m = o.metrics()
        o.pareto = not any(
            all(x <= y for x, y in zip(p.metrics(), m, strict=True)) and p.metrics() != m
            for p in options
        )
    for i, name in enumerate(("cost", "transit_p90", "co2e")):
        if options:
            best = min(o.metrics()[i] for o in options)
            for o in options:
                if o.metrics()[i] == best:
                    o.best.append(name)
