"""Use cases of data subject requests: access to everything a controller holds on a person
(PIPL Art. 45; GDPR Art. 15) and its erasure (PIPL Art. 47; GDPR Art. 17), and their
register.

The controller is the tenant that filed the data: a seller and a platform each answer for
their own filings, so each reads and erases only what it filed — never what another tenant
filed on the same person, and the regulator (no controller) neither. A person is found by
ID (the documents' keyed index, ``documents.subject_ref``) or by phone: phones have no
index, so the tenant's orders and payments are opened and compared in E.164 (China by
default) — slower, but nothing keyed on a phone is stored to be forgotten later.

Erasure crypto-shreds: the person's key (:mod:`cbec.store.person_key_store`) is deleted, so
the personal fields and the commitment salt sealed under it are unreadable in the database
and in every backup. Documents sealed before person keys existed have their personal tokens
and salt overwritten in place instead (a backup taken earlier still holds them, sealed under
the deployment key). The evidence ledger holds only salted commitments, so every entry, and
every inclusion and consistency proof given before, verifies after. The erasure is logged
there without personal data; repeated, it answers ``already_erased``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import phonenumbers

from cbec.accounts import UserRole
from cbec.errors import FieldInputError, Forbidden
from cbec.privacy import inventory
from cbec.privacy.masking import MASKERS
from cbec.privacy.vault import ERASED, Vault, erased_in
from cbec.services import dsr_records as records
from cbec.services.dsr_models import (
    DsrEntry,
    DsrRegister,
    RetentionNote,
    RevealRecord,
    ScreeningRecord,
    SubjectAccess,
    SubjectDocument,
    SubjectQuery,
    TaxChargeRecord,
    TransferRecord,
)
from cbec.services.users import SessionUser
from cbec.store.dsr_store import DsrStore
from cbec.store.repository import UnitOfWork
from cbec.store.tax_store import PURPOSE as QUOTA_PURPOSE
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now
from cbec.trade.subjects import subject_ref_of

ENTRY_TYPE = "cbec.dsr/v1"
REGISTER_LIMIT = 1000
PHONE_PURPOSE = "dsr_phone"  # the register's keyed reference of a person found by phone
EMAIL_PURPOSE = "dsr_email"  # … and by e-mail
# an address as RFC 5322 §3.4.1 writes one, loosely: no space, one @, a dot in the domain —
# enough to refuse a typo in the form; the address is only compared, never mailed
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


class DsrInput(FieldInputError):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__(field, detail, "dsr_input")


def _viewer(who: Viewer | SessionUser) -> Viewer:
    return who.viewer if isinstance(who, SessionUser) else who


def may_request(who: Viewer | SessionUser) -> bool:
    """Whether ``who`` answers data subject requests: a controller's API key or console
    admin — not the regulator, which holds no one's data as a controller."""
    if isinstance(who, SessionUser) and who.role is not UserRole.ADMIN:
        return False
    return _viewer(who).role is not Role.REGULATOR


def _require(who: Viewer | SessionUser) -> Viewer:
    if not may_request(who):
        raise Forbidden("role_forbidden", {"allowed": "controller (the filing tenant's admin)"})
    return _viewer(who)


def _actor(who: Viewer | SessionUser) -> str:
    if isinstance(who, SessionUser):
        return f"user:{who.user_id}"
    return f"key:{who.key_id}" if who.key_id else "operator"


