"""HTTP routes for compliance and screening: the rules in force and their changes (by
regulators and platforms, audited and logged), decisions on an order, what-if replays,
regulatory sandboxes, screening lists and ad-hoc screening."""

from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from cbec.api.body import parse_json
from cbec.compliance import (
    Enrolment,
    OrderFactsError,
    RuleError,
    RuleSetError,
    diff,
    evaluate,
    ruleset_from_dicts,
    sandbox_report,
)
from cbec.errors import BadRequest, Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.ledger.entry import CONTENT_TYPE, RULES_ENTRY_TYPE, event_entry
from cbec.runtime import Runtime
from cbec.screening.match import Query as ScreenQuery
from cbec.screening.match import Role as ScreenRole
from cbec.store.compliance_store import (
    DecisionStore,
    EnrolmentStore,
    RuleStore,
    starter_dicts,
    validate_rule,
)
from cbec.store.screening_store import ListStore, ResultStore, screen_cached
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

RULE_MAKERS = (Role.REGULATOR, Role.PLATFORM)


def _require(v: Viewer, roles: tuple[Role, ...]) -> None:
    if v.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden("role_forbidden", {"allowed": allowed})


def _ruleset_problems(exc: RuleSetError) -> DocumentInvalid:
    return DocumentInvalid(
        [
            Violation(
                p.field or "rules",
                "rule_conflict",
                {"rules": ", ".join(p.rule_ids) or "-", "detail": p.message},
            )
            for p in exc.problems
        ]
    )


def _rule_error(exc: RuleError) -> DocumentInvalid:
    return DocumentInvalid([Violation(exc.field, "rule_invalid", {"detail": exc.message})])


def _proposed(store: RuleStore, changes: dict[str, Any]) -> Any:
    """The rule set with ``changes`` (rule id → rule, or None to retire) applied; refused
    with every conflict named when it contradicts itself."""
    checked: dict[str, Any] = {}
    for rule_id, body in changes.items():
        if body is None:
            checked[rule_id] = None
            continue
        try:
            rule = validate_rule(body)
        except RuleError as exc:
            raise _rule_error(exc) from None
        if rule["id"] != rule_id:
            raise DocumentInvalid([Violation("id", "rule_id_mismatch", {"id": rule_id})])
        checked[rule_id] = rule
    try:
        return checked, ruleset_from_dicts(store.rule_dicts(checked), label="proposed")
    except RuleSetError as exc:
        raise _ruleset_problems(exc) from None
    except RuleError as exc:
        raise _rule_error(exc) from None


