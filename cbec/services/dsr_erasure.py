"""The erasure of a person (PIPL Art. 47; GDPR Art. 17): see :mod:`cbec.services.dsr`."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from cbec.privacy.fieldcrypt import KeyRing
from cbec.privacy.vault import ERASED, is_person_token
from cbec.services import dsr_records as records
from cbec.services.dsr import (
    ENTRY_TYPE,
    _find,
    _Found,
    _notes,
    _record,
    _require,
)
from cbec.services.dsr_models import RetentionNote, SubjectErasure, SubjectQuery
from cbec.services.evidence import log_event
from cbec.services.import_desk_drafts import SEAL as DRAFT_SEAL
from cbec.services.users import SessionUser
from cbec.store.dsr_store import DsrStore
from cbec.store.person_key_store import PersonKeyStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now


def _overwritten(
    body: dict[str, Any],
    pii: dict[str, str],
    every: bool = False,
    parties: set[str] | None = None,
) -> dict[str, Any] | None:
    """``body`` with its personal tokens sealed under the deployment key (``every``: all of
    them) replaced by :data:`ERASED` — with ``parties``, those of these parties only, under
    any key; None when it holds none to replace."""
    changed = False
    for path in pii:
        if parties is not None and path.split(".")[0] not in parties:
            continue
        *parents, leaf = path.split(".")
        node: Any = body
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        value = node.get(leaf) if isinstance(node, dict) else None
        if KeyRing.is_token(value) and (every or not is_person_token(value)):
            node[leaf] = ERASED
            changed = True
    return body if changed else None


def _overwrite_legacy(store: DsrStore, found: _Found) -> int:
    """Overwrite in place the personal tokens and salts of the documents (and versions)
    sealed under the deployment key, before person keys existed; and, in a document naming
    the person only as another party (a consignee), that party's fields, under whatever key
    (the document's person's key stays: it is theirs); how many documents."""
    own = [r for r in found.rows if r.id not in found.only]
    done = overwrite_in_place(store, own)
    for r in found.rows:
        parties = found.only.get(r.id)
        if parties is None:
            continue
        pii = KINDS[r.kind].pii
        body = _overwritten(json.loads(r.body), pii, every=True, parties=parties)
        if body is not None:
            store.overwrite_document(r.id, body, keep_salt=True)
            done += 1
        for v in store.versions_of([r.id], lock=True):
            vbody = _overwritten(json.loads(v.body), pii, every=True, parties=parties)
            if vbody is not None:
                store.overwrite_version(v.document_id, v.version, vbody, keep_salt=True)
    return done


def overwrite_in_place(store: DsrStore, rows: list[Any], every: bool = False) -> int:
    """Overwrite in place the personal tokens and salts of the documents ``rows`` (and of
    their versions) sealed under the deployment key — ``every``: under any key, a person's
    too (retention, :mod:`cbec.services.retention`, whose person may have newer documents
    under the same key) — so they read :data:`ERASED`; how many documents were changed."""

    def sealed_salt(salt: str | None) -> bool:
        return bool(salt) and (every or not is_person_token(salt))

    done = 0
    by_id = {r.id: r for r in rows}
    for r in rows:
        pii = KINDS[r.kind].pii
        body = _overwritten(json.loads(r.body), pii, every)
        if body is not None or sealed_salt(r.commit_salt):
            store.overwrite_document(r.id, body if body is not None else json.loads(r.body))
            done += 1
    for v in store.versions_of(list(by_id), lock=True):
        body = _overwritten(json.loads(v.body), KINDS[by_id[v.document_id].kind].pii, every)
        if body is not None or sealed_salt(v.commit_salt):
            store.overwrite_version(
                v.document_id, v.version, body if body is not None else json.loads(v.body)
            )
    return done


MIN_NEEDLE = 6  # an ID or phone shorter than this could be part of any number in a draft


def _naming(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern finding any of ``needles`` as a whole value — not inside a longer run of
    letters and digits, so an ID "1" or a phone's national digits do not match an amount or
    an order number — or None when none is long enough to say who it is."""
    kept = sorted({n for n in needles if len(n) >= MIN_NEEDLE}, key=len, reverse=True)
    if not kept:
        return None
    alternatives = "|".join(re.escape(n) for n in kept)
    return re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])", re.IGNORECASE)


