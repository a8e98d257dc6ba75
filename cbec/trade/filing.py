"""Use cases of filing: file documents (one, or a whole import) and change a product.

One function, :func:`file_documents`, accepts a document posted to the API, a bulk import
through the API and an import from the CLI, so all three obey the same rules:

1. the filer's role must be allowed to file the kind;
2. each row is validated (structure, then business rules) and the parties it names are
   resolved to tenants — the filer's own party field defaults to the filer;
3. a natural key that already exists with the same content is *unchanged* (idempotent);
   with different content it is a conflict that lists the differing fields. Keys are
   scoped by the tenants of :attr:`Kind.scope`, which include the filer's own party
   (an order's platform and seller), so the document compared against is always one the
   filer may read: a 409 never discloses another tenant's document;
4. with ``all_or_nothing`` any rejected row rejects the batch and nothing is written;
   otherwise the good rows are written and the bad ones reported.

The caller's unit of work commits; nothing here acknowledges a write.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from cbec import collector, jsonio
from cbec.errors import Conflict, DocumentInvalid, Forbidden, Violation
from cbec.ids import uuid4_hex
from cbec.ledger.entry import CONTENT_TYPE as ENTRY_CONTENT_TYPE
from cbec.ledger.entry import document_entry
from cbec.privacy.fieldcrypt import PERSON_KID, DataKey, decrypt_with
from cbec.privacy.vault import PersonKey, Vault
from cbec.tenancy.access import Viewer, sees_clear
from cbec.tenancy.records import TenantRow
from cbec.trade.canonical import canonical_model_bytes, differing_paths, normalise, plain_model
from cbec.trade.checking import Candidate, check_chunk, may_file
from cbec.trade.kinds import Kind
from cbec.trade.ports import (
    Checked,
    DocumentRepository,
    FreshVersion,
    OnCreated,
    StoredDocument,
    now,
)
from cbec.trade.report import BatchRejected, FilingReport, Rejected, RowSet
from cbec.trade.subjects import subjects_and_keys
from cbec.trade.validation import Row, Unreadable, read, resolve_parties, validate

__all__ = ["BatchRejected", "FilingReport", "Rejected", "Row", "Unreadable", "validate"]


PERSONAL = "(personal information)"


def _conflict_paths(
    vault: Vault, viewer: Viewer, kind: Kind, stored: StoredDocument, doc: BaseModel
) -> list[str]:
    """Where ``doc`` differs from a stored document of the same key. The stored document is
    read through today's model, so one stored before keys were folded (NFKC) compares equal
    to the same document sent again; one today's rules refuse differs as a whole.

    A caller who is not the stored document's filer sees its personal fields masked, so the
    differing ones are not named: one :data:`PERSONAL` entry says only that some differ —
    no more than a 200 for an identical document would say — and guesses cannot be
    confirmed one field at a time."""
    clear = vault.open(kind.name, stored.id, kind.pii, stored.body, clear=True)
    try:
        old = normalise(kind.model.model_validate(clear).model_dump())
    except ValidationError:
        return ["(document)"]
    paths = differing_paths(old, normalise(doc.model_dump()))
    if sees_clear(viewer, stored.filer_tenant_id):
        return paths
    public = [p for p in paths if _INDEX.sub("", p) not in kind.pii]
    return [*public, PERSONAL] if len(public) < len(paths) else public


_INDEX = re.compile(r"\[\d+\]")  # lines[2].sku -> lines.sku, as Kind.pii names list fields


def file_documents(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    rows: Iterable[Row],
    *,
    all_or_nothing: bool = True,
    on_created: OnCreated | None = None,
    report: FilingReport | None = None,
    skip: RowSet | None = None,
) -> FilingReport:
    """File ``rows`` inside the caller's transaction; see the module docstring.

    Rows are handled in chunks (:data:`cbec.trade.checking.CHUNK`), each inserted as soon as
    it is checked, so memory stays flat however large the file is (the report keeps counts
    past its limit).
    Later chunks find the earlier chunks' documents through the same transaction, which is
    how a key repeated across a file is recognised. With ``all_or_nothing`` a rejected row
    raises :class:`BatchRejected` at the end — after every row has been checked, so the
    report counts them all — and the caller's unit of work rolls the inserted chunks back.
    ``skip`` names rows to pass over (rejected into ``report`` by
    :func:`cbec.trade.checking.precheck_documents`).
    """
    may_file(viewer, kind)
    report = report if report is not None else FilingReport(kind.name)
    tenant_cache: dict[str, TenantRow | None] = {}
    source = iter(rows)
    while True:
        # a chunk makes thousands of short-lived objects and no cycles: the cyclic collector
        # waits until it is written (it cost an eighth of a bulk import, cbec.collector)
        with collector.paused():
            chunk = check_chunk(repo, vault, viewer, kind, source, report, tenant_cache, skip)
            if not chunk:
                break
            write_chunk(repo, vault, viewer, kind, chunk, report, on_created)
            # freed by reference counting while the collector is off: kept until the next
            # chunk, its objects were walked by the pass that re-enabling it set off
            del chunk
    report.finish()
    if report.rejected_count and all_or_nothing:
        report.created.clear()
        raise BatchRejected(report)
    return report


@dataclass
class Prepared:
    """A chunk's documents made ready before the write lock (:func:`prepare_chunk`): the
    stored form of each first occurrence of a key — id, sealed row, evidence entry, body in
    clear — by its place in the chunk, and their checks."""

    at: datetime
    versions: dict[int, tuple[str, dict[str, Any], tuple[str, bytes], dict[str, Any]]]
    checked: Checked | None
    subjects: dict[int, str | None] = field(default_factory=dict)
    person_keys: dict[str, PersonKey] = field(default_factory=dict)


def prepare_chunk(
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    chunk: list[Candidate],
    on_created: OnCreated | None = None,
) -> Prepared:
    """What writing ``chunk`` costs besides the database writes — field encryption, the
    evidence entries' canonical form and hashes, the checks (compliance decision, screening)
    — done before the write lock, so that writers queued behind it wait only for inserts and
    a commit. Every first occurrence of a key is prepared as if new; :func:`write_chunk`
    uses the ones that are."""
    at = now()
    firsts: dict[int, Candidate] = {}
    seen: set[tuple[tuple[int, int], str]] = set()
    for i, c in enumerate(chunk):
        if (c.scope_id, c.key) not in seen:
            seen.add((c.scope_id, c.key))
            firsts[i] = c
    persons = {i: c.person() for i, c in firsts.items()}
    subjects, keys = subjects_and_keys(vault, viewer, persons, at)
    versions: dict[int, tuple[str, dict[str, Any], tuple[str, bytes], dict[str, Any]]] = {}
    # each new document's id (16 bytes) and commitment salt (32), from one call to the OS
    entropy = os.urandom(48 * len(firsts))
    for n, (i, c) in enumerate(firsts.items()):
        doc_id = uuid4_hex(entropy[48 * n : 48 * n + 16])
        ref = subjects[i]
        person = keys[ref].key if ref in keys else None
        row, item, body = _sealed_version(
            vault,
            viewer,
            kind,
            c,
            doc_id,
            at,
            "created",
            person=person,
            salt=entropy[48 * n + 16 : 48 * n + 48],
        )
        versions[i] = (doc_id, row, item, body)
    created = [(v[0], v[3]) for v in versions.values()]
    checked = on_created(kind.name, viewer, created) if on_created and created else None
    return Prepared(at, versions, checked, subjects, keys)


def write_chunk(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    chunk: list[Candidate],
    report: FilingReport,
    on_created: OnCreated | None = None,
    batch_id: str | None = None,
    prepared: Prepared | None = None,
    fresh: dict[str, FreshVersion] | None = None,
) -> None:
    """Compare a chunk's natural keys with stored documents and with each other; take the new
    ones' stored forms and checks from ``prepared`` (made now when not given), append the
    documents' and the checks' evidence in one call, insert the documents, then the check
    rows — all in the caller's transaction, so a document is never stored without its
    checks. Checks made before the lock are used only while they still hold
    (:meth:`cbec.trade.ports.Checked.holds`: no sandbox budget they drew on was used
    meanwhile); otherwise the new documents are checked again here. ``batch_id`` marks the
    documents as a bulk import's, shown to no one until it completes; a key held by another
    import still in progress is refused (``import_in_progress``) — it may yet be withdrawn.
    ``fresh``, when given, receives each created document's :class:`FreshVersion`, so a
    single filing answers without reading back what it has just written."""
    if not chunk:
        return
    if prepared is None:
        prepared = prepare_chunk(vault, viewer, kind, chunk, on_created)
    _reseal_erased(vault, viewer, kind, prepared)
    by_scope: dict[tuple[int, int], list[str]] = {}
    for c in chunk:
        by_scope.setdefault(c.scope_id, []).append(c.key)
    stored: dict[tuple[tuple[int, int], str], StoredDocument] = {}
    for scope_id, keys in by_scope.items():
        for key, doc in repo.find_by_keys(kind.name, scope_id, keys).items():
            stored[(scope_id, key)] = doc
    pending: dict[tuple[tuple[int, int], str], tuple[Candidate, str]] = {}
    new_rows: list[dict[str, Any]] = []
    used_keys: dict[str, PersonKey] = {}
    evidence: list[tuple[str, bytes]] = []
    created: list[tuple[str, dict[str, Any]]] = []
    for i, c in enumerate(chunk):
        nk = (c.scope_id, c.key)
        if nk in stored:
            existing = stored[nk]
            if existing.pending_batch is not None and existing.pending_batch != batch_id:
                report.reject(
                    Rejected(c.row, c.key, [Violation(kind.key_field, "import_in_progress")], True)
                )
                continue
            diffs = (
                []
                if existing.fingerprint == c.fingerprint
                else _conflict_paths(vault, viewer, kind, existing, c.doc)
            )
            if diffs:
                # The same scope is the caller's own (kinds scoped by the filer) or names it as
                # seller or platform, so the document compared against is one it can read.
                report.reject(_conflict(kind, c, diffs))
            else:
                report.unchanged.append(existing.id)
            continue
        if nk in pending:
            first, first_id = pending[nk]
            if first.fingerprint == c.fingerprint:
                report.unchanged.append(first_id)
            else:
                diffs = differing_paths(
                    normalise(first.doc.model_dump()), normalise(c.doc.model_dump())
                )
                report.reject(_conflict(kind, c, diffs))
            continue
        doc_id, row, item, body = prepared.versions[i]
        pending[nk] = (c, doc_id)
        subject = prepared.subjects.get(i)
        if subject in prepared.person_keys:
            used_keys[subject] = prepared.person_keys[subject]
        new_rows.append(
            row
            | {
                "id": doc_id,
                "kind": kind.name,
                "natural_key": c.key,
                "scope_tenant_id": c.scope_id[0],
                "co_scope_tenant_id": c.scope_id[1],
                "filer_tenant_id": viewer.tenant_id,
                "seller_tenant_id": c.parties["seller"].id if "seller" in c.parties else None,
                "platform_tenant_id": (
                    c.parties["platform"].id if "platform" in c.parties else None
                ),
                "order_no": c.order_no(),
                "placed_at": c.placed_at(kind),
                "subject_ref": subject,
                "batch_id": batch_id,
            }
        )
        evidence.append(item)
        report.created.append(doc_id)
        created.append((doc_id, body))
    checked = None
    if created and prepared.checked is not None:
        ids = [doc_id for doc_id, _ in created]
        if prepared.checked.holds(ids):
            checked = prepared.checked.only(ids)
        elif on_created is not None:
            checked = on_created(kind.name, viewer, created)
    # One append per chunk: the documents' entries, then the checks' (the checks cite document
    # ids, so their rows are stored after the documents, each with its entry's index).
    indexes = repo.append_evidence([*evidence, *(checked.entries if checked else ())])
    for row, index in zip(new_rows, indexes[: len(evidence)], strict=True):
        row["ledger_index"] = index
    if used_keys and vault.persons is not None:
        vault.persons.add(used_keys.values())
    repo.add_documents(new_rows)
    if checked is not None:
        checked.store(indexes[len(evidence) :])
    if fresh is not None:
        for row, (doc_id, body) in zip(new_rows, created, strict=True):
            fresh[doc_id] = FreshVersion(row["created_at"], row["ledger_index"], body)


def _reseal_erased(vault: Vault, viewer: Viewer, kind: Kind, prepared: Prepared) -> None:
    """Re-seal, under a key made now, the prepared documents of a person whose key was
    erased since :func:`prepare_chunk` found it (an erasure committed between the read step
    and this write): written as prepared they would be sealed under a shredded key and
    unreadable from the start. One query checks every stored key the chunk used. A key
    given a new secret meanwhile (moved to the data key's cipher by a re-encryption) is
    handled alike: the documents are sealed again under the key as it is now.

    Re-sealing rather than refusing the filing: the outcome is the one a filing started
    after the erasure gets (a fresh key for the person, the document readable by its filer),
    so a bulk import is not rolled back as a whole for one person (all-or-nothing holds for
    what the caller sent, not for a race it cannot see), and an idempotent retry finds the
    same document. The evidence entry is unchanged: the fingerprint, the salt and hence the
    commitments are the same; only their encryption key differs."""
    persons = vault.persons
    stored = {ref: k for ref, k in prepared.person_keys.items() if k.row is None}
    if persons is None or not stored:
        return
    live = persons.live(k.key for k in stored.values())
    erased = {ref for ref, k in stored.items() if k.key.kid[len(PERSON_KID) :] not in live}
    if not erased:
        return
    fresh = persons.for_subjects(viewer.tenant_id, erased, prepared.at)
    for i, (doc_id, row, item, body) in prepared.versions.items():
        ref = prepared.subjects.get(i)
        if ref not in erased:
            continue
        old, new = stored[ref].key, fresh[ref].key
        aad = Vault._aad(kind.name, doc_id, "commit_salt")
        salt = decrypt_with(old, row["commit_salt"], aad)
        resealed = row | {
            "body": jsonio.dumps(vault.seal(kind.name, doc_id, kind.pii, body, new)),
            "commit_salt": vault.seal_value(kind.name, doc_id, "commit_salt", salt, new),
        }
        prepared.versions[i] = (doc_id, resealed, item, body)
    prepared.person_keys.update(fresh)


def _sealed_version(
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    c: Candidate,
    doc_id: str,
    at: datetime,
    event: str,
    supersedes: int | None = None,
    person: DataKey | None = None,
    salt: bytes | None = None,
) -> tuple[dict[str, Any], tuple[str, bytes], dict[str, Any]]:
    """The stored form of one version of a document (sealed body, fingerprint, encrypted
    salt), its evidence-log entry, and its body in clear (JSON form, for the checks). With
    ``person`` the personal fields and the salt are sealed under that person's key, so
    erasing the person shreds them (the entry holds only salted commitments). ``salt``: 32
    random bytes for the commitments (drawn here when not given)."""
    body = c.json_body()
    if salt is None:
        salt = os.urandom(32)
    entry = document_entry(
        kind=kind.name,
        doc_id=doc_id,
        event=event,
        at=at,
        filer=viewer.name,
        tenants=[t.name for t in c.parties.values()],
        natural_key=c.key,
        body=body,
        pii_paths=kind.pii,
        salt=salt,
        supersedes=supersedes,
        plain=plain_model(kind.model),
    )
    row = {
        "body": jsonio.dumps(vault.seal(kind.name, doc_id, kind.pii, body, person)),
        "fingerprint": c.fingerprint,
        "created_at": at,
        "commit_salt": vault.seal_value(
            kind.name, doc_id, "commit_salt", base64.b64encode(salt).decode(), person
        ),
    }
    return row, (ENTRY_CONTENT_TYPE, entry), body


def change_document(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    old: StoredDocument,
    raw: Any,
) -> bool:
    """Replace a changeable document (a product) with a new version; the old version is
    kept and the change is logged. Returns False when the content is the same.

    A changeable kind names no person (tests/privacy/test_inventory.py holds every
    changeable kind to no personal field): a change never moves a document to another
    person's key or keyed reference, nor races an erasure's shredding the way a filing
    does (:func:`_reseal_erased`). A kind that did would need both first."""
    if not kind.changeable:
        raise Forbidden("not_changeable", {"kind": kind.name})
    if viewer.tenant_id != old.filer_tenant_id:
        raise Forbidden("only_filer_changes", {"kind": kind.name})
    found = read(kind, raw)
    doc, errors = found.doc, found.errors
    if found.seen is not None:  # a malformed row's parties are checked too: one pass
        seen, parties, party_errors = resolve_parties(repo, kind, viewer, found.seen, {})
        doc = seen if doc is not None else None
        errors = party_errors + errors
    if doc is not None and kind.natural_key(doc) != old.natural_key:
        errors.append(Violation(kind.key_field, "key_immutable", {"key": old.natural_key}))
    if errors or doc is None:
        raise DocumentInvalid(errors)
    fingerprint = vault.fingerprint(canonical_model_bytes(doc))
    if fingerprint == old.fingerprint:
        return False
    c = Candidate(1, doc, old.natural_key, kind.scope_of(parties), parties, fingerprint)
    at = now()
    subjects, keys = subjects_and_keys(vault, viewer, {0: c.person()}, at)
    found_key = keys.get(subjects[0] or "")
    if found_key is not None and vault.persons is not None:
        vault.persons.add([found_key])
    row, item, _ = _sealed_version(
        vault,
        viewer,
        kind,
        c,
        old.id,
        at,
        "changed",
        supersedes=old.ledger_index,
        person=found_key.key if found_key else None,
    )
    (row["ledger_index"],) = repo.append_evidence([item])
    repo.replace_document(old, row)
    return True


def _conflict(kind: Kind, c: Candidate, diffs: list[str]) -> Rejected:
    return Rejected(
        c.row,
        c.key,
        [Violation(p, "differs") for p in diffs] or [Violation("(document)", "differs")],
        conflict=True,
    )


def file_one(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    raw: Any,
    on_created: OnCreated | None = None,
) -> tuple[str, bool]:
    """File a single document: ``(document id, created?)``; raises DocumentInvalid/Conflict."""
    return write_one(
        repo, vault, viewer, kind, check_one(repo, vault, viewer, kind, raw), on_created
    )


def check_one(
    repo: DocumentRepository, vault: Vault, viewer: Viewer, kind: Kind, raw: Any
) -> Candidate:
    """A single document validated and its parties resolved (reads only): the candidate
    :func:`write_one` files; raises DocumentInvalid (every error of the row) or Forbidden."""
    may_file(viewer, kind)
    report = FilingReport(kind.name)
    chunk = check_chunk(repo, vault, viewer, kind, iter([(1, raw)]), report, {})
    if not chunk:
        raise DocumentInvalid(report.rejected[0].violations)
    return chunk[0]


def write_one(
    repo: DocumentRepository,
    vault: Vault,
    viewer: Viewer,
    kind: Kind,
    candidate: Candidate,
    on_created: OnCreated | None = None,
    prepared: Prepared | None = None,
    fresh: dict[str, FreshVersion] | None = None,
) -> tuple[str, bool]:
    """Write a checked single document (:func:`write_chunk` of one): ``(id, created?)``;
    raises Conflict when its key holds another content or an import in progress."""
    report = FilingReport(kind.name)
    write_chunk(
        repo, vault, viewer, kind, [candidate], report, on_created, prepared=prepared, fresh=fresh
    )
    if report.rejected:
        bad = report.rejected[0]
        if [v.rule for v in bad.violations] == ["import_in_progress"]:
            raise Conflict("import_in_progress", {"kind": kind.name, "key": bad.key})
        raise Conflict(
            "conflict_natural_key",
            {"kind": kind.name, "key": bad.key},
            [v.field for v in bad.violations],
        )
    if report.created:
        return report.created[0], True
    return report.unchanged[0], False
