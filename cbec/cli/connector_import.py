"""What ``cbec import orders|payments FILE --from …`` share for a connector's file (a
marketplace export, a settlement report): the caller, the file's table format, the
rejects file, the conversion's findings printed, then the native import's report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.markup import escape

from cbec.cli.common import die, fail, lang, out, printable, runtime
from cbec.errors import CbecError


def import_converted(
    file: Path,
    as_tenant: str,
    *,
    request: Callable[[str], Any],
    prepare: Callable[[Any, Any, Any, Any], Any],
    import_file: Callable[..., Any],
    describe: Callable[[Any], tuple[Iterable[str], Iterable[str]]],
    noun: str,
    continue_on_error: bool,
    rejects: Path | None,
) -> None:
    """``request(file_format)`` builds the typed request (a bad option dies naming it);
    ``prepare(uow, viewer, upload, req)`` reads the file; ``import_file`` files it as the
    native import does; ``describe(conversion)`` gives the lines printed before the columns
    not read and assumed (what came from a profile) and after them (what was skipped)."""
    from cbec.cli.documents_cli import _RejectsFile, print_report
    from cbec.services import documents as svc
    from cbec.trade import filing, tabular

    rt = runtime()
    language = lang()
    try:
        viewer = svc.caller_named(rt.uow(), as_tenant)
    except CbecError:
        die(f"no tenant named {as_tenant}")
    try:
        req = request("xlsx" if tabular.format_of(file.name) == "xlsx" else "csv")
    except ValidationError as exc:
        die(f"bad option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    path = rejects or file.with_name(file.name + ".rejects.jsonl")
    sink = _RejectsFile(path, language)
    with sink, file.open("rb") as fh:
        try:
            prepared = prepare(rt.uow(), viewer, fh, req)
            report = import_file(
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
    before, after = describe(conversion)
    lines = list(before)
    if conversion.unmapped:
        lines.append("unmapped columns: " + ", ".join(conversion.unmapped))
    lines += [f"assumed: {column}: {why}" for column, why in conversion.ambiguous]
    for line in [*lines, *after]:
        out.print(escape(printable(line)))
    print_report(report, noun, path, language)
