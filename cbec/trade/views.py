"""How a stored document reads to a caller: personal fields clear for its filer, for everyone
else through the operator the masking policy names for the reader and the field's level
(:mod:`cbec.privacy.masking_policy`; :mod:`cbec.tenancy.access`), free text anonymized the
same way (:mod:`cbec.privacy.scan.anonymize`), and a regulator's audited reveal of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cbec.errors import DocumentInvalid, Forbidden, Violation
from cbec.privacy import masking_policy
from cbec.privacy.masking import reader_purpose
from cbec.privacy.vault import ERASED, Vault
from cbec.tenancy.access import Viewer, relation, sees_clear
from cbec.tenancy.roles import Role
from cbec.trade.kinds import Kind
from cbec.trade.ports import DocumentRepository, FreshVersion, StoredDocument


def present(vault: Vault, kind: Kind, viewer: Viewer, doc: StoredDocument) -> dict[str, Any]:
    """The API/CLI view of a stored document, with PII clear for its filer, masked otherwise."""
    clear = sees_clear(viewer, doc.filer_tenant_id)
    document = opened(vault, kind, viewer, doc.id, doc.body, doc.filer_tenant_id)
    return _view(
        doc.id, doc.kind, doc.filer, doc.created_at, clear, doc.version, doc.ledger_index, document
    )


def opened(
    vault: Vault,
    kind: Kind,
    viewer: Viewer,
    doc_id: str,
    body: dict[str, Any],
    filer_tenant_id: int,
) -> dict[str, Any]:
    """A stored ``body`` of document ``doc_id`` as ``viewer`` reads it: clear for the filer;
    for anyone else each personal field through its policy operator and each free-text
    field (the inventory's ``possible``) with the personal information found in it masked
    by the same operators. Every read of a document's body goes through here."""
    reader = relation(viewer, filer_tenant_id)
    if reader == "filer":
        return vault.open(kind.name, doc_id, kind.pii, body, clear=True)
    by_level = masking_policy.for_reader(reader, viewer.user_role)
    operators = masking_policy.field_operators(kind.name, kind.pii, by_level)
    purpose = reader_purpose(viewer.tenant_id)
    out = vault.open(
        kind.name, doc_id, kind.pii, body, clear=False, operators=operators, purpose=purpose
    )
    for path in masking_policy.free_text_fields(kind.name):
        _anonymize_at(out, path.split("."), by_level, vault.hmac_key, purpose)
    return out


def _anonymize_at(
    node: Any, parts: list[str], by_level: dict[str, str], key: bytes, purpose: str
) -> None:
    """Anonymize the text at ``parts`` (``events[]`` walks a list) under ``node``, in place
    (``node`` is the reader's own copy, :meth:`Vault.open`)."""
    if not isinstance(node, dict) or not parts:
        return
    head, rest = parts[0], parts[1:]
    name = head.removesuffix("[]")
    child = node.get(name)
    if head.endswith("[]"):
        if isinstance(child, list):
            node[name] = child = [dict(c) if isinstance(c, dict) else c for c in child]
            for item in child:
                _anonymize_at(item, rest, by_level, key, purpose)
    elif rest:
        if isinstance(child, dict):
            node[name] = child = dict(child)
            _anonymize_at(child, rest, by_level, key, purpose)
    elif isinstance(child, str) and child:
        from cbec.privacy.scan.anonymize import anonymize_text

        node[name] = anonymize_text(child, by_level, key, purpose=purpose)[0]


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
