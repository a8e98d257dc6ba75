"""What a data subject request reaches besides documents (:mod:`cbec.services.dsr`): the
expert profiles the controller published on the person (talent sharing) and the messages
of dispute cases on the person's orders.

An expert profile names its expert by the name and contact its publisher gave; no ID is
kept, so a profile is found by the phone (E.164) or e-mail address of its contact. Its
personal fields are sealed under a key of the profile's own
(:func:`~cbec.services.talent.expert_subject`), so an erasure shreds that key; a profile
sealed under the deployment key before has its tokens overwritten instead. Erased, a
profile is withdrawn: skills without a person are no offer.

A dispute message is the author's to answer for: the platform, the seller or a regulator
that wrote it (PIPL Art. 20 — each handler answers for its own processing). A case is found
through the person of its order (``dispute_cases.subject_ref``) or, for an order that names
no one by ID, through the caller's own orders found by phone. Access lists every message of
such a case the caller may read, as a party; erasure reaches those the caller wrote: sealed
under its key for the person (:func:`cbec.services.disputes.seal_message`), which the
erasure shreds, or — sealed under the deployment key — overwritten in place.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cbec.privacy.fieldcrypt import PERSON_KID, KeyRing, token_kid
from cbec.privacy.vault import ERASED, is_person_token
from cbec.services.disputes import KIND as CASE
from cbec.services.dsr_models import (
    CertificateRecord,
    DisputeMessageRecord,
    DisputeRecord,
    ExpertRecord,
)
from cbec.services.talent import EXPERT, expert_subject
from cbec.store.dispute_store import DisputeStore
from cbec.store.person_key_store import PersonKeyStore
from cbec.store.repository import UnitOfWork
from cbec.store.talent_store import TalentStore
from cbec.tenancy.access import Viewer

if TYPE_CHECKING:
    from cbec.services.dsr import _Found

MESSAGE_PATH = "messages[].text"


def _digits(text: str) -> str:
    return re.sub(r"[\s\-().]", "", text)


def _names_person(contact: str, found: _Found) -> bool:
    """Whether an expert's contact is the person's phone or e-mail address: the whole
    contact, or one of its values as a whole (``Tel +86 138 0013 8000``)."""
    from cbec.services.dsr import e164
    from cbec.services.dsr_erasure import _naming

    if found.found_by == "id_number" or contact == ERASED:
        return False
    if found.found_by == "phone" and e164(contact) == found.needles[0]:
        return True
    pattern = _naming(found.needles)
    return pattern is not None and bool(pattern.search(contact) or pattern.search(_digits(contact)))


def experts_on(uow: UnitOfWork, caller: Viewer, found: _Found, lock: bool = False) -> list[Any]:
    """The caller's expert profiles whose contact is the person's phone or e-mail — every
    profile of the tenant opened and compared: the contact has no index, so nothing keyed on
    it is stored to be forgotten later (a tenant publishes few profiles)."""
    out = []
    for row in TalentStore(uow.conn).experts_of_owner(caller.tenant_id, lock):
        contact = uow.vault.open_value(EXPERT, row.id, "contact", row.contact)
        if _names_person(contact, found):
            out.append(row)
    return out


def expert_records(uow: UnitOfWork, rows: list[Any]) -> list[ExpertRecord]:
    def opened(row: Any, path: str, token: str) -> str:
        return uow.vault.open_value(EXPERT, row.id, path, token)

    return [
        ExpertRecord(
            id=r.id,
            headline=r.headline,
            name=opened(r, "name", r.name),
            contact=opened(r, "contact", r.contact),
            certificates=[
                CertificateRecord(
                    kind=c["kind"],
                    issuer=c["issuer"],
                    number=opened(r, f"certificates[{i}].number", c["number"]),
                )
                for i, c in enumerate(json.loads(r.certificates))
            ],
            published_at=r.published_at,
        )
        for r in rows
    ]


def erase_experts(uow: UnitOfWork, caller: Viewer, rows: list[Any], at: datetime) -> int:
    """Shred each profile's key, overwrite what the deployment key sealed, withdraw it; how
    many profiles held personal data still."""
    keys = PersonKeyStore(uow.conn, uow.vault)
    store = TalentStore(uow.conn)
    done = 0
    for r in rows:
        shredded = keys.shred(caller.tenant_id, expert_subject(r.id), at)
        certificates = json.loads(r.certificates)
        values: dict[str, Any] = {}
        for column in ("name", "contact"):
            token = getattr(r, column)
            if KeyRing.is_token(token) and not is_person_token(token):
                values[column] = ERASED
        legacy = [
            c
            for c in certificates
            if KeyRing.is_token(c["number"]) and not is_person_token(c["number"])
        ]
        for c in legacy:
            c["number"] = ERASED
        if legacy:
            values["certificates"] = json.dumps(certificates)
        if values or shredded:
            done += 1
        if r.withdrawn_at is None:
            values["withdrawn_at"] = at
        if values:
            store.change_expert(r.id, values)
    return done


def cases_on(uow: UnitOfWork, caller: Viewer, found: _Found, lock: bool = False) -> list[Any]:
    """The cases the caller is a party to on the person: through their keyed reference, or
    on the caller's orders naming them that name no one by ID (found by phone)."""
    orders = [
        r.id
        for r in found.rows
        if r.kind == "order" and r.id not in found.only and not r.subject_ref
    ]
    return DisputeStore(uow.conn).of_subjects(caller.tenant_id, sorted(found.refs), orders, lock)


def dispute_records(uow: UnitOfWork, caller: Viewer, cases: list[Any]) -> list[DisputeRecord]:
    store = DisputeStore(uow.conn)
    messages = store.messages_of([c.id for c in cases])
    names = store.names({m.author_tenant_id for m in messages})
    by_case: dict[str, list[DisputeMessageRecord]] = {}
    for m in messages:
        by_case.setdefault(m.case_id, []).append(
            DisputeMessageRecord(
                id=m.id,
                author=names[m.author_tenant_id],
                by_caller=m.author_tenant_id == caller.tenant_id,
                at=m.at,
                text=uow.vault.open_value(CASE, m.case_id, MESSAGE_PATH, m.text),
                ledger_index=m.ledger_index,
            )
        )
    return [
        DisputeRecord(
            id=c.id,
            order_no=c.order_no,
            reason=c.reason,
            state=c.state,
            outcome=c.outcome,
            opened_at=c.opened_at,
            resolved_at=c.resolved_at,
            messages=by_case.get(c.id, []),
        )
        for c in cases
    ]


def erase_messages(uow: UnitOfWork, caller: Viewer, cases: list[Any]) -> int:
    """The caller's messages on the cases, erased; how many were readable. Call it before
    the person's keys are shredded: a message under the caller's key for the case's person
    is counted while that key lives (the shred that follows makes it unreadable — the key's
    subject is the case's, one of the erasure's), one sealed under the deployment key is
    overwritten in place."""
    store = DisputeStore(uow.conn)
    keys = PersonKeyStore(uow.conn, uow.vault)
    done = 0
    for m in store.messages_of([c.id for c in cases], author=caller.tenant_id):
        if not KeyRing.is_token(m.text):
            continue
        if is_person_token(m.text):
            done += keys.key(token_kid(m.text)[len(PERSON_KID) :]) is not None
            continue
        store.overwrite_message(m.id, ERASED)
        done += 1
    return done
