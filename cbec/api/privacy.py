"""HTTP routes of the cross-border transfer register (use cases in
:mod:`cbec.services.transfers`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.privacy import report_render
from cbec.privacy.report_models import MAX_YEAR, MIN_YEAR, PrivacyReport
from cbec.services import dsr, dsr_erasure, inventory, key_history, privacy_report, retention
from cbec.services import transfers as svc
from cbec.services.dsr_models import DsrRegister, SubjectAccess, SubjectErasure, SubjectQuery
from cbec.services.retention_models import RetentionApplied, RetentionDue
from cbec.services.transfer_models import (
    PlannedTransfer,
    RecordedTransfer,
    TransferRegister,
    TransferRequest,
)

router = APIRouter(prefix="/privacy", tags=["privacy"], route_class=JsonBodyRoute)

_COUNTS = (
    "The China route depends on the individuals the exporter has sent abroad since 1 January "
    "(CAC provisions of 2024-03-22), which cbec counts from the transfers recorded here: "
    "each buyer or payer of the listed `document_ids` once however often sent, plus the "
    "`individuals` declared by number; transfers exempt whatever the volume (necessity "
    "purposes, data collected abroad) add nothing. Every reason cites its provision."
)


@router.post(
    "/transfers/route",
    summary="The route a cross-border transfer would need (nothing recorded)",
    description="A what-if on the exporter's register as it stands. " + _COUNTS,
    response_model=PlannedTransfer,
    responses=problems(404),
)
def route(body: TransferRequest, caller: Caller, uow: Uow) -> PlannedTransfer:
    return svc.plan_transfer(uow, caller, body)


@router.post(
    "/transfers",
    summary="Record a cross-border transfer made, with its route",
    description=(
        "Records what left, for whom and where to, decides its route on the register's "
        "counts in the same transaction, and logs it in the evidence ledger without personal "
        "data. Documents must be the caller's own (any other id answers 404, as a missing "
        "one). The regulator records none (403). " + _COUNTS
    ),
    status_code=201,
    response_model=RecordedTransfer,
    responses=problems(403, 404),
)
def record(body: TransferRequest, caller: Caller, uow: Uow) -> RecordedTransfer:
    return svc.record_transfer(uow, caller, body)


@router.get(
    "/transfers",
    summary="The transfer register of a year",
    description=(
        "The caller's transfers dated in `year` (default: this year in China), newest first, "
        "each with its route and the provisions it cites; the regulator sees every tenant's."
    ),
    response_model=TransferRegister,
)
def register(
    caller: Caller, uow: Uow, year: Annotated[int | None, Query(ge=2000, le=9999)] = None
) -> TransferRegister:
    return svc.list_transfers(uow, caller, year)


@router.get(
    "/inventory",
    summary="The data inventory: every stored document field, categorised and graded",
    description=(
        "Each field of each document kind with its category (user information, transaction "
        "data, supply-chain data), its grade (GB/T 43697-2024), whether it is personal or "
        "sensitive personal information (PIPL Arts. 4, 28), its protection at rest, the mask "
        "readers other than the filer see, and its retention — as in force on the day, each "
        "tag with its source. The same for every caller: it describes the schema, not data."
    ),
    response_model=inventory.DataInventory,
)
def data_inventory(caller: Caller) -> inventory.DataInventory:
    return inventory.data_inventory()


@router.get(
    "/keys",
    summary="The deployment's keys and their rotations (the regulator)",
    description=(
        "Every key the deployment has used — data, HMAC and ledger keys — by fingerprint "
        "(never the key): when added, whether active, when retired. Only the regulator's "
        "tenant reads it (403 for others)."
    ),
    response_model=key_history.KeyHistory,
    responses=problems(403),
)
def keys(caller: Caller, uow: Uow) -> key_history.KeyHistory:
    return key_history.key_history(uow, caller)


_REPORT_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@router.get(
    "/report",
    summary="The privacy compliance report of a year: impact assessment draft and audit pack",
    description=(
        "A personal information protection impact assessment draft (PIPL Arts. 55-56: the "
        "purposes, the personal and sensitive information processed, the protection in place, "
        "the record-keeping duty; the assessment itself left for the assessor) and the audit "
        "pack of the year in China's calendar (Asia/Shanghai): the data inventory by category, "
        "grade and kind of personal information, the cross-border transfers by route and "
        "destination with the provisions each decision cites, the key rotations, and who read "
        "personal information in clear, with the users and API keys of each role. A tenant's "
        "report covers its own data; the regulator's every tenant, by name. `format=json` "
        "answers the model; `md` (Markdown) and `html` (one self-contained page with inline "
        "SVG charts, printable to PDF) answer a download in `lang` (en or zh)."
    ),
    response_model=PrivacyReport,
    responses={
        200: {
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            }
        },
    },
)
def report(
    caller: Caller,
    uow: Uow,
    year: Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Calendar year in China")],
    format: Literal["json", "md", "html"] = "json",
    lang: Literal["en", "zh"] = "en",
):
    found = privacy_report.privacy_report(uow, caller, year)
    if format == "json":
        return found
    text = (
        report_render.markdown(found, lang)
        if format == "md"
        else report_render.html_document(found, lang)
    )
    name = f"privacy-report-{year}-{lang}.{format}"
    return Response(
        text,
        media_type=_REPORT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


_DSR = (
    "The person is named by exactly one of `id_type` + `id_number` (the ID on the orders "
    "and payments) or `phone` (any phone on them, E.164 or a number in China). Only what the "
    "caller filed is reached: each filing tenant is the controller of its own data. The "
    "regulator, no controller, gets 403. A person the caller holds nothing on answers an "
    "empty result, as any other. The request is recorded in the DSR register, never the "
    "person's identifier."
)


@router.post(
    "/dsr/access",
    summary="A data subject's access request: everything the caller holds on the person",
    description=(
        "Every document (every version) the caller filed on the person, in clear, with the "
        "screening results, tax quota charges, transfers and reveal audit rows held on them, "
        "the expert profiles the caller published on them (found by phone or e-mail), the "
        "dispute cases on their orders the caller is a party to with their messages, "
        "and the retention periods that apply (PIPL Art. 45; GDPR Art. 15). " + _DSR
    ),
    response_model=SubjectAccess,
    responses=problems(403),
)
def dsr_access(body: SubjectQuery, caller: Caller, uow: Uow) -> SubjectAccess:
    return dsr.subject_access(uow, caller, body)


@router.post(
    "/dsr/erasure",
    summary="A data subject's erasure request: crypto-shred the person's data",
    description=(
        "Deletes the person's key, so the personal fields and commitment salts sealed under "
        "it are unreadable everywhere; documents sealed before person keys have those values "
        "overwritten; import drafts naming the person are deleted; expert profiles on them are "
        "erased and withdrawn, and the dispute messages the caller wrote on their cases "
        "erased. Everything else, and the "
        "evidence ledger (commitments only), stays: every earlier proof still verifies. "
        "Logged in the ledger without personal data. Repeated: `already_erased`. Where a law "
        "sets a retention period (E-Commerce Law Art. 31) the answer names it; the erasure "
        "is still made (PIPL Art. 47; GDPR Art. 17). " + _DSR
    ),
    response_model=SubjectErasure,
    responses=problems(403),
)
def dsr_erasure_route(body: SubjectQuery, caller: Caller, uow: Uow) -> SubjectErasure:
    return dsr_erasure.subject_erasure(uow, caller, body)


@router.get(
    "/dsr",
    summary="The register of data subject requests",
    description=(
        "The caller's access and erasure requests, newest first, with their status and "
        "counts; the regulator sees every tenant's. Never the person's identifier."
    ),
    response_model=DsrRegister,
)
def dsr_register(caller: Caller, uow: Uow) -> DsrRegister:
    return dsr.list_requests(uow, caller)


_RETENTION = (
    "Per kind, the retention period of the data inventory (`3y`: three years from completion, "
    "E-Commerce Law Art. 31, in calendar years; `product`: while sold, never by time), "
    "counted from the document's `placed_at`, else from when it was filed. Only the "
    "caller's own filed documents; the regulator, no controller, gets 403."
)
On = Annotated[
    date | None, Query(description="The day to apply the periods on (default: today, UTC)")
]


@router.get(
    "/retention",
    summary="The caller's documents past their retention period",
    description="How many documents still hold personal data past retention (PIPL Art. 19). "
    + _RETENTION,
    response_model=RetentionDue,
    responses=problems(403),
)
def retention_due(caller: Caller, uow: Uow, on: On = None) -> RetentionDue:
    return retention.retention_due(uow, caller, on)


@router.post(
    "/retention/apply",
    summary="Erase the personal data of the caller's documents past retention",
    description=(
        "Overwrites in place the personal fields and commitment salts of every document past "
        "retention, which then read `(erased)` (PIPL Art. 47(1)); no person key is shredded "
        "(the person may have newer documents). The evidence entries stay: every proof "
        "still verifies. Logged in the ledger with counts and cut-offs, no personal data. "
        "Idempotent: a second run erases nothing. " + _RETENTION
    ),
    response_model=RetentionApplied,
    responses=problems(403),
)
def retention_apply(caller: Caller, uow: Uow, on: On = None) -> RetentionApplied:
    return retention.apply_retention(uow, caller, on)
