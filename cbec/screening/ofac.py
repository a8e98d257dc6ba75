"""US Treasury OFAC SDN list, in its public XML (``sdn.xml``) or CSV (``sdn.csv`` +
``alt.csv``) edition → ListedEntity.

The SDN list is public domain (a US government work) and free to use commercially — the
list a platform operator can always load. Both legacy editions are read:

* **XML** ``<sdnList>`` (default namespace ``http://tempuri.org/sdnList.xsd`` in older
  files, the Sanctions List Service namespace in newer ones — matched by local name):
  ``publshInformation/Publish_Date`` (sic), then ``sdnEntry`` with ``uid``, ``firstName``,
  ``lastName``, ``sdnType`` (Individual / Entity / Vessel / Aircraft), ``programList``,
  ``akaList/aka`` (``type`` a.k.a. / f.k.a. / n.k.a., ``category`` strong / weak,
  ``firstName``, ``lastName``), ``idList/id`` (``idType``, ``idNumber``, ``idCountry``),
  ``nationalityList`` / ``citizenshipList`` (``country``), ``dateOfBirthList/
  dateOfBirthItem/dateOfBirth`` ("12 Jan 1960", "1960", "circa 1960", "1960 to 1962") and
  ``addressList/address/country``.
* **CSV**, no header row, null written ``-0-``: ``sdn.csv`` = ent_num, SDN_Name ("LAST,
  First" for individuals), SDN_Type ("individual", "vessel", "aircraft", ``-0-`` for
  entities), Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner,
  Remarks; ``alt.csv`` = ent_num, alt_num, alt_type (aka / fka / nka), alt_name,
  alt_remarks. Dates of birth, nationality and ID numbers exist only inside Remarks
  ("DOB 12 Jan 1960; POB …; nationality Iran; Passport A1234567 (Iran); …"), which is
  parsed for them.

Vessels and aircraft are skipped by default (a marketplace screens buyers, sellers and
payers, not ships); pass ``types=`` to include them. Non-identifying ``idType`` values
(gender, e-mail, website, crypto addresses, "Additional Sanctions Information") are not
treated as ID numbers.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from cbec.screening import xmlsafe
from cbec.screening.countries import to_codes
from cbec.screening.model import (
    ListedEntity,
    ListedName,
    ListFileError,
    ScreeningList,
    dedupe,
    dedupe_names,
    make_list,
)

SOURCE = "us_ofac_sdn"
DEFAULT_TYPES = frozenset({"individual", "entity"})
_SCHEMA = {"individual": "Person", "entity": "LegalEntity", "vessel": "Vessel"}
_SCHEMA_DEFAULT = "LegalEntity"
_NOT_AN_ID = (
    "gender",
    "website",
    "email",
    "digital currency",
    "additional sanctions",
    "secondary sanctions",
    "transactions prohibited",
    "organization established",
    "organization type",
    "phone",
    "target type",
    "effective date",
    "listing date",
    "executive order",
    "caatsa",
    "ifca",
    "nationality of registration",
    "aircraft",
    "vessel year",
    "vessel flag",
    "other vessel",
)
_NULL = "-0-"


def _is_identifier(id_type: str | None) -> bool:
    low = (id_type or "").lower()
    return not any(low.startswith(p) for p in _NOT_AN_ID)


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _alias_kind(aka_type: str | None, category: str | None) -> str:
    if (aka_type or "").lower().startswith("f.k.a"):
        return "previousName"
    if (category or "").lower() == "weak":
        return "weakAlias"
    return "alias"


# --- XML ------------------------------------------------------------------------------------


def load_ofac_xml(
    path: Path | str, *, types: frozenset[str] = DEFAULT_TYPES, source: str = SOURCE
) -> ScreeningList:
    raw = Path(path).read_bytes()
    root = xmlsafe.parse(raw)
    if xmlsafe.local(root) != "sdnList":
        raise ListFileError(f"not an OFAC sdnList document (root {xmlsafe.local(root)})")
    published = xmlsafe.text(xmlsafe.child(root, "publshInformation"), "Publish_Date")
    entities = []
    for entry in xmlsafe.children(root, "sdnEntry"):
        sdn_type = (xmlsafe.text(entry, "sdnType") or "Entity").lower()
        if sdn_type not in types:
            continue
        uid = xmlsafe.text(entry, "uid")
        if not uid:
            continue
        first, last = xmlsafe.text(entry, "firstName"), xmlsafe.text(entry, "lastName")
        main = _join(first, last)
        names = [ListedName(main, "name")] if main else []
        for aka in xmlsafe.children(xmlsafe.child(entry, "akaList"), "aka"):
            alias = _join(xmlsafe.text(aka, "firstName"), xmlsafe.text(aka, "lastName"))
            kind = _alias_kind(xmlsafe.text(aka, "type"), xmlsafe.text(aka, "category"))
            if alias:
                names.append(ListedName(alias, kind))
        if not names:
            continue
        ids = []
        for item in xmlsafe.children(xmlsafe.child(entry, "idList"), "id"):
            if _is_identifier(xmlsafe.text(item, "idType")):
                ids.append(xmlsafe.text(item, "idNumber"))
        countries = [
            *xmlsafe.texts(entry, "nationalityList/nationality/country"),
            *xmlsafe.texts(entry, "citizenshipList/citizenship/country"),
            *xmlsafe.texts(entry, "addressList/address/country"),
        ]
        entities.append(
            ListedEntity(
                id=f"ofac-{uid}",
                schema=_SCHEMA.get(sdn_type, _SCHEMA_DEFAULT),
                caption=main or names[0].text,
                names=dedupe_names(names),
                birth_dates=dedupe(
                    xmlsafe.texts(entry, "dateOfBirthList/dateOfBirthItem/dateOfBirth")
                ),
                countries=to_codes(tuple(countries)),
                id_numbers=dedupe(ids),
                topics=("sanction",),
                programs=dedupe(xmlsafe.texts(entry, "programList/program")),
                source=source,
            )
        )
    return make_list(source, "ofac_xml", [raw], entities, published=published)


# --- CSV ------------------------------------------------------------------------------------

_DOB = re.compile(r"^(?:alt\.\s*)?DOB\s+(.+)$", re.I)
_NATIONALITY = re.compile(r"^(?:alt\.\s*)?(?:nationality|citizen)\s+(.+)$", re.I)
_ID_ITEM = re.compile(
    r"^(?:alt\.\s*)?(?P<type>Passport|National ID No\.|Cedula No\.|Tax ID No\.|"
    r"Registration ID|Registration Number|Identification Number|Personal ID Card|"
    r"Driver's License No\.|SSN|RFC|C\.U\.R\.P\.|C\.U\.I\.T\.|NIT #|D-U-N-S Number|"
    r"Business Registration Number|Company Number|Unified Social Credit Code \(USCC\)|"
    r"Residency Number|Public Security and Immigration No\.|Trade License No\.|"
    r"Legal Entity Number|Citizen's Card Number|IMO|MMSI|SWIFT/BIC)\s+(?P<number>[^()]+)",
    re.I,
)


def _value(cell: str | None) -> str | None:
    if cell is None:
        return None
    cell = " ".join(cell.split())
    return None if not cell or cell == _NULL else cell


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # older OFAC CSV editions are Windows-1252
    except UnicodeDecodeError:
        raise ListFileError("not UTF-8 or Windows-1252 text") from None


def _rows(raw: bytes) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(_decode(raw))) if row and any(row)]
    except csv.Error as exc:  # RFC 4180 framing broken (e.g. a bare CR inside a field)
        raise ListFileError(f"not readable CSV: {exc}") from None


def _individual_name(name: str) -> str:
    """ "LAST, First Middle" → "First Middle LAST" (order does not matter to matching, but
    a caption should read naturally)."""
    if "," in name:
        last, first = name.split(",", 1)
        return _join(first.strip(), last.strip())
    return name


def parse_remarks(remarks: str | None) -> tuple[list[str], list[str], list[str]]:
    """(dates of birth, nationalities, ID numbers) out of an SDN ``Remarks`` cell."""
    dobs, nats, ids = [], [], []
    for item in (remarks or "").rstrip(".").split(";"):
        item = item.strip()
        if m := _DOB.match(item):
            dobs.append(m.group(1).strip())
        elif m := _NATIONALITY.match(item):
            nats.append(m.group(1).strip())
        elif m := _ID_ITEM.match(item):
            ids.append(m.group("number").strip())
    return dobs, nats, ids


def is_sdn_csv(raw: bytes) -> bool:
    """Whether ``raw`` looks like ``sdn.csv``: 12 columns, an integer first column."""
    try:
        first = next(csv.reader(io.StringIO(_decode(raw[:4096]))))
    except (StopIteration, csv.Error, ListFileError):
        return False
    return len(first) >= 12 and first[0].strip().isdigit()


def load_ofac_csv(
    sdn: Path | str,
    alt: Path | str | None = None,
    *,
    types: frozenset[str] = DEFAULT_TYPES,
    source: str = SOURCE,
) -> ScreeningList:
    """Load ``sdn.csv`` and its aliases from ``alt`` (default: ``alt.csv`` next to it, if
    present). A weak alias is recognised by "weak" in alt_remarks."""
    sdn = Path(sdn)
    raw_sdn = sdn.read_bytes()
    alt_path = Path(alt) if alt is not None else sdn.with_name("alt.csv")
    raw_alt = alt_path.read_bytes() if alt_path.is_file() else b""
    aliases: dict[str, list[ListedName]] = {}
    for row in _rows(raw_alt):
        if len(row) < 4:
            continue
        ent, alt_type, name = row[0].strip(), _value(row[2]), _value(row[3])
        remarks = _value(row[4]) if len(row) > 4 else None
        if not name:
            continue
        kind = "previousName" if (alt_type or "").lower().startswith("fka") else "alias"
        if remarks and "weak" in remarks.lower():
            kind = "weakAlias"
        aliases.setdefault(ent, []).append(ListedName(name, kind))
    entities = []
    for row in _rows(raw_sdn):
        if len(row) < 12 or not row[0].strip().isdigit():
            raise ListFileError("not an OFAC sdn.csv row (12 columns, a numeric ent_num)")
        ent, name = row[0].strip(), _value(row[1])
        sdn_type = (_value(row[2]) or "entity").lower()
        if sdn_type not in types or not name:
            continue
        main = _individual_name(name) if sdn_type == "individual" else name
        alias_names = aliases.get(ent, [])
        if sdn_type == "individual":
            alias_names = [ListedName(_individual_name(a.text), a.kind) for a in alias_names]
        dobs, nats, ids = parse_remarks(_value(row[11]))
        entities.append(
            ListedEntity(
                id=f"ofac-{ent}",
                schema=_SCHEMA.get(sdn_type, _SCHEMA_DEFAULT),
                caption=main,
                names=dedupe_names([ListedName(main, "name"), *alias_names]),
                birth_dates=dedupe(dobs),
                countries=to_codes(tuple(nats)),
                id_numbers=dedupe(ids),
                topics=("sanction",),
                programs=dedupe(re.split(r"\]\s*\[|[\[\]]", _value(row[3]) or "")),
                source=source,
            )
        )
    return make_list(source, "ofac_csv", [raw_sdn, raw_alt], entities)
