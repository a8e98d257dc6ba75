"""The API's contract as OpenAPI 3.1: problem responses, the security scheme, offline docs.

Every error leaves as ``application/problem+json`` (RFC 9457 §3) shaped by :class:`Problem`;
each operation declares the statuses it can answer with (:func:`problems` for the ones a route
adds, :func:`finish` for the ones every operation shares), so a client — or a fuzzer checking
"no undocumented status" — knows them all. Swagger UI and ReDoc are served from files in the
package (``cbec/static/vendor``), never from a CDN: the docs work on a machine offline.
"""

from __future__ import annotations

from http import HTTPStatus
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

PROBLEM = "application/problem+json"

DESCRIPTIONS = {
    400: "Bad input (malformed JSON, XML or CSV; a value out of range); `code` names the rule",
    401: "Missing, malformed, unknown, revoked or expired API key",
    403: "Your role may not do this",
    404: "Not found — or not yours to see (existence is never revealed)",
    409: "Conflict: the natural key or Idempotency-Key exists with other content",
    408: "The body stopped arriving (read timeout); the connection is closed",
    413: "The body is over the size limit",
    415: "Unsupported media type",
    422: "The input breaks rules; `errors` names each field and rule",
    429: "Over your rate or concurrency limit; retry after the `Retry-After` seconds",
    503: "The database is busy with another writer; retry after `Retry-After` seconds",
}


class ProblemItem(BaseModel):
    """One broken rule: the field as a path (``lines[2].qty``), the rule's code, a message."""

    field: str
    rule: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem detail, with cbec's stable ``code`` and per-field ``errors``."""

    type: str = Field("about:blank", description="RFC 9457 §3.1.1")
    title: str = Field(description="The HTTP status phrase")
    status: int = Field(ge=400, le=599)
    code: str = Field(description="Stable machine-readable rule code, e.g. `not_found`")
    detail: str = Field(description="Human-readable, in the language of `Accept-Language`")
    errors: list[ProblemItem] | None = None
    report: dict[str, Any] | None = Field(
        None, description="For a rejected bulk import: what was accepted and rejected"
    )
    checks: list[dict[str, Any]] | None = Field(
        None, description="For `GET /readyz`: every readiness check, `{name, ok, detail}`"
    )


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the problem statuses it adds to the shared ones."""
    return {status: _problem_response(status) for status in statuses}


# Statuses every operation can answer with: bad input (400/422), an unknown route parameter
# shape (422), the database busy (503); authenticated ones add 401 and the tenant's limits
# (429); ones with a body, too large (413) and too slow (408).
SHARED = (400, 422, 503)


def finish(schema: dict[str, Any]) -> dict[str, Any]:
    """Post-process the generated document: the Problem schema, the shared statuses on every
    operation, problem+json instead of FastAPI's own validation-error schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in problem_schema.pop("$defs", {}).items():
        components.setdefault(name, sub)
    components["Problem"] = problem_schema
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for path_item in schema.get("paths", {}).values():
        for method, op in path_item.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                continue
            responses = op.setdefault("responses", {})
            wanted = set(SHARED)
            if op.get("security"):
                wanted |= {401, 429}
            if "requestBody" in op:
                wanted |= {408, 413}
            for status in wanted:
                if str(status) not in responses or status == 422:
                    responses[str(status)] = _problem_response(status)
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    content = response.get("content", {})
                    if PROBLEM not in content:
                        response["content"] = {
                            PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
                        }
    return schema


def install_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` from the package's vendored files."""
    static = resources.files("cbec") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    title = f"{app.title} — API"

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"persistAuthorization": True},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            redoc_js_url="/static/vendor/redoc/redoc.standalone.js",
            redoc_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
