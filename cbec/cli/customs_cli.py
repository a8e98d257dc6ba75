"""``cbec customs …``: China customs CBEC messages as files — validate against the schema
and business rules, reconcile order / payment / waybill (三单对碰), make SM2 keys, sign and
verify XML-DSig. The schema bindings, lxml and the SM2 library load inside each command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cbec.cli.common import EXIT_NO, die, fail, runtime, write_json

customs = typer.Typer(help="China customs CBEC messages (CEB 202205).", no_args_is_help=True)


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
    raise typer.Exit(EXIT_NO if found else 0)


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
    from cbec.errors import CbecError

    try:  # the same reading as POST /customs/reconcile: well-formed, of its type, XSD-valid
        report = rc.reconcile_messages(
            order.read_bytes(),
            payment.read_bytes(),
            waybill.read_bytes(),
            inventory.read_bytes() if inventory else None,
        )
    except CbecError as exc:
        fail(exc)
    write_json(report.as_dict())
    raise typer.Exit(0 if report.matched else EXIT_NO)


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
        die(str(exc))
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
        rt = runtime()
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
    raise typer.Exit(EXIT_NO if failed else 0)
