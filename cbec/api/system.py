"""HTTP routes about the service itself and its audit trail: health, who am I, reveals."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError

import cbec
from cbec.api import errors as api_errors
from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Rt, Uow
from cbec.i18n import render
from cbec.services import desk, ops


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Me(BaseModel):
    name: str
    role: str


router = APIRouter(route_class=JsonBodyRoute)


@router.get(
    "/healthz",
    tags=["system"],
    summary="Liveness: the database answers",
    response_model=Health,
    responses={503: {"description": "The database does not answer (RFC 9457 problem)"}},
)
def healthz(request: Request, rt: Rt) -> Health | JSONResponse:
    """No authentication; answers once the database runs a query (for load balancers), and
    503 (`code: not_alive`) when it does not — a connection that cannot be made or is lost."""
    try:
        with rt.uow() as uow:
            uow.conn.exec_driver_sql("SELECT 1")
    except OperationalError as exc:  # the error's type only: its message may name the host
        params = {"error": type(exc.orig or exc).__name__}
        detail = render("not_alive", api_errors.lang_of(request), params)
        return api_errors.problem(503, "not_alive", detail)
    return Health(status="ok", version=cbec.__version__)


@router.get(
    "/readyz",
    tags=["system"],
    summary="Readiness: database, migrations, keys and ledger integrator",
    response_model=ops.Readiness,
    responses={503: {"description": "A check failed: `checks` names it (RFC 9457 problem)"}},
)
def readyz(request: Request, rt: Rt, uow: Uow) -> ops.Readiness | JSONResponse:
    """No authentication. 200 when every check passes; 503 as a problem document whose
    `checks` lists them all, so a load balancer stops sending traffic and the operator reads
    which check failed (`database`, `migrations`, `keys`, `integrator`). Liveness is
    `/healthz`."""
    ready = ops.readiness(uow, ops.ReadinessRequest(max_lag_s=rt.settings.ready_max_lag_s))
    if ready.ok:
        return ready
    failed = ", ".join(c.name for c in ready.checks if not c.ok)
    detail = render("not_ready", api_errors.lang_of(request), {"failed": failed})
    return api_errors.problem(
        503, "not_ready", detail, checks=[c.model_dump() for c in ready.checks]
    )


@router.get("/me", tags=["system"], summary="The tenant and role of your API key")
def me(caller: Caller) -> Me:
    """Which tenant an API key belongs to and its role — a first call to check a key."""
    return Me(name=caller.name, role=caller.role.value)


@router.get(
    "/audit/reveals",
    tags=["audit"],
    summary="Regulators: the audit trail of reveals, newest first",
    responses=problems(403),
)
def reveals(
    caller: Caller,
    uow: Uow,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="Only older reveals (keyset)")
    ] = None,
) -> list[desk.RevealRow]:
    """Every audited reveal: who (tenant, and the console user or API key), when, which
    document and fields, and the reason given."""
    return desk.reveal_page(uow, caller, before, limit).items
