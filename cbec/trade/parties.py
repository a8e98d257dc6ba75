"""People on trade documents — buyer, payer, consignee — and the checks of their identifiers.

Resident ID numbers are checked with ``python-stdnum``'s ``cn.ric`` (GB 11643-1999: length,
birth date, region code, ISO 7064 MOD 11-2 check character); phone numbers with
``phonenumbers`` (Google libphonenumber metadata) for the region the document names.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal

import phonenumbers
from pydantic import Field
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.util import isdigits

from cbec.errors import Violation
from cbec.trade.types import PII, Document, Text

IdType = Literal["resident_id", "passport", "other"]


class Buyer(Document):
    account_id: Annotated[Text(60), PII("account")]
    name: Annotated[Text(60), PII("name")]
    phone: Annotated[Text(30), PII("phone")]
    id_type: IdType | None = None
    id_number: Annotated[Text(60), PII("id_number")] | None = None


class Payer(Document):
    name: Annotated[Text(60), PII("name")]
    id_type: IdType
    id_number: Annotated[Text(60), PII("id_number")]
    phone: Annotated[Text(30), PII("phone")] | None = None


class Consignee(Document):
    name: Annotated[Text(100), PII("name")]
    phone: Annotated[Text(50), PII("phone")]
    address: Annotated[Text(200), PII("address")]
    district_code: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None


_RIC_COMPACT = re.compile(r"[0-9]{17}[0-9X]")  # what ric.compact leaves as it is
_CN_MOBILE_SHAPE = re.compile(r"1[0-9]{10}")


def _cn_number(national_number: int) -> phonenumbers.PhoneNumber:
    return phonenumbers.PhoneNumber(country_code=86, national_number=national_number)


def load_tables() -> None:
    """Load the tables the first checks read: stdnum's county codes (``cn/loc``, ~70 ms to
    parse) and libphonenumber's CN metadata. A server calls this as it starts: otherwise
    every thread that checks one of its first orders parses the county table at once —
    stdnum's cache is not under a lock — and the first requests wait seconds on one core."""
    from stdnum import numdb

    numdb.get("cn/loc")
    phonenumbers.PhoneMetadata.metadata_for_region("CN")


@lru_cache(maxsize=16384)
def _county_existed(county: str, year: int) -> bool:
    try:
        ric.get_birth_place(f"{county}{year:04d}01010000")
    except (InvalidComponent, KeyError):  # KeyError: a code under a province's own (110001)
        return False
    return True


def resident_id_problem(number: str) -> str | None:
    """The rule a resident ID number breaks, or None: ``stdnum.cn.ric.validate``'s checks in
    its order (length, digits, check character, birth date, county code valid in the birth
    year), with the county lookup cached — it dominated the cost of checking an order, and
    the answer depends only on (county, year)."""
    # already compact: most are (compact costs most); a lenient read's placeholder for a
    # value that is no string goes the library's way, as before
    if not (type(number) is str and _RIC_COMPACT.fullmatch(number)):
        number = ric.compact(number)
    if len(number) != 18:
        return "id_length"
    if not isdigits(number[:-1]):
        return "id_format"
    if number[-1] != ric.calc_check_digit(number):
        return "id_checksum"
    try:  # ric.get_birth_date without its second compact (a third of the check's cost)
        year = date(int(number[6:10]), int(number[10:12]), int(number[12:14])).year
    except ValueError:
        return "id_component"
    return None if _county_existed(number[:6], year) else "id_component"


def check_id(id_type: str | None, id_number: str | None, field: str) -> list[Violation]:
    """A resident ID must pass GB 11643; other kinds are only length-checked by the model.
    ``id_type`` and ``id_number`` come together or not at all."""
    if (id_type is None) != (id_number is None):
        missing = field if id_number is None else field.rsplit(".", 1)[0] + ".id_type"
        return [Violation(missing, "missing")]
    if id_type != "resident_id" or id_number is None:
        return []
    rule = resident_id_problem(id_number)
    return [Violation(field, rule, {"id_type": "resident ID"})] if rule else []


@lru_cache(maxsize=4096)
def _phone_valid(phone: str, region: str) -> bool:
    # Cached: an order usually carries the same number for buyer and consignee, and
    # libphonenumber's parse + metadata match is the costliest check on a document.
    if region == "CN" and type(phone) is str and _CN_MOBILE_SHAPE.fullmatch(phone):
        # A mainland mobile as written on most orders: eleven digits from 1, no prefix to
        # strip, so parse() would give exactly this number — its two thirds of the cost
        # are skipped; the number is still judged by the library's own metadata
        # (tests/documents/test_phone_fast_path.py holds the two paths equal).
        return phonenumbers.is_valid_number(_cn_number(national_number=int(phone)))
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(phone, region))
    except phonenumbers.NumberParseException:
        return False


def check_phone(phone: str, region: str, field: str) -> list[Violation]:
    """Valid for ``region`` (or anywhere, when written in E.164 with a leading ``+``)."""
    if _phone_valid(phone, region):
        return []
    return [Violation(field, "phone_invalid", {"region": region})]
