"""The data inventory: every stored field of every cbec document, tagged with its category,
grade, kind of personal information, protection at rest, mask and retention.

Pure core (no web, no database). The tags are rule data (``data/inventory.csv``, each row
dated and sourced) so a reviewer checks them against their provisions: the categories are
the three the CBEC literature manages apart (user information, transaction data,
supply-chain data), the grades those of GB/T 43697-2024 (general, important, core), the
personal-information kinds those of PIPL Arts. 4 and 28. :func:`fields_of` reads the fields
from the document models themselves, and :func:`problems` compares the two both ways — a
field added to a model without a tag, a tag for a field that no longer exists, or a tag
that says "encrypted" or names a mask the filing code does not apply — so the inventory
cannot drift from what is stored.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from cbec import ruledata
from cbec.ruledata import Row, RuleDataError
from cbec.trade.kinds import KINDS, Kind

INVENTORY = Path(__file__).resolve().parent / "data" / "inventory.csv"
CATEGORIES = ("user", "transaction", "supply_chain")
GRADES = ("general", "important", "core")
PI_KINDS = ("none", "linked", "possible", "personal", "sensitive")
PROTECTIONS = ("clear", "encrypted")


@dataclass(frozen=True)
class Tag:
    kind: str
    field: str
    category: str
    grade: str
    pi: str
    protection: str
    mask: str
    retention: str
    source: str
    effective_from: date


def _model_of(annotation: object) -> tuple[type[BaseModel], str] | None:
    """The document model an annotation holds (directly, in a list, or optional), with the
    path suffix it takes (``.`` or ``[].``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, "."
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:  # kept inside a union (``Annotated[list[X], …] | None``)
        return _model_of(args[0])
    if origin in (list, tuple) and args:
        inner = _model_of(args[0])
        return (inner[0], "[].") if inner else None
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if (inner := _model_of(arg)) is not None:
                return inner
    return None


def fields_of(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every stored leaf field of a document model as a path: ``buyer.name``,
    ``lines[].sku`` (the API's field names, in declaration order)."""
    for name, info in model.model_fields.items():
        inner = _model_of(info.annotation)
        if inner is None:
            yield prefix + name
        else:
            yield from fields_of(inner[0], prefix + name + inner[1])


def load(path: Path = INVENTORY, on: date | None = None) -> list[Tag]:
    """The tags in force on ``on`` (default: every row), checked: a value outside its list
    is refused with file, line and column (:class:`cbec.ruledata.RuleDataError`)."""
    rows: list[Row] = ruledata.load(path, required=("kind", "field", "category", "grade", "pi"))
    allowed = {"category": CATEGORIES, "grade": GRADES, "pi": PI_KINDS, "protection": PROTECTIONS}
    for row in rows:
        for column, values in allowed.items():
            if row.get(column) not in values:
                raise RuleDataError(path, row.line, column, f"must be one of {', '.join(values)}")
    if on is not None:
        rows = ruledata.in_force(rows, on)
    return [
        Tag(
            kind=r["kind"],
            field=r["field"],
            category=r["category"],
            grade=r["grade"],
            pi=r["pi"],
            protection=r.get("protection"),
            mask=r.get("mask"),
            retention=r.get("retention"),
            source=r.source,
            effective_from=r.effective_from,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Record:
    """A stored record that is not a document (a dispute message, an expert profile): its
    fields as paths (a table's columns, a JSON column's keys as ``column[].key``) and those
    sealed, with how a reader not entitled to them sees them (``withheld``: not at all)."""

    fields: tuple[str, ...]
    sealed: Mapping[str, str]


def problems(
    tags: list[Tag],
    kinds: Mapping[str, Kind] = KINDS,
    records: Mapping[str, Record] | None = None,
) -> list[str]:
    """What keeps the inventory from describing what is stored, as sentences (empty: none):
    untagged or twice-tagged fields, tags of fields or kinds that do not exist, and tags
    whose protection or mask differ from the kind's encrypted fields (``Kind.pii``) — the
    code that seals and masks them on every read — for the document kinds and for the
    ``records`` (:class:`Record`) given."""
    out: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for t in tags:
        seen[(t.kind, t.field)] = seen.get((t.kind, t.field), 0) + 1
    for (kind, field), n in seen.items():
        if n > 1:
            out.append(f"{kind}.{field}: tagged {n} times")
    stored = {name: (list(fields_of(kind.model)), kind.pii) for name, kind in kinds.items()}
    for name, record in (records or {}).items():
        stored[name] = (list(record.fields), record.sealed)
    for name, (fields, pii) in stored.items():
        for field in fields:
            if (name, field) not in seen:
                out.append(f"{name}.{field}: stored but not in the inventory")
        for field, mask in pii.items():
            tag = next((t for t in tags if t.kind == name and t.field == field), None)
            if tag is not None and (tag.protection, tag.mask) != ("encrypted", mask):
                out.append(f"{name}.{field}: encrypted with mask {mask}, tagged otherwise")
        known = set(fields)
        for t in tags:
            if t.kind != name:
                continue
            if t.field not in known:
                out.append(f"{name}.{t.field}: tagged but not a field of {name}")
            if t.protection == "encrypted" and t.field not in pii:
                out.append(f"{name}.{t.field}: tagged encrypted, stored in clear")
            if t.pi == "sensitive" and t.protection != "encrypted":
                out.append(f"{name}.{t.field}: sensitive personal information in clear")
    for t in tags:
        if t.kind not in stored:
            out.append(f"{t.kind}.{t.field}: no such document kind or record")
    return out
