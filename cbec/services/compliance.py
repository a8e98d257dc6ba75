"""Use cases of compliance: the rules in force and their changes, the decision the rules give
an order, the checks of a stored order, and what-if replays of proposed changes.

Rules change only by regulators and platforms — a platform only its own rules, which bind
only orders on that platform, while the starter set and a regulator's rules bind every
platform (a regulator's change of a platform's rule keeps its binding) — and every change
is kept as a revision and logged (the log entry names the rule, revision, action and
author, never a rule body). A change that would make a rule set contradict itself is
refused with every conflict named (:class:`~cbec.compliance.RuleSetError`). Decisions cite
the rule-set version (label and SHA-256 of the content), so a decision can be explained a
year later.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from cbec.compliance import RuleError, RuleSet, diff, evaluate, rule_from_dict, ruleset_from_dicts
from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.jsonio import loads
from cbec.ledger.entry import RULES_ENTRY_TYPE
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
from cbec.services.evidence import log_event
from cbec.services.hit_views import shown
from cbec.store.compliance_store import DecisionStore, RuleStore, starter_dicts
from cbec.store.repository import UnitOfWork
from cbec.store.screening_store import ListStore, ResultStore
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


def _binding(store: RuleStore, caller: Viewer, rule_id: str) -> str | None:
    """The platform a change of ``rule_id`` binds (None: every platform). A platform's rules
    bind only orders on that platform; a regulator's change keeps the rule's binding, and a
    new rule of a regulator binds every platform."""
    if caller.role is Role.PLATFORM:
        return caller.name
    return store.binding(rule_id)


def _may_change(store: RuleStore, caller: Viewer, rule_id: str) -> None:
    """A platform changes only its own rules: not a starter rule, not another's."""
    if caller.role is Role.PLATFORM:
        author = store.author(rule_id)
        starter = rule_id in {r["id"] for r in starter_dicts()}
        if starter or (author is not None and author != caller.tenant_id):
            raise Forbidden("rule_not_yours", {"rule": rule_id})


def _proposed(
    store: RuleStore, caller: Viewer, changes: dict[str, RuleDocument | None], prefix: str = ""
) -> tuple[dict[str, dict[str, Any] | None], dict[str, str | None], dict[str | None, RuleSet]]:
    """``changes`` (rule id → rule, or None to retire) checked, the platform each binds, and
    the rule set of every scope they touch with them applied (None: the set that binds every
    platform; a change binding every platform touches each platform's set too). A set that
    would contradict itself is refused with every conflict named
    (:class:`~cbec.compliance.RuleSetError`)."""
    checked: dict[str, dict[str, Any] | None] = {
        rule_id: None if rule is None else _checked_rule(rule_id, rule, prefix.format(rule_id))
        for rule_id, rule in changes.items()
    }
    binds = {rule_id: _binding(store, caller, rule_id) for rule_id in checked}
    proposed = {rule_id: (binds[rule_id], body) for rule_id, body in checked.items()}
    scopes: set[str | None] = set(binds.values())
    if None in scopes:
        scopes |= store.platforms()
    sets = {
        scope: ruleset_from_dicts(
            store.rule_dicts(scope, proposed),
            label="proposed" if scope is None else f"proposed+{scope}",
        )
        for scope in sorted(scopes, key=lambda p: p or "")
    }
    return checked, binds, sets


def _platform_in_view(caller: Viewer, platform: str | None) -> str | None:
    """The platform whose rules ``caller`` asks about: a platform sees its own rules (and
    those binding every platform), never another platform's."""
    if caller.role is Role.PLATFORM:
        if platform not in (None, caller.name):
            raise Forbidden("platform_rules_not_yours", {"platform": platform})
        return caller.name
    return platform


