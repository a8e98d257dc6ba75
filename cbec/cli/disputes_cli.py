"""``cbec disputes open|list|show|message|resolve|pack``: dispute cases on orders, acting as a
tenant (``--as``). Each command calls the same use case as the HTTP API
(:mod:`cbec.services.disputes`, :mod:`cbec.services.dispute_pack`); a refused input exits 2
naming the field and the rule."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cbec.cli.common import invalid, run_as, write_json

if TYPE_CHECKING:
    pass

disputes = typer.Typer(
    help="Dispute cases: open one on an order, talk, resolve, download its evidence pack.",
    no_args_is_help=True,
)

AsTenant = Annotated[str, typer.Option("--as", help="The tenant acting.")]
CaseId = Annotated[str, typer.Argument(help="The case's id.")]


@disputes.command("open")
def open_(
    order_id: Annotated[str, typer.Argument(help="The order's document id.")],
    as_tenant: AsTenant,
    reason: Annotated[
        str,
        typer.Option(
            help="not_received, not_as_described, damaged, customs_refused, "
            "unauthorised_charge or other."
        ),
    ],
    amount: Annotated[str, typer.Option(help="The amount claimed (a decimal number).")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code of the claim.")],
    message: Annotated[str | None, typer.Option(help="A first message to the parties.")] = None,
) -> None:
    """Open a case on ORDER_ID (its platform, its seller or a regulator); prints the case."""
    from pydantic import ValidationError

    from cbec.services import disputes as svc

    try:
        req = svc.OpenRequest.model_validate(
            {
                "order_id": order_id,
                "reason": reason,
                "claim": {"amount": amount, "currency": currency},
                "message": message,
            }
        )
    except ValidationError as exc:
        invalid(exc)
    case = run_as(as_tenant, lambda uow, caller: svc.open_case(uow, caller, req))
    write_json(case.model_dump(mode="json"), 2)


@disputes.command("list")
def list_(
    as_tenant: AsTenant,
    state: Annotated[str | None, typer.Option(help="open, responded, resolved or closed.")] = None,
) -> None:
    """The cases the tenant is a party to, newest first."""
    from cbec.disputes.model import State
    from cbec.services import disputes as svc

    wanted = None
    if state is not None:
        from cbec.cli.common import die

        if state not in {s.value for s in State}:
            die(f"--state: must be one of {', '.join(s.value for s in State)}")
        wanted = State(state)
    found = run_as(as_tenant, lambda uow, caller: svc.list_cases(uow, caller, wanted))
    write_json(found.model_dump(mode="json"), 2)


@disputes.command("show")
def show(case_id: CaseId, as_tenant: AsTenant) -> None:
    """A case, its deadlines, messages and events (exit 2: no such case for the tenant)."""
    from cbec.services import disputes as svc

    case = run_as(as_tenant, lambda uow, caller: svc.show_case(uow, caller, case_id))
    write_json(case.model_dump(mode="json"), 2)


@disputes.command("message")
def message(
    case_id: CaseId,
    as_tenant: AsTenant,
    text: Annotated[str, typer.Option(help="What to say (the case's parties read it).")],
) -> None:
    """Say something in a case; prints the case."""
    from pydantic import ValidationError

    from cbec.services import disputes as svc

    try:
        req = svc.MessageRequest(text=text)
    except ValidationError as exc:
        invalid(exc)
    case = run_as(as_tenant, lambda uow, caller: svc.add_message(uow, caller, case_id, req))
    write_json(case.model_dump(mode="json"), 2)


@disputes.command("resolve")
def resolve(
    case_id: CaseId,
    as_tenant: AsTenant,
    outcome: Annotated[
        str, typer.Option(help="refund_full, refund_partial, rejected or withdrawn.")
    ],
    refund: Annotated[str | None, typer.Option(help="A partial refund's amount.")] = None,
) -> None:
    """Resolve a case, or withdraw it (its opener); prints the case."""
    from pydantic import ValidationError

    from cbec.services import disputes as svc

    try:
        req = svc.ResolveRequest.model_validate({"outcome": outcome, "refund_amount": refund})
    except ValidationError as exc:
        invalid(exc)
    case = run_as(as_tenant, lambda uow, caller: svc.resolve_case(uow, caller, case_id, req))
    write_json(case.model_dump(mode="json"), 2)


@disputes.command("pack")
def pack(
    case_id: CaseId,
    as_tenant: AsTenant,
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the zip.")],
) -> None:
    """Write the case's evidence pack (zip); check it offline with ``cbec-verify``."""
    from cbec.cli.common import err
    from cbec.services import dispute_pack

    data = run_as(as_tenant, lambda uow, caller: dispute_pack.assemble(uow, caller, case_id))
    output.write_bytes(data)
    err.print(f"wrote {output} ({len(data)} bytes)")
