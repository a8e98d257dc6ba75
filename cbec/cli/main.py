"""``cbec`` — the command line. Every command works on the database named by
``CBEC_DATABASE_URL`` (default: a SQLite file in ``CBEC_DATA_DIR``) and creates or upgrades
its schema first."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cbec.cli.analytics_cli import analytics
from cbec.cli.compliance_cli import compliance
from cbec.cli.screen_cli import screen as screen_cmd
from cbec.cli.tax_cli import tax
from cbec.errors import CbecError
from cbec.i18n import negotiate

app = typer.Typer(
    help="cbec: open platform for cross-border e-commerce trade documents.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
admin = typer.Typer(help="Tenants and API keys.", no_args_is_help=True)
db = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(admin, name="admin")
app.add_typer(db, name="db")

out = Console()
err = Console(stderr=True)


def _lang() -> str:
    return negotiate(
        (os.environ.get("CBEC_LANG") or os.environ.get("LANG") or "").replace("_", "-")
    )


def _runtime():
    from cbec.runtime import open_runtime

    return open_runtime()


def _fail(exc: CbecError) -> None:
    lang = _lang()
    err.print(f"[red]error:[/red] {exc.message(lang)}")
    for d in exc.details(lang):
        err.print(f"  {d['field']}: {d['message']} [dim]({d['rule']})[/dim]")
    raise typer.Exit(2)


class Fmt(StrEnum):
    text = "text"
    json = "json"


class DemoFmt(StrEnum):
    text = "text"
    json = "json"
    env = "env"


def env_name(tenant: str) -> str:
    """``sz-gadgets`` → ``CBEC_KEY_SZ_GADGETS`` (for ``eval "$(cbec demo --format env)"``)."""
    return "CBEC_KEY_" + tenant.upper().replace("-", "_")


class RoleOpt(StrEnum):
    seller = "seller"
    platform = "platform"
    payment = "payment"
    logistics = "logistics"
    regulator = "regulator"


class ImportKind(StrEnum):
    orders = "orders"
    payments = "payments"
    waybills = "waybills"
    products = "products"


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs)."""
    import uvicorn

    from cbec.api.app import create_app

    rt = _runtime()
    h, p = host or rt.settings.host, port or rt.settings.port
    err.print(f"cbec API on http://{h}:{p}  (docs: http://{h}:{p}/docs)")
    uvicorn.run(create_app(rt), host=h, port=p, log_level="warning")


