"""HTTP routes for tax: assess China CBEC import tax (pure, or charged against the buyer's
annual quota, with refunds on return), and quote destination landed cost."""

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from cbec.api.body import parse_json
from cbec.errors import BadRequest, DocumentInvalid, Forbidden, Violation
from cbec.runtime import Runtime
from cbec.store.tax_store import QuotaStore
from cbec.tax import landed
from cbec.tax.cn_import import assess, order_from_json
from cbec.tax.positive_list import NotCovered, PositiveList
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.parties import check_id

# Who withholds China CBEC import tax (代收代缴): the platform, the e-commerce firm or the
# logistics firm declaring for them.
WITHHOLDERS = (Role.PLATFORM, Role.SELLER, Role.LOGISTICS)


@cache
def _positive_list(path: Path | None) -> PositiveList:
    """The list cbec answers from: ``CBEC_POSITIVE_LIST`` (a full transcription of the annex
    as CSV) or, unset, the shipped sample — whose answers say they come from a sample."""
    return PositiveList.load_csv(path) if path else PositiveList.load_sample()


class Refund(BaseModel):
    returned_on: date


def _order(doc: Any) -> Any:
    if not isinstance(doc, dict):
        raise BadRequest("invalid_json", {"detail": "the body must be a JSON object"})
    if not isinstance(doc.get("lines", []), list) or not all(
        isinstance(line, dict) for line in doc.get("lines", [])
    ):
        raise BadRequest("tax_input", {"field": "lines", "detail": "a list of objects"})
    try:
        order = order_from_json(doc)
        for name in ("freight", "insurance", "annual_used"):
            if not getattr(order, name).is_finite():
                raise ValueError(f"{name}: must be a finite number")
        for i, line in enumerate(order.lines):
            for attr in ("qty", "unit_price", "vat_rate", "ct_rate", "duty_rate"):
                if not getattr(line, attr).is_finite():
                    raise ValueError(f"lines[{i}].{attr}: must be a finite number")
        return order
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        raise BadRequest("tax_input", {"field": field, "detail": message}) from None


def _charge(rt: Runtime, v: Viewer, doc: dict[str, Any]) -> dict[str, Any]:
    if v.role not in WITHHOLDERS:
        raise Forbidden("role_forbidden", {"allowed": "platform, seller, logistics"})
    order_ref = str(doc.get("order_ref") or "")
    buyer_id = str(doc.get("buyer_id") or "")
    problems = []
    if not order_ref:
        problems.append(Violation("order_ref", "missing", {}))
    elif len(order_ref) > 180:
        problems.append(Violation("order_ref", "tax_order_ref_length", {}))
    problems += check_id("resident_id", buyer_id or None, "buyer_id")
    if problems:
        raise DocumentInvalid(problems)
    order = _order(doc)
    released = doc.get("released_on")
    try:
        released_on = date.fromisoformat(str(released)) if released else None
    except ValueError:
        raise BadRequest("tax_input", {"field": "released_on", "detail": released}) from None
    with rt.uow(write=True) as uow:
        try:
            result, created = QuotaStore(uow.conn, rt.vault).charge(
                v.tenant_id, order_ref, buyer_id, order, released_on
            )
        except (ValueError, LookupError, ArithmeticError) as exc:
            raise BadRequest("tax_input", {"field": "order", "detail": str(exc)}) from None
        uow.commit()
    return {"order_ref": order_ref, "created": created, **result}


def _refund(rt: Runtime, v: Viewer, order_ref: str, body: Refund) -> dict[str, Any]:
    if v.role not in WITHHOLDERS:
        raise Forbidden("role_forbidden", {"allowed": "platform, seller, logistics"})
    with rt.uow(write=True) as uow:
        out = QuotaStore(uow.conn, rt.vault).refund(v.tenant_id, order_ref, body.returned_on)
        uow.commit()
    return out


def install(app: FastAPI, rt: Runtime, auth: Any) -> None:
    Auth = Annotated[Viewer, Depends(auth)]

    @app.post(
        "/tax/cn-import",
        tags=["tax"],
        summary="China CBEC retail-import tax of an order (no quota written)",
    )
    async def cn_import(request: Request, v: Auth) -> dict[str, Any]:
        order = _order(parse_json(await request.body()))
        try:
            return assess(order).as_dict()
        except (ValueError, LookupError, ArithmeticError) as exc:
            raise BadRequest("tax_input", {"field": "order", "detail": str(exc)}) from None

    @app.post(
        "/tax/cn-import/charges",
        tags=["tax"],
        summary="Assess an order against the buyer's annual quota and record it (withholders)",
    )
    async def charge(request: Request, v: Auth) -> dict[str, Any]:
        doc = parse_json(await request.body())
        if not isinstance(doc, dict):
            raise BadRequest("invalid_json", {"detail": "the body must be a JSON object"})
        return await run_in_threadpool(_charge, rt, v, doc)

    @app.post(
        "/tax/cn-import/charges/{order_ref}/refund",
        tags=["tax"],
        summary="A return within the window: refund the tax and restore the buyer's quota",
    )
    def refund(order_ref: str, body: Refund, v: Auth) -> dict[str, Any]:
        return _refund(rt, v, order_ref, body)

    @app.get(
        "/tax/cn-import/positive-list/{hs_code}",
        tags=["tax"],
        summary="Is a tariff code on the CBEC retail-import positive list, and on what terms",
    )
    def positive_list(
        hs_code: str,
        v: Auth,
        on: Annotated[date | None, Query(alias="date")] = None,
        channel: Literal["bonded", "direct"] = "direct",
        qty: Annotated[Decimal, Query(gt=0)] = Decimal(1),
    ) -> dict[str, Any]:
        plist = _positive_list(rt.settings.positive_list)
        try:
            found = plist.check(hs_code, on or date.today(), channel=channel, qty=qty)
        except ValueError as exc:
            raise BadRequest("tax_input", {"field": "hs_code", "detail": str(exc)}) from None
        except NotCovered as exc:
            raise BadRequest("tax_input", {"field": "date", "detail": str(exc)}) from None
        return found.as_dict()

    @app.post(
        "/tax/quote",
        tags=["tax"],
        summary="Landed cost (DDP) of an order at its destination on a date",
    )
    async def landed_quote(request: Request, v: Auth) -> dict[str, Any]:
        doc = parse_json(await request.body())
        if not isinstance(doc, dict):
            raise BadRequest("invalid_json", {"detail": "the body must be a JSON object"})
        try:
            day = date.fromisoformat(str(doc.get("date")))
        except ValueError:
            raise BadRequest("tax_input", {"field": "date", "detail": "YYYY-MM-DD"}) from None
        try:
            order, fx = landed.order_from_json(doc)
            result = landed.quote(order, str(doc.get("destination", "")).upper(), day, fx=fx)
        except landed.QuoteError as exc:
            raise BadRequest("tax_input", {"field": exc.field, "detail": exc.message}) from None
        return result.as_dict()
