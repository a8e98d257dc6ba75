"""``cbec ledger …``: the evidence log — integrate and sign checkpoints, print the verifier
key, write inclusion-proof bundles, re-derive the whole tree (fsck) and monitor a server's
log for forks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cbec.cli.common import EXIT_NO, die, err, out, printable, runtime, text_arg

EXIT_FORK = 3

ledger = typer.Typer(
    help="Evidence ledger: checkpoints, proofs, bundles, checks.", no_args_is_help=True
)


@ledger.command("integrate")
def ledger_integrate(
    checkpoint: Annotated[
        bool, typer.Option(help="Sign a checkpoint now if the tree grew.")
    ] = True,
    follow: Annotated[
        bool,
        typer.Option(
            help="Keep integrating until stopped (SIGTERM or Ctrl-C): the integrator of a "
            "deployment whose servers run with CBEC_INTEGRATOR=off. It integrates only while "
            "it leads (the same election as the servers' workers), so a second one on another "
            "host is a standby that takes over when the first dies. Checkpoints follow the "
            "policy (CBEC_LEDGER_CHECKPOINT_INTERVAL_MS, _MAX_ENTRIES); one line per "
            "checkpoint signed."
        ),
    ] = False,
) -> None:
    """Fold appended entries into the tree and sign a checkpoint."""
    rt = runtime()
    if follow:
        _follow(rt)
        return
    cp = rt.ledger.integrate(force_checkpoint=checkpoint)
    state = rt.ledger.state()
    out.print(f"integrated {state.integrated} of {state.size} entries")
    if cp is not None:
        out.print(f"signed checkpoint at size {cp.size}")


def _follow(rt) -> None:
    """Run the integrator in a thread until a signal stops it, integrating while this
    process leads (:func:`cbec.services.integrator.lead`: one integrator per database
    however many run). The loop waits on an event between rounds; SIGTERM and SIGINT set
    the event, so a stop ends the wait at once and a round under way finishes (commits or
    rolls back) before the process exits 0. The loop runs in a worker thread and the
    handlers in the main thread, so a handler never waits on a lock its own thread holds.
    The integrator's log lines (leading, waiting, a failed round) go to standard error."""
    import signal
    import threading

    from cbec import logs
    from cbec.services import integrator
    from cbec.store.leader import elector_for

    logs.configure("text")

    stop = threading.Event()

    def stop_on(signum: int, _frame: object) -> None:
        stop.set()

    def signed(cp) -> None:
        sys.stdout.write(f"signed checkpoint at size {cp.size}\n")
        sys.stdout.flush()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_on)
    err.print(f"integrating every {integrator.interval_s(rt):g} s until stopped (SIGTERM, Ctrl-C)")
    elector = elector_for(rt.engine, rt.settings.data_dir)
    worker = threading.Thread(
        target=integrator.lead,
        args=(rt, stop, elector),
        kwargs={"on_checkpoint": signed},
        name=integrator.THREAD_NAME,
    )
    worker.start()
    worker.join()
    rt.engine.dispose()
    err.print("integrator stopped")


@ledger.command("checkpoint")
def ledger_checkpoint() -> None:
    """Print the latest signed checkpoint (a c2sp.org/tlog-checkpoint note)."""
    rt = runtime()
    cp = rt.ledger.latest_checkpoint() or rt.ledger.integrate(force_checkpoint=True)
    sys.stdout.write(cp.note)


@ledger.command("key")
def ledger_key() -> None:
    """Print the log's verifier key (give it to auditors; it verifies every checkpoint)."""
    rt = runtime()
    for vkey in rt.ledger.vkeys:
        sys.stdout.write(vkey + "\n")


@ledger.command("prove")
def ledger_prove(
    document_id: Annotated[str | None, typer.Argument(help="A document id.")] = None,
    index: Annotated[int | None, typer.Option(help="Or a log index.")] = None,
) -> None:
    """Write a self-contained evidence bundle (c2sp.org/tlog-proof) to standard output."""
    from cbec.ledger.log import LedgerError

    rt = runtime()
    if index is None:
        if document_id is None:
            die("give a DOCUMENT_ID or --index")
        with rt.uow() as uow:
            doc = uow.repo.get_by_id(text_arg(document_id, "DOCUMENT_ID"))
        if doc is None or doc.ledger_index is None:
            die(f"no logged document {document_id}")
        index = doc.ledger_index
    try:
        bundle = rt.ledger.bundle(index)
    except LedgerError as exc:
        die(str(exc))
    sys.stdout.write(bundle)


@ledger.command("fsck")
def ledger_fsck() -> None:
    """Re-derive every stored node and checkpoint root from the entries; exit 1 on mismatch."""
    rt = runtime()
    state = rt.ledger.state()
    with err.status(f"checking {state.size if state else 0} entries …"):
        problems = rt.ledger.fsck()
    for p in problems:
        out.print(f"[red]✗[/red] {p}")
    if problems:
        out.print(f"[red]{len(problems)} problem(s) found[/red]")
        raise typer.Exit(EXIT_NO)
    out.print(f"ok: {state.size if state else 0} entries, every node and checkpoint re-derived")


@ledger.command("monitor")
def ledger_monitor(
    url: Annotated[str, typer.Option(help="cbec API base URL.")] = "http://127.0.0.1:8000",
    api_key: Annotated[str | None, typer.Option(envvar="CBEC_API_KEY", help="API key.")] = None,
    key: Annotated[
        list[str] | None, typer.Option("--key", help="Log verifier key (repeatable).")
    ] = None,
    state: Annotated[Path, typer.Option(help="Where the last verified checkpoint is kept.")] = Path(
        "cbec-monitor.checkpoint"
    ),
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 10.0,
    once: Annotated[bool, typer.Option(help="Check once and exit.")] = False,
) -> None:
    """Poll the log's checkpoints and prove each new one consistent with the last one seen.

    Exit status 3 and a FORK alarm when the log shows two histories (a checkpoint that is
    not an extension of one verified before)."""
    import httpx

    from cbec.ledger.monitor import Fork, check_next

    if not key:
        die("give the log's verifier key with --key")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        while True:
            previous = state.read_text("utf-8") if state.exists() else None
            try:
                result = check_next(client, key, previous)
            except Fork as exc:
                err.print(f"[bold red]FORK[/bold red]: {escape(printable(str(exc)))}")
                raise typer.Exit(EXIT_FORK) from None
            tmp = state.with_suffix(".tmp")
            tmp.write_text(result.note, "utf-8")
            tmp.replace(state)
            out.print(escape(printable(result.message)))
            if once:
                return
            import time

            time.sleep(interval)
