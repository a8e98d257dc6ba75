"""How a stored document reads to a caller: personal fields clear for its filer, masked for
everyone else (:mod:`cbec.tenancy.access`), and a regulator's audited reveal of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cbec.errors import DocumentInvalid, Forbidden, Violation
from cbec.privacy.vault import ERASED, Vault
from cbec.tenancy.access import Viewer, sees_clear
from cbec.tenancy.roles import Role
from cbec.trade.kinds import Kind
from cbec.trade.ports import DocumentRepository, FreshVersion, StoredDocument


def present(vault: Vault, kind: Kind, viewer: Viewer, doc: StoredDocument) -> dict[str, Any]:
    """The API/CLI view of a stored document, with PII clear for its filer, masked otherwise."""
    clear = sees_clear(viewer, doc.filer_tenant_id)
    document = vault.open(kind.name, doc.id, kind.pii, doc.body, clear=clear)
    return _view(
        doc.id, doc.kind, doc.filer, doc.created_at, clear, doc.version, doc.ledger_index, document
    )


def present_fresh(kind: Kind, viewer: Viewer, doc_id: str, fresh: FreshVersion) -> dict[str, Any]:
    """The view :func:`present` gives the filer of a document it has just created (the first
    version, in clear), built from what the filing holds instead of read back and decrypted
    under the write lock."""
    return _view(
        doc_id, kind.name, viewer.name, fresh.created_at, True, 1, fresh.ledger_index, fresh.body
    )


def _view(
    doc_id: str,
    kind: str,
    filer: str,
    created_at: datetime,
    clear: bool,
    version: int,
    ledger_index: int | None,
    document: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "kind": kind,
        "filed_by": filer,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "pii": "clear" if clear else "masked",
        "version": version,
        "ledger": {"index": ledger_index},
        "document": document,
    }


def reveal(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    doc: StoredDocument,
    reason: str,
) -> dict[str, Any]:
    """A regulator's audited read of the clear personal information of one document."""
    if viewer.role is not Role.REGULATOR:
        raise Forbidden("role_forbidden", {"allowed": "regulator"})
    if len(reason.strip()) < 10:
        raise DocumentInvalid([Violation("reason", "reveal_reason")])
    audit_id = repo.add_reveal(viewer, kind.name, doc.id, sorted(kind.pii), reason)
    view = present(vault, kind, viewer, doc)
    view["document"] = vault.open(kind.name, doc.id, kind.pii, doc.body, clear=True)
    view["pii"] = "clear"
    if doc.commit_salt:  # with it, the clear document can be checked against the log entry
        salt = vault.open_value(kind.name, doc.id, "commit_salt", doc.commit_salt)
        if salt != ERASED:  # erased with its person: the entry's commitments stay closed
            view["evidence_salt"] = salt
    view["audit_id"] = audit_id
    return view
