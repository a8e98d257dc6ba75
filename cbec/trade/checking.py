"""Rows checked before anything is written: validated (structure, then business rules),
their parties resolved to tenants, their content fingerprinted.

A bulk import checks every row first in a read transaction (:func:`precheck_documents`), so
a batch with a bad row is refused without the write lock, then checks them again a chunk at
a time (:func:`check_chunk`) just before writing each chunk (:mod:`cbec.trade.filing`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel

from cbec import collector
from cbec.errors import Forbidden
from cbec.privacy.vault import Vault
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import ROLE_NAMES
from cbec.trade.canonical import canonical_model_bytes, plain_model
from cbec.trade.kinds import Kind
from cbec.trade.ports import DocumentRepository
from cbec.trade.report import FilingReport, Rejected, RowSet
from cbec.trade.subjects import person_of
from cbec.trade.validation import Row, Unreadable, read, resolve_parties
from cbec.yielding import yielding


@dataclass
class Candidate:
    row: int
    doc: BaseModel
    key: str
    scope_id: tuple[int, int]  # (scope, co-scope) tenant ids: see Kind.scope
    parties: dict[str, TenantRow]
    fingerprint: str

    def json_body(self) -> dict[str, Any]:
        """The document's JSON form as it is stored (``exclude_none``)."""
        return self.doc.model_dump(mode="json", exclude_none=True)

    def person(self) -> tuple[str, str] | None:
        """(ID type, ID number) of the person the document is about (see
        :func:`cbec.trade.subjects.person_of`)."""
        return person_of(self.doc)

    def order_no(self) -> str | None:
        return getattr(self.doc, "order_no", None)

    def placed_at(self, kind: Kind) -> Any:
        return kind.placed_at(self.doc)


class PackedCandidate(Candidate):
    """A good row a precheck kept as its document's JSON (:class:`Kept`): what writing it
    reads — the stored body, the person's ID, the order number, the placed time, the
    fingerprint — was taken from the validated document when it was packed, and the
    document itself is validated again from the JSON only when something asks for it (a
    conflict with a stored document, whose differing fields are named). Validating it
    again was a twentieth of a marketplace import."""

    def __init__(
        self,
        row: int,
        packed: bytes,
        kind: Kind,
        key: str,
        scope_id: tuple[int, int],
        parties: dict[str, TenantRow],
        fingerprint: str,
        read: tuple[tuple[str, str] | None, str | None, Any],
    ) -> None:
        self._packed, self._kind, self._doc = packed, kind, None
        self._person, self._order_no, self._placed_at = read
        super().__init__(row, None, key, scope_id, parties, fingerprint)  # type: ignore[arg-type]

    @property  # type: ignore[override]
    def doc(self) -> BaseModel:
        if self._doc is None:
            self._doc = self._kind.model.model_validate_json(self._packed)
        return self._doc

    @doc.setter
    def doc(self, value: BaseModel | None) -> None:
        self._doc = value

    def json_body(self) -> dict[str, Any]:
        """The packed JSON without its nulls: the JSON form of a plain model
        (:func:`cbec.trade.canonical.plain_model`, which :class:`Kept` packs only) written
        with ``exclude_none``, read back."""
        return _without_nulls(orjson.loads(self._packed))

    def person(self) -> tuple[str, str] | None:
        return self._person

    def order_no(self) -> str | None:
        return self._order_no

    def placed_at(self, kind: Kind) -> Any:
        return self._placed_at


def _without_nulls(value: Any) -> Any:
    """``value`` with every null member of an object left out (lists keep theirs), as
    pydantic's ``exclude_none`` leaves out a model's None fields."""
    if type(value) is dict:
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if type(value) is list:
        return [_without_nulls(v) for v in value]
    return value


CHUNK = 1000  # rows validated, checked against stored keys and inserted together

KEEP = 2_000
"""Good rows a precheck keeps as validated documents, for the write pass to use instead of
reading and validating them again (a validated order holds ≈ 8 KB: ≈ 16 MB at most)."""

KEEP_BYTES = 48 << 20
"""The good rows past :data:`KEEP` are kept as their documents' JSON (≈ 1.1 KB an order,
≈ 1.3 KB with its key and parties), up to this many bytes of JSON (≈ 44,000 orders), and
validated again from it when written (≈ 40 µs an order: less than half of reading,
converting and checking the row again). Rows past both are read from the source again, so
memory stays bounded whatever the file's size."""


def may_file(viewer: Viewer, kind: Kind) -> None:
    if viewer.role not in kind.filers:
        raise Forbidden(
            "role_cannot_file", {"role": ROLE_NAMES[viewer.role]["en"], "kind": kind.name}
        )


def _check_row(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    rowno: int,
    raw: Any,
    tenant_cache: dict[str, TenantRow | None],
    fingerprinted: bool = True,
) -> Candidate | Rejected:
    """One row validated (structure, rules) and its parties resolved: a candidate to insert,
    or the reasons it is rejected. Reads tenants; writes nothing. Without ``fingerprinted``
    the candidate's fingerprint is left empty: a precheck only tells good rows from bad, and
    the content's canonical form and keyed hash were a twentieth of an import's time."""
    if isinstance(raw, Unreadable):
        return Rejected(rowno, None, raw.violations)
    found = read(kind, raw)
    doc, errors = found.doc, found.errors
    parties: dict[str, TenantRow] = {}
    if found.seen is not None:  # a malformed row's parties are checked too: one pass
        seen, parties, party_errors = resolve_parties(repo, kind, viewer, found.seen, tenant_cache)
        doc = seen if doc is not None else None
        errors = party_errors + errors
    key = kind.natural_key(doc) if doc is not None else None
    if errors or doc is None:
        return Rejected(rowno, key, errors)
    fingerprint = vault.fingerprint(canonical_model_bytes(doc)) if fingerprinted else ""
    return Candidate(rowno, doc, key, kind.scope_of(parties), parties, fingerprint)


