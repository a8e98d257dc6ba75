"""HTTP routes about the service itself and its audit trail: health, who am I, reveals."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

import cbec
from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Rt, Uow
from cbec.services import desk


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Me(BaseModel):
    name: str
    role: str


router = APIRouter(route_class=JsonBodyRoute)


@router.get("/healthz", tags=["system"], summary="Liveness: the database answers")
def healthz(rt: Rt) -> Health:
    """No authentication; answers once the database runs a query (for load balancers)."""
    with rt.uow() as uow:
        uow.conn.exec_driver_sql("SELECT 1")
    return Health(status="ok", version=cbec.__version__)


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
