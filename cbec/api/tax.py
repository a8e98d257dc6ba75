"""HTTP routes of tax and landed cost (use cases in :mod:`cbec.services.tax`).

Bodies are read with ``Decimal`` numbers (:class:`cbec.api.body.JsonBodyRoute`)
and validated against the request models, which OpenAPI shows with their bounds.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Rt, Uow
from cbec.services import tax as svc
from cbec.services import tax_models as m
from cbec.tax.cn_import import MAX_QTY

router = APIRouter(prefix="/tax", tags=["tax"], route_class=JsonBodyRoute)


@router.post(
    "/cn-import",
    summary="China CBEC retail-import tax of an order (no quota written)",
    description=(
        "Duty, VAT and consumption tax of one order under 财关税〔2016〕18号 as amended by "
        "〔2018〕49号: within the single and annual limits at CBEC rates (duty 0 %, VAT and "
        "consumption tax × 70 %), otherwise at general-trade rates, with the reasons. Each tax "
        "of each line is rounded to the fen; `total_tax` is the CEB311 `taxTotal`."
    ),
    response_model=m.CnAssessment,
)
def cn_import(body: m.CnImportRequest, caller: Caller) -> m.CnAssessment:
    return svc.assess_cn_import(body)


@router.post(
    "/cn-import/charges",
    summary="Assess an order against the buyer's annual quota and record it (withholders)",
    description=(
        "For the platform, seller or logistics firm that withholds the tax of a stored order "
        "(`order_id`: its seller, its platform, or the logistics firm of a waybill for it — "
        "any other order answers 404, as a missing one). The buyer and the figures must be "
        "the order's (422 names the field). The buyer's annual total is read and updated "
        "under a lock, so concurrent orders of one buyer cannot all slip under the limit; the "
        "answer gives the outcome and the tax, not the total, which sums other platforms' "
        "orders. The same `order_ref` again answers the recorded charge (`created: false`); "
        "other figures under it, or an order already charged, answer 409."
    ),
    response_model=m.TaxCharge,
    responses=problems(403, 404, 409),
)
def charge(body: m.ChargeRequest, caller: Caller, uow: Uow) -> m.TaxCharge:
    return svc.charge_cn_import(uow, caller, body)


@router.post(
    "/cn-import/charges/{order_ref}/refund",
    summary="A return within the window: refund the tax and restore the buyer's quota",
    description=(
        "Only the withholder that charged the order may refund it, once, for a return within "
        "the policy's window after release (30 days under 财关税〔2018〕49号)."
    ),
    response_model=m.TaxRefund,
    responses=problems(403, 404, 409),
)
def refund(
    order_ref: Annotated[str, Path(max_length=180)], body: m.RefundBody, caller: Caller, uow: Uow
) -> m.TaxRefund:
    req = m.RefundRequest(order_ref=order_ref, returned_on=body.returned_on)
    return svc.refund_cn_import(uow, caller, req)


@router.get(
    "/cn-import/positive-list/{hs_code}",
    summary="Is a tariff code on the CBEC retail-import positive list, and on what terms",
    description=(
        "Checked against the list the server was given (`CBEC_POSITIVE_LIST`) or, without "
        "one, the shipped SAMPLE — then `notes` say so. A date before the earliest loaded "
        "edition is not answered (400, `tax_not_covered`)."
    ),
    response_model=m.PositiveListFinding,
)
def positive_list(
    hs_code: Annotated[str, Path(max_length=16, description="8- or 10-digit CN tariff code")],
    caller: Caller,
    rt: Rt,
    on: Annotated[date | None, Query(alias="date")] = None,
    channel: Literal["bonded", "direct"] = "direct",
    qty: Annotated[
        Decimal, Query(gt=0, le=MAX_QTY, decimal_places=5, allow_inf_nan=False)
    ] = Decimal(1),
) -> m.PositiveListFinding:
    query = m.PositiveListQuery(hs_code=hs_code, on=on, channel=channel, qty=qty)
    return svc.check_positive_list(query, rt.settings.positive_list)


@router.post(
    "/quote",
    summary="Landed cost (DDP) of an order at its destination on a date",
    description=(
        "Duty, import VAT/GST and fees at the destination from dated, sourced rule rows; each "
        "figure names its rule and every decision is explained. `fx_rates` replace the "
        "shipped sample rates."
    ),
    response_model=m.LandedQuote,
)
def landed_quote(body: m.QuoteRequest, caller: Caller) -> m.LandedQuote:
    return svc.quote_landed_cost(body)
