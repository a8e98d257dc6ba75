"""Every error leaves as ``application/problem+json`` (RFC 9457) in the caller's language,
naming the field and the rule; nothing is ever answered with a bare 500 traceback."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from cbec.api.access_log import template_of
from cbec.errors import (
    BadRequest,
    Busy,
    CbecError,
    Conflict,
    DocumentInvalid,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    RequestTimeout,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
    Violation,
    path_of,
)
from cbec.i18n import negotiate, render
from cbec.logs import REQUEST_ID
from cbec.trade.filing import BatchRejected

log = logging.getLogger("cbec.api")
PROBLEM = "application/problem+json"


# The one table from cbec's error family to HTTP (RFC 9110 §15). Capabilities subclass these
# members; a subclass takes the status of its nearest listed ancestor.
HTTP_STATUS: dict[type[CbecError], int] = {
    BadRequest: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    RequestTimeout: 408,
    PayloadTooLarge: 413,
    TooManyRequests: 429,
    Busy: 503,
    Unavailable: 503,
    DocumentInvalid: 422,
    CbecError: 400,
}


def status_of(exc: CbecError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400


def lang_of(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def problem(
    status: int, code: str, detail: str, errors: list[dict[str, Any]] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    @app.exception_handler(CbecError)
    async def _cbec(request: Request, exc: CbecError) -> JSONResponse:
        lang = lang_of(request)
        response = problem(status_of(exc), exc.rule, exc.message(lang), exc.details(lang) or None)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, Busy):
            response.headers["Retry-After"] = "1"
        if isinstance(exc, RequestTimeout):  # the rest of the body will not be read
            response.headers["Connection"] = "close"
        return response

    @app.exception_handler(BatchRejected)
    async def _batch(request: Request, exc: BatchRejected) -> JSONResponse:
        lang = lang_of(request)
        report = exc.report.as_dict(lang)
        detail = render("validation_failed", lang, {"count": exc.report.rejected_count})
        return problem(422, "batch_rejected", detail, None, report=report)

    @app.exception_handler(RequestValidationError)
    @app.exception_handler(ValidationError)  # bodies a route validates itself (XML, JSON)
    async def _validation(
        request: Request, exc: RequestValidationError | ValidationError
    ) -> JSONResponse:
        lang = lang_of(request)
        violations = []
        for err in exc.errors():
            loc = list(err.get("loc", ()))
            if loc and loc[0] == "body":
                loc = loc[1:]
            params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
            params.setdefault("error", err.get("msg", ""))
            violations.append(Violation(path_of(loc), err.get("type", "value_error"), params))
        detail = render("validation_failed", lang, {"count": len(violations)})
        return problem(422, "validation_failed", detail, [v.as_dict(lang) for v in violations])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = lang_of(request)
        code = {404: "route_not_found", 405: "method_not_allowed"}.get(exc.status_code)
        detail = render(code, lang, {}) if code else str(exc.detail)
        return problem(exc.status_code, code or "http_error", detail)

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, exc: OperationalError) -> JSONResponse:
        # SQLite allows one writer at a time; a long import holds the lock. Tell the client
        # to come back rather than fail: nothing was written.
        if "database is locked" not in str(exc.orig):
            return await _unexpected(request, exc)
        response = problem(503, "busy", render("busy", lang_of(request), {}))
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # the route template, never the address (it can hold ids and a query string); the
        # request id ties this line to the access line and to the client's answer
        log.error(
            "unexpected error on %s %s", request.method, template_of(request.scope), exc_info=exc
        )
        response = problem(500, "internal_error", render("internal_error", lang_of(request), {}))
        response.headers["X-Request-ID"] = REQUEST_ID.get()
        return response
