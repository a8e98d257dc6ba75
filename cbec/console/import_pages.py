"""The import desk (adapters over :mod:`cbec.services.import_desk`): upload a CSV or XLSX
file, map its headers to cbec's columns, see every error of every row, correct rows in the
page or download them, and import the good documents with progress shown — htmx polls the
progress fragment every second; without JavaScript a plain "refresh" link does.

The upload is posted to ``/console/import`` so that the body limit for imports applies to it
(:mod:`cbec.api.body`). The bilingual templates are served at ``/console/import-templates``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from cbec.api.metrics import Metrics, metrics_of
from cbec.console import auth
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import BadRequest, DocumentInvalid
from cbec.services import carrier_import
from cbec.services import import_desk as desk
from cbec.services.import_desk_models import FixRequest, MappingRequest, Upload
from cbec.trade.kinds import KINDS
from cbec.trade.tabular import format_of

router = APIRouter(include_in_schema=False)
DraftId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]

# The document kinds as the desk names them.
KIND_LABELS = {
    "order": N_("Orders"),
    "payment": N_("Payments"),
    "waybill": N_("Waybills"),
    "product": N_("Products"),
}
STATES = {
    desk.MAPPING: N_("Map the columns"),
    desk.READY: N_("Checked, not imported"),
    desk.IMPORTING: N_("Importing"),
    desk.DONE: N_("Imported"),
    desk.FAILED: N_("Not imported"),
}
ERRORS_HEADER = N_("Errors")


# A carrier file's formats (cbec.connectors.carriers.NAMES), as the page names them.
CARRIER_FORMATS = {
    "auto": N_("Detect from the content"),
    "generic": N_("cbec generic CSV"),
    "17track": N_("17TRACK webhook (JSON)"),
    "aftership": N_("AfterShip webhook (JSON)"),
}


def _upload_page(request: Request, user, lang: str, status: int = 200, **extra) -> Response:
    return render(
        request,
        "imports.html",
        lang,
        status=status,
        user=user,
        kinds=desk.importable(user),
        kind_labels=KIND_LABELS,
        states=STATES,
        drafts=desk.list_drafts(request.app.state.rt.uow(), user),
        carrier_formats=CARRIER_FORMATS,
        **extra,
    )


@router.get("/console/imports")
def imports_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _upload_page(request, user, page_language(request, lang))


@router.post("/console/import")
def upload(
    request: Request,
    user: auth.SignedForm,
    kind: Annotated[str, Form(max_length=16)],
    file: Annotated[UploadFile, File()],
    lang: Lang = None,
):
    language = page_language(request, lang)
    fmt = "xlsx" if format_of(file.filename, file.content_type) == "xlsx" else "csv"
    try:
        staged = desk.stage_upload(
            request.app.state.rt.uow(), user, Upload(kind=kind, format=fmt, body=file.file.read())
        )
    except BadRequest as exc:
        return _upload_page(request, user, language, status=422, problem=exc.message(language))
    return RedirectResponse(f"/console/imports/{staged.id}", status_code=303)


@router.post("/console/tracking/import")
def carrier_file(
    request: Request,
    user: auth.SignedForm,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(alias="format", max_length=16)] = "auto",
    timezone: Annotated[str, Form(max_length=64)] = "",
    lang: Lang = None,
):
    """A carrier's tracking file recorded on the firm's waybills (as ``POST
    /logistics/tracking/files``); the outcome, or every row at fault, on the import page.
    Posted to an address ending in ``/import``: the body limit for imports applies."""
    language = page_language(request, lang)
    req = carrier_import.CarrierFileRequest(
        body=file.file.read(), format=source, timezone=timezone or None
    )
    try:
        result = carrier_import.record_file(request.app.state.rt.uow(), user.viewer, req)
    except DocumentInvalid as exc:
        problems = [f"{v.field}: {v.message(language)}" for v in exc.violations]
        return _upload_page(request, user, language, status=422, carrier_problems=problems)
    except BadRequest as exc:
        problems = [exc.message(language)]
        return _upload_page(request, user, language, status=422, carrier_problems=problems)
    return _upload_page(request, user, language, carrier_result=result)


@router.get("/console/imports/{draft_id}")
def draft_page(request: Request, user: auth.Signed, draft_id: DraftId, lang: Lang = None):
    return _draft_page(request, user, draft_id, page_language(request, lang))


def _draft_page(
    request: Request, user, draft_id: str, lang: str, status: int = 200, **extra
) -> Response:
    view = desk.review(request.app.state.rt.uow(), user, draft_id, lang)
    return render(
        request,
        "imports_draft.html",
        lang,
        status=status,
        user=user,
        d=view,
        kind_labels=KIND_LABELS,
        states=STATES,
        **extra,
    )


@router.get("/console/imports/{draft_id}/progress")
def progress(request: Request, user: auth.Signed, draft_id: DraftId, lang: Lang = None):
    """The progress (or the outcome) alone, for htmx to swap in every second."""
    language = page_language(request, lang)
    view = desk.review(request.app.state.rt.uow(), user, draft_id, language)
    return render(request, "imports_progress.html", language, user=user, d=view)


@router.post("/console/imports/{draft_id}/mapping")
def mapping(
    request: Request,
    user: auth.SignedForm,
    draft_id: DraftId,
    col: Annotated[list[str], Form(max_length=1000)],
    timezone: Annotated[str, Form(max_length=64)] = "",
):
    chosen = [c or None for c in col]
    try:
        desk.set_mapping(
            request.app.state.rt.uow(),
            user,
            MappingRequest(draft_id=draft_id, mapping=chosen, timezone=timezone or None),
        )
    except DocumentInvalid as exc:  # shown on the draft's page, the mapping as it was
        lang = page_language(request, None)
        problems = [f"{v.field}: {v.message(lang)}" for v in exc.violations]
        return _draft_page(request, user, draft_id, lang, status=422, problems=problems)
    return RedirectResponse(f"/console/imports/{draft_id}#check", status_code=303)


@router.get("/console/imports/{draft_id}/mapping.json")
def mapping_download(request: Request, user: auth.Signed, draft_id: DraftId):
    """The mapping, for ``cbec import --mapping`` (the same file from the command line)."""
    found = desk.mapping_file(request.app.state.rt.uow(), user, draft_id)
    return JSONResponse(
        found, headers={"Content-Disposition": 'attachment; filename="mapping.json"'}
    )


@router.post("/console/imports/{draft_id}/rows")
async def fix(request: Request, user: auth.SignedForm, draft_id: DraftId):
    """Cells come as ``v-<line>-<header index>`` fields (the form names them so)."""
    form = await request.form()
    cells: dict[int, dict[int, str]] = {}
    for name, value in form.multi_items():
        parts = name.split("-")
        named = len(parts) == 3 and parts[0] == "v" and parts[1].isdigit() and parts[2].isdigit()
        if named and isinstance(value, str) and len(value) <= 10_000:
            cells.setdefault(int(parts[1]), {})[int(parts[2])] = value
    req = FixRequest(draft_id=draft_id, cells=cells)
    await run_in_threadpool(desk.fix_rows, request.app.state.rt.uow(), user, req)
    return RedirectResponse(f"/console/imports/{draft_id}#check", status_code=303)


@router.get("/console/imports/{draft_id}/rejects.csv")
def rejects(request: Request, user: auth.Signed, draft_id: DraftId, lang: Lang = None):
    language = page_language(request, lang)
    header = translations(language).gettext(ERRORS_HEADER)
    text = desk.rejects_file(request.app.state.rt.uow(), user, draft_id, language, header)
    return Response(
        text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rejects.csv"'},
    )


@router.post("/console/imports/{draft_id}/submit")
def submit(request: Request, user: auth.SignedForm, draft_id: DraftId, background: BackgroundTasks):
    """Starts the import and answers at once; the import runs after the answer (its progress
    is recorded chunk by chunk, see :func:`cbec.services.import_desk.run_import`)."""
    rt = request.app.state.rt
    if desk.start_import(rt.uow(), user, draft_id):
        background.add_task(_import, metrics_of(request), rt.uow(), user, draft_id)
    return RedirectResponse(f"/console/imports/{draft_id}", status_code=303)


def _import(metrics: Metrics | None, uow, user, draft_id: str) -> None:
    """Run the import and count its documents in ``cbec_documents_filed_total`` as the API
    counts its filings (:mod:`cbec.api.metrics`): a document filed at the desk is a filing."""
    filed = desk.run_import(uow, user, draft_id)
    if metrics is not None and filed is not None:
        metrics.filings(filed.kind, filed.created, filed.unchanged, filed.rejected)


@router.get("/console/import-templates/{kind}-{headers}.{fmt}")
def template(
    user: auth.Signed,
    kind: Annotated[str, Path(pattern="^(order|payment|waybill|product)$")],
    headers: Literal["en", "zh"],
    fmt: Literal["csv", "xlsx"],
):
    body = desk.template(kind, headers, fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else KINDS_XLSX
    name = f"{KINDS[kind].plural}-{headers}.{fmt}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


KINDS_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
