"""Use cases of the console's rule desk: the rules a caller may read with their latest
revision, one rule with its history and what changed at each revision, and a change written
as the rule's JSON text — replayed first (what-if), then saved — through the same use cases
as the API (:func:`cbec.services.compliance.what_if`, :func:`~cbec.services.compliance.put_rule`).

Who reads what follows the rules' binding (:mod:`cbec.services.compliance`): the rules that
bind every platform are read by everyone; a platform's own rules by that platform and by
regulators only — anyone else is told the rule does not exist (404), never that it is
another's. Within a tenant, a user whose role is ``viewer`` reads only
(:class:`~cbec.accounts.UserRole`): saving a rule and enrolling a firm in a sandbox, or ending
its enrolment, need an operator or an admin; the tenant's own role decides the rest, as in
the API.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from cbec.accounts import UserRole
from cbec.compliance.revisions import changes
from cbec.errors import BadRequest, DocumentInvalid, Forbidden, NotFound, Violation, path_of
from cbec.jsonio import loads
from cbec.services import compliance, sandboxes
from cbec.services.compliance_models import (
    Enrolled,
    EnrolmentEnded,
    EnrolmentRequest,
    RuleChanged,
    RuleDocument,
    RuleRevision,
    WhatIfRequest,
    WhatIfResult,
)
from cbec.services.users import SessionUser
from cbec.store.compliance_store import RuleStore, starter_dicts
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role

MAX_RULE_TEXT = 200_000  # characters of a rule's JSON text


class RuleSummary(BaseModel):
    """A rule as the list shows it: its latest revision (None: the starter text, never
    changed) and the platform it binds (None: every platform)."""

    id: str
    kind: str
    title_zh: str
    title_en: str
    effective_from: str
    effective_to: str | None
    binds: str | None
    revision: int | None
    changed_by: str | None
    changed_at: str | None


class FieldChangeView(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class RevisionView(BaseModel):
    """A revision and the fields it changed against the one before it (or the starter)."""

    revision: RuleRevision
    changes: list[FieldChangeView]


class RuleDetail(BaseModel):
    rule_id: str
    rule: RuleDocument | None = Field(description="The text in force; None when retired")
    binds: str | None
    history: list[RevisionView] = Field(description="Newest first")
    may_change: bool = Field(description="Whether the user and its tenant may change it")


class RulePreview(BaseModel):
    """A proposed change: the fields it changes and its what-if replay."""

    rule_id: str
    changes: list[FieldChangeView]
    what_if: WhatIfResult


WRITERS = (UserRole.ADMIN, UserRole.OPERATOR)


def _writes(user: SessionUser) -> bool:
    return user.role in WRITERS


def _require_writer(user: SessionUser) -> None:
    """:class:`Forbidden` for a user who reads only."""
    if not _writes(user):
        raise Forbidden("role_forbidden", {"allowed": ", ".join(r.value for r in WRITERS)})


def _maker(caller: Viewer, starter: bool, author: int | None) -> bool:
    """Whether the tenant may change the rule (:func:`cbec.services.compliance.put_rule`
    decides again on saving): regulators any, a platform only a rule it made itself."""
    if caller.role is Role.PLATFORM:
        return not starter and author in (None, caller.tenant_id)
    return caller.role in compliance.RULE_MAKERS


def _visible(caller: Viewer, binds: str | None) -> bool:
    """A platform's own rule is read by that platform and regulators only."""
    return binds is None or caller.role is Role.REGULATOR or binds == caller.name


def rule_list(uow: UnitOfWork, caller: Viewer) -> list[RuleSummary]:
    """The rules the caller may read, by id: the starter rules overlaid with the stored
    changes (retired ones left out), each with its latest revision."""
    with uow:
        store = RuleStore(uow.conn)
        latest = store.latest()
        history = store.history()
    newest: dict[str, dict[str, Any]] = {h["rule_id"]: h for h in history}
    rules: dict[str, tuple[str | None, dict[str, Any]]] = {
        r["id"]: (None, r) for r in starter_dicts()
    }
    for rule_id, (action, binds, body) in latest.items():
        if action == "retire":
            rules.pop(rule_id, None)
        else:
            rules[rule_id] = (binds, body)
    out = []
    for rule_id, (binds, body) in sorted(rules.items()):
        if not _visible(caller, binds):
            continue
        rev = newest.get(rule_id)
        out.append(
            RuleSummary(
                id=rule_id,
                kind=body["kind"],
                title_zh=body["title"]["zh"],
                title_en=body["title"]["en"],
                effective_from=body["effective_from"],
                effective_to=body.get("effective_to"),
                binds=binds,
                revision=rev["revision"] if rev else None,
                changed_by=rev["by"] if rev else None,
                changed_at=rev["at"] if rev else None,
            )
        )
    return out


def rule_detail(uow: UnitOfWork, user: SessionUser, rule_id: str) -> RuleDetail:
    """A rule the caller may read: its text in force and every revision, newest first, each
    with the fields it changed (404 for a rule it may not read, as for one that is not)."""
    caller = user.viewer
    with uow:
        store = RuleStore(uow.conn)
        binds = store.binding(rule_id)
        history = store.history(rule_id)
        author = store.author(rule_id)
    starter = {r["id"]: r for r in starter_dicts()}.get(rule_id)
    if (starter is None and not history) or not _visible(caller, binds):
        raise NotFound("not_found", {"kind": "rule"})
    views = []
    before = starter
    for row in history:
        body = None if row["action"] == "retire" else row["rule"]
        found = [FieldChangeView(**c.as_dict()) for c in changes(before, body)]
        views.append(RevisionView(revision=RuleRevision.model_validate(row), changes=found))
        before = body
    return RuleDetail(
        rule_id=rule_id,
        rule=None if before is None else RuleDocument.model_validate(before),
        binds=binds,
        history=list(reversed(views)),
        may_change=_writes(user) and _maker(caller, starter is not None, author),
    )


