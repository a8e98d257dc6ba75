"""``cbec webhooks …``: a tenant's subscriptions and deliveries, and the deliverer.

Each command calls the same use case as the HTTP API (:mod:`cbec.services.webhooks`); a
refused input exits 2 naming the field and the rule. ``deliver`` runs rounds of the
deliverer (:mod:`cbec.services.webhook_delivery`): once, or with ``--follow`` until stopped —
the process a deployment runs when its servers have ``CBEC_WEBHOOKS=off``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cbec.cli.common import write_json

webhooks = typer.Typer(
    help="Outgoing webhooks (Standard Webhooks): subscribe, list, deliveries, replay, deliver.",
    no_args_is_help=True,
)

AsTenant = Annotated[str, typer.Option("--as", help="The tenant acting.")]


@webhooks.command("subscribe")
def subscribe(
    url: Annotated[str, typer.Argument(help="The endpoint (http or https).")],
    as_tenant: AsTenant,
    event: Annotated[
        list[str], typer.Option("--event", help="An event type (repeat for several).")
    ],
) -> None:
    """Subscribe URL to events; prints the subscription with its signing secret, shown once."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services import webhooks as svc
    from cbec.services.webhook_models import SubscriptionRequest

    rt, caller = tenant_caller(as_tenant)
    try:
        made = svc.subscribe(rt.uow(), caller, SubscriptionRequest(url=url, event_types=event))
    except CbecError as exc:
        fail(exc)
    write_json(made.model_dump(mode="json"), 2)


@webhooks.command("list")
def list_(as_tenant: AsTenant) -> None:
    """The tenant's subscriptions (without secrets)."""
    from cbec.cli.common import tenant_caller
    from cbec.services import webhooks as svc

    rt, caller = tenant_caller(as_tenant)
    write_json(svc.list_subscriptions(rt.uow(), caller).model_dump(mode="json"), 2)


@webhooks.command("deliveries")
def deliveries(
    as_tenant: AsTenant,
    status: Annotated[
        str | None, typer.Option("--status", help="pending, delivered or dead.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 100,
) -> None:
    """The tenant's deliveries, newest first (``--status dead``: the dead-letter list)."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services import webhooks as svc

    rt, caller = tenant_caller(as_tenant)
    try:
        found = svc.list_deliveries(rt.uow(), caller, status, limit)
    except CbecError as exc:
        fail(exc)
    write_json(found.model_dump(mode="json"), 2)


@webhooks.command("replay")
def replay(
    delivery_id: Annotated[str, typer.Argument(help="The delivery's id.")],
    as_tenant: AsTenant,
) -> None:
    """Make a dead or delivered delivery due again, now."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services import webhooks as svc

    rt, caller = tenant_caller(as_tenant)
    try:
        done = svc.replay(rt.uow(), caller, delivery_id)
    except CbecError as exc:
        fail(exc)
    write_json(done.model_dump(mode="json"), 2)


@webhooks.command("deliver")
def deliver(
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep delivering until stopped (Ctrl-C, SIGTERM).")
    ] = False,
) -> None:
    """Send the due deliveries: one round (prints its counts), or rounds until stopped."""
    import signal
    import threading

    from cbec.cli.common import runtime
    from cbec.services import webhook_delivery

    rt = runtime()
    if not follow:
        with webhook_delivery.new_client(rt.settings.webhooks_private_targets) as client:
            done = webhook_delivery.deliver_due(rt.uow, client)
        write_json(done.model_dump(mode="json"))
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    webhook_delivery.follow(rt.uow, stop)
