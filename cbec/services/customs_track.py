"""Recording a CEB message: its evidence entry and the declaration states it moves, in one
transaction.

A business message (CEB311/411/511/621/623/625) that is schema-valid and rule-clean declares
its records; a receipt (CEB312 … CEB626) moves them as its ``returnStatus`` says (the state
machine is :mod:`cbec.customs.state`). Only the declarer — or a regulator — moves a
declaration; a receipt for a record declared elsewhere is logged and reported as untracked.

The log is permanent and shared, so it admits only what the caller can have exchanged with
customs (:mod:`cbec.services.customs_admit`): a schema-valid message sent under the caller's
customs identity, or a receipt for a record the caller declared. Anything else is refused
with 422 naming the rule, and is not logged.

What was exchanged with customs is evidence either way, so for an admitted message the log
entry (the message's SHA-256, never its personal data; :func:`cbec.ledger.entry.customs_entry`)
is appended first and commits even when the message is refused: a message that breaks a
business rule is logged with ``valid: false``; a step the state machine does not allow (a
late 100 after 120, cancelling a returned list) or a record guid another tenant declared runs
in a savepoint that is rolled back, the entry commits, and the 409 names the entry. A
bystander reading the log later sees every admitted message cbec was shown, whether or not
it changed a state.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from cbec.customs import xml as cx
from cbec.customs.state import (
    ANSWERS,
    DECLARABLE,
    RECEIPTS,
    WITHDRAWS,
    IllegalTransition,
    act,
    receipts_of,
    receive,
    records_of,
)
from cbec.customs.validate import Problem, check
from cbec.errors import Conflict, DocumentInvalid
from cbec.ledger.entry import CONTENT_TYPE, customs_entry
from cbec.services.customs_admit import party_refusals, schema_refusals
from cbec.store.customs_store import DeclarationStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

GUID_LOGGED = 64  # a schema-valid guid has 36 characters; an invalid one is cut in the log


class RecordTaken(Conflict):
    """The record guid was declared by another tenant (a record guid is unique)."""


class MessageRequest(BaseModel):
    """A CEB message or receipt as received: the XML bytes, exactly (they are hashed)."""

    model_config = ConfigDict(frozen=True)

    xml: bytes


class Finding(BaseModel):
    """One problem: ``XSD`` (schema), ``XML`` (unreadable) or a business rule code."""

    rule: str
    path: str
    message: str


class LedgerRef(BaseModel):
    index: int | None


class StateChange(BaseModel):
    """A declaration the message moved (``state`` null: declared elsewhere, not tracked)."""

    message: str
    record_guid: str | None
    state: str | None


class Recorded(BaseModel):
    message: str
    guid: str
    valid: bool
    problems: list[Finding]
    return_status: list[int]
    ledger: LedgerRef
    declarations: list[StateChange]


def findings(problems: list[Problem]) -> list[Finding]:
    return [Finding(rule=p.rule, path=p.path, message=p.message) for p in problems]


def record(uow: UnitOfWork, caller: Viewer, xml: bytes) -> Recorded:
    """Check ``xml``, log it, and move the declarations it concerns (see the module doc).
    Input that is not XML, or not a CEB message at all, is a 400 and is not logged: nothing
    was exchanged with customs; a message the log does not admit is a 422, not logged."""
    name = cx.root_name(xml)
    if name not in cx.messages():
        raise cx.MessageError(f"unknown message type {name[:40]}")
    code = name.removesuffix("Message")
    problems = check(xml)
    refusals = schema_refusals(problems)
    if refusals:
        raise DocumentInvalid(refusals)
    message = cx.read(xml)  # schema-valid, so it binds
    parsed = message if not problems else None
    statuses = []
    if parsed is not None and code in RECEIPTS:
        statuses = [r.status for r in receipts_of(code, parsed)]
    guid = cx.guid_of(xml)[:GUID_LOGGED]
    entry = customs_entry(
        message=code,
        guid=guid,
        at=now(),
        submitter=caller.name,
        xml=xml,
        valid=not problems,
        statuses=statuses,
    )
    refused: Conflict | None = None
    states: list[StateChange] = []
    with uow.writing():
        refusals = party_refusals(uow, caller, code, message)
        if refusals:  # rolled back: nothing logged
            raise DocumentInvalid(refusals)
        (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
        if parsed is not None:
            savepoint = uow.conn.begin_nested()
            try:
                states = _track(DeclarationStore(uow.conn), caller, code, parsed, index)
            except IllegalTransition as exc:
                savepoint.rollback()
                refused = exc.logged(index)
            except RecordTaken as exc:
                savepoint.rollback()
                refused = exc
            else:
                savepoint.commit()
        uow.commit()
    if refused is not None:
        raise refused
    return Recorded(
        message=code,
        guid=guid,
        valid=not problems,
        problems=findings(problems),
        return_status=statuses,
        ledger=LedgerRef(index=index),
        declarations=states,
    )


def _owns(caller: Viewer, declaration: Any) -> bool:
    """Only the declarer's messages (or a regulator's) move a declaration's state."""
    return declaration.tenant_id == caller.tenant_id or caller.role is Role.REGULATOR


