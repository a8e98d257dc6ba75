"""The model menu: which statsforecast models are scored, which may be chosen, and why.

*Intermittent-demand* models fit series where most periods are zero (69 % of the weeks of
the 500 most active Online Retail series are): they forecast a demand *rate*, not the next
value.

* ``ADIDA`` — temporal aggregation to the mean inter-demand interval, then SES;
* ``IMAPA`` — ADIDA over several aggregation levels, averaged;
* ``CrostonSBA`` — Croston with the Syntetos-Boylan bias correction (× (1 − α/2));
* ``CrostonClassic`` — SES on demand sizes and on intervals separately, α = 0.1;
* ``TSB`` — Teunter-Syntetos-Babai: SES on the demand *probability* (updated every period,
  so a SKU that stopped selling decays towards zero) and on sizes; α_d = α_p = 0.1 (fixed
  smoothing in the range the TSB paper recommends; statsforecast does not optimise them);
* ``AutoETS`` — exponential smoothing with the error/trend/season form picked by AICc, for
  the smoother series among the SKUs; non-seasonal on weekly data (a 52-week season needs
  two years of history and ETS in statsforecast refuses seasons longer than 24), season 7 on
  daily data.

*Baselines* — ``Naive`` (last value) and ``SeasonalNaive`` (value one season ago: 52
weeks / 7 days) — are scored in every backtest so every number can be read against them,
but they are not chosen for a series unless asked (``select_baselines=True``): with a
handful of test windows the per-series "winner" is noisy, and on intermittent data Naive
wins a window by luck whenever the last observed week and the test weeks are all zero.
Measured on Online Retail (500 most active series, weekly): with Naive selectable the
*in-sample* figure looks better (h = 4, 4 windows: 0.741 × Naive's mean MASE vs 0.790) but
the *held-out* one — what following the choice actually delivers — is worse (0.855 vs
0.796; h = 8: 0.875 vs 0.745; h = 1, 12 windows: 0.860 vs 0.823).

The point forecast of the intermittent models *is* their level estimate (expected demand
per period); they give no prediction interval (statsforecast would need conformal
calibration windows the short series do not have). Naive, SeasonalNaive and AutoETS give
intervals at the requested levels.
"""

from __future__ import annotations

from typing import Any

from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    CrostonClassic,
    CrostonSBA,
    Naive,
    SeasonalNaive,
)

#: Order matters only to break exact ties: simpler and more robust first.
INTERMITTENT = ("ADIDA", "IMAPA", "CrostonSBA", "CrostonClassic", "TSB")
SMOOTH = ("AutoETS",)
BASELINES = ("Naive", "SeasonalNaive")
ALL_MODELS = (*INTERMITTENT, *SMOOTH, *BASELINES)
#: Models that return prediction intervals for ``level=[…]``.
INTERVAL_MODELS = frozenset({"AutoETS", "Naive", "SeasonalNaive"})
#: Models that forecast any series with at least one observation (AutoETS needs a few).
ANY_LENGTH = frozenset({*INTERMITTENT, "Naive"})
SEASON = {"W": 52, "D": 7}
TSB_ALPHA = 0.1


def season_length(freq: str) -> int:
    return SEASON[freq]


def build(name: str, freq: str) -> Any:
    """A fresh statsforecast model object for ``name`` (aliases equal the names above)."""
    m = season_length(freq)
    match name:
        case "ADIDA":
            return ADIDA()
        case "IMAPA":
            return IMAPA()
        case "CrostonSBA":
            return CrostonSBA()
        case "CrostonClassic":
            return CrostonClassic()
        case "TSB":
            return TSB(alpha_d=TSB_ALPHA, alpha_p=TSB_ALPHA)
        case "AutoETS":
            return AutoETS(season_length=1 if freq == "W" else m)
        case "Naive":
            return Naive()
        case "SeasonalNaive":
            return SeasonalNaive(season_length=m)
    raise ValueError(f"unknown model {name!r}; known: {', '.join(ALL_MODELS)}")


def selectable(models: tuple[str, ...], select_baselines: bool) -> tuple[str, ...]:
    """The models a series may be assigned to, in tie-break order."""
    return tuple(m for m in models if select_baselines or m not in BASELINES)
