"""FollowTheMoney entity JSON lines (OpenSanctions exports, yente fixtures) → ListedEntity.

Format: one JSON object per line, ``{"id", "schema", "properties": {prop: [str, …]},
"caption", "datasets", …}``. Only parties are screened (Person, Company, Organization,
LegalEntity and a few close kin); Sanction, Address, Ownership … entities describe them and
are skipped, except that the number of a Passport / Identification entity is attached to its
``holder``, because an ID number is the strongest qualifier there is.

Which parties count as "listed": by default those whose ``properties.topics`` contain a
sanctions, debarment or export-control topic (prefix match, so ``sanction.linked`` is in).
OpenSanctions' FAQ recommends topics, not its ``target`` flag, for this decision; an
OpenSanctions export also holds companies that merely appear as owners or relatives.

Licence: OpenSanctions data is CC BY-NC 4.0 — fine for tests and non-commercial demos; a
commercial operator must load licensed data or the official lists (see :mod:`.ofac`,
:mod:`.unsc`). No such data ships inside this package.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
from cbec.screening.names import fold_tokens

SCREENED_SCHEMATA = frozenset(
    {"Person", "Company", "Organization", "LegalEntity", "PublicBody", "Vessel", "Airplane"}
)
DEFAULT_TOPICS: tuple[str, ...] = ("sanction", "debarment", "export.control", "crime.terror")
_NAME_PROPS = (("name", "name"), ("alias", "alias"), ("weakAlias", "weakAlias"))
_PREVIOUS_PROPS = ("previousName", "formerName")
_COUNTRY_PROPS = (
    "country",
    "nationality",
    "citizenship",
    "jurisdiction",
    "mainCountry",
    "incorporationCountry",  # not an FtM property today; harmless if absent
)
_ID_PROPS = (
    "idNumber",
    "passportNumber",
    "innCode",
    "registrationNumber",
    "ogrnCode",
    "taxNumber",
    "vatCode",
    "leiCode",
    "okpoCode",
    "uscCode",
    "swiftBic",
    "imoNumber",
    "socialSecurityNumber",
)
_IDENTIFICATION_SCHEMATA = frozenset({"Passport", "Identification"})


def has_topic(topics: Iterable[str], wanted: Iterable[str]) -> bool:
    """``sanction.linked`` matches ``sanction``; ``sanction`` does not match ``sanction.x``."""
    wanted = tuple(wanted)
    return any(t == w or t.startswith(w + ".") for t in topics for w in wanted)


def _composed(props: dict[str, list[str]]) -> list[str]:
    """First name + (father's / middle name) + last name, same script only.

    Lists give ``firstName`` and ``lastName`` in several scripts; mixing a Cyrillic first
    name with a Latin surname would only invent names nobody uses."""
    out = []
    firsts = props.get("firstName", [])
    lasts = props.get("lastName", [])
    for first in firsts:
        for last in lasts:
            if _script(first) == _script(last) and fold_tokens(first) and fold_tokens(last):
                out.append(f"{first} {last}")
    return out


def _script(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return "latin" if ch.isascii() or ord(ch) < 0x250 else f"u{ord(ch) >> 8:x}"
    return ""


def entity_from_ftm(data: dict[str, Any], source: str, ids: Iterable[str] = ()) -> ListedEntity:
    """One FtM party → ListedEntity (``ids``: numbers from linked Identification entities)."""
    props: dict[str, list[str]] = data.get("properties") or {}
    names: list[ListedName] = []
    for prop, kind in _NAME_PROPS:
        names.extend(ListedName(v, kind) for v in props.get(prop, []))
    for prop in _PREVIOUS_PROPS:
        names.extend(ListedName(v, "previousName") for v in props.get(prop, []))
    if data.get("schema") == "Person":
        names.extend(ListedName(v, "composed") for v in _composed(props))
    caption = data.get("caption") or (names[0].text if names else data["id"])
    if not names and caption:
        names.append(ListedName(caption, "name"))
    countries = [v for p in _COUNTRY_PROPS for v in props.get(p, [])]
    id_numbers = [v for p in _ID_PROPS for v in props.get(p, [])]
    return ListedEntity(
        id=data["id"],
        schema=data.get("schema", "LegalEntity"),
        caption=caption,
        names=dedupe_names(names),
        birth_dates=dedupe(props.get("birthDate", [])),
        countries=to_codes(tuple(countries)),
        id_numbers=dedupe([*id_numbers, *ids]),
        topics=dedupe(props.get("topics", [])),
        programs=dedupe(props.get("program", [])),
        source=source,
        datasets=dedupe(data.get("datasets") or []),
    )


def iter_ftm(lines: Iterable[bytes | str]) -> Iterator[dict[str, Any]]:
    """The entities of FtM JSON lines, each checked for the shape the loader reads (see
    :func:`_shape_problem`); :class:`ListFileError` names the line of the first that is not."""
    for number, line in enumerate(lines, start=1):
        try:
            if isinstance(line, bytes):
                line = line.decode("utf-8")
            line = line.strip()
            if not line:
                continue
            data = json.loads(line)
        except UnicodeDecodeError:
            raise ListFileError(f"line {number}: not UTF-8 text") from None
        except RecursionError:
            raise ListFileError(f"line {number}: JSON nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, or an integer past the digit limit
            raise ListFileError(f"line {number}: not JSON: {exc}") from None
        if not isinstance(data, dict) or "id" not in data or "schema" not in data:
            raise ListFileError(f"line {number}: not a FollowTheMoney entity (no id / schema)")
        problem = _shape_problem(data)
        if problem:
            raise ListFileError(f"line {number}: {problem}")
        yield data


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What makes ``data`` unreadable as an FtM entity (followthemoney.tech: ``id`` and
    ``schema`` strings, ``properties`` an object of string lists), or None."""
    for key in ("id", "schema"):
        if not isinstance(data[key], str) or not data[key]:
            return f"{key} must be a non-empty string"
    if data.get("caption") is not None and not isinstance(data["caption"], str):
        return "caption must be a string"
    datasets = data.get("datasets")
    if datasets is not None and not _strings(datasets):
        return "datasets must be a list of strings"
    props = data.get("properties")
    if props is None:
        return None
    if not isinstance(props, dict):
        return "properties must be an object"
    for name, values in props.items():
        if not _strings(values):
            return f"properties.{name[:64]} must be a list of strings"
    return None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def load_ftm(
    path: Path | str,
    *,
    topics: Iterable[str] | None = DEFAULT_TOPICS,
    source: str | None = None,
) -> ScreeningList:
    """Load a FtM JSON-lines file. ``topics=None`` screens every party in the file."""
    path = Path(path)
    raw = path.read_bytes()
    source = source or f"ftm:{path.name}"
    records = list(iter_ftm(raw.splitlines()))
    held: dict[str, list[str]] = defaultdict(list)
    for data in records:
        if data["schema"] in _IDENTIFICATION_SCHEMATA:
            props = data.get("properties") or {}
            for holder in props.get("holder", []):
                held[holder].extend(props.get("number", []))
    wanted = tuple(topics) if topics is not None else None
    entities = []
    for data in records:
        if data["schema"] not in SCREENED_SCHEMATA:
            continue
        entity_topics = (data.get("properties") or {}).get("topics", [])
        if wanted is not None and not has_topic(entity_topics, wanted):
            continue
        entities.append(entity_from_ftm(data, source, held.get(data["id"], ())))
    return make_list(source, "ftm", [raw], entities)