def _track(
    store: DeclarationStore, caller: Viewer, code: str, parsed: Any, index: int | None
) -> list[StateChange]:
    """Move the declaration state of each record: a business message declares it, a
    receipt moves it as its returnStatus says."""
    out = []
    if code in DECLARABLE:
        for record_guid, key in records_of(code, parsed):
            found = store.find(code, record_guid, lock=True)
            if found is not None and not _owns(caller, found):
                raise RecordTaken("customs_record_taken", {"guid": record_guid})
            if found is None:
                state = act("draft", "declare")
                did = store.create(caller.tenant_id, code, record_guid, key, state)
            else:
                state, did = act(found.state, "declare"), found.id
                store.move(did, state)
            store.event(did, "declare", state, None, None, index)
            out.append(StateChange(message=code, record_guid=record_guid, state=state))
            if code in WITHDRAWS:
                out.append(_withdraw(store, caller.tenant_id, code, key, index))
    elif code in ANSWERS:
        answered = ANSWERS[code]
        for r in receipts_of(code, parsed):
            found = store.find(answered, r.guid, lock=True)
            if found is None or not _owns(caller, found):  # declared elsewhere: not tracked
                out.append(StateChange(message=answered, record_guid=r.guid, state=None))
                continue
            state = receive(found.state, r.status)
            store.move(found.id, state)
            store.event(found.id, "receipt", state, r.status, r.info, index)
            out.append(StateChange(message=answered, record_guid=r.guid, state=state))
            if answered in WITHDRAWS:
                out.append(_withdrawn(store, found, r, index))
    return out


def _withdraw(
    store: DeclarationStore, tenant_id: int, code: str, key: str, index: int | None
) -> StateChange:
    """Start the cancellation or return a CEB623/625 asks for on the declarer's inventory
    list of the same order (untracked when that list was declared outside cbec)."""
    target, action = WITHDRAWS[code]
    listed = store.find_by_key(tenant_id, target, key, lock=True)
    if listed is None:
        return StateChange(message=target, record_guid=None, state=None)
    state = act(listed.state, action)
    store.move(listed.id, state)
    store.event(listed.id, action, state, None, None, index)
    return StateChange(message=target, record_guid=listed.record_guid, state=state)


def _withdrawn(store: DeclarationStore, withdrawal: Any, r: Any, index: int | None) -> StateChange:
    """Finish (or fail) the withdrawal on the inventory list as its receipt says."""
    target, _ = WITHDRAWS[withdrawal.message]
    listed = store.find_by_key(withdrawal.tenant_id, target, withdrawal.business_key, lock=True)
    if listed is None:
        return StateChange(message=target, record_guid=None, state=None)
    if listed.state not in ("cancelling", "returning"):  # already settled by an earlier one
        return StateChange(message=target, record_guid=listed.record_guid, state=listed.state)
    state = receive(listed.state, r.status)
    store.move(listed.id, state)
    store.event(listed.id, "receipt", state, r.status, r.info, index)
    return StateChange(message=target, record_guid=listed.record_guid, state=state)
