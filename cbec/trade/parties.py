"""People on trade documents — buyer, payer, consignee — and the checks of their identifiers.

Resident ID numbers are checked with ``python-stdnum``'s ``cn.ric`` (GB 11643-1999: length,
birth date, region code, ISO 7064 MOD 11-2 check character); phone numbers with
``phonenumbers`` (Google libphonenumber metadata) for the region the document names.
"""

from __future__ import annotations

from typing import Annotated, Literal

import phonenumbers
from pydantic import Field
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from cbec.errors import Violation
from cbec.trade.types import PII, Document, Text

IdType = Literal["resident_id", "passport", "other"]

_STDNUM_RULES = (
    (InvalidChecksum, "id_checksum"),
    (InvalidLength, "id_length"),
    (InvalidComponent, "id_component"),
    (InvalidFormat, "id_format"),
)


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


def check_id(id_type: str | None, id_number: str | None, field: str) -> list[Violation]:
    """A resident ID must pass GB 11643; other kinds are only length-checked by the model.
    ``id_type`` and ``id_number`` come together or not at all."""
    if (id_type is None) != (id_number is None):
        missing = field if id_number is None else field.rsplit(".", 1)[0] + ".id_type"
        return [Violation(missing, "missing")]
    if id_type != "resident_id":
        return []
    try:
        ric.validate(id_number)
    except Exception as exc:  # stdnum raises one of its ValidationError subclasses
        for cls, rule in _STDNUM_RULES:
            if isinstance(exc, cls):
                return [Violation(field, rule, {"id_type": "resident ID"})]
        return [Violation(field, "id_format", {"id_type": "resident ID"})]
    return []


def check_phone(phone: str, region: str, field: str) -> list[Violation]:
    """Valid for ``region`` (or anywhere, when written in E.164 with a leading ``+``)."""
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return [Violation(field, "phone_invalid", {"region": region})]
    if not phonenumbers.is_valid_number(parsed):
        return [Violation(field, "phone_invalid", {"region": region})]
    return []
