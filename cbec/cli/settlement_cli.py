"""``cbec import payments FILE --from stripe|paypal|generic|auto --platform P``: a payment
settlement report filed as cbec payment vouchers, through the same bulk filing as a native
import (so a re-import of the same file counts every payment unchanged)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from rich.markup import escape

from cbec.cli.common import die, fail, lang, out, printable, runtime
from cbec.errors import CbecError


def import_settlement(
    file: Path,
    as_tenant: str,
    *,
    source: str,
    platform: str,
    timezone: str | None,
    encoding: str | None,
    continue_on_error: bool,
    rejects: Path | None,
) -> None:
    from cbec.cli.documents_cli import _RejectsFile, print_report
    from cbec.services import documents as svc
    from cbec.services import settlement_import as st
    from cbec.trade import filing, tabular

    rt = runtime()
    language = lang()
    try:
        viewer = svc.caller_named(rt.uow(), as_tenant)
    except CbecError:
        die(f"no tenant named {as_tenant}")
    try:
        req = st.SettlementRequest(
            source=source,
            platform=platform,
            timezone=timezone,
            file_format="xlsx" if tabular.format_of(file.name) == "xlsx" else "csv",
            encoding=encoding,
        )
    except ValidationError as exc:
        die(f"bad option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    path = rejects or file.with_name(file.name + ".rejects.jsonl")
    sink = _RejectsFile(path, language)
    with sink, file.open("rb") as fh:
        try:
            prepared = st.prepare(viewer, fh, req)
            report = st.import_file(
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
    if conversion.unmapped:
        out.print(escape(printable("unmapped columns: " + ", ".join(conversion.unmapped))))
    for column, why in conversion.ambiguous:
        out.print(escape(printable(f"assumed: {column}: {why}")))
    if conversion.skipped:
        counts = ", ".join(f"{k}: {n}" for k, n in conversion.skipped_by_category.items())
        out.print(
            escape(printable(f"skipped rows (not payments): {conversion.skipped} ({counts})"))
        )
    print_report(report, "payments", path, language)
