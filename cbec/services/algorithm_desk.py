"""The console's algorithm registry (:mod:`cbec.console.algorithm_pages`): a record written
as its JSON in a form, checked and saved by the same use cases as the API
(:mod:`cbec.services.algorithms`) for an admin or operator of a platform or seller tenant."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from cbec.errors import DocumentInvalid, Violation
from cbec.governance.record import AlgorithmRecordIn
from cbec.services import algorithms as svc
from cbec.services.algorithm_models import AlgorithmView, ChangeRequest, FilingRequest
from cbec.services.users import SessionUser
from cbec.store.repository import UnitOfWork
from cbec.trade.validation import violations_from_pydantic

MAX_TEXT = 200_000


def _parsed(text: str, prefix: str = "") -> AlgorithmRecordIn:
    try:
        doc: Any = json.loads(text)
    except ValueError:
        raise DocumentInvalid([Violation("text", "json_invalid")]) from None
    try:
        return AlgorithmRecordIn.model_validate(doc)
    except ValidationError as exc:
        found = violations_from_pydantic(exc)
        raise DocumentInvalid(
            [Violation(prefix + v.field, v.rule, v.params) for v in found]
        ) from None


def create(uow: UnitOfWork, user: SessionUser, text: str) -> AlgorithmView:
    svc.may_write(user)
    return svc.create(uow, user.viewer, _parsed(text))


def change(
    uow: UnitOfWork, user: SessionUser, record_id: str, text: str, summary: str
) -> AlgorithmView:
    svc.may_write(user)
    record = _parsed(text, "record.")
    try:
        req = ChangeRequest(record=record, change_summary=summary.strip())
    except ValidationError as exc:
        raise DocumentInvalid(violations_from_pydantic(exc)) from None
    return svc.change(uow, user.viewer, record_id, req)


def file(uow: UnitOfWork, user: SessionUser, record_id: str, number: str) -> AlgorithmView:
    svc.may_write(user)
    try:
        req = FilingRequest(filing_number=number.strip())
    except ValidationError as exc:
        raise DocumentInvalid(violations_from_pydantic(exc)) from None
    return svc.mark_filed(uow, user.viewer, record_id, req)


def text_of(view: AlgorithmView) -> str:
    """A record's current version as the form's JSON text."""
    return json.dumps(view.record.model_dump(mode="json"), ensure_ascii=False, indent=2)
