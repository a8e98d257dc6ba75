"""Requests and results of the webhook use cases (:mod:`cbec.services.webhooks`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class SubscriptionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        description="The endpoint: an absolute http or https URL at a public address.",
        max_length=2000,
    )
    event_types: list[str] = Field(
        description="Event types to receive: `document.filed`, `compliance.decided`, "
        "`screening.hit`, `declaration.state_changed`, `tracking.alert_raised`.",
        max_length=20,
    )


class Subscription(BaseModel):
    id: str
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime


class SubscriptionCreated(Subscription):
    secret: str = Field(
        description="The signing secret (`whsec_…`), shown this once: verify each delivery's "
        "`webhook-signature` with it (Standard Webhooks)."
    )


class SubscriptionList(BaseModel):
    subscriptions: list[Subscription]


class Delivery(BaseModel):
    id: str
    message_id: str = Field(description="The `webhook-id` header, the same on every retry.")
    subscription_id: str
    event_type: str
    status: str = Field(description="pending, delivered or dead (given up; replay to retry).")
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None = Field(description="The receiver's last HTTP status, if any.")
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryList(BaseModel):
    deliveries: list[Delivery]


class DeliveryRound(BaseModel):
    """What one round of the deliverer did."""

    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
