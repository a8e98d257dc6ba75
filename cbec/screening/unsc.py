"""UN Security Council Consolidated List XML (``consolidated.xml``) → ListedEntity.

The UNSC list is the base that most national lists (including China's implementation of
UN sanctions) copy, and it is public. Format, matched by element name (no namespace):

``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) →
``INDIVIDUALS/INDIVIDUAL`` with ``DATAID``, ``FIRST_NAME`` … ``FOURTH_NAME``,
``NAME_ORIGINAL_SCRIPT`` (e.g. Arabic), ``UN_LIST_TYPE``, ``REFERENCE_NUMBER``,
``NATIONALITY/VALUE``, ``INDIVIDUAL_ALIAS`` (``QUALITY`` Good / Low / a.k.a. / f.k.a.,
``ALIAS_NAME`` — several names may be joined by "; "), ``INDIVIDUAL_DATE_OF_BIRTH``
(``TYPE_OF_DATE`` EXACT / APPROXIMATELY / BETWEEN with ``DATE``, ``YEAR`` or
``FROM_YEAR``/``TO_YEAR``), ``INDIVIDUAL_DOCUMENT`` (``TYPE_OF_DOCUMENT``, ``NUMBER``,
``ISSUING_COUNTRY``), ``INDIVIDUAL_ADDRESS/COUNTRY``, ``INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY``;
and ``ENTITIES/ENTITY`` with ``DATAID``, ``FIRST_NAME`` (the entity's name),
``ENTITY_ALIAS`` and ``ENTITY_ADDRESS/COUNTRY``.

The quality → name kind mapping follows OpenSanctions' crawler (Low → weak alias,
f.k.a. → previous name).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

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

SOURCE = "un_sc_sanctions"
_QUALITY = {"low": "weakAlias", "good": "alias", "a.k.a.": "alias", "f.k.a.": "previousName"}


def _aliases(node: etree._Element, tag: str) -> list[ListedName]:
    out = []
    for alias in xmlsafe.children(node, tag):
        names = xmlsafe.text(alias, "ALIAS_NAME")
        kind = _QUALITY.get((xmlsafe.text(alias, "QUALITY") or "").lower(), "alias")
        for name in (names or "").split(";"):
            if name.strip():
                out.append(ListedName(name.strip(), kind))
    return out


def _birth_dates(node: etree._Element) -> list[str]:
    out = []
    for dob in xmlsafe.children(node, "INDIVIDUAL_DATE_OF_BIRTH"):
        date = xmlsafe.text(dob, "DATE")
        if date:
            out.append(date[:10])
            continue
        year = xmlsafe.text(dob, "YEAR")
        if year:
            out.append(year)
            continue
        lo, hi = xmlsafe.text(dob, "FROM_YEAR"), xmlsafe.text(dob, "TO_YEAR")
        if lo and hi:
            out.append(f"{lo} to {hi}")
    return out


def _common(node: etree._Element, schema: str, names: list[ListedName]) -> ListedEntity | None:
    dataid = xmlsafe.text(node, "DATAID")
    if not dataid or not names:
        return None
    original = xmlsafe.text(node, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(ListedName(original, "alias"))
    return ListedEntity(
        id=f"unsc-{dataid}",
        schema=schema,
        caption=names[0].text,
        names=dedupe_names(names),
        topics=("sanction",),
        programs=dedupe(
            [xmlsafe.text(node, "UN_LIST_TYPE"), xmlsafe.text(node, "REFERENCE_NUMBER")]
        ),
        source=SOURCE,
    )


def load_un_xml(path: Path | str, *, source: str = SOURCE) -> ScreeningList:
    raw = Path(path).read_bytes()
    root = xmlsafe.parse(raw)
    if xmlsafe.local(root) != "CONSOLIDATED_LIST":
        raise ListFileError(f"not a UN consolidated list (root {xmlsafe.local(root)})")
    entities: list[ListedEntity] = []
    for node in xmlsafe.children(xmlsafe.child(root, "INDIVIDUALS"), "INDIVIDUAL"):
        parts = [xmlsafe.text(node, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
        parts.append(xmlsafe.text(node, "FOURTH_NAME"))
        main = " ".join(p for p in parts if p)
        names = ([ListedName(main, "name")] if main else []) + _aliases(node, "INDIVIDUAL_ALIAS")
        base = _common(node, "Person", names)
        if base is None:
            continue
        ids = [xmlsafe.text(doc, "NUMBER") for doc in xmlsafe.children(node, "INDIVIDUAL_DOCUMENT")]
        countries = [
            *xmlsafe.texts(node, "NATIONALITY/VALUE"),
            *xmlsafe.texts(node, "INDIVIDUAL_ADDRESS/COUNTRY"),
            *xmlsafe.texts(node, "INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY"),
        ]
        entities.append(
            replace(
                base,
                birth_dates=dedupe(_birth_dates(node)),
                countries=to_codes(tuple(countries)),
                id_numbers=dedupe(ids),
                source=source,
            )
        )
    for node in xmlsafe.children(xmlsafe.child(root, "ENTITIES"), "ENTITY"):
        main = xmlsafe.text(node, "FIRST_NAME")
        names = ([ListedName(main, "name")] if main else []) + _aliases(node, "ENTITY_ALIAS")
        base = _common(node, "LegalEntity", names)
        if base is None:
            continue
        countries = xmlsafe.texts(node, "ENTITY_ADDRESS/COUNTRY")
        entities.append(replace(base, countries=to_codes(tuple(countries)), source=source))
    return make_list(source, "un_xml", [raw], entities, published=root.get("dateGenerated"))