def rules_in_force(uow: UnitOfWork, caller: Viewer, platform: str | None = None) -> RulesInForce:
    """The rules orders on ``platform`` are decided by now — those binding every platform and
    the platform's own — and the version decisions cite. Without ``platform``, a platform
    gets its own; anyone else the rules that bind every platform."""
    platform = _platform_in_view(caller, platform)
    with uow:
        ruleset = RuleStore(uow.conn).ruleset(platform)
    return RulesInForce(
        version=ruleset.version.id,
        platform=platform,
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
        _may_change(store, caller, rule_id)
        checked, binds, sets = _proposed(store, caller, {rule_id: rule})
        if rule is None and rule_id not in {r["id"] for r in store.rule_dicts(binds[rule_id])}:
            raise NotFound("not_found", {"kind": "rule"})
        action = "retire" if rule is None else "put"
        try:
            revision = store.put(
                checked[rule_id] or {"id": rule_id}, caller.tenant_id, action, binds[rule_id]
            )
        except IntegrityError:  # another change of the same rule committed first
            raise Conflict("changed_concurrently", {"kind": "rule"}) from None
        index = log_event(
            uow,
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[caller.name],
            body={"rule": rule_id, "revision": revision, "action": action, "by": caller.name},
        )
        store.set_ledger_index(rule_id, revision, index)
        uow.commit()
    return RuleChanged(
        rule_id=rule_id,
        revision=revision,
        action=action,
        ledger=LedgerRef(index=index),
        ruleset_version=sets[binds[rule_id]].version.id,
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
    platform = order.get("platform") if isinstance(order.get("platform"), str) else None
    platform = _platform_in_view(caller, platform)
    with uow:
        ruleset = RuleStore(uow.conn).ruleset(platform)
    return DecisionView.model_validate(evaluate(order, ruleset).as_dict())


def order_checks(uow: UnitOfWork, caller: Viewer, doc_id: str) -> OrderChecksView:
    """The compliance decision and screening results of a stored order the caller may see,
    the results masked as the order is for the caller (:mod:`cbec.services.hit_views`)."""
    with uow:
        doc = uow.repo.get_document(caller, "order", doc_id)
        if doc is None:
            raise NotFound("not_found", {"kind": "order"})
        decisions = DecisionStore(uow.conn).for_document(doc_id)
        results = ResultStore(uow.conn).for_document(doc_id)
        loaders = ListStore(uow.conn, uow.settings.data_dir).loaders()
    return OrderChecksView(
        compliance=[DecisionView.model_validate(d) for d in decisions],
        screening=[
            ScreeningResultView.model_validate(
                shown(
                    r,
                    caller,
                    kind="order",
                    filer_tenant_id=doc.filer_tenant_id,
                    loaders=loaders,
                    key=uow.vault.hmac_key,
                )
            )
            for r in results
        ],
    )


def what_if(uow: UnitOfWork, caller: Viewer, req: WhatIfRequest) -> WhatIfResult:
    """Replay the orders the caller sees from the last ``days`` against the proposed changes
    and show each order whose outcome would change, with the rules responsible. Each order
    is replayed under the rules of its own platform, and a change binds what the same change
    made through ``PUT`` would bind (a platform may propose changes to its own rules only)."""
    require_role(caller, RULE_MAKERS)
    since = now() - timedelta(days=req.days)
    pii = KINDS["order"].pii
    with uow:
        store = RuleStore(uow.conn)
        for rule_id in req.changes:
            _may_change(store, caller, rule_id)
        _, _, sets = _proposed(store, caller, dict(req.changes), prefix="changes.{}.")
        docs = uow.repo.list_documents(caller, "order", created_from=since, limit=MAX_REPLAYED)
        # rules read goods, places and parties, never personal values: open them masked
        uow.vault.preload(pii, (d.body for d in docs))
        orders = [uow.vault.open("order", d.id, pii, d.body, clear=False) for d in docs]
        by_platform: dict[str | None, list[int]] = {}
        for i, order in enumerate(orders):
            by_platform.setdefault(order.get("platform"), []).append(i)
        current = {p: store.ruleset(p) for p in by_platform}
        main = caller.name if caller.role is Role.PLATFORM else None
        main_current = store.ruleset(main)
    found = []
    for platform, indexes in by_platform.items():
        after = sets.get(platform) or sets.get(None) or current[platform]
        for change in diff([orders[i] for i in indexes], current[platform], after):
            found.append(replace(change, index=indexes[change.index]))
    found.sort(key=lambda c: c.index)
    main_proposed = sets.get(main) or sets.get(None) or next(iter(sets.values()))
    return WhatIfResult(
        days=req.days,
        orders_replayed=len(orders),
        current=main_current.version.id,
        proposed=main_proposed.version.id,
        changes=[c.as_dict() for c in found],
    )
