"""What a shipment costs on a leg (:class:`cbec.logistics.model.CostModel`): freight is
charged on the chargeable weight — the greater of the actual weight and the volumetric
weight, volume times the carrier's divisor (IATA's 6,000 cm³/kg is 166.67 kg/m³; sea LCL
charges per "weight or measure", one m³ as 1,000 kg) — with a minimum charge and the fuel
surcharge on the whole, as carriers' tariffs do. Money stays :class:`~decimal.Decimal`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cbec.logistics.model import CostModel

CENT = Decimal("0.01")


def chargeable_kg(cost: CostModel, weight_kg: Decimal, volume_m3: Decimal) -> Decimal:
    return max(weight_kg, volume_m3 * cost.volumetric_kg_per_m3)


def leg_cost(cost: CostModel, weight_kg: Decimal, volume_m3: Decimal) -> Decimal:
    """The charge for the shipment, in ``cost.currency``, rounded to the cent."""
    freight = cost.fixed + cost.rate_per_kg * chargeable_kg(cost, weight_kg, volume_m3)
    charged = max(freight, cost.minimum) * (1 + cost.fuel_surcharge_pct / 100)
    return charged.quantize(CENT, rounding=ROUND_HALF_UP)