def e164(phone: str, region: str = "CN") -> str | None:
    """``phone`` in E.164, read in ``region`` unless it starts with +; None if no number."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_paths(kind: str) -> list[str]:
    return [p for p, mask in KINDS[kind].pii.items() if mask == "phone" or p.endswith("phone")]


PHONE_KINDS = tuple(k for k in KINDS if _phone_paths(k))


@cache
def _retention() -> dict[str, tuple[str, str]]:
    """Per kind, the longest retention of its personal fields and the provision it cites."""
    out: dict[str, tuple[str, str]] = {}
    for tag in inventory.load():
        if tag.pi in ("personal", "sensitive") and tag.retention and tag.kind not in out:
            source = tag.source
            basis = source[source.index("retention ") + 10 :] if "retention " in source else ""
            out[tag.kind] = (tag.retention, basis.strip())
    return out


def _notes(kinds: set[str]) -> list[RetentionNote]:
    table = _retention()
    return [
        RetentionNote(kind=k, retention=table[k][0], basis=table[k][1])
        for k in sorted(kinds)
        if k in table
    ]


@dataclass
class _Found:
    found_by: str
    ref: str  # the register's keyed reference of the person
    needles: tuple[str, ...]  # what a draft naming the person contains (ID number, phone)
    rows: list[Any] = field(default_factory=list)  # the current documents
    refs: set[str] = field(default_factory=set)  # their persons' subject_ref
    # documents that name the person only as another party (a consignee's phone on an
    # order whose buyer is someone else): doc id -> the parties ("consignee") that are them
    only: dict[str, set[str]] = field(default_factory=dict)


SUBJECT_PARTIES = frozenset({"buyer", "payer"})  # the party a document's subject_ref names


def _parties_with(
    body: dict[str, Any],
    kind: str,
    wanted: set[str],
    names: set[str] | None = None,
    parties: frozenset[str] | None = None,
) -> set[str]:
    """The parties (``buyer``, ``consignee`` …) of ``body`` whose phone is one of ``wanted``
    (E.164) — with ``names``, whose name is also one of them; with ``parties``, of those
    parties only."""
    region = body.get("destination_country") or "CN"
    found = set()
    for path in _phone_paths(kind):
        party = path.split(".")[0]
        if parties is not None and party not in parties:
            continue
        node = _at(body, path)
        if not isinstance(node, str) or node == ERASED or e164(node, region) not in wanted:
            continue
        if names is None or _name(_at(body, f"{party}.name")) in names:
            found.add(party)
    return found


def _at(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _name(value: Any) -> str | None:
    """A name as compared: case and spacing aside (``Li Lei`` is ``li  lei``)."""
    if not isinstance(value, str) or value == ERASED:
        return None
    return " ".join(value.casefold().split()) or None


def _scan(
    store: DsrStore,
    vault: Vault,
    tenant_id: int,
    match: Any,
    skip: frozenset[str] | set[str] = frozenset(),
) -> tuple[list[str], dict[str, set[str]]]:
    """Open every document of the tenant that holds a phone (phones have no index) and keep
    those ``match(body, kind)`` names parties of: their ids, and for each one that names the
    person only as another party than its own subject (a consignee, on an order whose buyer
    is someone else), those parties."""
    ids, only = [], {}
    for r in store.filed_of_kinds(tenant_id, PHONE_KINDS):
        if r.id in skip:
            continue
        kind = KINDS[r.kind]
        clear = vault.open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        parties = match(clear, r.kind)
        if parties:
            ids.append(r.id)
            if r.subject_ref and not parties & SUBJECT_PARTIES:
                # the phone is the consignee's, the document's person (its ID) another's:
                # their other documents are not this person's, nor is their key
                only[r.id] = parties
    return ids, only


def _as_consignee(
    uow: UnitOfWork, caller: Viewer, rows: list[Any], lock: bool
) -> tuple[list[Any], dict[str, set[str]]]:
    """The documents naming the person found by ID (``rows``, theirs) only as another party
    — a consignee, on someone else's order or on a waybill: an ID is the buyer's or payer's
    alone, so these are found by the phone *and* name the person gave as buyer or payer
    (both: a phone alone may be a relative's on the person's behalf)."""
    vault = uow.vault
    phones: set[str] = set()
    names: set[str] = set()
    for r in rows:
        kind = KINDS[r.kind]
        clear = vault.open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        region = clear.get("destination_country") or "CN"
        for party in SUBJECT_PARTIES:
            phone, name = _at(clear, f"{party}.phone"), _name(_at(clear, f"{party}.name"))
            number = e164(phone, region) if isinstance(phone, str) and phone != ERASED else None
            if number and name:
                phones.add(number)
                names.add(name)
    if not phones:
        return [], {}
    others = frozenset(p.split(".")[0] for k in PHONE_KINDS for p in _phone_paths(k))
    others -= SUBJECT_PARTIES

    def match(body: dict[str, Any], kind: str) -> set[str]:
        return _parties_with(body, kind, phones, names, others)

    store = DsrStore(uow.conn)
    ids, only = _scan(store, vault, caller.tenant_id, match, {r.id for r in rows})
    return store.documents_by_id(caller.tenant_id, ids, lock), only


def _find(uow: UnitOfWork, caller: Viewer, q: SubjectQuery, lock: bool = False) -> _Found:
    """The person's documents the caller filed; ``lock``: locked for an erasure's overwrite
    (:func:`cbec.store.dsr_store.locking`)."""
    by_id = q.id_type is not None or q.id_number is not None
    if [by_id, q.phone is not None, q.email is not None].count(True) != 1:
        raise DsrInput(
            "phone", "give either id_type and id_number, or phone, or email — exactly one"
        )
    store, vault = DsrStore(uow.conn), uow.vault
    if q.email is not None:  # only expert profiles carry one (:mod:`cbec.services.dsr_records`)
        email = q.email.strip().casefold()
        if not EMAIL.fullmatch(email):
            raise DsrInput("email", "is not an e-mail address")
        return _Found("email", vault.blind_index(EMAIL_PURPOSE, email), (email,))
    if by_id:
        if q.id_type is None or q.id_number is None or not q.id_number.strip():
            raise DsrInput(
                "id_number" if q.id_type else "id_type", "id_type and id_number go together"
            )
        ref = subject_ref_of(vault, q.id_type, q.id_number)
        rows = store.documents_of(caller.tenant_id, [ref], lock)
        named, only = _as_consignee(uow, caller, rows, lock)
        return _Found("id_number", ref, (q.id_number.strip(),), rows + named, {ref}, only)
    assert q.phone is not None
    wanted = e164(q.phone)
    if wanted is None:
        raise DsrInput("phone", "is not a phone number (E.164, or a number in China)")
    ids, only = _scan(
        store, vault, caller.tenant_id, lambda body, kind: _parties_with(body, kind, {wanted})
    )
    rows = store.documents_by_id(caller.tenant_id, ids, lock)
    refs = {r.subject_ref for r in rows if r.subject_ref and r.id not in only}
    seen = set(ids)
    rows += [
        r for r in store.documents_of(caller.tenant_id, sorted(refs), lock) if r.id not in seen
    ]
    national = str(phonenumbers.parse(wanted).national_number)
    ref = vault.blind_index(PHONE_PURPOSE, wanted)
    return _Found("phone", ref, (wanted, national), rows, refs, only)


def _document(
    vault: Vault,
    kind: str,
    row: Any,
    body: str,
    version: int | None,
    at: datetime,
    parties: set[str] | None = None,
) -> SubjectDocument:
    """The document as the access answer gives it: in clear, or — when it names the person
    only as ``parties`` — with every other party's personal fields masked, since they are
    another person's data (PIPL Art. 45 gives a person their own)."""
    pii = KINDS[kind].pii
    clear = vault.open(kind, row.id, pii, json.loads(body), clear=True)
    if parties is not None:
        masks = {p: m for p, m in pii.items() if p.split(".")[0] not in parties}
        for path, mask in masks.items():
            *up, leaf = path.split(".")
            node: Any = clear
            for part in up:
                node = node.get(part) if isinstance(node, dict) else None
            value = node.get(leaf) if isinstance(node, dict) else None
            if isinstance(value, str) and value != ERASED:
                node[leaf] = MASKERS[mask](value)
    return SubjectDocument(
        kind=kind,
        id=row.id,
        natural_key=row.natural_key,
        version=version,
        filed_at=at,
        ledger_index=row.ledger_index,
        erased=erased_in(clear, pii),
        body=clear,
    )


