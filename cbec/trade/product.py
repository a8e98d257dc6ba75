"""A seller's catalog entry: the facts customs, tax and logistics need about one SKU.

``hs_codes`` holds a tariff code per destination country, like Shopify's
``countryHarmonizedSystemCodes``: the first six digits are the international HS subheading
and must agree with ``hs_code``; countries extend it to 8–10 digits.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cbec.errors import Violation
from cbec.trade.types import CountryCode, Document, HsCode, Text, Weight


class Dimensions(Document):
    length_cm: Weight
    width_cm: Weight
    height_cm: Weight


class CountryHsCode(Document):
    country: CountryCode
    code: HsCode


class Product(Document):
    seller: Text(64) | None = None
    sku: Text(64)
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


def check(product: Product) -> list[Violation]:
    out: list[Violation] = []
    seen: set[str] = set()
    for i, entry in enumerate(product.hs_codes):
        if entry.country in seen:
            out.append(Violation(f"hs_codes[{i}].country", "duplicate_country"))
        seen.add(entry.country)
        if entry.code[:6] != product.hs_code[:6]:
            out.append(
                Violation(f"hs_codes[{i}].code", "hs_prefix", {"expected": product.hs_code[:6]})
            )
    return out
