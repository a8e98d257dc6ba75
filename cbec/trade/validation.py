"""Reading one row into a document: structure (Pydantic) and the kind's rules, then the
parties it names resolved to tenants — the filer's own party field defaults to the filer.
Every error of the row is found in one pass: when a field is malformed, the rules and the
parties are still checked over the fields that are not (:mod:`cbec.trade.lenient`).
Pure but for the tenant look-up, which goes through :class:`~cbec.trade.ports.TenantLookup`.
Errors are :class:`~cbec.errors.Violation` s naming the field and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from cbec.errors import Violation, path_of
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import ROLE_NAMES
from cbec.trade import lenient
from cbec.trade.kinds import Kind
from cbec.trade.ports import TenantLookup

Row = tuple[int, Any]  # (row number in the source, raw JSON-like value or an Unreadable)


@dataclass(frozen=True)
class Unreadable:
    """A source row the reader could not turn into a document (bad JSON, CSV mismatch)."""

    violations: list[Violation]


def violations_from_pydantic(exc: ValidationError, strip: int = 0) -> list[Violation]:
    """Pydantic errors as violations; ``strip`` drops leading location parts (``body``)."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        params = dict(err.get("ctx") or {})
        for key, value in list(params.items()):
            if not isinstance(value, str | int | float):
                params[key] = str(value)
        params.setdefault("detail", err.get("msg", ""))
        params.setdefault("error", err.get("msg", ""))
        out.append(Violation(path_of(err["loc"][strip:]), err["type"], params))
    return out


def resolve_parties(
    repo: TenantLookup,
    kind: Kind,
    viewer: Viewer,
    doc: BaseModel,
    cache: dict[str, TenantRow | None],
) -> tuple[BaseModel, dict[str, TenantRow], list[Violation]]:
    found: dict[str, TenantRow] = {}
    errors: list[Violation] = []
    updates: dict[str, str] = {}
    for ref in kind.parties:
        value = getattr(doc, ref.field)
        if value is lenient.INVALID:
            continue  # malformed: its own error is reported, naming no tenant
        if viewer.role is ref.role:
            if value is not None and value != viewer.name:
                errors.append(Violation(ref.field, "party_mismatch", {"tenant": viewer.name}))
                continue
            updates[ref.field] = viewer.name
            found[ref.field] = TenantRow(viewer.tenant_id, viewer.name, viewer.role)
            continue
        if value is None:
            errors.append(Violation(ref.field, "missing"))
            continue
        if value not in cache:
            cache[value] = repo.tenant_by_name(value)
        tenant = cache[value]
        if tenant is None or tenant.role is not ref.role:
            errors.append(
                Violation(
                    ref.field,
                    "party_unknown",
                    {"role": ROLE_NAMES[ref.role]["en"], "name": value},
                )
            )
            continue
        found[ref.field] = tenant
    if updates:
        doc = doc.model_copy(update=updates)
    return doc, found, errors


@dataclass(frozen=True)
class Read:
    """A row read as a document: ``doc`` when every field is well-formed; ``seen`` what could
    be read — ``doc`` itself, or a partial document (:func:`cbec.trade.lenient.partial`), or
    None when the row is not an object; and every error found, structural and of the rules."""

    doc: BaseModel | None
    seen: BaseModel | None
    errors: list[Violation]


def read(kind: Kind, raw: Any) -> Read:
    """Structure and rules, in one pass. Pure: no database."""
    if not isinstance(raw, dict):
        return Read(None, None, [Violation("(document)", "row_not_object")])
    try:
        doc = kind.model.model_validate(raw)
    except ValidationError as exc:
        errors = violations_from_pydantic(exc)
        bad = {tuple(e["loc"]) for e in exc.errors(include_url=False, include_input=False)}
        seen = lenient.partial(kind.model, raw, bad)
        return Read(None, seen, errors + kind.check(seen))
    return Read(doc, doc, kind.check(doc))


def validate(kind: Kind, raw: Any) -> tuple[BaseModel | None, list[Violation]]:
    """The document (None unless every field is well-formed) and every error of the row."""
    found = read(kind, raw)
    return found.doc, found.errors