def _change(rt: Runtime, v: Viewer, rule_id: str, body: dict[str, Any] | None) -> dict:
    _require(v, RULE_MAKERS)
    with rt.uow(write=True) as uow:
        store = RuleStore(uow.conn)
        if v.role is Role.PLATFORM:
            # A platform keeps its own rules; the starter set and a regulator's rules bind
            # every platform, so only a regulator changes or retires them.
            author = store.author(rule_id)
            starter = rule_id in {r["id"] for r in starter_dicts()}
            if starter or (author is not None and author != v.tenant_id):
                raise Forbidden("rule_not_yours", {"rule": rule_id})
        checked, ruleset = _proposed(store, {rule_id: body})
        if body is None and rule_id not in {r["id"] for r in store.rule_dicts()}:
            raise NotFound("not_found", {"kind": "rule"})
        action = "retire" if body is None else "put"
        try:
            revision = store.put(checked[rule_id] or {"id": rule_id}, v.tenant_id, action)
        except IntegrityError:  # another change of the same rule committed first
            raise Conflict("changed_concurrently", {"kind": "rule"}) from None
        entry = event_entry(
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[v.name],
            body={"rule": rule_id, "revision": revision, "action": action, "by": v.name},
        )
        (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
        store.set_ledger_index(rule_id, revision, index)
        uow.commit()
    return {
        "rule_id": rule_id,
        "revision": revision,
        "action": action,
        "ledger": {"index": index},
        "ruleset_version": ruleset.version.id,
    }


def _orders_since(rt: Runtime, uow: Any, v: Viewer, days: int, limit: int) -> list[tuple]:
    """(document id, order) of the orders the caller sees, filed in the last ``days``; names
    and IDs masked — rules read goods, places and parties, never personal values."""
    since = now() - timedelta(days=days)
    docs = uow.repo.list_documents(v, "order", created_from=since, limit=limit)
    pii = KINDS["order"].pii
    return [(d.id, rt.vault.open("order", d.id, pii, d.body, clear=False)) for d in docs]


def _what_if(rt: Runtime, v: Viewer, doc: dict[str, Any]) -> dict[str, Any]:
    _require(v, RULE_MAKERS)
    changes = doc.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise DocumentInvalid([Violation("changes", "missing", {})])
    days = doc.get("days", 30)
    if not isinstance(days, int) or not 1 <= days <= 366:
        raise DocumentInvalid([Violation("days", "out_of_range", {"min": 1, "max": 366})])
    with rt.uow() as uow:
        store = RuleStore(uow.conn)
        _, proposed = _proposed(store, changes)
        current = store.ruleset()
        orders = _orders_since(rt, uow, v, days, 5000)
    found = diff([o for _, o in orders], current, proposed)
    return {
        "days": days,
        "orders_replayed": len(orders),
        "current": current.version.id,
        "proposed": proposed.version.id,
        "changes": [c.as_dict() for c in found],
    }


def _enrol(rt: Runtime, v: Viewer, doc: dict[str, Any]) -> dict[str, Any]:
    _require(v, (Role.REGULATOR,))
    firm = doc.get("firm")
    with rt.uow(write=True) as uow:
        tenant = uow.repo.tenant_by_name(firm) if isinstance(firm, str) else None
        if tenant is None:
            raise DocumentInvalid([Violation("firm", "unknown_tenant", {"tenant": firm})])
        try:
            Enrolment.from_dict(doc | {"id": "new"})
        except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as exc:
            detail = {"detail": str(exc)}
            raise DocumentInvalid([Violation("enrolment", "invalid", detail)]) from None
        store = EnrolmentStore(uow.conn)
        enrolment_id = store.create(tenant.id, doc, v.tenant_id)
        entry = event_entry(
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[v.name, tenant.name],
            body={"sandbox": enrolment_id, "action": "enrol", "firm": tenant.name},
        )
        (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
        store.set_ledger_index(enrolment_id, index)
        uow.commit()
    return {"id": enrolment_id, "firm": tenant.name, "ledger": {"index": index}}


def _screen(rt: Runtime, v: Viewer, doc: dict[str, Any]) -> dict[str, Any]:
    names = doc.get("names")
    if not isinstance(names, list) or not names or len(names) > 1000:
        raise DocumentInvalid([Violation("names", "out_of_range", {"min": 1, "max": 1000})])
    threshold = doc.get("threshold", rt.settings.screening_threshold)
    numeric = isinstance(threshold, int | float | Decimal) and not isinstance(threshold, bool)
    if not numeric or not 0 <= threshold <= 1:
        raise DocumentInvalid([Violation("threshold", "out_of_range", {"min": 0, "max": 1})])
    with rt.uow() as uow:
        key, index = ListStore(uow.conn, rt.settings.data_dir).index()
    if index is None:
        raise BadRequest("screening_no_list", {})
    out = []
    for i, item in enumerate(names):
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise DocumentInvalid([Violation(f"names[{i}].name", "missing", {})])
        role = item.get("role")
        for part in ("birth_date", "country", "id_number"):
            if item.get(part) is not None and not isinstance(item[part], str):
                raise DocumentInvalid(
                    [Violation(f"names[{i}].{part}", "invalid", {"detail": "text"})]
                )
        try:
            query = ScreenQuery(
                str(item["name"]),
                birth_date=item.get("birth_date"),
                country=item.get("country"),
                id_number=item.get("id_number"),
                role=ScreenRole(role) if role else None,
            )
        except ValueError as exc:
            raise DocumentInvalid(
                [Violation(f"names[{i}]", "invalid", {"detail": str(exc)})]
            ) from None
        result = screen_cached(key, index, query, float(threshold))
        best = result.hits[0] if result.hits else result.best
        out.append(
            {
                "name": query.name,
                "match": result.matched,
                "score": round(best.score, 4) if best else 0.0,
                "entity_id": best.entity_id if best and result.matched else None,
                "matched_name": best.matched_name if best and result.matched else None,
                "hits": [h.as_dict() for h in result.hits],
            }
        )
    return {"lists": [f"{n}@{ver}" for n, ver in key], "results": out}


def install(app: FastAPI, rt: Runtime, auth: Any) -> None:
    Auth = Annotated[Viewer, Depends(auth)]

    @app.get("/compliance/rules", tags=["compliance"], summary="The rules in force")
    def rules(v: Auth) -> dict[str, Any]:
        with rt.uow() as uow:
            ruleset = RuleStore(uow.conn).ruleset()
        return {
            "version": ruleset.version.id,
            "rules": [r.as_dict() for r in ruleset.rules],
        }

    @app.put(
        "/compliance/rules/{rule_id}",
        tags=["compliance"],
        summary="Add or replace a rule (regulators, platforms); audited and logged",
    )
    async def put_rule(rule_id: str, request: Request, v: Auth) -> dict[str, Any]:
        body = parse_json(await request.body())
        if not isinstance(body, dict):
            raise BadRequest("invalid_json", {"detail": "a rule is a JSON object"})
        return await run_in_threadpool(_change, rt, v, rule_id, body)

    @app.delete(
        "/compliance/rules/{rule_id}",
        tags=["compliance"],
        summary="Retire a rule (regulators, platforms); audited and logged",
    )
    def retire_rule(rule_id: str, v: Auth) -> dict[str, Any]:
        return _change(rt, v, rule_id, None)

    @app.get(
        "/compliance/rules/{rule_id}/history",
        tags=["compliance"],
        summary="Every change made to a rule, by whom and when",
    )
    def history(rule_id: str, v: Auth) -> list[dict[str, Any]]:
        with rt.uow() as uow:
            return RuleStore(uow.conn).history(rule_id)

    @app.post(
        "/compliance/evaluate",
        tags=["compliance"],
        summary="The decision the rules in force give an order (nothing stored)",
    )
    async def evaluate_order(request: Request, v: Auth) -> dict[str, Any]:
        order = parse_json(await request.body())
        with rt.uow() as uow:
            ruleset = RuleStore(uow.conn).ruleset()
        try:
            return evaluate(order, ruleset).as_dict()
        except OrderFactsError as exc:
            detail = {"detail": exc.message}
            raise DocumentInvalid([Violation(exc.field, "invalid", detail)]) from None
        except (TypeError, AttributeError, ValueError, ArithmeticError) as exc:
            detail = {"detail": f"not an order cbec can read ({type(exc).__name__})"}
            raise DocumentInvalid([Violation("order", "invalid", detail)]) from None

    @app.get(
        "/orders/{doc_id}/checks",
        tags=["compliance"],
        summary="The compliance decision and screening results of a stored order",
    )
    def checks(doc_id: str, v: Auth) -> dict[str, Any]:
        with rt.uow() as uow:
            if uow.repo.get_document(v, "order", doc_id) is None:
                raise NotFound("not_found", {"kind": "order"})
            return {
                "compliance": DecisionStore(uow.conn).for_document(doc_id),
                "screening": ResultStore(uow.conn).for_document(doc_id),
            }

    @app.post(
        "/compliance/what-if",
        tags=["compliance"],
        summary="Replay recent orders against proposed rule changes and show what changes",
    )
    async def what_if(request: Request, v: Auth) -> dict[str, Any]:
        doc = parse_json(await request.body())
        if not isinstance(doc, dict):
            raise BadRequest("invalid_json", {"detail": "a JSON object"})
        return await run_in_threadpool(_what_if, rt, v, doc)

    @app.post(
        "/compliance/sandboxes",
        tags=["compliance"],
        summary="Enrol a firm in a regulatory sandbox (regulators)",
    )
    async def enrol(request: Request, v: Auth) -> dict[str, Any]:
        doc = parse_json(await request.body())
        if not isinstance(doc, dict):
            raise BadRequest("invalid_json", {"detail": "a JSON object"})
        return await run_in_threadpool(_enrol, rt, v, doc)

    @app.get("/compliance/sandboxes", tags=["compliance"], summary="Sandbox enrolments")
    def enrolments(v: Auth) -> list[dict[str, Any]]:
        _require(v, (Role.REGULATOR,))
        with rt.uow() as uow:
            return EnrolmentStore(uow.conn).list()

    @app.delete(
        "/compliance/sandboxes/{enrolment_id}",
        tags=["compliance"],
        summary="End a sandbox enrolment (regulators)",
    )
    def end_enrolment(enrolment_id: int, v: Auth) -> dict[str, Any]:
        _require(v, (Role.REGULATOR,))
        with rt.uow(write=True) as uow:
            if not EnrolmentStore(uow.conn).end(enrolment_id):
                raise NotFound("not_found", {"kind": "sandbox"})
            entry = event_entry(
                RULES_ENTRY_TYPE,
                at=now(),
                tenants=[v.name],
                body={"sandbox": enrolment_id, "action": "end"},
            )
            (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
            uow.commit()
        return {"id": enrolment_id, "ended": True, "ledger": {"index": index}}

    @app.get(
        "/compliance/sandboxes/report",
        tags=["compliance"],
        summary="Sandbox activity per firm (regulators)",
    )
    def sandbox_activity(
        v: Auth, days: Annotated[int, Query(ge=1, le=3660)] = 365
    ) -> dict[str, Any]:
        _require(v, (Role.REGULATOR,))
        with rt.uow() as uow:
            bodies = DecisionStore(uow.conn).bodies(since=now() - timedelta(days=days))
        report = sandbox_report(b for b in bodies if b.get("sandbox"))
        return {"days": days, "firms": {k: a.as_dict() for k, a in sorted(report.items())}}

    @app.post(
        "/screening/lists",
        tags=["screening"],
        summary="Load or replace a screening list (FtM JSON lines, OFAC SDN XML, UN XML)",
    )
    async def load(
        request: Request,
        v: Auth,
        name: Annotated[str, Query(min_length=1, max_length=100)],
        source: Annotated[str, Query(min_length=1, max_length=300)],
    ) -> dict[str, Any]:
        _require(v, RULE_MAKERS)
        content = await request.body()
        return await run_in_threadpool(_load_list, rt, v, name, source, content)

    @app.get("/screening/lists", tags=["screening"], summary="Screening lists, as loaded")
    def lists(v: Auth) -> list[dict[str, Any]]:
        with rt.uow() as uow:
            return ListStore(uow.conn, rt.settings.data_dir).all()

    @app.post(
        "/screening/screen",
        tags=["screening"],
        summary="Screen names against the active lists",
    )
    async def screen_names(request: Request, v: Auth) -> dict[str, Any]:
        doc = parse_json(await request.body())
        if not isinstance(doc, dict):
            raise BadRequest("invalid_json", {"detail": "a JSON object"})
        return await run_in_threadpool(_screen, rt, v, doc)

    @app.get(
        "/screening/hits",
        tags=["screening"],
        summary="Recent screening matches on stored documents (regulators)",
    )
    def hits(v: Auth, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
        _require(v, (Role.REGULATOR,))
        with rt.uow() as uow:
            return ResultStore(uow.conn).hits(limit)


def _load_list(rt: Runtime, v: Viewer, name: str, source: str, content: bytes) -> dict:
    with rt.uow(write=True) as uow:
        store = ListStore(uow.conn, rt.settings.data_dir)
        current = next((r for r in store.active() if r.name == name), None)
        if v.role is Role.PLATFORM and current is not None and current.loaded_by != v.tenant_id:
            raise Forbidden("list_not_yours", {"list": name})
        try:
            row = store.add(name, source, content, v.tenant_id)
        except ValueError as exc:
            detail = {"detail": str(exc)}
            raise DocumentInvalid([Violation("body", "screening_list", detail)]) from None
        entry = event_entry(
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[v.name],
            body={
                "list": name,
                "version": row["version"],
                "format": row["format"],
                "entities": row["entity_count"],
                "action": "load",
            },
        )
        (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
        store.set_ledger_index(row["id"], index)
        uow.commit()
    return {
        "name": name,
        "version": row["version"],
        "format": row["format"],
        "entity_count": row["entity_count"],
        "ledger": {"index": index},
    }
