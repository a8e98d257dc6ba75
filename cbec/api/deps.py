"""What every route depends on: the runtime the app was built with, a fresh unit of work, and
the authenticated caller.

Routers are module-level (``router = APIRouter(...)``) and reach the runtime through
``request.app.state.rt``, so no handler is a closure over it. The caller comes from an
``Authorization: Bearer <API key>`` header (RFC 6750 §2.1); the scheme is declared with
FastAPI's ``HTTPBearer``, so OpenAPI carries it and Swagger UI shows an Authorize button.
A missing, malformed, unknown, revoked or expired key is one answer — 401 — whatever was
wrong with it (:func:`cbec.services.keys.authenticate`). An authenticated caller is then
admitted by the tenant's request limits (:mod:`cbec.api.throttle`; 429 past them) and holds
a concurrency slot until its request ends.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cbec.api.access_log import note_tenant, release_when_ended
from cbec.api.throttle import TenantThrottle
from cbec.errors import Unauthenticated
from cbec.runtime import Runtime
from cbec.services.keys import authenticate, known_caller
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    description="A tenant's API key: `Authorization: Bearer cbec_<key id>_<secret>`.",
)


async def runtime(request: Request) -> Runtime:
    return request.app.state.rt


async def unit_of_work(request: Request) -> UnitOfWork:
    """An unentered unit of work; the use case enters it (for reading or writing). Async
    because it does no I/O: a sync dependency would cost each request a thread hop."""
    return request.app.state.rt.uow()


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Viewer:
    """The authenticated caller. A token this process authenticated under a second ago is
    answered on the event loop (:func:`cbec.services.keys.known_caller`); any other goes to
    a worker thread, where :func:`~cbec.services.keys.authenticate` may read and write. The
    tenant's concurrency slot is released by the access log's middleware once the request
    has ended (a plain function rather than a generator dependency: see
    :meth:`~cbec.api.throttle.TenantThrottle.hold`)."""
    token = credentials.credentials if credentials else None
    rt: Runtime = request.app.state.rt
    found = known_caller(rt.uow(), token)
    if found is None:
        found = await run_in_threadpool(authenticate, rt.uow(), token)
    if found is None:
        raise Unauthenticated("unauthenticated")
    state = request.state
    note_tenant(state, found.tenant_id)
    throttle: TenantThrottle = request.app.state.throttle
    release = throttle.hold(found.tenant_id)
    if release is not None:
        release_when_ended(state, release)
    return found


Rt = Annotated[Runtime, Depends(runtime)]
Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
Caller = Annotated[Viewer, Depends(caller)]
