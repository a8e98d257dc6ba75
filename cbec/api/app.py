"""The FastAPI application: one set of routes per document kind, generated from the registry.

Each kind gets ``POST /{kind}s``, ``GET /{kind}s``, ``GET /{kind}s/{id}``,
``POST /{kind}s/import`` and ``POST /{kind}s/{id}/reveal``. Handlers parse the body
themselves (see :mod:`cbec.api.body`) and run the database work in a worker thread; a
response is sent only after the unit of work has committed.
"""

import base64
import binascii
import json
import logging
import threading
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

import cbec
from cbec.api import (
    analytics_routes,
    compliance_routes,
    customs_routes,
    ledger_routes,
    tax_routes,
)
from cbec.api import errors as api_errors
from cbec.api.body import BodyLimit, parse_json
from cbec.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthenticated
from cbec.runtime import Runtime
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import authenticate
from cbec.trade import filing, tabular
from cbec.trade.kinds import KINDS, Kind

T = TypeVar("T")
log = logging.getLogger("cbec.api")


class StoredView(BaseModel, Generic[T]):
    """How a stored document is returned: personal fields masked unless ``pii`` is clear."""

    id: str
    kind: str
    filed_by: str
    created_at: datetime
    pii: Literal["clear", "masked"]
    document: T


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class RevealRequest(BaseModel):
    reason: str


def _encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"s:{seq}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, _, seq = text.partition(":")
        if tag != "s" or not seq.isdigit():
            raise ValueError
        return int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("bad_cursor") from None


def _integrator(rt: Runtime, stop: threading.Event) -> None:
    """Fold new entries into the tree and sign checkpoints as the policy allows."""
    interval = max(0.05, rt.settings.ledger_checkpoint_interval_ms / 1000)
    while not stop.wait(interval):
        try:
            rt.ledger.integrate()
        except Exception:  # keep integrating after a transient failure (e.g. a busy database)
            log.exception("ledger integration failed; retrying")


