"""Use cases of tax and landed cost: assess China CBEC import tax (pure, or charged against the
buyer's annual quota, with refunds on return), check the positive list, quote landed cost.

The charge and the refund read and write the quota ledger, so they take the unit of work and
the caller like every stored operation (:mod:`cbec.services`): only a withholder may charge
(代收代缴 — the platform, the e-commerce firm or the logistics firm declaring for them,
财关税〔2016〕18号 §1), and a charge is recorded, or refunded, inside one transaction.

The assessment, the positive-list check and the landed-cost quote read no stored data and are
open to every authenticated caller, so their use cases take the request alone (plus, for the
command line, the rule tables it was pointed at): the CLI runs the very same function without a
database. Every error that leaves is a member of cbec's error family naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from cbec.errors import DocumentInvalid, Forbidden, NotFound
from cbec.ruledata import Row
from cbec.services.tax_charge import mismatches
from cbec.services.tax_models import (
    ChargeRequest,
    CnAssessment,
    CnImportRequest,
    LandedQuote,
    PositiveListFinding,
    PositiveListQuery,
    QuoteRequest,
    RefundRequest,
    TaxCharge,
    TaxRefund,
)
from cbec.store.repository import UnitOfWork
from cbec.store.tax_store import QuotaStore, precheck
from cbec.tax import landed
from cbec.tax.cn_import import assess
from cbec.tax.positive_list import PositiveList
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.parties import check_id
from cbec.trade.ports import now

WITHHOLDERS = (Role.PLATFORM, Role.SELLER, Role.LOGISTICS)


def _withholder(caller: Viewer) -> None:
    if caller.role not in WITHHOLDERS:
        raise Forbidden("role_forbidden", {"allowed": "platform, seller, logistics"})


def assess_cn_import(req: CnImportRequest) -> CnAssessment:
    """The CBEC retail-import tax of one order and its regime; nothing is recorded."""
    return CnAssessment.model_validate(assess(req.order()).as_dict())


def charge_cn_import(uow: UnitOfWork, caller: Viewer, req: ChargeRequest) -> TaxCharge:
    """Assess an order against the buyer's annual quota and record it. The buyer's quota row
    is locked for the transaction, so two orders of one buyer are assessed one after the
    other; the same ``order_ref`` again answers the recorded charge (a retry), a different
    order under it is a conflict.

    The quota is shared by every platform the buyer orders on, so a charge must stand on a
    stored order the caller withholds for (:meth:`Repository.order_withheld_by`) — any other
    order, or none, is "not found" — with that order's buyer and figures
    (:func:`cbec.services.tax_charge.mismatches`); and it answers the outcome, not the
    buyer's running total."""
    _withholder(caller)
    problems = check_id("resident_id", req.buyer_id, "buyer_id")
    if problems:
        raise DocumentInvalid(problems)
    order = req.order()
    precheck(order, req.released_on)  # refused whatever is stored, before any lookup
    with uow.writing():
        filed = uow.repo.order_withheld_by(caller, req.order_id)
        if filed is None:
            raise NotFound("not_found", {"kind": "order"})
        problems = mismatches(uow.vault, filed, req)
        if problems:
            raise DocumentInvalid(problems)
        store = QuotaStore(uow.conn, uow.vault)
        result, created = store.charge(
            caller.tenant_id,
            req.order_ref,
            req.buyer_id,
            order,
            req.released_on,
            order_doc_id=filed.id,
        )
        uow.commit()
    return TaxCharge.model_validate(
        {"order_ref": req.order_ref, "order_id": filed.id, "created": created, **result}
    )


def refund_cn_import(uow: UnitOfWork, caller: Viewer, req: RefundRequest) -> TaxRefund:
    """A return within the window: refund the tax and restore the quota — only by the
    withholder that charged it (another tenant's reference is not found)."""
    _withholder(caller)
    with uow.writing():
        out = QuotaStore(uow.conn, uow.vault).refund(
            caller.tenant_id, req.order_ref, req.returned_on
        )
        uow.commit()
    return TaxRefund.model_validate(out)


BEIJING = ZoneInfo("Asia/Shanghai")


@cache
def positive_list(table: Path | None) -> PositiveList:
    """The list answers come from: a full transcription of the annex as CSV (the server's
    ``CBEC_POSITIVE_LIST``, the CLI's ``--list``) or, without one, the shipped SAMPLE — whose
    answers say they come from a sample. Loaded once per table."""
    return PositiveList.load_csv(table) if table else PositiveList.load_sample()


def check_positive_list(query: PositiveListQuery, table: Path | None = None) -> PositiveListFinding:
    """Whether a tariff code may enter as a CBEC retail import on a date, and on what terms.
    Without a date: today in Beijing, the calendar the list's dates are published in (not the
    server's local day)."""
    on = query.on or now().astimezone(BEIJING).date()
    found = positive_list(table).check(query.hs_code, on, channel=query.channel, qty=query.qty)
    return PositiveListFinding.model_validate(found.as_dict())


def quote_landed_cost(
    req: QuoteRequest,
    *,
    mfn: Sequence[Row] | None = None,
    fx: Sequence[Row] | None = None,
) -> LandedQuote:
    """The DDP landed cost of an order at its destination on a date. The caller's own
    ``fx_rates`` replace every other FX table; ``mfn`` and ``fx`` are tables the command line
    loaded (default: the shipped ones)."""
    given = req.given_rates()
    rates = landed.fx_rows(given) if given is not None else fx
    result = landed.quote(req.order(), req.destination.upper(), req.on, mfn=mfn, fx=rates)
    return LandedQuote.model_validate(result.as_dict())
