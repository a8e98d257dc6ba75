"""HTTP routes of the algorithm registry (use cases in :mod:`cbec.services.algorithms`), and
its public transparency list, which needs no API key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.governance.record import AlgorithmRecordIn
from cbec.services import algorithms as svc
from cbec.services.algorithm_models import (
    AlgorithmList,
    AlgorithmView,
    ChangeRequest,
    FilingRequest,
    PublicRegistry,
    VersionList,
)

router = APIRouter(tags=["algorithms"], route_class=JsonBodyRoute)

RecordId = Annotated[str, Path(max_length=64, description="The record's id")]
STATE = (
    " The answer says the record's state (`draft`, `filed`, `refiling_due`), the last day to "
    "file or refile (`due_by`: 10 working days of the Chinese calendar — the State Council's "
    "holidays off, its make-up weekend days on) and whether that day has passed."
)


@router.post(
    "/algorithms",
    status_code=201,
    summary="File an algorithm in the registry (China's algorithm filing fields, DSA Art. 27)",
    description=(
        "A new record, version 1, a draft until its filing number is recorded: provider, one "
        "of the five CAC algorithm types, application domain, service form, self-assessment, "
        "the public text (zh and en), model and training data, data sources, risks and their "
        "prevention, the DSA Art. 27 main parameters with the reasons for their relative "
        "importance, user controls and the option not based on profiling. A platform or "
        "seller tenant only (403 otherwise); 422 naming each field that breaks a rule "
        "(`algorithm_type` not one of the five, a repeated `main_parameters[i].rank`, a "
        "sensitive `data_sources[i]` without its `lawful_basis` …). Logged in the evidence "
        "log (ids and hashes)." + STATE
    ),
    response_model=AlgorithmView,
    responses=problems(403),
)
def create(body: AlgorithmRecordIn, caller: Caller, uow: Uow) -> AlgorithmView:
    return svc.create(uow, caller, body)


@router.get(
    "/algorithms",
    summary="Algorithm records: your own; a regulator's, every tenant's",
    description="Each record's summary and filing state, by owner." + STATE,
    response_model=AlgorithmList,
)
def list_records(
    caller: Caller,
    uow: Uow,
    owner: Annotated[
        str | None, Query(max_length=64, description="Only this tenant's (regulators)")
    ] = None,
) -> AlgorithmList:
    return svc.list_records(uow, caller, owner)


@router.get(
    "/algorithms/{record_id}",
    summary="An algorithm record, its current version",
    description="Its owner's and the regulators'; 404 for anyone else." + STATE,
    response_model=AlgorithmView,
    responses=problems(404),
)
def get(record_id: RecordId, caller: Caller, uow: Uow) -> AlgorithmView:
    return svc.get(uow, caller, record_id)


@router.put(
    "/algorithms/{record_id}",
    summary="Change an algorithm record (a new version with its change note)",
    description=(
        "The whole record as it now is, and the change note. A change to a filed record must "
        "be refiled within 10 working days (互联网信息服务算法推荐管理规定 Art. 24): its state "
        "becomes `refiling_due`, with the deadline counted from the first change not yet "
        "refiled. The same record again makes no version. The owner only (404 for another "
        "tenant's record, 403 for a tenant that files none); 422 as for filing." + STATE
    ),
    response_model=AlgorithmView,
    responses=problems(403, 404),
)
def change(record_id: RecordId, body: ChangeRequest, caller: Caller, uow: Uow) -> AlgorithmView:
    return svc.change(uow, caller, record_id, body)


@router.post(
    "/algorithms/{record_id}/filing",
    summary="Record the filing number the filing system gave the current version",
    description=(
        "The record is then `filed` and its refiling clock stopped; the version filed is "
        "what `GET /public/platforms/{platform}/algorithms` shows. The owner only."
    ),
    response_model=AlgorithmView,
    responses=problems(403, 404),
)
def mark_filed(record_id: RecordId, body: FilingRequest, caller: Caller, uow: Uow) -> AlgorithmView:
    return svc.mark_filed(uow, caller, record_id, body)


@router.get(
    "/algorithms/{record_id}/versions",
    summary="An algorithm record's change log (every version)",
    description=(
        "Oldest first: when, the change note, the fields changed, the SHA-256 of the version, "
        "its filing number if it was filed, and its evidence log entry."
    ),
    response_model=VersionList,
    responses=problems(404),
)
def versions(record_id: RecordId, caller: Caller, uow: Uow) -> VersionList:
    return svc.versions(uow, caller, record_id)


@router.get(
    "/algorithms/{record_id}/export",
    summary="An algorithm record, filing-ready (JSON)",
    description=(
        "The current version in the filing system's sections — `entity` (主体信息), "
        "`algorithm_basics` (算法基础属性信息), `algorithm_details` (算法详细属性信息), "
        "`product` (产品及功能信息) — and `recommender_transparency` (DSA Art. 27), each "
        "with its Chinese and English title; then the state, deadline and change log."
    ),
    responses=problems(404),
)
def export(record_id: RecordId, caller: Caller, uow: Uow) -> dict[str, Any]:
    return svc.export(uow, caller, record_id)


@router.get(
    "/algorithms/{record_id}/export.pdf",
    summary="An algorithm record, filing-ready (PDF)",
    description=(
        "The export of `/algorithms/{record_id}/export` laid out as a PDF to read and attach: "
        "the same sections, fields and change log, in Chinese and English. It needs a font "
        "that renders Chinese on the server (a Debian CJK font such as `fonts-wqy-zenhei`, or "
        "`CBEC_PDF_FONT`): 503 `pdf_font_missing` without one."
    ),
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problems(404)},
)
def export_pdf(record_id: RecordId, caller: Caller, uow: Uow) -> Response:
    out, document = svc.export_pdf(uow, caller, record_id)
    name = f"algorithm-{record_id}-v{out['version']}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(document, media_type="application/pdf", headers=headers)


@router.get(
    "/public/platforms/{platform}/algorithms",
    summary="A platform's algorithm transparency list (public, no API key)",
    description=(
        "The public part of every algorithm the tenant named `platform` has filed — the "
        "version filed: name, type, public text, the main parameters and the reasons for "
        "their relative importance, user controls, the option not based on profiling and "
        "the filing number. Nothing else of a record (self-assessment, model, data, risks) "
        "is shown. A name with nothing filed answers an empty list."
    ),
    response_model=PublicRegistry,
)
def public(
    platform: Annotated[str, Path(max_length=64, description="The tenant's name")], uow: Uow
) -> PublicRegistry:
    return svc.public_registry(uow, platform)
