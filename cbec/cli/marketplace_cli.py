"""``cbec import orders FILE --from amazon|shopify|tiktok|aliexpress|shopee|lazada|auto
--platform P``: a marketplace's order export filed as cbec orders, through the same bulk
filing as a native import (so a re-import of the same file counts every order unchanged).
Options left out come from the tenant's marketplace profile (``cbec marketplace profile``:
:mod:`cbec.cli.marketplace_profile_cli`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from rich.markup import escape

from cbec.cli.common import die, fail, lang, out, printable, runtime
from cbec.errors import CbecError


def import_marketplace(
    file: Path,
    as_tenant: str,
    *,
    source: str,
    platform: str | None,
    currency: str | None,
    origin: str | None,
    timezone: str | None,
    encoding: str | None,
    continue_on_error: bool,
    rejects: Path | None,
) -> None:
    from cbec.cli.documents_cli import _RejectsFile, print_report
    from cbec.services import documents as svc
    from cbec.services import marketplace_import as mk
    from cbec.trade import filing, tabular

    rt = runtime()
    language = lang()
    try:
        viewer = svc.caller_named(rt.uow(), as_tenant)
    except CbecError:
        die(f"no tenant named {as_tenant}")
    fmt = tabular.format_of(file.name)
    try:
        req = mk.MarketplaceRequest(
            source=source,
            platform=platform,
            currency=currency,
            timezone=timezone,
            origin_country=origin,
            file_format="xlsx" if fmt == "xlsx" else "csv",
            encoding=encoding,
        )
    except ValidationError as exc:
        die(f"bad option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    path = rejects or file.with_name(file.name + ".rejects.jsonl")
    sink = _RejectsFile(path, language)
    with sink, file.open("rb") as fh:
        try:
            prepared = mk.prepare(rt.uow(), viewer, fh, req)
            report = mk.import_file(
                rt.uow(),
                viewer,
                prepared,
                continue_on_error=continue_on_error,
                on_rejected=sink.write,
            )
            if report.created:
                rt.ledger.integrate(force_checkpoint=True)
        except filing.BatchRejected as exc:
            report = exc.report
        except CbecError as exc:
            fail(exc)
    conversion = prepared.conversion
    out.print(escape(f"format: {conversion.format}"))
    if conversion.from_profile:
        used = ", ".join(f"{k}={v}" for k, v in conversion.from_profile.items())
        out.print(escape(printable(f"from the marketplace profile: {used}")))
    if conversion.unmapped:
        out.print(escape(printable("unmapped columns: " + ", ".join(conversion.unmapped))))
    for column, why in conversion.ambiguous:
        out.print(escape(printable(f"assumed: {column}: {why}")))
    if conversion.skipped:
        out.print(
            escape(f"skipped rows (cancelled orders, column descriptions): {conversion.skipped}")
        )
    print_report(report, "orders", path, language)