@app.command()
def demo(
    format: Annotated[DemoFmt, typer.Option("--format", help="text, json or env")] = DemoFmt.text,
) -> None:
    """Load demo tenants and documents (idempotent) and print the demo API keys."""
    from cbec.demo.loader import load

    rt = _runtime()
    tenants, counts = load(rt)
    if format is DemoFmt.env:
        for t in tenants:
            sys.stdout.write(f"export {env_name(t.name)}={t.api_key}\n")
        return
    if format is DemoFmt.json:
        payload = {
            "tenants": [{"name": t.name, "role": t.role, "api_key": t.api_key} for t in tenants]
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    table = Table(title="Demo tenants", show_lines=False)
    for col in ("name", "role"):
        table.add_column(col)
    table.add_column("API key", overflow="fold")
    for t in tenants:
        table.add_row(t.name, t.role, t.api_key)
    out.print(table)
    for plural, c in counts.items():
        out.print(f"{plural}: {c['created']} created, {c['unchanged']} already present")
    out.print(f"database: {rt.settings.resolved_database_url()}")
    out.print('shell variables with the keys: eval "$(cbec demo --format env)"')


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest revision."""
    rt = _runtime()
    out.print(f"schema up to date: {rt.settings.resolved_database_url()}")


@admin.command("create-tenant")
def create_tenant(
    name: Annotated[str, typer.Argument(help="Lower-case name, e.g. sz-gadgets.")],
    role: Annotated[RoleOpt, typer.Option(help="The tenant's role.")],
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
) -> None:
    """Create a tenant and print its API key (shown once; only its hash is stored)."""
    from cbec.tenancy.roles import Role
    from cbec.tenancy.service import create_tenant as create

    rt = _runtime()
    try:
        with rt.uow(write=True) as uow:
            tenant, token = create(uow.repo, name, Role(role.value))
            uow.commit()
    except CbecError as exc:
        _fail(exc)
    if format is Fmt.json:
        sys.stdout.write(
            json.dumps({"name": tenant.name, "role": tenant.role.value, "api_key": token}) + "\n"
        )
    else:
        out.print(f"tenant [bold]{tenant.name}[/bold] ({tenant.role.value}) created")
        out.print(f"API key (store it now, it is not shown again): {token}")


@admin.command("customs-profile")
def customs_profile(
    name: Annotated[str, typer.Argument(help="Tenant name.")],
    code: Annotated[str, typer.Option(help="Customs registration code (≤ 18).")],
    registered_name: Annotated[str, typer.Option("--name", help="Registered name (≤ 100).")],
    dxp_id: Annotated[
        str | None, typer.Option(help="China E-Port exchange id, if it sends.")
    ] = None,
) -> None:
    """Set a tenant's customs identity, used when cbec builds customs messages."""
    from cbec.store.customs_store import ProfileStore

    rt = _runtime()
    if len(code) > 18 or len(registered_name) > 100 or (dxp_id and len(dxp_id) > 30):
        err.print("[red]error:[/red] code ≤ 18, name ≤ 100, dxp id ≤ 30 characters")
        raise typer.Exit(2)
    with rt.uow(write=True) as uow:
        tenant = uow.repo.tenant_by_name(name)
        if tenant is None:
            err.print(f"[red]error:[/red] no tenant named {name}")
            raise typer.Exit(2)
        ProfileStore(uow.conn).set(tenant.id, code, registered_name, dxp_id)
        uow.commit()
    out.print(f"customs profile of {name}: {code} {registered_name}")


@admin.command("customs-key")
def customs_key(
    name: Annotated[str, typer.Argument(help="Tenant name.")],
    key_name: Annotated[str, typer.Option(help="KeyName (certificate number) to sign as.")],
    pem: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="SM2 private key PEM; new if omitted."),
    ] = None,
) -> None:
    """Give a tenant a software SM2 key: cbec then signs its CEB621/623/625 itself.

    For test environments and demos — production keys stay on the E-Port card, and messages
    signed there come back through POST /customs/messages. Prints the public key PEM."""
    from cbec.customs.sign import Sm2SoftwareKey
    from cbec.store.customs_store import SigningKeyStore

    try:
        key = Sm2SoftwareKey.from_pem(pem.read_bytes(), key_name) if pem else None
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    key = key or Sm2SoftwareKey.generate(key_name)
    rt = _runtime()
    with rt.uow(write=True) as uow:
        tenant = uow.repo.tenant_by_name(name)
        if tenant is None:
            err.print(f"[red]error:[/red] no tenant named {name}")
            raise typer.Exit(2)
        SigningKeyStore(uow.conn, rt.vault).put(tenant.id, key)
        uow.commit()
    sys.stdout.write(key.public_key().pem().decode())


@admin.command("list-tenants")
def list_tenants() -> None:
    """List tenants and roles."""
    rt = _runtime()
    with rt.uow() as uow:
        rows = uow.repo.list_tenants()
    table = Table()
    table.add_column("name")
    table.add_column("role")
    for t in rows:
        table.add_row(t.name, t.role.value)
    out.print(table)


