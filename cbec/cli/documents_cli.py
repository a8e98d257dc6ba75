"""``cbec import``: trade documents (orders, payments, waybills, products) in bulk from
JSON Lines, CSV (UTF-8, GBK/GB18030, … — detected) or XLSX, filed as the named tenant with
the same checks and the same readers as the API."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from cbec.cli.common import (
    EXIT_NO,
    die,
    err,
    fail,
    json_text,
    lang,
    out,
    printable,
    runtime,
    text_arg,
)
from cbec.errors import CbecError

if TYPE_CHECKING:
    from cbec.trade.report import Rejected


class FileFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


class ImportKind(StrEnum):
    orders = "orders"
    payments = "payments"
    waybills = "waybills"
    products = "products"


def import_(
    kind: Annotated[ImportKind, typer.Argument(help="What the file holds.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    as_tenant: Annotated[str, typer.Option("--as", help="Tenant filing the documents.")],
    continue_on_error: Annotated[
        bool, typer.Option(help="Import the good rows and write the bad ones to a rejects file.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Rejects file (default FILE.rejects.jsonl).")
    ] = None,
    file_format: Annotated[
        FileFormat | None,
        typer.Option(
            "--file-format", "--format", help="jsonl, csv or xlsx (default: by extension)."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="The CSV file's text encoding, e.g. gb18030 (default: detected)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="A CSV/XLSX file's column mapping, as the console's import desk saves it "
            '(JSON: {"columns": {"header in the file": "field" or null}, "timezone": …}).',
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="With orders: a marketplace's order export (amazon, shopify, tiktok, "
            "aliexpress, shopee, lazada) or AliExpress Open Platform order details saved as "
            "JSON (aliexpress-api); with payments: a payment settlement report (stripe, "
            "paypal, generic); or auto (told by the header row, or a JSON file's fields). "
            "Mapped to cbec documents "
            "(see the README's Connectors section).",
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            help="With --from: the cbec platform tenant the file's documents go to (orders: "
            "default, the tenant's marketplace profile's; see `cbec marketplace profile`)."
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(help="With --from: the currency when the file names none (e.g. USD)."),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option(
            help="With --from: the country the goods ship from (default: the marketplace "
            "profile's, else CN)."
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            "--tz",
            help="The IANA time zone of a CSV/XLSX file's times written without an offset, "
            "e.g. Asia/Shanghai (default: the mapping file's; with none, such a time is "
            "rejected, never taken as UTC).",
        ),
    ] = None,
) -> None:
    """Bulk-import orders, payments, waybills or products from JSON Lines, CSV or XLSX.

    All or nothing per file, unless --continue-on-error. Re-importing a file is safe:
    documents already stored with the same content are counted as unchanged.
    """
    from cbec.services import bulk
    from cbec.services import documents as svc
    from cbec.trade import filing, staging, tabular, zones
    from cbec.trade.kinds import KINDS

    kind_def = next(k for k in KINDS.values() if k.plural == kind.value)
    text_arg(as_tenant, "--as")
    if source is not None and kind is ImportKind.payments:
        from cbec.cli.settlement_cli import import_settlement

        if platform is None:
            die("--from needs --platform: the cbec platform tenant the payments are for")
        import_settlement(
            file,
            as_tenant,
            source=source,
            platform=platform,
            timezone=timezone,
            encoding=encoding,
            continue_on_error=continue_on_error,
            rejects=rejects,
        )
        return
    if source is not None:
        from cbec.cli.marketplace_cli import import_marketplace

        if kind is not ImportKind.orders:
            die(
                "--from reads marketplace order files (`cbec import orders`) and payment "
                "settlement reports (`cbec import payments`)"
            )
        import_marketplace(
            file,
            as_tenant,
            source=source,
            platform=platform,
            currency=currency,
            origin=origin,
            timezone=timezone,
            encoding=encoding,
            continue_on_error=continue_on_error,
            rejects=rejects,
        )
        return
    rt = runtime()
    language = lang()
    try:
        viewer = svc.caller_named(rt.uow(), as_tenant)
    except CbecError:
        die(f"no tenant named {as_tenant}")
    fmt = file_format.value if file_format else tabular.format_of(file.name)
    header_map, zone = None, None
    try:
        saved = staging.header_map(mapping.read_bytes(), fmt) if mapping is not None else None
        header_map = saved.columns if saved is not None else None
        zone = zones.zone_of(timezone or (saved.timezone if saved is not None else None))
    except CbecError as exc:
        fail(exc)
    size = file.stat().st_size
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    path = rejects or file.with_name(file.name + ".rejects.jsonl")
    sink = _RejectsFile(path, language)
    with progress, sink, file.open("rb") as fh:
        task = progress.add_task(f"checking {file.name}", total=size, rows=0)
        passes = [0]  # the file is read a second time only past what the check kept

        def tracked():
            """The file's rows from the start: the bar follows the bytes read while they are
            checked (the write pass reads the file again only past what the check kept)."""
            n = 0
            passes[0] += 1
            rows = (
                staging.mapped_rows(fh, fmt, kind_def, header_map, read_as, zone)
                if header_map is not None
                else tabular.read_upload(fh, kind_def, fmt, encoding=read_as, zone=zone)
            )
            for row in rows:
                n += 1
                if n % 256 == 0 and passes[0] == 1:
                    progress.update(task, completed=fh.tell(), rows=n)
                yield row
            if passes[0] == 1:
                progress.update(
                    task, completed=0, total=n, rows=0, description=f"filing {file.name}"
                )

        def filed(report: filing.FilingReport) -> None:
            """The bar follows the rows written (and refused) while filing."""
            done = len(report.created) + len(report.unchanged) + report.rejected_count
            progress.update(task, completed=done, rows=done)

        try:
            read_as = tabular.encoding_of(fh, fmt, encoding)
            report = bulk.file_rows(
                rt.uow(),
                viewer,
                kind_def.name,
                tracked,
                continue_on_error=continue_on_error,
                on_rejected=sink.write,
                encoding=read_as,
                on_filed=filed,
            )
            if report.created:
                rt.ledger.integrate(force_checkpoint=True)  # evidence of this import, signed
        except filing.BatchRejected as exc:
            report = exc.report
        except CbecError as exc:  # nothing was written: the transaction rolled back
            progress.stop()
            fail(exc)
    print_report(report, kind.value, path, language)


def print_report(report: Any, plural: str, path: Any, language: str) -> None:
    """An import's outcome, as every ``cbec import`` prints it: the first rejected rows with
    their errors (the rest in the rejects file), then the counts; exit 1 when rows were
    rejected."""
    summary = report.as_dict(language)
    if report.rejected_count:
        for r in summary["rejects"][:10]:
            for e in r["errors"]:
                err.print(escape(printable(f"  row {r['row']}: {e['field']}: {e['message']}")))
        if report.rejected_count > 10:
            err.print(escape(f"  … {report.rejected_count - 10} more rows in {path}"))
        err.print(escape(f"rejects written to {path}"))
    state = "written" if report.written else "[red]nothing written[/red] (all or nothing)"
    read = f" (read as {summary['encoding']})" if summary["encoding"] else ""
    out.print(
        f"{plural}: {summary['created']} created, {summary['unchanged']} unchanged, "
        f"{summary['rejected']} rejected — {state}{read}"
    )
    if report.rejected_count:
        raise typer.Exit(EXIT_NO)


class _RejectsFile:
    """Every rejected row, one JSON line each, written as it is found (the report keeps only
    the first ones); the file is created at the first reject, and not at all without one."""

    def __init__(self, path: Path, language: str) -> None:
        self.path = path
        self.language = language
        self._fh: TextIO | None = None

    def write(self, rejected: Rejected) -> None:
        if self._fh is None:
            self._fh = self.path.open("w", encoding="utf-8")
        self._fh.write(json_text(rejected.as_dict(self.language)) + "\n")

    def __enter__(self) -> _RejectsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()