def parse_rule(text: str, rule_id: str | None) -> RuleDocument:
    """Rule ``rule_id`` (None: any id) from its JSON text (numbers read as decimals), every
    problem named by field (``match[0].hs[0]``) as the API names it (:class:`DocumentInvalid`)."""
    if len(text) > MAX_RULE_TEXT:
        raise DocumentInvalid([Violation("rule", "too_long", {"max_length": MAX_RULE_TEXT})])
    try:
        data = loads(text)
    except BadRequest as exc:
        raise DocumentInvalid([Violation("rule", exc.rule, exc.params)]) from None
    try:
        rule = RuleDocument.model_validate(data)
    except ValidationError as exc:
        violations = []
        for err in exc.errors():
            params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
            params.setdefault("error", err.get("msg", ""))
            violations.append(Violation(path_of(err.get("loc", ())), err["type"], params))
        raise DocumentInvalid(violations) from None
    if rule_id is not None and rule.id != rule_id:
        raise DocumentInvalid([Violation("id", "rule_id_mismatch", {"id": rule_id})])
    return rule


def _changeable(uow: UnitOfWork, user: SessionUser, rule_id: str) -> None:
    """Checked before a change is read: 403 for a role that may not change rules, 404 for
    a rule the caller may not read (or none: a new rule is written as a draft), 403 for one
    it may read but not change — so a change to another's rule learns nothing of it."""
    compliance.require_role(user.viewer, compliance.RULE_MAKERS)
    _require_writer(user)
    if not rule_detail(uow, user, rule_id).may_change:
        raise Forbidden("rule_not_yours", {"rule": rule_id})


def preview(uow: UnitOfWork, user: SessionUser, rule_id: str, text: str, days: int) -> RulePreview:
    """What the change written in ``text`` would do: the fields it changes against the rule
    in force, and the orders of the last ``days`` it would decide differently (the what-if
    use case, so its answer equals ``POST /compliance/what-if`` for the same change)."""
    _changeable(uow, user, rule_id)
    return _replay(uow, user, parse_rule(text, rule_id), days)


def _replay(uow: UnitOfWork, user: SessionUser, rule: RuleDocument, days: int) -> RulePreview:
    proposed = _canonical(rule)  # its meaning checked first: problems named by the rule's field
    request = WhatIfRequest(changes={rule.id: rule}, days=days)
    result = compliance.what_if(uow, user.viewer, request)
    current = rule_detail(uow, user, rule.id).rule if _exists(uow, rule.id) else None
    found = changes(current.as_core() if current else None, proposed)
    return RulePreview(
        rule_id=rule.id,
        changes=[FieldChangeView(**c.as_dict()) for c in found],
        what_if=result,
    )


def save(uow: UnitOfWork, user: SessionUser, rule_id: str, text: str) -> RuleChanged:
    """Save the change written in ``text``: the use case of ``PUT /compliance/rules/{id}``."""
    _changeable(uow, user, rule_id)
    return compliance.put_rule(uow, user.viewer, rule_id, parse_rule(text, rule_id))


def _new(uow: UnitOfWork, text: str) -> RuleDocument:
    """A new rule from its text: its id must not be taken, so a draft never replaces a rule
    its writer has not seen."""
    rule = parse_rule(text, None)
    if _exists(uow, rule.id):
        raise DocumentInvalid([Violation("id", "rule_exists", {"id": rule.id})])
    return rule


def preview_new(uow: UnitOfWork, user: SessionUser, text: str, days: int) -> RulePreview:
    """What a new rule written in ``text`` would do (as :func:`preview`)."""
    compliance.require_role(user.viewer, compliance.RULE_MAKERS)
    return _replay(uow, user, _new(uow, text), days)


def save_new(uow: UnitOfWork, user: SessionUser, text: str) -> RuleChanged:
    """Save a new rule: the use case of ``PUT /compliance/rules/{id}``."""
    compliance.require_role(user.viewer, compliance.RULE_MAKERS)
    _require_writer(user)
    rule = _new(uow, text)
    return compliance.put_rule(uow, user.viewer, rule.id, rule)


def enrol(uow: UnitOfWork, user: SessionUser, req: EnrolmentRequest) -> Enrolled:
    """Enrol a firm in a sandbox: the use case of ``POST /compliance/sandboxes``."""
    _require_writer(user)
    return sandboxes.enrol(uow, user.viewer, req)


def end_enrolment(uow: UnitOfWork, user: SessionUser, enrolment_id: int) -> EnrolmentEnded:
    """End an enrolment: the use case of ``DELETE /compliance/sandboxes/{id}``."""
    _require_writer(user)
    return sandboxes.end_enrolment(uow, user.viewer, enrolment_id)


def _exists(uow: UnitOfWork, rule_id: str) -> bool:
    with uow:
        stored = bool(RuleStore(uow.conn).history(rule_id))
    return stored or any(r["id"] == rule_id for r in starter_dicts())


def _canonical(rule: RuleDocument) -> dict[str, Any]:
    """The rule as it would be stored (the core's canonical form), so the field changes
    shown are those a save would make."""
    from cbec.compliance import rule_from_dict

    return rule_from_dict(rule.as_core(), "<console>").as_dict()