def _record(uow: UnitOfWork, caller: Viewer, who: Any, found: _Found, **values: Any) -> None:
    notes = _notes({r.kind for r in found.rows})
    DsrStore(uow.conn).add(
        {
            "tenant_id": caller.tenant_id,
            "subject_ref": found.ref,
            "found_by": found.found_by,
            "actor": _actor(who),
            "retention": json.dumps([n.model_dump() for n in notes], ensure_ascii=False),
        }
        | values
    )


def subject_access(uow: UnitOfWork, who: Viewer | SessionUser, req: SubjectQuery) -> SubjectAccess:
    """Everything the caller filed on the person, in clear (it is their controller), every
    version, with the records derived from it; the request is recorded in the register."""
    caller = _require(who)
    at = now()
    request_id = str(uuid.uuid4())
    with uow:  # read (a search by phone opens many documents): no write lock meanwhile
        found = _find(uow, caller, req)
        store, vault = DsrStore(uow.conn), uow.vault
        only = found.only
        docs = [
            _document(vault, r.kind, r, r.body, None, r.created_at, only.get(r.id))
            for r in found.rows
        ]
        by_id = {r.id: r for r in found.rows}
        for v in store.versions_of(list(by_id)):
            row = by_id[v.document_id]
            docs.append(
                _document(
                    vault,
                    row.kind,
                    _Version(row, v.ledger_index),
                    v.body,
                    v.version,
                    v.valid_from,
                    only.get(row.id),
                )
            )
        ids = list(by_id)
        quota_keys = {
            vault.blind_index(QUOTA_PURPOSE, n.strip().upper())
            for d in docs
            for p in ("buyer", "payer")
            if isinstance(person := d.body.get(p), dict)
            and person.get("id_type") == "resident_id"
            and isinstance(n := person.get("id_number"), str)
            and n != ERASED
        }
        charges = [c for k in sorted(quota_keys) for c in store.tax_charges_of(caller.tenant_id, k)]
        experts = records.expert_records(uow, records.experts_on(uow, caller, found))
        disputes = records.dispute_records(uow, caller, records.cases_on(uow, caller, found))
        out = SubjectAccess(
            request_id=request_id,
            received_at=at,
            found_by=found.found_by,  # type: ignore[arg-type]
            documents=docs,
            screening=[
                ScreeningRecord.model_validate(r, from_attributes=True)
                for r in store.screening_of(ids)
            ],
            tax_charges=[TaxChargeRecord.model_validate(r, from_attributes=True) for r in charges],
            transfers=[
                TransferRecord.model_validate(r, from_attributes=True)
                for r in store.transfers_of(caller.tenant_id, sorted(found.refs))
            ],
            reveals=[
                RevealRecord.model_validate(r._mapping | {"fields": json.loads(r.fields)})
                for r in store.reveals_of(caller.tenant_id, ids)
            ],
            experts=experts,
            disputes=disputes,
            retention=_notes({r.kind for r in found.rows}),
            erased_at=getattr(
                store.last_erasure(caller.tenant_id, found.ref), "completed_at", None
            ),
        )
    with uow.writing():
        _record(
            uow,
            caller,
            who,
            found,
            id=request_id,
            kind="access",
            received_at=at,
            completed_at=now(),
            status="completed",
            documents=len(found.rows),
            keys_shredded=0,
            ledger_index=None,
        )
        uow.commit()
    return out


@dataclass(frozen=True)
class _Version:
    """An earlier version as :func:`_document` reads it: its document's id and key."""

    doc: Any
    ledger_index: int | None

    @property
    def id(self) -> str:
        return str(self.doc.id)

    @property
    def natural_key(self) -> str:
        return str(self.doc.natural_key)


def list_requests(uow: UnitOfWork, who: Viewer | SessionUser) -> DsrRegister:
    """The register, newest first: the caller's own requests, or every tenant's for the
    regulator (which sees that requests were answered, never whom they were about)."""
    caller = _viewer(who)
    tenant = None if caller.role is Role.REGULATOR else caller.tenant_id
    with uow:
        rows = DsrStore(uow.conn).listed(tenant, REGISTER_LIMIT)
    return DsrRegister(items=[DsrEntry.model_validate(r) for r in rows])