def create_app(rt: Runtime, integrate_in_background: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        stop = threading.Event()
        worker = threading.Thread(target=_integrator, args=(rt, stop), daemon=True)
        if integrate_in_background:
            worker.start()
        try:
            yield
        finally:
            stop.set()
            if worker.is_alive():
                worker.join(timeout=10)

    app = FastAPI(
        lifespan=lifespan,
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
        BodyLimit, default=rt.settings.max_body_bytes, imports=rt.settings.max_import_bytes
    )
    api_errors.install(app)

    def viewer(authorization: Annotated[str | None, Header()] = None) -> Viewer:
        token = None
        if authorization and authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()

        def _auth() -> Viewer | None:
            with rt.uow() as uow:
                return authenticate(uow.repo, token)

        found = _auth()
        if found is None:
            raise Unauthenticated("unauthenticated")
        return found

    Auth = Annotated[Viewer, Depends(viewer)]
    IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)]

    @app.get("/healthz", tags=["system"])
    def healthz() -> dict[str, Any]:
        with rt.uow() as uow:
            uow.conn.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": cbec.__version__}

    @app.get("/me", tags=["system"])
    def me(v: Auth) -> dict[str, Any]:
        return {"name": v.name, "role": v.role.value}

    @app.get("/audit/reveals", tags=["audit"])
    def reveals(v: Auth, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
        if v.role is not Role.REGULATOR:
            raise Forbidden("role_forbidden", {"allowed": "regulator"})
        with rt.uow() as uow:
            return uow.repo.list_reveals(limit)

    for kind in KINDS.values():
        _add_kind_routes(app, rt, kind, Auth, IdemKey)
    ledger_routes.install(app, rt, viewer)
    customs_routes.install(app, rt, viewer)
    tax_routes.install(app, rt, viewer)
    compliance_routes.install(app, rt, viewer)
    analytics_routes.install(app, rt, viewer)

    _install_openapi(app)
    return app


def _request_hash(rt: Runtime, kind: Kind, path: str, body: bytes) -> str:
    return rt.vault.fingerprint(f"{kind.name}:{path}:".encode() + body)


def _with_retry(fn):
    """Run ``fn`` again once if a concurrent writer won a unique-key race (PostgreSQL)."""
    try:
        return fn()
    except IntegrityError:
        return fn()


def _add_kind_routes(app: FastAPI, rt: Runtime, kind: Kind, Auth, IdemKey) -> None:
    base = f"/{kind.plural}"
    model = kind.model
    view_model = StoredView[model]  # type: ignore[valid-type]
    tag = kind.plural
    body_schema = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
            },
        }
    }

    async def create(request: Request, v: Auth, idempotency_key: IdemKey = None) -> JSONResponse:
        raw_bytes = await request.body()
        raw = parse_json(raw_bytes)
        request_hash = _request_hash(rt, kind, base, raw_bytes)

        def work() -> tuple[int, dict[str, Any]]:
            with rt.uow(write=True) as uow:
                if idempotency_key:
                    seen = uow.repo.get_idempotency(v.tenant_id, idempotency_key)
                    if seen is not None:
                        if seen.request_hash != request_hash or seen.kind != kind.name:
                            raise Conflict("idempotency_key_reused", {})
                        doc = uow.repo.get_by_id(seen.document_id)
                        return seen.status, filing.present(rt.vault, kind, v, doc)
                checks = rt.order_checks(uow)
                doc_id, created = filing.file_one(uow.repo, rt.vault, v, kind, raw, checks)
                status = 201 if created else 200
                if idempotency_key:
                    uow.repo.put_idempotency(
                        v.tenant_id, idempotency_key, request_hash, status, kind.name, doc_id, None
                    )
                doc = uow.repo.get_by_id(doc_id)
                view = filing.present(rt.vault, kind, v, doc)
                uow.commit()
                return status, view

        status, view = await run_in_threadpool(_with_retry, work)
        headers = {"Location": f"{base}/{view['id']}"}
        return JSONResponse(view, status_code=status, headers=headers)

    app.add_api_route(
        base,
        create,
        methods=["POST"],
        tags=[tag],
        summary=f"File a {kind.name}",
        status_code=201,
        responses={
            201: {"model": view_model, "description": "Created"},
            200: {"model": view_model, "description": "Same document was already stored"},
            409: {"description": "Same natural key (or Idempotency-Key) with different content"},
            422: {"description": "The document breaks rules; errors name field and rule"},
        },
        openapi_extra=body_schema,
    )

    async def import_(
        request: Request,
        v: Auth,
        idempotency_key: IdemKey = None,
        continue_on_error: bool = False,
        content_type: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        data = await request.body()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadRequest("invalid_json", {"detail": str(exc)}) from None
        fmt = tabular.format_of(None, content_type)
        request_hash = _request_hash(rt, kind, f"{base}/import:{continue_on_error}", data)
        lang = api_errors.lang_of(request)

        def work() -> dict[str, Any]:
            with rt.uow(write=True) as uow:
                if idempotency_key:
                    seen = uow.repo.get_idempotency(v.tenant_id, idempotency_key)
                    if seen is not None:
                        if seen.request_hash != request_hash:
                            raise Conflict("idempotency_key_reused", {})
                        return json.loads(seen.response)
                report = filing.file_documents(
                    uow.repo,
                    rt.vault,
                    v,
                    kind,
                    tabular.read(text, kind, fmt),
                    all_or_nothing=not continue_on_error,
                    on_created=rt.order_checks(uow),
                )
                summary = report.as_dict(lang)
                if idempotency_key:
                    stored = json.dumps(summary, ensure_ascii=False)
                    uow.repo.put_idempotency(
                        v.tenant_id, idempotency_key, request_hash, 200, kind.name, None, stored
                    )
                uow.commit()
                return summary

        return JSONResponse(await run_in_threadpool(_with_retry, work))

    app.add_api_route(
        f"{base}/import",
        import_,
        methods=["POST"],
        tags=[tag],
        summary=f"Bulk import {kind.plural} (JSON Lines or CSV), all or nothing by default",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-ndjson": {"schema": {"type": "string"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        },
    )

    def get_one(doc_id: str, v: Auth) -> JSONResponse:
        with rt.uow() as uow:
            doc = uow.repo.get_document(v, kind.name, doc_id)
            if doc is None:
                raise NotFound("not_found", {"kind": kind.name})
            view = filing.present(rt.vault, kind, v, doc)
        view["ledger"] = ledger_routes.evidence_of(rt, doc.ledger_index)
        return JSONResponse(view)

    app.add_api_route(
        f"{base}/{{doc_id}}",
        get_one,
        methods=["GET"],
        tags=[tag],
        summary=f"Read one {kind.name}",
        responses={200: {"model": view_model}, 404: {"description": "Not found or not yours"}},
    )

    def list_(
        v: Auth,
        order_no: str | None = None,
        platform: str | None = None,
        seller: str | None = None,
        filed_by: str | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: str | None = None,
    ) -> JSONResponse:
        after = _decode_cursor(cursor)
        with rt.uow() as uow:
            ids: dict[str, int | None] = {}
            for name, value in (("platform", platform), ("seller", seller), ("filer", filed_by)):
                if value is not None:
                    t = uow.repo.tenant_by_name(value)
                    ids[name] = t.id if t else -1
            docs = uow.repo.list_documents(
                v,
                kind.name,
                after_seq=after,
                limit=limit,
                order_no=order_no,
                platform_id=ids.get("platform"),
                seller_id=ids.get("seller"),
                filer_id=ids.get("filer"),
                created_from=created_from,
                created_to=created_to,
            )
            items = [filing.present(rt.vault, kind, v, d) for d in docs]
        nxt = _encode_cursor(docs[-1].seq) if len(docs) == limit else None
        return JSONResponse({"items": items, "next_cursor": nxt})

    app.add_api_route(
        base,
        list_,
        methods=["GET"],
        tags=[tag],
        summary=f"List {kind.plural} you may see, oldest first, with cursor pagination",
        responses={200: {"model": Page[view_model]}},
    )

    if kind.changeable:

        async def change(doc_id: str, request: Request, v: Auth) -> JSONResponse:
            raw = parse_json(await request.body())

            def work() -> tuple[int, dict[str, Any]]:
                with rt.uow(write=True) as uow:
                    old = uow.repo.get_document(v, kind.name, doc_id)
                    if old is None:
                        raise NotFound("not_found", {"kind": kind.name})
                    filing.change_document(uow.repo, rt.vault, v, kind, old, raw)
                    view = filing.present(rt.vault, kind, v, uow.repo.get_by_id(doc_id))
                    uow.commit()
                    return 200, view

            status, view = await run_in_threadpool(work)
            return JSONResponse(view, status_code=status)

        app.add_api_route(
            f"{base}/{{doc_id}}",
            change,
            methods=["PUT"],
            tags=[tag],
            summary=f"Replace a {kind.name} with a new version (old one kept, change logged)",
            responses={200: {"model": view_model}},
            openapi_extra=body_schema,
        )

        def versions(doc_id: str, v: Auth) -> JSONResponse:
            with rt.uow() as uow:
                doc = uow.repo.get_document(v, kind.name, doc_id)
                if doc is None:
                    raise NotFound("not_found", {"kind": kind.name})
                old = uow.repo.versions(doc_id)
            items = []
            for o in old:
                body = rt.vault.open(
                    kind.name,
                    doc_id,
                    kind.pii,
                    json.loads(o["body"]),
                    clear=v.tenant_id == doc.filer_tenant_id,
                )
                items.append(
                    {
                        "version": o["version"],
                        "valid_from": o["valid_from"].isoformat(),
                        "superseded_at": o["superseded_at"].isoformat(),
                        "ledger": {"index": o["ledger_index"]},
                        "document": body,
                    }
                )
            return JSONResponse({"current_version": doc.version, "earlier": items})

        app.add_api_route(
            f"{base}/{{doc_id}}/versions",
            versions,
            methods=["GET"],
            tags=[tag],
            summary=f"Earlier versions of a {kind.name}",
        )

    def reveal(doc_id: str, body: RevealRequest, v: Auth) -> JSONResponse:
        with rt.uow(write=True) as uow:
            if v.role is not Role.REGULATOR:
                raise Forbidden("role_forbidden", {"allowed": "regulator"})
            doc = uow.repo.get_document(v, kind.name, doc_id)
            if doc is None:
                raise NotFound("not_found", {"kind": kind.name})
            view = filing.reveal(uow.repo, rt.vault, v, kind, doc, body.reason)
            uow.commit()
            return JSONResponse(view)

    app.add_api_route(
        f"{base}/{{doc_id}}/reveal",
        reveal,
        methods=["POST"],
        tags=[tag],
        summary=f"Regulators: read a {kind.name}'s personal information in clear (audited)",
    )


def _install_openapi(app: FastAPI) -> None:
    """Add the document models (used by hand-parsed bodies) to the OpenAPI components."""
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
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
