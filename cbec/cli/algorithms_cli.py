"""``cbec algorithms create|change|file|list|show|versions|export|public``: the algorithm
registry — a platform's (or seller's) filings of the algorithms that rank, recommend or
target people, versioned, with the refiling deadline of each change in Chinese working days.

Each command calls the same use case as the HTTP API (:mod:`cbec.services.algorithms`); a
record is read as JSON from a file (``-``: standard input); a refused input exits 2 naming
the field and the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cbec.cli.common import write_json

algorithms = typer.Typer(
    help="The algorithm registry: filings with China's algorithm filing system and the "
    "DSA Art. 27 statement, versioned, with refiling deadlines.",
    no_args_is_help=True,
)

AsTenant = Annotated[str, typer.Option("--as", help="The tenant acting.")]
RecordId = Annotated[str, typer.Argument(help="The record's id.")]
RecordFile = Annotated[
    Path, typer.Argument(help="The record as JSON (see GET /openapi.json); - for stdin.")
]


def _read(path: Path) -> Any:
    import sys

    from cbec.cli.common import die, read_json

    if str(path) == "-":
        return read_json(sys.stdin.buffer.read())
    try:
        return read_json(path.read_bytes(), str(path))
    except OSError as exc:
        die(f"{path}: {exc.strerror}")


def _run(use_case, *args: Any) -> None:
    """The use case's answer as JSON, or its refusal by field and rule (exit 2)."""
    from cbec.cli.tax_cli import refuse
    from cbec.errors import CbecError

    try:
        out = use_case(*args)
    except CbecError as exc:
        refuse(exc)
    write_json(out if isinstance(out, dict) else out.model_dump(mode="json"), 2)


def _parsed(model, doc: Any):
    from pydantic import ValidationError

    from cbec.cli.tax_cli import refuse

    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        refuse(exc)


@algorithms.command("create")
def create(path: RecordFile, as_tenant: AsTenant) -> None:
    """File a new record (version 1, a draft until its filing number is recorded)."""
    from cbec.cli.common import tenant_caller
    from cbec.governance.record import AlgorithmRecordIn
    from cbec.services import algorithms as svc

    rt, caller = tenant_caller(as_tenant)
    _run(svc.create, rt.uow(), caller, _parsed(AlgorithmRecordIn, _read(path)))


@algorithms.command("change")
def change(
    record_id: RecordId,
    path: RecordFile,
    as_tenant: AsTenant,
    summary: Annotated[str, typer.Option(help="The change note.")],
) -> None:
    """Save a new version of record ID from the whole record in PATH."""
    from cbec.cli.common import tenant_caller
    from cbec.services import algorithms as svc
    from cbec.services.algorithm_models import ChangeRequest

    rt, caller = tenant_caller(as_tenant)
    req = _parsed(ChangeRequest, {"record": _read(path), "change_summary": summary})
    _run(svc.change, rt.uow(), caller, record_id, req)


@algorithms.command("file")
def file_(
    record_id: RecordId,
    number: Annotated[str, typer.Argument(help="The filing number the filing system gave.")],
    as_tenant: AsTenant,
) -> None:
    """Record that the current version of record ID was filed under NUMBER."""
    from cbec.cli.common import tenant_caller
    from cbec.services import algorithms as svc
    from cbec.services.algorithm_models import FilingRequest

    rt, caller = tenant_caller(as_tenant)
    req = _parsed(FilingRequest, {"filing_number": number})
    _run(svc.mark_filed, rt.uow(), caller, record_id, req)


@algorithms.command("list")
def list_(
    as_tenant: AsTenant,
    owner: Annotated[str | None, typer.Option(help="Only this tenant's (regulators).")] = None,
) -> None:
    """The tenant's records (a regulator's: every tenant's), with their filing state."""
    from cbec.cli.common import tenant_caller
    from cbec.services import algorithms as svc

    rt, caller = tenant_caller(as_tenant)
    _run(svc.list_records, rt.uow(), caller, owner)


@algorithms.command("show")
def show(record_id: RecordId, as_tenant: AsTenant) -> None:
    """Record ID's current version, state and deadline."""
    from cbec.cli.common import tenant_caller
    from cbec.services import algorithms as svc

    rt, caller = tenant_caller(as_tenant)
    _run(svc.get, rt.uow(), caller, record_id)


@algorithms.command("versions")
def versions(record_id: RecordId, as_tenant: AsTenant) -> None:
    """Record ID's change log: every version, oldest first."""
    from cbec.cli.common import tenant_caller
    from cbec.services import algorithms as svc

    rt, caller = tenant_caller(as_tenant)
    _run(svc.versions, rt.uow(), caller, record_id)


@algorithms.command("export")
def export(
    record_id: RecordId,
    as_tenant: AsTenant,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Write the export as a PDF to this file instead of JSON."),
    ] = None,
) -> None:
    """Record ID filing-ready: the filing system's sections, state and change log (JSON, or
    a PDF with --pdf)."""
    from cbec.cli.common import die, run_as, tenant_caller
    from cbec.services import algorithms as svc

    if pdf is None:
        rt, caller = tenant_caller(as_tenant)
        _run(svc.export, rt.uow(), caller, record_id)
        return
    out, document = run_as(as_tenant, lambda uow, caller: svc.export_pdf(uow, caller, record_id))
    try:
        pdf.write_bytes(document)
    except OSError as exc:
        die(f"{pdf}: {exc}")
    write_json({"pdf": str(pdf), "bytes": len(document), "version": out["version"]})


@algorithms.command("public")
def public(platform: Annotated[str, typer.Argument(help="The tenant's name.")]) -> None:
    """What the public transparency page of PLATFORM shows (its filed records' public part)."""
    from cbec.cli.common import runtime, text_arg
    from cbec.services import algorithms as svc

    _run(svc.public_registry, runtime().uow(), text_arg(platform, "PLATFORM"))
