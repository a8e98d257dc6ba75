"""Customer lifetime value: BG/NBD and Pareto/NBD purchase-count models, the Gamma-Gamma
spend model and discounted CLV, fitted by maximum likelihood with scipy.

Our own small implementation rather than ``lifetimes`` (archived) or pymc-marketing (heavy,
priors shift the estimates): the likelihoods are a few lines each, and the tests hold them
to the published CDNOW estimates. Inputs are the per-customer summary of
:func:`cbec.analytics.transactions.summary` (time in weeks).
"""

from cbec.analytics.clv import bgnbd, gammagamma, paretonbd, simulate
from cbec.analytics.clv.bgnbd import BGNBD
from cbec.analytics.clv.gammagamma import GammaGamma, frequency_spend_correlation
from cbec.analytics.clv.paretonbd import ParetoNBD
from cbec.analytics.clv.value import clv, discounted_purchases, predictions

fit_bgnbd = bgnbd.fit
fit_paretonbd = paretonbd.fit
fit_gammagamma = gammagamma.fit

__all__ = [
    "BGNBD",
    "GammaGamma",
    "ParetoNBD",
    "bgnbd",
    "clv",
    "discounted_purchases",
    "fit_bgnbd",
    "fit_gammagamma",
    "fit_paretonbd",
    "frequency_spend_correlation",
    "gammagamma",
    "paretonbd",
    "predictions",
    "simulate",
]