@app.command("import")
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
        str | None, typer.Option("--file-format", help="jsonl or csv (default: by extension).")
    ] = None,
) -> None:
    """Bulk-import orders, payments, waybills or products from JSON Lines or CSV.

    All or nothing per file, unless --continue-on-error. Re-importing a file is safe:
    documents already stored with the same content are counted as unchanged.
    """
    from cbec.tenancy.access import Viewer
    from cbec.trade import filing, tabular
    from cbec.trade.kinds import KINDS

    kind_def = next(k for k in KINDS.values() if k.plural == kind.value)
    rt = _runtime()
    lang = _lang()
    with rt.uow() as uow:
        tenant = uow.repo.tenant_by_name(as_tenant)
    if tenant is None:
        err.print(f"[red]error:[/red] no tenant named {as_tenant}")
        raise typer.Exit(2)
    viewer = Viewer(tenant.id, tenant.name, tenant.role)
    fmt = file_format or tabular.format_of(file.name)
    size = file.stat().st_size
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    with progress, file.open("r", encoding="utf-8-sig", newline="") as fh:
        task = progress.add_task(f"reading {file.name}", total=size, rows=0)

        def tracked():
            source = tabular.read_csv(fh, kind_def) if fmt == "csv" else tabular.read_jsonl(fh)
            n = 0
            for row in source:
                n += 1
                if n % 256 == 0:
                    progress.update(
                        task, completed=fh.buffer.tell() if hasattr(fh, "buffer") else 0, rows=n
                    )
                yield row
            progress.update(task, completed=size, rows=n)

        try:
            with rt.uow(write=True) as uow:
                report = filing.file_documents(
                    uow.repo,
                    rt.vault,
                    viewer,
                    kind_def,
                    tracked(),
                    all_or_nothing=not continue_on_error,
                    on_created=rt.order_checks(uow),
                )
                write_task = progress.add_task("committing", total=1, rows=len(report.created))
                uow.commit()
                progress.update(write_task, completed=1)
            if report.created:
                rt.ledger.integrate(force_checkpoint=True)  # evidence of this import, signed
        except filing.BatchRejected as exc:
            report = exc.report
        except CbecError as exc:
            progress.stop()
            _fail(exc)
    summary = report.as_dict(lang)
    if report.rejected:
        path = rejects or file.with_name(file.name + ".rejects.jsonl")
        with path.open("w", encoding="utf-8") as fh:
            for r in summary["rejects"]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        for r in summary["rejects"][:10]:
            for e in r["errors"]:
                err.print(f"  row {r['row']}: {e['field']}: {e['message']}")
        if len(report.rejected) > 10:
            err.print(f"  … {len(report.rejected) - 10} more rows in {path}")
        err.print(f"rejects written to {path}")
    state = "written" if report.written else "[red]nothing written[/red] (all or nothing)"
    out.print(
        f"{kind.value}: {summary['created']} created, {summary['unchanged']} unchanged, "
        f"{summary['rejected']} rejected — {state}"
    )
    if report.rejected:
        raise typer.Exit(1)


ledger = typer.Typer(
    help="Evidence ledger: checkpoints, proofs, bundles, checks.", no_args_is_help=True
)
app.add_typer(ledger, name="ledger")


@ledger.command("integrate")
def ledger_integrate(
    checkpoint: Annotated[
        bool, typer.Option(help="Sign a checkpoint now if the tree grew.")
    ] = True,
) -> None:
    """Fold appended entries into the tree and sign a checkpoint."""
    rt = _runtime()
    cp = rt.ledger.integrate(force_checkpoint=checkpoint)
    state = rt.ledger.state()
    out.print(f"integrated {state.integrated} of {state.size} entries")
    if cp is not None:
        out.print(f"signed checkpoint at size {cp.size}")


@ledger.command("checkpoint")
def ledger_checkpoint() -> None:
    """Print the latest signed checkpoint (a c2sp.org/tlog-checkpoint note)."""
    rt = _runtime()
    cp = rt.ledger.latest_checkpoint() or rt.ledger.integrate(force_checkpoint=True)
    sys.stdout.write(cp.note)


@ledger.command("key")
def ledger_key() -> None:
    """Print the log's verifier key (give it to auditors; it verifies every checkpoint)."""
    rt = _runtime()
    for vkey in rt.ledger.vkeys:
        sys.stdout.write(vkey + "\n")


@ledger.command("prove")
def ledger_prove(
    document_id: Annotated[str | None, typer.Argument(help="A document id.")] = None,
    index: Annotated[int | None, typer.Option(help="Or a log index.")] = None,
) -> None:
    """Write a self-contained evidence bundle (c2sp.org/tlog-proof) to standard output."""
    rt = _runtime()
    if index is None:
        if document_id is None:
            err.print("[red]error:[/red] give a DOCUMENT_ID or --index")
            raise typer.Exit(2)
        with rt.uow() as uow:
            doc = uow.repo.get_by_id(document_id)
        if doc is None or doc.ledger_index is None:
            err.print(f"[red]error:[/red] no logged document {document_id}")
            raise typer.Exit(2)
        index = doc.ledger_index
    sys.stdout.write(rt.ledger.bundle(index))


@ledger.command("fsck")
def ledger_fsck() -> None:
    """Re-derive every stored node and checkpoint root from the entries; exit 1 on mismatch."""
    rt = _runtime()
    state = rt.ledger.state()
    with err.status(f"checking {state.size if state else 0} entries …"):
        problems = rt.ledger.fsck()
    for p in problems:
        out.print(f"[red]✗[/red] {p}")
    if problems:
        out.print(f"[red]{len(problems)} problem(s) found[/red]")
        raise typer.Exit(1)
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
        err.print("[red]error:[/red] give the log's verifier key with --key")
        raise typer.Exit(2)
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        while True:
            previous = state.read_text("utf-8") if state.exists() else None
            try:
                result = check_next(client, key, previous)
            except Fork as exc:
                err.print(f"[bold red]FORK[/bold red]: {exc}")
                raise typer.Exit(3) from None
            tmp = state.with_suffix(".tmp")
            tmp.write_text(result.note, "utf-8")
            tmp.replace(state)
            out.print(result.message)
            if once:
                return
            import time

            time.sleep(interval)


