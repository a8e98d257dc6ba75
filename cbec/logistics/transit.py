"""Transit times as distributions: each leg's is lognormal, fixed by its median and 90th
percentile; a route's is the sum of its legs', approximated by the lognormal with the same
mean and variance (Fenton–Wilkinson, IRE Trans. Commun. Syst. 1960) — the usual closed form
for sums of lognormal delays, good in the body and the upper tail that a p90 reads."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Z90 = 1.2815515655446004  # the standard normal's 90th percentile


@dataclass(frozen=True)
class Transit:
    """A lognormal transit time in days: ``exp(N(mu, sigma²))``."""

    mu: float
    sigma: float

    @classmethod
    def of(cls, p50: float, p90: float) -> Transit:
        """The lognormal whose median is ``p50`` and 90th percentile ``p90`` days."""
        if not 0 < p50 <= p90:
            raise ValueError("transit times need 0 < p50 ≤ p90")
        return cls(math.log(p50), math.log(p90 / p50) / Z90)

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    @property
    def variance(self) -> float:
        return (math.exp(self.sigma**2) - 1) * math.exp(2 * self.mu + self.sigma**2)

    def quantile(self, z: float) -> float:
        return math.exp(self.mu + self.sigma * z)

    @property
    def p50(self) -> float:
        return math.exp(self.mu)

    @property
    def p90(self) -> float:
        return self.quantile(Z90)


def total(legs: Iterable[Transit]) -> Transit:
    """The Fenton–Wilkinson lognormal of the sum of independent lognormal ``legs``."""
    items = list(legs)
    if len(items) == 1:
        return items[0]
    mean = sum(t.mean for t in items)
    var = sum(t.variance for t in items)
    sigma2 = math.log(1 + var / mean**2)
    return Transit(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))
