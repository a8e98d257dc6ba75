"""Use cases of compliance: the rules in force and their changes, the decision the rules give
an order, the checks of a stored order, and what-if replays of proposed changes.

Rules change only by regulators and platforms — a platform only its own rules, since the
starter set and a regulator's rules bind every platform — and every change is kept as a
revision and logged (the log entry names the rule, revision, action and author, never a
rule body). A change that would make the rule set contradict itself is refused with every
conflict named (:class:`~cbec.compliance.RuleSetError`). Decisions cite the rule-set version
(label and SHA-256 of the content), so a decision can be explained a year later.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from cbec.compliance import RuleError, RuleSet, diff, evaluate, rule_from_dict, ruleset_from_dicts
from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.jsonio import loads
from cbec.ledger.entry import CONTENT_TYPE, RULES_ENTRY_TYPE, event_entry
from cbec.services.compliance_models import (
    DecisionView,
    LedgerRef,
    OrderChecksView,
    RuleChanged,
    RuleDocument,
    RuleRevision,
    RulesInForce,
    ScreeningResultView,
    WhatIfRequest,
    WhatIfResult,
)
from cbec.store.compliance_store import DecisionStore, RuleStore, starter_dicts
from cbec.store.repository import UnitOfWork
from cbec.store.screening_store import ResultStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

RULE_MAKERS = (Role.REGULATOR, Role.PLATFORM)
MAX_REPLAYED = 5000  # orders a what-if replays at most


def require_role(caller: Viewer, roles: tuple[Role, ...]) -> None:
    """:class:`Forbidden` unless the caller has one of ``roles``."""
    if caller.role not in roles:
        raise Forbidden("role_forbidden", {"allowed": ", ".join(r.value for r in roles)})


def _checked_rule(rule_id: str, rule: RuleDocument, prefix: str = "") -> dict[str, Any]:
    """The rule in canonical form, its meaning checked by the core (:class:`RuleError` names
    the field, under ``prefix`` when the rule is one of several changes)."""
    if rule.id != rule_id:
        raise DocumentInvalid([Violation(f"{prefix}id", "rule_id_mismatch", {"id": rule_id})])
    try:
        return rule_from_dict(rule.as_core(), "<api>").as_dict()
    except RuleError as exc:
        if not prefix:
            raise
        field = f"{prefix}{exc.field}"
        raise DocumentInvalid([Violation(field, exc.code, exc.violations[0].params)]) from None


def _proposed(
    store: RuleStore, changes: dict[str, RuleDocument | None], prefix: str = ""
) -> tuple[dict[str, dict[str, Any] | None], RuleSet]:
    """The rule set with ``changes`` (rule id → rule, or None to retire) applied; refused with
    every conflict named (:class:`~cbec.compliance.RuleSetError`) when it contradicts itself."""
    checked: dict[str, dict[str, Any] | None] = {
        rule_id: None if rule is None else _checked_rule(rule_id, rule, prefix.format(rule_id))
        for rule_id, rule in changes.items()
    }
    return checked, ruleset_from_dicts(store.rule_dicts(checked), label="proposed")


def rules_in_force(uow: UnitOfWork, caller: Viewer) -> RulesInForce:
    """The rules every order is decided by now, and the version decisions cite."""
    with uow:
        ruleset = RuleStore(uow.conn).ruleset()
    return RulesInForce(
        version=ruleset.version.id,
        rules=[RuleDocument.model_validate(r.as_dict()) for r in ruleset.rules],
    )


def put_rule(uow: UnitOfWork, caller: Viewer, rule_id: str, rule: RuleDocument) -> RuleChanged:
    """Add or replace a rule (regulators; platforms their own), audited and logged."""
    return _change(uow, caller, rule_id, rule)


def retire_rule(uow: UnitOfWork, caller: Viewer, rule_id: str) -> RuleChanged:
    """Retire a rule (regulators; platforms their own), audited and logged."""
    return _change(uow, caller, rule_id, None)


def _change(
    uow: UnitOfWork, caller: Viewer, rule_id: str, rule: RuleDocument | None
) -> RuleChanged:
    require_role(caller, RULE_MAKERS)
    with uow.writing():
        store = RuleStore(uow.conn)
        if caller.role is Role.PLATFORM:
            author = store.author(rule_id)
            starter = rule_id in {r["id"] for r in starter_dicts()}
            if starter or (author is not None and author != caller.tenant_id):
                raise Forbidden("rule_not_yours", {"rule": rule_id})
        checked, ruleset = _proposed(store, {rule_id: rule})
        if rule is None and rule_id not in {r["id"] for r in store.rule_dicts()}:
            raise NotFound("not_found", {"kind": "rule"})
        action = "retire" if rule is None else "put"
        try:
            revision = store.put(checked[rule_id] or {"id": rule_id}, caller.tenant_id, action)
        except IntegrityError:  # another change of the same rule committed first
            raise Conflict("changed_concurrently", {"kind": "rule"}) from None
        entry = event_entry(
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[caller.name],
            body={"rule": rule_id, "revision": revision, "action": action, "by": caller.name},
        )
        (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
        store.set_ledger_index(rule_id, revision, index)
        uow.commit()
    return RuleChanged(
        rule_id=rule_id,
        revision=revision,
        action=action,
        ledger=LedgerRef(index=index),
        ruleset_version=ruleset.version.id,
    )


def rule_history(uow: UnitOfWork, caller: Viewer, rule_id: str) -> list[RuleRevision]:
    """Every change made to a rule, by whom and when, oldest first."""
    with uow:
        rows = RuleStore(uow.conn).history(rule_id)
    return [RuleRevision.model_validate(r) for r in rows]


def evaluate_order(uow: UnitOfWork, caller: Viewer, body: bytes) -> DecisionView:
    """The decision the rules in force give an order (nothing stored). The body is an order
    as it would be filed, read with ``Decimal`` numbers (:func:`cbec.jsonio.loads`); only the
    fields the rules read must be there, and :class:`~cbec.compliance.OrderFactsError` names
    the first one the engine cannot read."""
    order = loads(body)
    if not isinstance(order, dict):
        raise DocumentInvalid([Violation("(document)", "model_type", {})])
    with uow:
        ruleset = RuleStore(uow.conn).ruleset()
    return DecisionView.model_validate(evaluate(order, ruleset).as_dict())


def order_checks(uow: UnitOfWork, caller: Viewer, doc_id: str) -> OrderChecksView:
    """The compliance decision and screening results of a stored order the caller may see."""
    with uow:
        if uow.repo.get_document(caller, "order", doc_id) is None:
            raise NotFound("not_found", {"kind": "order"})
        decisions = DecisionStore(uow.conn).for_document(doc_id)
        results = ResultStore(uow.conn).for_document(doc_id)
    return OrderChecksView(
        compliance=[DecisionView.model_validate(d) for d in decisions],
        screening=[ScreeningResultView.model_validate(r) for r in results],
    )


def what_if(uow: UnitOfWork, caller: Viewer, req: WhatIfRequest) -> WhatIfResult:
    """Replay the orders the caller sees from the last ``days`` against the proposed changes
    and show each order whose outcome would change, with the rules responsible."""
    require_role(caller, RULE_MAKERS)
    since = now() - timedelta(days=req.days)
    pii = KINDS["order"].pii
    with uow:
        store = RuleStore(uow.conn)
        _, proposed = _proposed(store, dict(req.changes), prefix="changes.{}.")
        current = store.ruleset()
        docs = uow.repo.list_documents(caller, "order", created_from=since, limit=MAX_REPLAYED)
        # rules read goods, places and parties, never personal values: open them masked
        orders = [uow.vault.open("order", d.id, pii, d.body, clear=False) for d in docs]
    found = diff(orders, current, proposed)
    return WhatIfResult(
        days=req.days,
        orders_replayed=len(orders),
        current=current.version.id,
        proposed=proposed.version.id,
        changes=[c.as_dict() for c in found],
    )