customs = typer.Typer(help="China customs CBEC messages (CEB 202205).", no_args_is_help=True)
app.add_typer(customs, name="customs")
app.add_typer(tax, name="tax")
app.add_typer(compliance, name="compliance")
app.add_typer(analytics, name="analytics")
app.command("screen")(screen_cmd)


@customs.command("validate")
def customs_validate(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check CEB messages against the official schema and the business rules.

    Prints one line per problem as ``FILE: RULE path: message``; exits 1 if any."""
    from cbec.customs.validate import check

    found = 0
    for path in files:
        for problem in check(path.read_bytes()):
            found += 1
            sys.stdout.write(problem.line(str(path)) + "\n")
    raise typer.Exit(1 if found else 0)


@customs.command("reconcile")
def customs_reconcile(
    order: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CEB311 order.")],
    payment: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CEB411 payment.")],
    waybill: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CEB511 waybill.")],
    inventory: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="CEB621 inventory list.")
    ] = None,
) -> None:
    """三单对碰: compare order, payment and waybill (and inventory) as customs will.

    Prints {"matched": bool, "issues": [...]} as JSON; exits 1 when not matched."""
    from cbec.customs import reconcile as rc
    from cbec.customs import xml as cx

    try:
        report = rc.reconcile(
            rc.orders_of(cx.read(order.read_bytes())),
            rc.payments_of(cx.read(payment.read_bytes())),
            rc.waybills_of(cx.read(waybill.read_bytes())),
            rc.inventories_of(cx.read(inventory.read_bytes())) if inventory else None,
        )
    except (cx.MessageError, AttributeError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
    raise typer.Exit(0 if report.matched else 1)


@customs.command("keygen")
def customs_keygen(
    out_key: Annotated[Path, typer.Option("--out", help="Where to write the private key PEM.")],
    key_name: Annotated[str, typer.Option(help="KeyName (certificate number) to sign as.")],
) -> None:
    """Make a software SM2 signing key (tests and demos; real keys stay on the E-Port card).

    Writes the private key (mode 0600) and prints the public key PEM."""
    from cbec.customs.sign import Sm2SoftwareKey

    key = Sm2SoftwareKey.generate(key_name)
    fd = os.open(out_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.pem())
    sys.stdout.write(key.public_key().pem().decode())


@customs.command("sign")
def customs_sign(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    key: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="SM2 private key PEM.")],
    key_name: Annotated[str, typer.Option(help="KeyName (certificate number) to sign as.")],
    output: Annotated[Path | None, typer.Option("-o", help="Write here, not to stdout.")] = None,
) -> None:
    """Sign a CEB message (XML-DSig, SM2 over SM3), replacing any signature it had."""
    from cbec.customs import sign

    try:
        signer = sign.Sm2SoftwareKey.from_pem(key.read_bytes(), key_name)
        signed = sign.sign(file.read_bytes(), signer)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if output is None:
        sys.stdout.buffer.write(signed)
    else:
        output.write_bytes(signed)


@customs.command("verify")
def customs_verify(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    public_key: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Trust this SM2 public key (PEM); without it, the keys registered in cbec.",
        ),
    ] = None,
) -> None:
    """Verify the XML-DSig signature of CEB messages.

    Prints ``FILE: OK key-name`` or ``FILE: CODE message`` per file; exits 1 if any fails."""
    from cbec.customs import sign

    if public_key is not None:
        trusted = sign.Sm2PublicKey.from_pem(public_key.read_bytes())
        known = {}
    else:
        from cbec.store.customs_store import SigningKeyStore

        trusted = None
        rt = _runtime()
        with rt.uow() as uow:
            known = {
                n: k for n, (_, k) in SigningKeyStore(uow.conn, rt.vault).public_keys().items()
            }

    def resolve(name: str, cert: bytes | None):
        return trusted if trusted is not None else known.get(name)

    failed = 0
    for path in files:
        try:
            found = sign.verify(path.read_bytes(), resolve)
            sys.stdout.write(f"{path}: OK {found.key_name}\n")
        except sign.SignatureInvalid as exc:
            failed += 1
            sys.stdout.write(f"{path}: {exc.code} {exc.message}\n")
    raise typer.Exit(1 if failed else 0)
