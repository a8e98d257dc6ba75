"""``cbec polls open|list|show|vote|close``: a seller's polls answered by its verified buyers,
acting as a tenant (``--as``), and ``cbec analytics ad-report``: the return on ad spend per
channel. Each command calls the same use case as the HTTP API (:mod:`cbec.services.polls`,
:mod:`cbec.services.ad_report`); a refused input exits 2 naming the field and the rule."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cbec.cli.common import invalid, run_as, write_json

if TYPE_CHECKING:
    pass

polls = typer.Typer(
    help="Polls: ask verified buyers about a product decision, relay their votes, read results.",
    no_args_is_help=True,
)

AsTenant = Annotated[str, typer.Option("--as", help="The tenant acting.")]
PollId = Annotated[str, typer.Argument(help="The poll's id.")]


def _model(cls: Any, data: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        invalid(exc)


@polls.command("open")
def open_(
    as_tenant: AsTenant,
    question: Annotated[str, typer.Option(help="What the buyers are asked.")],
    option: Annotated[list[str], typer.Option("--option", help="An answer (2 to 10, repeat).")],
    topic: Annotated[str, typer.Option(help="colour, size, feature or other.")] = "other",
    sku: Annotated[str | None, typer.Option(help="The product asked about.")] = None,
) -> None:
    """Open a poll (a seller); prints it."""
    from cbec.services import polls as svc

    body = {"topic": topic, "question": question, "sku": sku, "options": option}
    req = _model(svc.OpenRequest, body)
    write_json(run_as(as_tenant, lambda u, c: svc.open_poll(u, c, req)).model_dump(mode="json"), 2)


@polls.command("list")
def list_(as_tenant: AsTenant) -> None:
    """The tenant's own polls, newest first."""
    from cbec.services import polls as svc

    write_json(run_as(as_tenant, lambda u, c: svc.list_polls(u, c)).model_dump(mode="json"), 2)


@polls.command("show")
def show(
    poll_id: PollId,
    as_tenant: AsTenant,
    as_csv: Annotated[
        bool,
        typer.Option(
            "--csv", help="The results as rows: by, group, option, votes, share, suppressed."
        ),
    ] = False,
) -> None:
    """A poll and its results by market and segment (its seller only)."""
    from cbec.services import polls as svc

    view = run_as(as_tenant, lambda u, c: svc.show_poll(u, c, poll_id))
    if not as_csv:
        write_json(view.model_dump(mode="json"), 2)
        return
    out = csv.DictWriter(
        sys.stdout, ["by", "group", "option", "votes", "share", "suppressed"], lineterminator="\n"
    )
    out.writeheader()
    out.writerows(svc.result_rows(view))


@polls.command("vote")
def vote(
    poll_id: PollId,
    as_tenant: AsTenant,
    order_id: Annotated[str, typer.Option(help="The order that makes the buyer a verified one.")],
    buyer: Annotated[str, typer.Option(help="The order's buyer's account id.")],
    option: Annotated[str, typer.Option(help="The buyer's answer.")],
) -> None:
    """Relay a buyer's vote (the order's platform); prints the receipt."""
    from cbec.services import polls as svc

    req = _model(
        svc.VoteRequest, {"order_id": order_id, "buyer_account_id": buyer, "option": option}
    )
    receipt = run_as(as_tenant, lambda u, c: svc.cast_vote(u, c, poll_id, req))
    write_json(receipt.model_dump(mode="json"), 2)


@polls.command("close")
def close(poll_id: PollId, as_tenant: AsTenant) -> None:
    """Close a poll (its seller); prints it."""
    from cbec.services import polls as svc

    view = run_as(as_tenant, lambda u, c: svc.close_poll(u, c, poll_id))
    write_json(view.model_dump(mode="json"), 2)


def ad_report(
    as_tenant: AsTenant,
    report: Annotated[
        list[str],
        typer.Option(
            help="FORMAT:FILE[:MARKET] — generic, google_ads or meta_ads; MARKET for a platform "
            "report without a country column (repeat for several reports)."
        ),
    ],
    attribution: Annotated[
        Path | None, typer.Option(help="CSV order_no,channel: which channel brought an order.")
    ] = None,
    shift: Annotated[str, typer.Option(help="Share of the spend to move (0-1).")] = "0.20",
) -> None:
    """ROAS, CAC, CLV:CAC and repurchase per channel from ad-spend reports and the seller's
    orders, with a suggested budget shift."""
    from cbec.cli.common import die
    from cbec.services import ad_report as svc

    reports = []
    for spec in report:
        fmt, _, rest = spec.partition(":")
        path, _, market = rest.partition(":")
        if not path:
            die(f"--report {spec}: give FORMAT:FILE[:MARKET]")
        reports.append({"format": fmt, "csv": _read(path), "market": market or None})
    body = {
        "reports": reports,
        "attribution_csv": _read(str(attribution)) if attribution else None,
        "shift_share": shift,
    }
    req = _model(svc.AdReportRequest, body)
    write_json(run_as(as_tenant, lambda u, c: svc.ad_report(u, c, req)).model_dump(mode="json"), 2)


def _read(path: str) -> str:
    from cbec.cli.common import die

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        die(f"{path}: {exc}")