def _drafts(uow: UnitOfWork, store: DsrStore, tenant_id: int, needles: tuple[str, ...]) -> int:
    """Delete the tenant's import drafts whose rows name the person (by ID or phone) as a
    whole value; a draft is deleted for good, so a near match keeps it."""
    pattern = _naming(needles)
    if pattern is None:
        return 0
    naming = []
    for d in store.drafts_of(tenant_id):
        texts = [uow.vault.open_value(DRAFT_SEAL, d.id, "payload", d.payload)]
        if d.report:
            texts.append(uow.vault.open_value(DRAFT_SEAL, d.id, "report", d.report))
        if any(pattern.search(t) for t in texts):
            naming.append(d.id)
    return store.delete_drafts(naming)


def subject_erasure(
    uow: UnitOfWork, who: Viewer | SessionUser, req: SubjectQuery
) -> SubjectErasure:
    """Erase what the caller filed on the person: shred their keys, overwrite what was
    sealed before person keys, delete import drafts naming them; log it in the ledger
    without personal data. Idempotent: once nothing is left, ``already_erased``."""
    caller = _require(who)
    at = now()
    request_id = str(uuid.uuid4())
    with uow.writing():
        found = _find(uow, caller, req, lock=True)
        store = DsrStore(uow.conn)
        experts = records.experts_on(uow, caller, found, lock=True)
        messages = records.erase_messages(
            uow, caller, records.cases_on(uow, caller, found, lock=True)
        )
        keys = PersonKeyStore(uow.conn, uow.vault)
        shredded = sum(keys.shred(caller.tenant_id, ref, at) for ref in sorted(found.refs))
        profiles = records.erase_experts(uow, caller, experts, at)
        overwritten = _overwrite_legacy(store, found)
        for ref in sorted(found.refs):
            store.unlink_subject(caller.tenant_id, ref, f"erased:{uuid.uuid4().hex}")
        drafts = _drafts(uow, store, caller.tenant_id, found.needles)
        earlier = store.last_erasure(caller.tenant_id, found.ref)
        again = (
            shredded == 0
            and overwritten == 0
            and drafts == 0
            and profiles == 0
            and messages == 0
            and (earlier is not None or bool(found.rows))
        )
        index = None
        if not again:
            index = log_event(
                uow,
                ENTRY_TYPE,
                at=at,
                tenants=[caller.name],
                body={
                    "id": request_id,
                    "request": "erasure",
                    "documents": len(found.rows),
                    "keys_shredded": shredded,
                    "overwritten": overwritten,
                    "drafts_deleted": drafts,
                    "experts_erased": profiles,
                    "messages_erased": messages,
                },
            )
        _record(
            uow,
            caller,
            who,
            found,
            id=request_id,
            kind="erasure",
            received_at=at,
            completed_at=(completed := now()),
            status="already_erased" if again else "completed",
            documents=len(found.rows),
            keys_shredded=shredded,
            ledger_index=index,
        )
        if not again:
            store.erased(caller.tenant_id, found.refs | {found.ref}, request_id)
        uow.commit()
    notes = _notes({r.kind for r in found.rows})
    if again and earlier is not None:
        return SubjectErasure(
            request_id=request_id,
            status="already_erased",
            already_erased=True,
            erased_at=earlier.completed_at,
            documents=earlier.documents,
            keys_shredded=earlier.keys_shredded,
            overwritten=0,
            drafts_deleted=0,
            ledger_index=earlier.ledger_index,
            retention=[
                RetentionNote.model_validate(n) for n in json.loads(earlier.retention or "[]")
            ],
        )
    return SubjectErasure(
        request_id=request_id,
        status="already_erased" if again else "completed",
        already_erased=again,
        erased_at=completed,
        documents=len(found.rows),
        keys_shredded=shredded,
        overwritten=overwritten,
        drafts_deleted=drafts,
        experts_erased=profiles,
        messages_erased=messages,
        ledger_index=index,
        retention=notes,
    )
