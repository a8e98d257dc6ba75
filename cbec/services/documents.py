"""Use cases of the trade documents: file one, import many, list, read, change, reveal.

The rules of filing live in :mod:`cbec.trade.filing` (validation, parties, natural keys,
conflicts, evidence entries); these functions add what makes them operations — the unit of
work and its commit, the Idempotency-Key record (IETF draft-ietf-httpapi-idempotency-key-header
§2: the same key with another body is a conflict, the same body answers as the first time),
the order checks run inside the filing transaction, and the caller's view of the result.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from cbec.compliance.model import Outcome
from cbec.errors import BadRequest, Conflict, Forbidden, NotFound
from cbec.jsonio import loads
from cbec.ledger.verify import verify_bundle
from cbec.services.checks import OrderChecks
from cbec.services.evidence import evidence_of
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade import filing, views
from cbec.trade.checking import Candidate
from cbec.trade.kinds import KINDS, Kind
from cbec.trade.ports import FreshVersion
from cbec.trade.types import fold_key

T = TypeVar("T")
MAX_SEQ = 2**63 - 1  # the largest sequence number SQL BIGINT holds


class _Request(BaseModel):
    model_config = ConfigDict(frozen=True)


class FileRequest(_Request):
    """One document as received: its kind, the JSON bytes, an optional Idempotency-Key."""

    kind: str
    body: bytes
    idempotency_key: str | None = Field(None, max_length=255)


class Filed(BaseModel):
    """201 when the document was created, 200 when the same document was already stored."""

    status: Literal[200, 201]
    view: dict[str, Any]


def _utc(value: datetime | None) -> datetime | None:
    """A time in UTC (cbec stores and compares times in UTC): without a zone it is read as
    UTC; with one it is converted — and refused when it has no UTC time (year 1 or 9999 at
    an offset that crosses the calendar's edge), which the store could not compare."""
    if value is None or value.tzinfo is None:
        return None if value is None else value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("no such time in UTC") from None


class ListQuery(_Request):
    kind: str
    # folded as filing folds it, so ``ＳＩ2026000001`` finds SI2026000001
    order_no: Annotated[str, AfterValidator(fold_key)] | None = Field(None, max_length=100)
    platform: str | None = Field(None, max_length=64)
    seller: str | None = Field(None, max_length=64)
    filed_by: str | None = Field(None, max_length=64)
    created_from: Annotated[datetime | None, AfterValidator(_utc)] = None
    created_to: Annotated[datetime | None, AfterValidator(_utc)] = None
    # when the documents were placed (an order's ``ordered_at``; kinds without it have none)
    placed_from: Annotated[datetime | None, AfterValidator(_utc)] = None
    placed_to: Annotated[datetime | None, AfterValidator(_utc)] = None
    # orders with a compliance decision of this outcome (other kinds have no decisions)
    outcome: Outcome | None = None
    limit: int = Field(50, ge=1, le=500)
    cursor: str | None = Field(None, max_length=64)
    newest_first: bool = False


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


class ChangeRequest(_Request):
    kind: str
    doc_id: str = Field(max_length=64)
    body: bytes


class RevealRequest(BaseModel):
    """Why a regulator needs the personal information in clear (kept in the audit trail)."""

    reason: str = Field(min_length=1, max_length=1000)


def kind_of(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound("not_found", {"kind": name})
    return kind


def _request_hash(uow: UnitOfWork, kind: Kind, path: str, body: bytes) -> str:
    return uow.vault.fingerprint(f"{kind.name}:{path}:".encode() + body)


def encode_cursor(seq: int, newest_first: bool = False) -> str:
    """An opaque page cursor: the last sequence number seen and the direction (``s``: oldest
    first, after it; ``n``: newest first, before it)."""
    tag = "n" if newest_first else "s"
    return base64.urlsafe_b64encode(f"{tag}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, newest_first: bool = False) -> int:
    """The sequence number a cursor stands for; a forged or oversized one, or one made for
    the other direction, is a 400."""
    if not cursor:
        return MAX_SEQ if newest_first else 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("bad_cursor") from None
    tag, _, seq = text.partition(":")
    if tag != ("n" if newest_first else "s") or not seq.isascii() or not seq.isdigit():
        raise BadRequest("bad_cursor")
    if len(seq) > 19:
        raise BadRequest("bad_cursor")
    value = int(seq)
    if value > MAX_SEQ:
        raise BadRequest("bad_cursor")
    return value


def _retrying(fn: Callable[[], T]) -> T:
    """Run a filing again once if a concurrent writer won a unique-key race (PostgreSQL
    checks the natural key at insert; the second run finds the winner's document)."""
    try:
        return fn()
    except IntegrityError:
        return fn()


def file_document(uow: UnitOfWork, caller: Viewer, req: FileRequest) -> Filed:
    """File one document (the same rules as an import of one row)."""
    return _retrying(lambda: _file_document(uow, caller, req))


def _file_document(uow: UnitOfWork, caller: Viewer, req: FileRequest) -> Filed:
    kind = kind_of(req.kind)
    raw = loads(req.body)
    request_hash = _request_hash(uow, kind, f"/{kind.plural}", req.body)

    def replayed(uow: UnitOfWork) -> Filed | None:
        """The answer of an earlier request with this Idempotency-Key, or None."""
        if not req.idempotency_key:
            return None
        seen = uow.repo.get_idempotency(caller.tenant_id, req.idempotency_key)
        if seen is None:
            return None
        if seen.request_hash != request_hash or seen.kind != kind.name:
            raise Conflict("idempotency_key_reused", {})
        doc = uow.repo.get_by_id(seen.document_id)
        return Filed(status=seen.status, view=views.present(uow.vault, kind, caller, doc))

    # Before the write lock: validation, parties, encryption, evidence entries and the checks
    # (cbec.trade.filing.prepare_chunk); under it only what must be: keys, inserts, commit.
    def read(uow: UnitOfWork) -> Filed | tuple[Candidate, filing.Prepared]:
        if (seen := replayed(uow)) is not None:
            return seen
        candidate = filing.check_one(uow.repo, uow.vault, caller, kind, raw)
        return candidate, filing.prepare_chunk(
            uow.vault, caller, kind, [candidate], OrderChecks(uow)
        )

    def write(uow: UnitOfWork, ready: Filed | tuple[Candidate, filing.Prepared]) -> Filed:
        if isinstance(ready, Filed):
            return ready
        if (seen := replayed(uow)) is not None:  # the same key, filed meanwhile
            return seen
        candidate, prepared = ready
        fresh: dict[str, FreshVersion] = {}
        doc_id, created = filing.write_one(
            uow.repo, uow.vault, caller, kind, candidate, OrderChecks(uow), prepared, fresh
        )
        status = 201 if created else 200
        if req.idempotency_key:
            uow.repo.put_idempotency(
                caller.tenant_id, req.idempotency_key, request_hash, status, kind.name, doc_id, None
            )
        if doc_id in fresh:  # just created: answered from what was written, not read back
            return Filed(
                status=status, view=views.present_fresh(kind, caller, doc_id, fresh[doc_id])
            )
        view = views.present(uow.vault, kind, caller, uow.repo.get_by_id(doc_id))
        return Filed(status=status, view=view)

    # on SQLite the write is committed with the concurrent filings' in one transaction
    # (group commit); on PostgreSQL the reads and the write are one transaction
    return uow.read_then_write(read, write)


def caller_named(uow: UnitOfWork, name: str) -> Viewer:
    """The tenant ``name`` as a caller (the command line acts as a tenant it names)."""
    with uow:
        tenant = uow.repo.tenant_by_name(name)
    if tenant is None:
        raise NotFound("not_found", {"kind": "tenant"})
    return Viewer(tenant.id, tenant.name, tenant.role)


def get_document(uow: UnitOfWork, caller: Viewer, kind_name: str, doc_id: str) -> dict[str, Any]:
    """One document as the caller may see it, with its evidence (inclusion proof)."""
    kind = kind_of(kind_name)
    with uow:
        doc = uow.repo.get_document(caller, kind.name, doc_id)
        if doc is None:
            raise NotFound("not_found", {"kind": kind.name})
        view = views.present(uow.vault, kind, caller, doc)
    view["ledger"] = evidence_of(uow.ledger, doc.ledger_index)
    return view


def list_documents(uow: UnitOfWork, caller: Viewer, query: ListQuery) -> Page:
    """The documents of a kind the caller may see, oldest (or newest) first, a page at a
    time (keyset pages: a cursor, never an offset)."""
    kind = kind_of(query.kind)
    bound = decode_cursor(query.cursor, query.newest_first)
    with uow:
        ids: dict[str, int | None] = {}
        for name, value in (
            ("platform", query.platform),
            ("seller", query.seller),
            ("filer", query.filed_by),
        ):
            if value is not None:
                t = uow.repo.tenant_by_name(value)
                ids[name] = t.id if t else -1
        docs = uow.repo.list_documents(
            caller,
            kind.name,
            after_seq=0 if query.newest_first else bound,
            before_seq=bound if query.newest_first else None,
            limit=query.limit,
            order_no=query.order_no,
            platform_id=ids.get("platform"),
            seller_id=ids.get("seller"),
            filer_id=ids.get("filer"),
            created_from=query.created_from,
            created_to=query.created_to,
            placed_from=query.placed_from,
            placed_to=query.placed_to,
            outcome=query.outcome,
        )
        uow.vault.preload(kind.pii, (d.body for d in docs))
        items = [views.present(uow.vault, kind, caller, d) for d in docs]
    last = docs[-1].seq if docs else 0
    nxt = encode_cursor(last, query.newest_first) if len(docs) == query.limit else None
    return Page(items=items, next_cursor=nxt)


def change_document(uow: UnitOfWork, caller: Viewer, req: ChangeRequest) -> dict[str, Any]:
    """Replace a changeable document (a product) with a new version; the old one is kept."""
    kind = kind_of(req.kind)
    raw = loads(req.body)
    with uow.writing():
        old = uow.repo.get_document(caller, kind.name, req.doc_id)
        if old is None:
            raise NotFound("not_found", {"kind": kind.name})
        filing.change_document(uow.repo, uow.vault, caller, kind, old, raw)
        view = views.present(uow.vault, kind, caller, uow.repo.get_by_id(req.doc_id))
        uow.commit()
    return view


def document_versions(
    uow: UnitOfWork, caller: Viewer, kind_name: str, doc_id: str
) -> dict[str, Any]:
    """The earlier versions of a changeable document, PII as the caller may see it."""
    kind = kind_of(kind_name)
    with uow:
        doc = uow.repo.get_document(caller, kind.name, doc_id)
        if doc is None:
            raise NotFound("not_found", {"kind": kind.name})
        old = uow.repo.versions(doc_id)
    items = []
    for o in old:
        body = views.opened(
            uow.vault, kind, caller, doc_id, json.loads(o["body"]), doc.filer_tenant_id
        )
        items.append(
            {
                "version": o["version"],
                "valid_from": o["valid_from"].isoformat(),
                "superseded_at": o["superseded_at"].isoformat(),
                "ledger": {"index": o["ledger_index"]},
                "document": body,
            }
        )
    return {"current_version": doc.version, "earlier": items}


def reveal_document(
    uow: UnitOfWork, caller: Viewer, kind_name: str, doc_id: str, req: RevealRequest
) -> dict[str, Any]:
    """A regulator's audited read of a document's personal information in clear."""
    kind = kind_of(kind_name)
    with uow.writing():
        if caller.role is not Role.REGULATOR:
            raise Forbidden("role_forbidden", {"allowed": "regulator"})
        doc = uow.repo.get_document(caller, kind.name, doc_id)
        if doc is None:
            raise NotFound("not_found", {"kind": kind.name})
        view = views.reveal(uow.repo, uow.vault, caller, kind, doc, req.reason)
        uow.commit()
    return view


def evidence_bundle(uow: UnitOfWork, caller: Viewer, kind_name: str, doc_id: str) -> str:
    """The c2sp.org/tlog-proof bundle proving a document the caller may see is logged."""
    kind = kind_of(kind_name)
    with uow:
        doc = uow.repo.get_document(caller, kind.name, doc_id)
    if doc is None or doc.ledger_index is None:
        raise NotFound("not_found", {"kind": kind.name})
    return uow.ledger.bundle(doc.ledger_index)


class EvidenceCheck(BaseModel):
    """A document's evidence bundle and what the standalone verifier (:mod:`cbec.ledger.verify`,
    the code behind ``cbec-verify``) proved of it with the log's public key: the signed
    checkpoint and the entry's RFC 9162 inclusion in the tree it commits to."""

    bundle: str
    verified: bool
    steps: list[str]
    error: str | None = None


def check_evidence(uow: UnitOfWork, caller: Viewer, kind_name: str, doc_id: str) -> EvidenceCheck:
    """The bundle of a document the caller may see, checked as an auditor would check it."""
    text = evidence_bundle(uow, caller, kind_name, doc_id)
    ledger = uow.ledger
    verdict = verify_bundle(text, ledger.vkeys, origin=ledger.origin, hash_name=ledger.hasher.name)
    return EvidenceCheck(bundle=text, verified=verdict.ok, steps=verdict.steps, error=verdict.error)
