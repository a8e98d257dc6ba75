"""What the filing use cases need from storage — a Protocol the store adapter implements
(``cbec.store.repository.Repository``), so this package imports no database code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow


def now() -> datetime:
    """The current time, timezone-aware UTC (the only clock the domain reads)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class StoredDocument:
    seq: int
    id: str
    kind: str
    natural_key: str
    filer_tenant_id: int
    filer: str
    body: dict[str, Any]  # JSON body as stored: personal fields are encrypted tokens
    fingerprint: str
    created_at: datetime
    ledger_index: int | None = None
    commit_salt: str | None = None  # encrypted token of the evidence commitments' salt
    version: int = 1
    subject_ref: str | None = None  # keyed hash of the buyer's / payer's ID (no ID in clear)
    pending_batch: str | None = None  # the bulk import still writing it (shown to no one)


@dataclass(frozen=True)
class FreshVersion:
    """What a filing knows of a document it has just created, without reading it back: when
    it was stored, its evidence-log entry and its body in clear (JSON form)."""

    created_at: datetime
    ledger_index: int
    body: dict[str, Any]


class TenantLookup(Protocol):
    def tenant_by_name(self, name: str) -> TenantRow | None: ...


class DocumentRepository(TenantLookup, Protocol):
    def find_by_keys(
        self, kind: str, scope_id: tuple[int, int], keys: Sequence[str]
    ) -> dict[str, StoredDocument]:
        """The stored documents of ``kind`` with these keys in the (scope, co-scope)."""
        ...

    def add_documents(self, rows: Iterable[dict[str, Any]]) -> None: ...

    def append_evidence(self, items: Sequence[tuple[str, bytes]]) -> list[int | None]:
        """Append evidence-log entries in the same transaction as the documents."""
        ...

    def replace_document(self, old: StoredDocument, fields: dict[str, Any]) -> None:
        """Keep ``old`` as a version and give the document the new ``fields``."""
        ...

    def add_reveal(
        self, viewer: Viewer, kind: str, doc_id: str, fields: list[str], reason: str
    ) -> int: ...


class TenantRepository(TenantLookup, Protocol):
    def add_tenant(self, name: str, role: Any, created_at: datetime | None = None) -> TenantRow: ...

    def add_api_key(self, tenant_id: int, key_id: str, secret_hash: str, label: str) -> None: ...

    def has_api_key(self, key_id: str) -> bool: ...


class Checked(Protocol):
    """What the checks of a chunk produced: their evidence-log entries, appended in the same
    call as the documents' own (one append per chunk), and how to store the check rows once
    those entries have their indexes — after the documents they reference are inserted."""

    entries: Sequence[tuple[str, bytes]]

    def store(self, indexes: Sequence[int | None]) -> None:
        """Insert the check rows, ``indexes[i]`` being the log index of ``entries[i]``."""
        ...

    def holds(self, doc_ids: Sequence[str]) -> bool:
        """Whether these checks, made before the write transaction, still hold in it for the
        documents ``doc_ids`` about to be created (what they read at one moment may be read
        at that moment; what they counted across documents — a sandbox's budget — must not
        have moved)."""
        ...

    def only(self, doc_ids: Sequence[str]) -> Checked:
        """These checks for ``doc_ids`` alone (the others turned out not to be new)."""
        ...


class OnCreated(Protocol):
    """Called with the documents a filing is about to create (id, JSON-ready body in clear),
    before they are inserted — before the write transaction, or inside it when checks made
    before no longer hold: where screening and compliance
    checks plug in. Appends nothing and stores nothing itself (see :class:`Checked`)."""

    def __call__(
        self, kind: str, viewer: Any, created: list[tuple[str, dict[str, Any]]]
    ) -> Checked: ...
