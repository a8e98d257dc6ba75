"""The FastAPI application: assembles the routers, the error handlers and the contract.

Routers live one per area (:mod:`cbec.api.documents`, :mod:`cbec.api.system`, …) and reach
the runtime through ``app.state.rt`` (:mod:`cbec.api.deps`); this module only builds the app.
"""

import threading
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

import cbec
from cbec import collector
from cbec.api import (
    algorithms,
    analytics,
    compliance,
    contract,
    customs,
    disputes,
    documents,
    einvoice,
    growth,
    keys,
    ledger,
    logistics,
    marketplace,
    privacy,
    privacy_scan,
    screening,
    settlements,
    system,
    talent,
    tax,
    tracking,
    webhooks,
)
from cbec.api import errors as api_errors
from cbec.api.access_log import AccessLog
from cbec.api.body import BodyLimit
from cbec.api.headers import SecurityHeaders
from cbec.api.metrics import Metrics
from cbec.api.metrics import router as metrics_router
from cbec.api.throttle import TenantThrottle
from cbec.api.turns import Turns, slots_for
from cbec.console import (
    account_pages,
    algorithm_pages,
    analytics_pages,
    co2e_pages,
    consolidation_pages,
    dispute_pages,
    dsr_pages,
    einvoice_pages,
    import_pages,
    marketplace_pages,
    order_pages,
    poll_pages,
    privacy_pages,
    privacy_report_pages,
    regulator_pages,
    route_pages,
    rule_pages,
    settlement_pages,
    shipment_pages,
    talent_pages,
    user_pages,
    webhook_pages,
)
from cbec.console import errors as console_errors
from cbec.console import pages as console_pages
from cbec.console.security import ConsoleHeaders
from cbec.runtime import Runtime
from cbec.services import integrator, ops, webhook_delivery
from cbec.trade import parties
from cbec.trade.kinds import KINDS

# One router per area, in the order OpenAPI lists them.
AREAS = (
    ledger,
    customs,
    tax,
    compliance,
    screening,
    analytics,
    keys,
    privacy,
    privacy_scan,
    logistics,
    tracking,
    webhooks,
    einvoice,
    marketplace,
    settlements,
    algorithms,
    disputes,
    talent,
    growth,
)


def create_app(
    rt: Runtime,
    integrate_in_background: bool | None = None,
    deliver_in_background: bool | None = None,
) -> FastAPI:
    """The app over ``rt``. Its lifespan runs the integrator (:mod:`cbec.services.integrator`)
    in a thread when ``integrate_in_background`` says so, by default when the settings do
    (``CBEC_INTEGRATOR``): a server of a several-host deployment leaves it to the one
    ``cbec ledger integrate --follow``. Likewise the webhook deliverer
    (:mod:`cbec.services.webhook_delivery`), by default when ``CBEC_WEBHOOKS`` says so."""
    background = (
        rt.settings.integrator if integrate_in_background is None else integrate_in_background
    )

    deliver = rt.settings.webhooks if deliver_in_background is None else deliver_in_background

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        parties.load_tables()  # before the first requests, not by each of them at once
        collector.settle()  # the started app's objects out of the collector's passes
        stop = threading.Event()
        worker = integrator.start(rt, stop) if background else None
        deliverer = webhook_delivery.start(rt.uow, stop) if deliver else None
        try:
            yield
        finally:
            stop.set()
            for thread in (worker, deliverer):
                if thread is not None:
                    thread.join(timeout=10)

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        title="cbec",
        version=cbec.__version__,
        description=(
            "Open platform for cross-border e-commerce: orders, payments, waybills and product "
            "catalogs filed by sellers, platforms, payment and logistics firms, read by "
            "regulators. Authenticate with `Authorization: Bearer <API key>`; send "
            "`Accept-Language: zh-CN` for errors in Chinese. Amounts are decimal strings."
        ),
    )
    app.add_middleware(
        BodyLimit,
        default=rt.settings.max_body_bytes,
        imports=rt.settings.max_import_bytes,
        read_timeout=rt.settings.body_read_timeout_s,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ConsoleHeaders)
    metrics = Metrics(lambda: ops.gauges(rt.uow()), lambda: ops.write_groups(rt.uow()))
    app.state.metrics = metrics
    # outermost: it gives each request its id, times, counts and logs every answer
    app.add_middleware(AccessLog, metrics=metrics)
    api_errors.install(app)
    app.state.rt = rt
    app.state.throttle = TenantThrottle(rt.settings)
    app.state.filing_turns = Turns(slots_for(rt.settings, rt.engine.dialect.name))
    contract.install_docs(app)
    app.include_router(system.router)
    app.include_router(metrics_router)
    for router in documents.routers:
        app.include_router(router)
    for area in AREAS:
        app.include_router(area.router)
    app.include_router(console_pages.router)
    app.include_router(account_pages.router)
    app.include_router(order_pages.router)
    app.include_router(regulator_pages.router)
    app.include_router(user_pages.router)
    app.include_router(rule_pages.router)
    app.include_router(import_pages.router)
    app.include_router(settlement_pages.router)
    app.include_router(marketplace_pages.router)
    app.include_router(analytics_pages.router)
    app.include_router(route_pages.router)
    app.include_router(shipment_pages.router)
    app.include_router(co2e_pages.router)
    app.include_router(consolidation_pages.router)
    app.include_router(privacy_pages.router)
    app.include_router(privacy_report_pages.router)
    app.include_router(dsr_pages.router)
    app.include_router(webhook_pages.router)
    app.include_router(einvoice_pages.router)
    app.include_router(algorithm_pages.router)
    app.include_router(dispute_pages.router)
    app.include_router(talent_pages.router)
    app.include_router(poll_pages.router)
    console_errors.install(app)
    _install_openapi(app)
    return app


def _install_openapi(app: FastAPI) -> None:
    """Add the document models (bodies the use cases parse) and the shared problem
    responses to the generated document (see :func:`cbec.api.contract.finish`)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for kind in KINDS.values():
            model_schema = kind.model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in model_schema.pop("$defs", {}).items():
                components.setdefault(name, sub)
            components.setdefault(kind.model.__name__, model_schema)
        app.openapi_schema = contract.finish(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
