"""The identifier URIs an EPCIS event of cbec may carry: GS1 keys as GS1 Digital Link URIs
or EPC URNs (checked by their check digit), and any other absolute URI taken as it is.

GS1 keys cbec reads, by where they stand in an event:

* objects (``epcList``, ``childEPCs``, ``parentID``): an SSCC (AI 00) — Digital Link
  ``https://id.gs1.org/00/<18 digits>`` or ``urn:epc:id:sscc:<prefix>.<ext+serial>`` — or a
  serialised GTIN (AI 01 + 21) — ``https://id.gs1.org/01/<GTIN>/21/<serial>`` or
  ``urn:epc:id:sgtin:<prefix>.<ind+item>.<serial>``;
* classes (``epcClass``): a GTIN, with or without a lot (AI 10) — ``…/01/<GTIN>[/10/<lot>]``,
  ``urn:epc:class:lgtin:<prefix>.<ind+item>.<lot>``, ``urn:epc:idpat:sgtin:<prefix>.<ind+item>.*``;
* places (``readPoint``, ``bizLocation``): a GLN with an optional extension (AI 414 + 254) —
  ``…/414/<GLN>[/254/<ext>]`` or ``urn:epc:id:sgln:<prefix>.<loc>.<ext>``.

Digital Link URIs follow GS1 Digital Link URI Syntax 1.2 (any https host, the AI path, no
query); EPC URNs follow GS1 EPC Tag Data Standard 2.0 §6. Serials, lots and extensions are
limited to ``0-9 A-Z a-z . _ -`` (1–20 characters), the part of GS1's character set 82 that
needs escaping in neither form, so each identifier has exactly one canonical Digital Link.
Check digits are GS1 General Specifications §7.9.1's mod-10, computed by python-stdnum.

:func:`parse` refuses a malformed key with a ``PydanticCustomError`` whose code is a cbec rule;
:func:`canonical` gives the constrained canonical Digital Link of CBV 2.0 §8.9 for hashing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic_core import PydanticCustomError
from stdnum import ean

Role = Literal["object", "class", "place", "other"]
GS1_HOST = "https://id.gs1.org"
_TEXT = r"[0-9A-Za-z._-]{1,20}"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_DL = re.compile(
    r"^https?://[^/?#]+/(00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018)/"
)
_DL_SSCC = re.compile(r"^https://[^/?#]+/00/(\d{18})$")
_DL_SGTIN = re.compile(rf"^https://[^/?#]+/01/(\d{{8}}|\d{{12,14}})/21/({_TEXT})$")
_DL_GTIN = re.compile(rf"^https://[^/?#]+/01/(\d{{8}}|\d{{12,14}})(?:/10/({_TEXT}))?$")
_DL_GLN = re.compile(rf"^https://[^/?#]+/414/(\d{{13}})(?:/254/({_TEXT}))?$")
_URN_SSCC = re.compile(r"^urn:epc:id:sscc:(\d{6,12})\.(\d{5,11})$")
_URN_SGTIN = re.compile(rf"^urn:epc:id:sgtin:(\d{{6,12}})\.(\d{{1,7}})\.({_TEXT})$")
_URN_LGTIN = re.compile(rf"^urn:epc:class:lgtin:(\d{{6,12}})\.(\d{{1,7}})\.({_TEXT})$")
_URN_IDPAT = re.compile(r"^urn:epc:idpat:sgtin:(\d{6,12})\.(\d{1,7})\.\*$")
_URN_SGLN = re.compile(rf"^urn:epc:id:sgln:(\d{{6,12}})\.(\d{{0,6}})\.({_TEXT})$")

EXPECTED: dict[Role, str] = {
    "object": "an SSCC or a serialised GTIN (Digital Link or EPC URN)",
    "class": "a GTIN, with or without a lot (Digital Link or EPC class URN)",
    "place": "a GLN, with or without an extension (Digital Link or SGLN URN)",
    "other": "a URI that is not a GS1 key",
}


@dataclass(frozen=True)
class GS1Key:
    """A parsed GS1 key: ``ai`` is its Application Identifier path (``00``, ``01/21``,
    ``01``, ``01/10``, ``414``, ``414/254``), ``key`` the digits with their check digit,
    ``qualifier`` the serial, lot or GLN extension."""

    ai: str
    key: str
    qualifier: str | None = None

    def digital_link(self) -> str:
        """The canonical GS1 Digital Link (GTINs padded to 14 digits, id.gs1.org)."""
        key = self.key.zfill(14) if self.ai.startswith("01") else self.key
        head, _, tail = self.ai.partition("/")
        uri = f"{GS1_HOST}/{head}/{key}"
        return f"{uri}/{tail}/{self.qualifier}" if tail else uri


@lru_cache(maxsize=1 << 16)  # a feed names the same parcels, lots and places again and again
def parse(uri: str, role: Role) -> GS1Key | None:
    """The GS1 key ``uri`` holds, ``None`` for a URI that is no GS1 key (a cbec location such
    as ``urn:cbec:loc:CNSZX``, a carrier's parcel URN); refused when it is not a URI, is a
    GS1 key of a kind that does not belong in ``role``, or fails its check digit."""
    if not _URI.match(uri):
        raise PydanticCustomError("epcis_uri", "must be an absolute URI")
    if not (uri.startswith("urn:epc:") or _DL.match(uri)):
        return None
    found = _read(uri, role)
    if found is None:
        raise PydanticCustomError(
            "epcis_gs1_key", "is not {expected}", {"expected": EXPECTED[role]}
        )
    name = {"00": "SSCC", "01": "GTIN", "414": "GLN"}[found.ai.split("/")[0]]
    if ean.calc_check_digit(found.key[:-1]) != found.key[-1]:
        raise PydanticCustomError("epcis_check_digit", "fails the {key} check digit", {"key": name})
    return found


@lru_cache(maxsize=1 << 16)
def canonical(uri: str) -> str:
    """The value CBV 2.0 §8.9 hashes for ``uri``: a GS1 key as its canonical Digital Link
    (EPC URNs converted, the host replaced by id.gs1.org), any other URI unchanged."""
    if uri.startswith("urn:epc:") or _DL.match(uri):
        for role in ("object", "class", "place"):
            found = _read(uri, role)  # type: ignore[arg-type]
            if found is not None:
                return found.digital_link()
    return uri


def _read(uri: str, role: Role) -> GS1Key | None:
    if role == "object":
        if m := _DL_SSCC.match(uri):
            return GS1Key("00", m[1])
        if m := _DL_SGTIN.match(uri):
            return GS1Key("01/21", m[1], m[2])
        if m := _URN_SSCC.match(uri):
            prefix, rest = m[1], m[2]
            if len(prefix) + len(rest) == 17:  # extension digit + prefix + serial reference
                return GS1Key("00", _with_check(rest[0] + prefix + rest[1:]))
        if (m := _URN_SGTIN.match(uri)) and (gtin := _gtin(m[1], m[2])):
            return GS1Key("01/21", gtin, m[3])
    elif role == "class":
        if m := _DL_GTIN.match(uri):
            return GS1Key("01/10" if m[2] else "01", m[1], m[2])
        if (m := _URN_LGTIN.match(uri)) and (gtin := _gtin(m[1], m[2])):
            return GS1Key("01/10", gtin, m[3])
        if (m := _URN_IDPAT.match(uri)) and (gtin := _gtin(m[1], m[2])):
            return GS1Key("01", gtin)
    elif role == "place":
        if m := _DL_GLN.match(uri):
            return GS1Key("414/254" if m[2] else "414", m[1], m[2])
        if (m := _URN_SGLN.match(uri)) and len(m[1]) + len(m[2]) == 12:
            gln = _with_check(m[1] + m[2])
            return GS1Key("414", gln) if m[3] == "0" else GS1Key("414/254", gln, m[3])
    return None


def _gtin(prefix: str, indicator_item: str) -> str | None:
    """TDS §6.3.1: the indicator digit, the company prefix, the item reference, a check digit."""
    if len(prefix) + len(indicator_item) != 13:
        return None
    return _with_check(indicator_item[0] + prefix + indicator_item[1:])


def _with_check(digits: str) -> str:
    return digits + ean.calc_check_digit(digits)
