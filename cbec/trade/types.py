"""Field types shared by the trade documents: money, codes, identifiers and times.

Money is ``Decimal`` with at most 5 decimal places and 14 integer digits — the N19,5 format
China customs uses for every amount — so any amount cbec accepts can be declared. JSON
numbers are parsed as ``Decimal`` by the API (never through ``float``). Countries are ISO
3166-1 alpha-2 and currencies ISO 4217, checked against ``pycountry``'s copy of the ISO
tables. Times must carry a UTC offset and are stored in UTC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

MAX_AMOUNT = Decimal("99999999999999")  # 14 integer digits (customs N19,5)


class Document(BaseModel):
    """Base of every cbec input model: unknown fields are errors, strings are kept as sent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)


@lru_cache(maxsize=1024)
def known_country(code: str) -> bool:
    """``code`` is an ISO 3166-1 alpha-2 code in pycountry's table. Cached: every order names
    countries several times, and pycountry's lookup (a lower-cased index read) cost as much as
    the rest of a country check; at most 26² upper-case codes reach it."""
    return pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=1024)
def known_currency(code: str) -> bool:
    """``code`` is an ISO 4217 alpha-3 code in pycountry's table (cached as countries are)."""
    return pycountry.currencies.get(alpha_3=code) is not None


def _country(value: str) -> str:
    if len(value) != 2 or not value.isupper() or not known_country(value):
        raise PydanticCustomError("country_code", "must be an ISO 3166-1 alpha-2 country code")
    return value


def _currency(value: str) -> str:
    if len(value) != 3 or not value.isupper() or not known_currency(value):
        raise PydanticCustomError("currency_code", "must be an ISO 4217 currency code")
    return value


_HS = re.compile(r"\d{6,10}")


def _hs(value: str) -> str:
    if not _HS.fullmatch(value):
        raise PydanticCustomError("hs_code", "must be a Harmonized System code of 6 to 10 digits")
    return value


def _utc(value: datetime) -> datetime:
    """A time with its offset, in UTC. One without is refused, never taken as UTC: an Excel
    cell or a CSV export writes local time (:mod:`cbec.trade.zones` reads a file's times in
    the zone chosen for it)."""
    if value.utcoffset() is None:
        raise PydanticCustomError(
            "datetime_without_offset",
            "has no UTC offset: write one (e.g. Z or +08:00) or choose the time zone "
            "of the file's times",
        )
    return value.astimezone(UTC)


CountryCode = Annotated[str, AfterValidator(_country)]
CurrencyCode = Annotated[str, AfterValidator(_currency)]
HsCode = Annotated[str, AfterValidator(_hs)]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]
Money = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=5, allow_inf_nan=False)]
Quantity = Annotated[
    Decimal, Field(gt=0, le=Decimal("10000000"), decimal_places=5, allow_inf_nan=False)
]
Weight = Annotated[
    Decimal, Field(gt=0, le=Decimal("100000"), decimal_places=5, allow_inf_nan=False)
]

# C0 controls but tab, LF and CR; DEL and the C1 controls; UTF-16 surrogates, which are never
# characters on their own (Unicode §3.9 D76) and cannot be encoded as UTF-8 or in XML 1.0 (§2.2).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Refuse text a customs message, a CSV file or a terminal could not carry faithfully."""
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "must not contain control characters")
    return value


def Text(max_length: int, min_length: int = 1) -> type[str]:
    """A string of ``min_length``..``max_length`` characters, free of control characters."""
    return Annotated[  # type: ignore[return-value]
        str, Field(min_length=min_length, max_length=max_length), AfterValidator(clean_text)
    ]


def fold_key(value: str) -> str:
    """A key as filing stores it: NFKC (Unicode UAX #15), outer white space trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def _key(max_length: int):
    """Fold a natural key to the form reconciliation compares (NFKC, Unicode UAX #15; outer
    white space trimmed) and refuse format characters (category Cf: zero-width space and
    joiners U+200B..U+200D, the bidirectional marks, embeddings, overrides and isolates
    U+200E..U+200F, U+202A..U+202E, U+2066..U+2069 of UAX #9, the BOM U+FEFF). Without this,
    ``ＳＩ2026000001``, ``SI2026000001 `` and ``SI2026\u200b000001`` would be three keys
    for what a customs officer reads as one order."""

    def fold(value: str) -> str:
        value = clean_text(fold_key(value))
        for ch in value:
            if unicodedata.category(ch) == "Cf":
                raise PydanticCustomError(
                    "invisible_character",
                    "must not contain invisible or bidirectional control characters ({char})",
                    {"char": f"U+{ord(ch):04X}"},
                )
        if not value:
            raise PydanticCustomError("key_blank", "must not be blank")
        if len(value) > max_length:
            raise PydanticCustomError(
                "key_too_long",
                "must be at most {max_length} characters once normalised",
                {"max_length": max_length},
            )
        return value

    return fold


def Key(max_length: int) -> type[str]:
    """A natural key or a reference to one (order number, transaction id, waybill number,
    SKU): text folded by NFKC and trimmed, with no invisible or bidi control characters, so
    that one key has one spelling across orders, payments, waybills and reconciliation."""
    return Annotated[  # type: ignore[return-value]
        str, Field(min_length=1, max_length=max_length), AfterValidator(_key(max_length))
    ]


@dataclass(frozen=True)
class PII:
    """Marks a field as personal information: encrypted at rest, masked with ``mask``."""

    mask: str  # a key of cbec.privacy.masking.MASKERS
