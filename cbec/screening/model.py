"""What a loaded sanctions / denied-party list is, independent of the format it came in.

Every loader (FollowTheMoney JSON lines, OFAC SDN XML or CSV, UN Security Council XML) turns
its format into the same small records, so matching never needs to know where a name came
from. The records keep the list's own spelling (``ListedName.text``); normalisation happens
when the index is built, so a hit can always show the name exactly as the authority wrote it.

A :class:`ScreeningList` carries a :class:`ListVersion` — the sha256 of the bytes it was read
from, the entity count, the source name and when it was loaded — because a compliance team
must be able to say which edition of a list a decision was screened against, and the caller
logs a new version whenever the sha256 changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cbec.errors import DocumentInvalid, Violation

# How much a name of each kind counts. Weak aliases (OFAC "weak" a.k.a., UN "Low" quality,
# FtM ``weakAlias``) are short or generic ("CST", "ZALA", a nickname) and are known to
# produce false hits (OFAC FAQ 91), so their similarity is discounted to 0.8: below the
# default threshold on its own, a hit once a birth date or an ID agrees. Former names still
# identify the party (a renamed company is the same company) and count almost fully.
NAME_WEIGHTS: dict[str, float] = {
    "name": 1.0,
    "alias": 1.0,
    "composed": 1.0,  # first name + last name put together by the loader
    "previousName": 0.97,
    "weakAlias": 0.8,
}

# The score at or above which a candidate is a hit (the reasoning is in
# cbec.screening.match, which uses it). It lives here, with the other scoring constants, so
# the command line can show it as an option default without loading the matcher and its
# transliteration tables.
DEFAULT_THRESHOLD = 0.85


class ListFileError(DocumentInvalid, ValueError):
    """A list file no loader can read: says where in the file (``line 3``, the root element)
    and what is wrong — never the path it was stored under. A member of cbec's error family
    (an invalid document, rule ``screening_list``), and still a ``ValueError`` for the core's
    callers."""

    def __init__(self, message: str, field_: str = "(document)") -> None:
        self.detail = message
        super().__init__([Violation(field_, "screening_list", {"detail": message})])

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name of a listed party, as written on the list, and what kind of name it is."""

    text: str
    kind: str = "name"  # a key of NAME_WEIGHTS

    @property
    def weight(self) -> float:
        return NAME_WEIGHTS.get(self.kind, 1.0)


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """A sanctioned / denied party: the fields screening compares, nothing else.

    ``birth_dates`` are ISO-8601 prefixes as the list gives them (``1960``, ``1960-01`` or
    ``1960-01-12``); ``countries`` are lower-case ISO 3166-1 alpha-2 codes of nationality,
    citizenship, residence or registration (lists mix these, and so do buyers' records);
    ``id_numbers`` are as listed (normalised when compared)."""

    id: str
    schema: str  # Person | Company | Organization | LegalEntity | ...
    caption: str
    names: tuple[ListedName, ...]
    birth_dates: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()
    id_numbers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    source: str = ""  # the ListVersion.source of the list it was loaded from
    datasets: tuple[str, ...] = ()  # for aggregated data (OpenSanctions): original lists

    @property
    def is_person(self) -> bool:
        return self.schema == "Person"


@dataclass(frozen=True, slots=True)
class ListVersion:
    """Which edition of a list was loaded — log it whenever ``sha256`` changes."""

    source: str  # e.g. "us_ofac_sdn", "un_sc_sanctions", "ftm:zala_entities.ftm.json"
    format: str  # ftm | ofac_xml | ofac_csv | un_xml
    sha256: str  # of the bytes read (all files of the list, in a fixed order)
    entity_count: int
    loaded_at: datetime
    published: str | None = None  # the list's own date, when it states one

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "sha256": self.sha256,
            "entity_count": self.entity_count,
            "loaded_at": self.loaded_at.isoformat(),
            "published": self.published,
        }


@dataclass(frozen=True, slots=True)
class ScreeningList:
    """A loaded list: its version and its screened entities."""

    version: ListVersion
    entities: tuple[ListedEntity, ...] = field(repr=False)

    def __len__(self) -> int:
        return len(self.entities)


def content_sha256(parts: Iterable[bytes]) -> str:
    """sha256 of a list's bytes. One file: the plain sha256, so an operator can check it
    with ``sha256sum``. Several files (``sdn.csv`` + ``alt.csv``): each is prefixed by its
    length, so that moving bytes from one file to the next still changes the digest."""
    parts = list(parts)
    if len(parts) == 1:
        return hashlib.sha256(parts[0]).hexdigest()
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def make_list(
    source: str,
    fmt: str,
    raw: Iterable[bytes],
    entities: Iterable[ListedEntity],
    *,
    published: str | None = None,
    loaded_at: datetime | None = None,
) -> ScreeningList:
    """Wrap loaded entities with the version computed from the raw bytes they came from."""
    items = tuple(entities)
    version = ListVersion(
        source=source,
        format=fmt,
        sha256=content_sha256(raw),
        entity_count=len(items),
        loaded_at=loaded_at or datetime.now(UTC),
        published=published,
    )
    return ScreeningList(version, items)


def dedupe(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty, stripped, first occurrence kept, order preserved."""
    seen: dict[str, None] = {}
    for value in values:
        if value is None:
            continue
        text = " ".join(str(value).split())
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def dedupe_names(names: Iterable[ListedName]) -> tuple[ListedName, ...]:
    """One ListedName per text, keeping the strongest kind (a name that is both ``name`` and
    ``weakAlias`` counts as ``name``)."""
    best: dict[str, ListedName] = {}
    for name in names:
        text = " ".join(name.text.split())
        if not text:
            continue
        current = best.get(text)
        if current is None or name.weight > current.weight:
            best[text] = ListedName(text, name.kind)
    return tuple(best.values())