class Kept:
    """The good rows a precheck kept for the write pass (:func:`check_chunk`), by row number:
    the first ``models`` as validated documents, the next as their JSON while it fits in
    ``budget`` bytes (see :data:`KEEP`, :data:`KEEP_BYTES`). Fingerprints are made when a row
    is taken. ``complete``: every good row the precheck saw is here, so the write pass takes
    them from here (:meth:`replay`) and the source is not read, converted and validated a
    second time."""

    def __init__(self, kind: Kind, models: int = 0, budget: int = 0) -> None:
        self.kind = kind
        self.models, self.used = models, 0
        # only a plain model's JSON is its stored body once its nulls are left out
        self.budget = budget if plain_model(kind.model) else 0
        self._kept: dict[int, Candidate] = {}
        self._packed: dict[int, PackedCandidate] = {}
        self.complete = True

    def add(self, c: Candidate, vault: Vault) -> None:
        if len(self._kept) < self.models:
            self._kept[c.row] = c
            return
        if not self.complete:  # past the budget: the write pass reads the source anyway
            return
        body = c.doc.model_dump_json().encode() if self.budget else None
        if body is None or self.used + len(body) > self.budget:
            self.complete = False
            return
        self.used += len(body)
        read = (c.person(), c.order_no(), c.placed_at(self.kind))
        fingerprint = vault.fingerprint(canonical_model_bytes(c.doc))
        self._packed[c.row] = PackedCandidate(
            c.row, body, self.kind, c.key, c.scope_id, c.parties, fingerprint, read
        )

    def __contains__(self, rowno: int) -> bool:
        return rowno in self._kept or rowno in self._packed

    def __len__(self) -> int:
        return len(self._kept) + len(self._packed)

    def take(self, rowno: int, vault: Vault) -> Candidate:
        """The kept row, fingerprinted, and forgotten here. A packed one
        (:class:`PackedCandidate`) was fingerprinted when packed; its document is validated
        again from its own JSON only if asked for: structure and types only — its business
        rules and parties were checked on this very content (a document's JSON validates to
        an equal document, ``tests/documents/test_import_kept.py``)."""
        found = self._kept.pop(rowno, None)
        if found is None:
            return self._packed.pop(rowno)
        found.fingerprint = vault.fingerprint(canonical_model_bytes(found.doc))
        return found

    def replay(self) -> Iterator[Row]:
        """The kept rows in order, for :func:`check_chunk` to take (values unused)."""
        for rowno in sorted([*self._kept, *self._packed]):
            yield rowno, None


@dataclass
class Prechecked:
    """What :func:`precheck_documents` found: the rejected rows' numbers, how many rows
    passed (none: there is nothing to write), and the good rows it kept (:class:`Kept`) for
    :func:`check_chunk`."""

    rejected: RowSet
    passed: int
    kept: Kept


def precheck_documents(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    rows: Iterable[Row],
    report: FilingReport,
    keep: int = 0,
    budget: int = 0,
) -> Prechecked:
    """Check every row before anything is written — in a read transaction, so a large or
    junk import does not hold the database's write lock while it is parsed and validated.
    Rejected rows go into ``report``; their numbers are returned for :func:`file_documents`
    to skip; the first ``keep`` good rows are kept validated (:data:`KEEP`) and the next as
    JSON within ``budget`` bytes (:data:`KEEP_BYTES`, :class:`Kept`), so the write pass need
    not read and validate them again. Conflicts with stored documents are found only when
    writing."""
    may_file(viewer, kind)
    result = Prechecked(RowSet(), 0, Kept(kind, keep, budget))
    tenant_cache: dict[str, TenantRow | None] = {}
    source = yielding(rows)
    while True:
        # the cyclic collector waits for each slice of rows (short-lived objects, no cycles;
        # cbec.collector) and runs between slices, so a long file never holds it off long
        with collector.paused():
            seen = 0
            for rowno, raw in itertools.islice(source, CHUNK):
                seen += 1
                checked = _check_row(repo, vault, viewer, kind, rowno, raw, tenant_cache, False)
                if isinstance(checked, Rejected):
                    report.reject(checked)
                    result.rejected.add(rowno)
                else:
                    result.passed += 1
                    result.kept.add(checked, vault)
        if seen < CHUNK:
            return result


def check_chunk(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    rows: Iterator[Row],
    report: FilingReport,
    tenant_cache: dict[str, TenantRow | None],
    skip: RowSet | None = None,
    size: int = CHUNK,
    kept: Kept | None = None,
) -> list[Candidate]:
    """The next ``size`` good rows of ``rows`` checked (rejected ones go into ``report``),
    for :func:`write_chunk` — validation outside the transaction that writes them. An empty
    list: the rows are exhausted. A row a precheck ``kept`` is taken from there (and
    dropped from it), only fingerprinted now."""
    chunk: list[Candidate] = []
    for rowno, raw in yielding(rows):
        if skip is not None and rowno in skip:
            continue
        if kept and rowno in kept:
            checked: Candidate | Rejected = kept.take(rowno, vault)
        else:
            checked = _check_row(repo, vault, viewer, kind, rowno, raw, tenant_cache)
        if isinstance(checked, Rejected):
            report.reject(checked)
            continue
        chunk.append(checked)
        if len(chunk) >= size:
            break
    return chunk
