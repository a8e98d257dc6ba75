"""HTTP routes of outgoing webhooks (use cases in :mod:`cbec.services.webhooks`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import webhooks as svc
from cbec.services.webhook_models import (
    Delivery,
    DeliveryList,
    Subscription,
    SubscriptionCreated,
    SubscriptionList,
    SubscriptionRequest,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=JsonBodyRoute)

SubId = Annotated[str, Path(max_length=64, description="The subscription's id")]
DeliveryId = Annotated[str, Path(max_length=64, description="The delivery's id")]


@router.post(
    "/subscriptions",
    status_code=201,
    summary="Subscribe an endpoint to events (the signing secret is shown once)",
    description=(
        "Deliveries follow the Standard Webhooks specification: each is a POST of "
        '`{"type", "timestamp", "data"}` with the headers `webhook-id` (the same on every '
        "retry), `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of "
        "`id.timestamp.body` under the `whsec_` secret returned here, once). Events: "
        "`document.filed` (an order, payment, waybill or product you filed, or one naming you "
        "as its platform), "
        "`compliance.decided`, `screening.hit` (a party of your document matched a list), "
        "`declaration.state_changed` (a customs declaration you made was declared or "
        "answered) and `tracking.alert_raised` (tracking events you recorded raised an "
        "alert on your waybill). Payloads carry ids and keys, never personal data. Failed "
        "deliveries are retried with exponential back-off, then listed as dead. 422 names "
        "`url` for anything but an http(s) URL or one naming a loopback, private, "
        "link-local or reserved address (unless the deployment allows private targets), "
        "and `event_types[i]` for an unknown type."
    ),
    response_model=SubscriptionCreated,
    responses=problems(),
)
def subscribe(body: SubscriptionRequest, caller: Caller, uow: Uow) -> SubscriptionCreated:
    return svc.subscribe(uow, caller, body)


@router.get(
    "/subscriptions",
    summary="Your webhook subscriptions",
    description="Every subscription of the calling tenant, active or not, without secrets.",
    response_model=SubscriptionList,
)
def subscriptions(caller: Caller, uow: Uow) -> SubscriptionList:
    return svc.list_subscriptions(uow, caller)


@router.delete(
    "/subscriptions/{sub_id}",
    summary="Switch a webhook subscription off",
    description=(
        "No new deliveries are made for it and its pending ones are not sent; its deliveries "
        "stay listed. 404 for a subscription you do not have or already switched off."
    ),
    response_model=Subscription,
    responses=problems(404),
)
def unsubscribe(sub_id: SubId, caller: Caller, uow: Uow) -> Subscription:
    return svc.unsubscribe(uow, caller, sub_id)


@router.get(
    "/deliveries",
    summary="Your webhook deliveries, newest first",
    description=(
        "Each delivery's status (pending, delivered, dead), attempts, next attempt and the "
        "receiver's last answer. `status=dead` is the dead-letter list."
    ),
    response_model=DeliveryList,
    responses=problems(),
)
def deliveries(
    caller: Caller,
    uow: Uow,
    status: Annotated[str | None, Query(max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=svc.MAX_LIST)] = 100,
) -> DeliveryList:
    return svc.list_deliveries(uow, caller, status, limit)


@router.post(
    "/deliveries/{delivery_id}/replay",
    summary="Send a dead or delivered webhook delivery again",
    description=(
        "The delivery is due at once with a fresh count of attempts: the same message id and "
        "body, newly signed. 404 for a delivery you do not have; 409 while it is pending."
    ),
    response_model=Delivery,
    responses=problems(404, 409),
)
def replay(delivery_id: DeliveryId, caller: Caller, uow: Uow) -> Delivery:
    return svc.replay(uow, caller, delivery_id)
