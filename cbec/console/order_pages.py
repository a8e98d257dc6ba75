"""The seller's and platform's order pages (adapters over :mod:`cbec.services.documents`,
:mod:`cbec.services.compliance` and :mod:`cbec.services.customs_timeline`): the list with its
filters — order number, platform, seller, the days the orders were placed, compliance
outcome — in keyset pages and as a CSV or XLSX export of every page, and an order with its
payment, waybill (with its CO2e over the route it names, ISO 14083, from
:func:`cbec.services.logistics_waybills.waybill_co2e`), checks, customs timeline and
evidence — personal data masked exactly as the API masks it for the same caller.

The other seller's views — tax quotes, unmatched 三单, decisions — are in
:mod:`cbec.console.tax_pages` and :mod:`cbec.console.desk_pages`, whose routes this router
carries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cbec.compliance.model import OUTCOMES, Outcome
from cbec.console import auth, desk_pages, tax_pages
from cbec.console.co2e_pages import TIERS
from cbec.console.export import Format, all_pages, export_response
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import DECLARATION_STATES, N_, Lang, page_language, render
from cbec.console.route_pages import MODES
from cbec.services import compliance, customs_timeline, logistics_waybills
from cbec.services import documents as docs
from cbec.tenancy.roles import Role

router = APIRouter(include_in_schema=False)
router.include_router(tax_pages.router)
router.include_router(desk_pages.router)
PAGE = 50
Filter = Annotated[str | None, Query(max_length=100)]

# What a receipt's returnStatus says (CEB 202205 receipts; negative: a processing error).
RETURN_STATUSES = {
    2: N_("declaring at E-Port"),
    3: N_("sent to customs"),
    4: N_("sending failed"),
    100: N_("rejected by customs"),
    120: N_("accepted by customs"),
}
STATES = DECLARATION_STATES
EVENTS = {
    "declare": N_("Declared"),
    "receipt": N_("Receipt"),
    "cancel": N_("Cancellation asked"),
    "return": N_("Return asked"),
}


class OrderFilters(BaseModel):
    """The list's filters as the form sends them (an empty field: no filter). Dates are the
    days the orders were placed (``ordered_at``, what an operator means by an order's date —
    not the day it was filed), in UTC, both ends included."""

    model_config = ConfigDict(frozen=True)

    order_no: str | None = Field(None, max_length=100)
    platform: str | None = Field(None, max_length=64)
    seller: str | None = Field(None, max_length=64)
    placed_from: date | None = None
    placed_to: date | None = None
    outcome: Outcome | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def query(self, cursor: str | None, limit: int | None = None) -> docs.ListQuery:
        def start(day: date | None) -> datetime | None:
            return datetime.combine(day, time(), UTC) if day else None

        return docs.ListQuery(
            kind="order",
            order_no=self.order_no,
            platform=self.platform,
            seller=self.seller,
            placed_from=start(self.placed_from),
            placed_to=start(self.placed_to + timedelta(days=1)) if self.placed_to else None,
            outcome=self.outcome,
            cursor=cursor,
            limit=limit or PAGE,
            newest_first=True,
        )

    def params(self) -> str:
        """The filters as a query string (for the next page and the export links)."""
        given = {k: str(v) for k, v in self.model_dump().items() if v is not None}
        return urlencode(given)


def _filters(request: Request, lang: str) -> tuple[OrderFilters, list[dict[str, Any]]]:
    names = OrderFilters.model_fields
    raw = {k: request.query_params.get(k) for k in names}
    try:
        return OrderFilters(**raw), []
    except ValidationError as exc:
        return OrderFilters(), problems_of(exc, lang)


def _form_values(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "")[:100] for k in OrderFilters.model_fields}


@router.get("/console/orders")
def orders(
    request: Request,
    user: auth.Signed,
    order_no: Filter = None,
    platform: Filter = None,
    seller: Filter = None,
    placed_from: Filter = None,
    placed_to: Filter = None,
    outcome: Filter = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    filters, problems = _filters(request, language)
    if problems:
        page = docs.Page(items=[], next_cursor=None)
    else:
        page = docs.list_documents(request.app.state.rt.uow(), user.viewer, filters.query(cursor))
    return render(
        request,
        "orders.html",
        language,
        status=422 if problems else 200,
        user=user,
        page=page,
        form=_form_values(request),
        params=filters.params(),
        problems=problems,
        outcomes=OUTCOMES,
        sees_sellers=user.viewer.role is not Role.SELLER,
    )


ORDER_COLUMNS = (
    N_("Order number"),
    N_("Platform"),
    N_("Seller"),
    N_("Ordered"),
    N_("Paid"),
    N_("Currency"),
    N_("Buyer"),
)


def order_row(item: dict[str, Any]) -> list[object]:
    """One order as the export writes it: the page's columns, values as the API gives them."""
    d = item["document"]
    buyer = d.get("buyer") or {}
    return [
        d.get("order_no"),
        d.get("platform"),
        d.get("seller"),
        d.get("ordered_at"),
        d.get("amount_paid"),
        d.get("currency"),
        buyer.get("name"),
    ]


@router.get("/console/orders/export.{fmt}")
def export_orders(request: Request, user: auth.Signed, fmt: Format, lang: Lang = None):
    """Every page of the filtered list, as the page shows it (see :mod:`cbec.console.export`)."""
    language = page_language(request, lang)
    filters, problems = _filters(request, language)
    if problems:
        return orders(request, user, lang=lang)
    rt = request.app.state.rt

    def fetch(cursor: str | None) -> tuple[list[list[object]], str | None]:
        page = docs.list_documents(rt.uow(), user.viewer, filters.query(cursor, limit=500))
        return [order_row(item) for item in page.items], page.next_cursor

    gettext = translations(language).gettext
    header = [gettext(c) for c in ORDER_COLUMNS]
    return export_response(fmt, "orders", header, all_pages(fetch))


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
    timeline = customs_timeline.order_timeline(rt.uow(), user.viewer, doc_id)
    co2e = {
        w["id"]: logistics_waybills.waybill_co2e(
            rt.uow(), user.viewer, w["id"], rt.settings.logistics_dir
        )
        for w in related["waybill"]
    }
    language = page_language(request, lang)
    gettext = translations(language).gettext
    return render(
        request,
        "order.html",
        language,
        user=user,
        order=found,
        doc=body,
        payments=related["payment"],
        waybills=related["waybill"],
        checks=checks,
        evidence=evidence,
        timeline=timeline,
        co2e=co2e,
        modes={k: gettext(v) for k, v in MODES.items()},
        tiers={k: gettext(v) for k, v in TIERS.items()},
        statuses=RETURN_STATUSES,
        events=EVENTS,
        states=STATES,
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
