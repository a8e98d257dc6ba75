"""A seller's catalog entry: the facts customs, tax and logistics need about one SKU.

``hs_codes`` holds a tariff code per destination country, like Shopify's
``countryHarmonizedSystemCodes``: the first six digits are the international HS subheading
and must agree with ``hs_code``; countries extend it to 8–10 digits. ``legal_unit`` and
``legal_qty_per_unit`` come together or not at all.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cbec.errors import Violation
from cbec.trade import lenient
from cbec.trade.types import CountryCode, Document, HsCode, Key, Text, Weight


class Dimensions(Document):
    length_cm: Weight
    width_cm: Weight
    height_cm: Weight


# Carrier and compliance flags (what dangerous-goods and carrier rules test): the goods
# contain a battery, are a lithium-ion / lithium-metal battery or contain one, are a battery
# on their own (power bank), or are liquid, powder, magnetic, aerosol, flammable.
Attribute = Literal[
    "battery",
    "lithium_ion",
    "lithium_metal",
    "battery_standalone",
    "liquid",
    "powder",
    "magnetic",
    "aerosol",
    "flammable",
    # storage classes for the cold chain: the sensor limits tracking checks
    # (cbec/logistics/data/sensor_thresholds.csv)
    "chilled",
    "frozen",
    "refrigerated",
]


class CountryHsCode(Document):
    country: CountryCode
    code: HsCode


class Product(Document):
    seller: Text(64) | None = None
    sku: Key(64)
    name_zh: Text(250)
    name_en: Text(250)
    spec: Text(510)
    unit: Text(16)
    weight_kg: Weight
    dimensions: Dimensions | None = None
    origin_country: CountryCode
    hs_code: HsCode
    hs_codes: Annotated[list[CountryHsCode], Field(max_length=250)] = []
    barcode: Text(50) | None = None
    # China customs' first legal unit for the tariff line (JGS-20 code, e.g. 007 piece,
    # 035 kg) and how many of it one sales unit is — needed to declare (CEB621 qty1/unit1).
    legal_unit: Annotated[str, Field(pattern=r"^\d{3}$")] | None = None
    legal_qty_per_unit: Weight | None = None
    attributes: Annotated[list[Attribute], Field(max_length=12)] | None = None


def _legal_unit(product: Product) -> list[Violation]:
    if (product.legal_unit is None) != (product.legal_qty_per_unit is None):
        missing = "legal_unit" if product.legal_unit is None else "legal_qty_per_unit"
        return [Violation(missing, "missing")]
    return []


def _hs_codes(product: Product) -> list[Violation]:
    codes = product.hs_codes

    def unique(i: int, entry: CountryHsCode) -> list[Violation]:
        earlier = {
            e.country
            for e in codes[:i]
            if e is not lenient.INVALID and e.country is not lenient.INVALID
        }
        if entry.country in earlier:
            return [Violation(f"hs_codes[{i}].country", "duplicate_country")]
        return []

    def prefix(i: int, entry: CountryHsCode) -> list[Violation]:
        if entry.code[:6] != product.hs_code[:6]:
            return [
                Violation(f"hs_codes[{i}].code", "hs_prefix", {"expected": product.hs_code[:6]})
            ]
        return []

    return lenient.each(codes, (unique, prefix))


RULES = (_legal_unit, _hs_codes)


def check(product: Product) -> list[Violation]:
    """Business rules across fields (:mod:`cbec.trade.lenient`)."""
    return lenient.run(RULES, product)
