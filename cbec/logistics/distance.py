"""Planned distances of legs: over the sea by searoute's maritime network, through the air by
the great-circle distance, on land as data.

Sea: ``searoute`` (Apache-2.0) routes over the maritime network it ships (derived from
Eurostat's SeaRoute), avoiding the passages a leg names (``babalmandab`` for the Red Sea
diversions round the Cape since December 2023, ``suez``, ``panama`` …). Air: the geodesic on
the WGS 84 ellipsoid (``geographiclib``, Karney's algorithms). Road and rail: the carriers'
or operators' published route lengths, given in the network data. The adjustment from these
planned distances to the distance travelled (ISO 14083 Table 3: air + 95 km, sea × 1.15,
road × 1.05) is made for emissions (:func:`cbec.logistics.emissions.adjusted_km`).
"""

from __future__ import annotations

from functools import lru_cache

from geographiclib.geodesic import Geodesic

PASSAGES = frozenset({"babalmandab", "bosporus", "gibraltar", "suez", "panama", "ormuz"})


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The shortest distance between two points on the WGS 84 ellipsoid, in km."""
    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


@lru_cache(maxsize=4096)
def sea_km(
    lat1: float, lon1: float, lat2: float, lon2: float, avoid: tuple[str, ...] = ()
) -> float:
    """The shortest sea route between two ports over searoute's maritime network, in km,
    avoiding the passages ``avoid`` (and the Northwest Passage, as searoute does by default)."""
    import searoute  # a few hundred milliseconds to build its network: only when a sea leg needs it

    unknown = set(avoid) - PASSAGES
    if unknown:
        raise ValueError(f"unknown sea passage(s): {', '.join(sorted(unknown))}")
    route = searoute.searoute(
        [lon1, lat1], [lon2, lat2], units="km", restrictions=["northwest", *sorted(avoid)]
    )
    return float(route.properties["length"])
