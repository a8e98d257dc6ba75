"""The seller's and platform's order pages (adapters over :mod:`cbec.services.documents` and
:mod:`cbec.services.compliance`): the list with a search by order number and keyset pages,
and an order with its payment, waybill, checks and evidence — personal data masked exactly as
the API masks it for the same caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse

from cbec.console import auth
from cbec.console.pages import Lang, page_language, render
from cbec.services import compliance
from cbec.services import documents as docs

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/console/orders")
def orders(
    request: Request,
    user: auth.Signed,
    order_no: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    lang: Lang = None,
):
    query = docs.ListQuery(
        kind="order", order_no=order_no or None, cursor=cursor, limit=PAGE, newest_first=True
    )
    page = docs.list_documents(request.app.state.rt.uow(), user.viewer, query)
    return render(
        request,
        "orders.html",
        page_language(request, lang),
        user=user,
        page=page,
        order_no=order_no or "",
    )


@router.get("/console/orders/{doc_id}")
def order(
    request: Request,
    user: auth.Signed,
    doc_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    lang: Lang = None,
):
    rt = request.app.state.rt
    found = docs.get_document(rt.uow(), user.viewer, "order", doc_id)
    body = found["document"]
    related = {
        kind: docs.list_documents(
            rt.uow(),
            user.viewer,
            docs.ListQuery(kind=kind, order_no=body["order_no"], platform=body["platform"]),
        ).items
        for kind in ("payment", "waybill")
    }
    checks = compliance.order_checks(rt.uow(), user.viewer, doc_id)
    evidence = docs.check_evidence(rt.uow(), user.viewer, "order", doc_id)
    return render(
        request,
        "order.html",
        page_language(request, lang),
        user=user,
        order=found,
        doc=body,
        payments=related["payment"],
        waybills=related["waybill"],
        checks=checks,
        evidence=evidence,
    )


@router.get("/console/orders/{doc_id}/evidence")
def evidence(
    request: Request,
    user: auth.Signed,
    doc_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
):
    """The order's c2sp.org/tlog-proof bundle, to keep or to check with ``cbec-verify``."""
    text = docs.evidence_bundle(request.app.state.rt.uow(), user.viewer, "order", doc_id)
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="order-{doc_id}.tlog-proof"'}
    )
