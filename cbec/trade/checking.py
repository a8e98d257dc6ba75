"""Rows checked before anything is written: validated (structure, then business rules),
their parties resolved to tenants, their content fingerprinted.

A bulk import checks every row first in a read transaction (:func:`precheck_documents`), so
a batch with a bad row is refused without the write lock, then checks them again a chunk at
a time (:func:`check_chunk`) just before writing each chunk (:mod:`cbec.trade.filing`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from cbec import collector
from cbec.errors import Forbidden
from cbec.privacy.vault import Vault
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import ROLE_NAMES
from cbec.trade.canonical import canonical_bytes
from cbec.trade.kinds import Kind
from cbec.trade.ports import DocumentRepository
from cbec.trade.report import FilingReport, Rejected, RowSet
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


CHUNK = 1000  # rows validated, checked against stored keys and inserted together

KEEP = 2_000
"""Good rows a precheck keeps, validated, for the write pass to use instead of validating
them again (a validated order holds ≈ 7 KB: ≈ 15 MB at most, whatever the file's size).
An import of up to this many rows is validated once; a longer one, its first rows once."""


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
    fingerprint = vault.fingerprint(canonical_bytes(doc.model_dump())) if fingerprinted else ""
    return Candidate(rowno, doc, key, kind.scope_of(parties), parties, fingerprint)


@dataclass
class Prechecked:
    """What :func:`precheck_documents` found: the rejected rows' numbers, how many rows
    passed (none: there is nothing to write), and the good rows it kept (by row number, at
    most its ``keep``; their fingerprints not yet made) for :func:`check_chunk`."""

    rejected: RowSet
    passed: int
    kept: dict[int, Candidate] = field(default_factory=dict)


def precheck_documents(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    rows: Iterable[Row],
    report: FilingReport,
    keep: int = 0,
) -> Prechecked:
    """Check every row before anything is written — in a read transaction, so a large or
    junk import does not hold the database's write lock while it is parsed and validated.
    Rejected rows go into ``report``; their numbers are returned for :func:`file_documents`
    to skip; the first ``keep`` good rows are kept validated (:data:`KEEP`), so the write
    pass need not validate them again. Conflicts with stored documents are found only when
    writing."""
    may_file(viewer, kind)
    result = Prechecked(RowSet(), 0)
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
                    if len(result.kept) < keep:
                        result.kept[rowno] = checked
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
    kept: dict[int, Candidate] | None = None,
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
            checked: Candidate | Rejected = kept.pop(rowno)
            checked.fingerprint = vault.fingerprint(canonical_bytes(checked.doc.model_dump()))
        else:
            checked = _check_row(repo, vault, viewer, kind, rowno, raw, tenant_cache)
        if isinstance(checked, Rejected):
            report.reject(checked)
            continue
        chunk.append(checked)
        if len(chunk) >= size:
            break
    return chunk
