"""HTTP routes of a tenant's own API keys: list, create, revoke, rotate (use cases in
:mod:`cbec.services.keys`). Every tenant — regulators included — reaches its own keys only;
another tenant's key id is not found, as a missing one is (OWASP API1:2023)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import keys as svc

KeyId = Annotated[
    str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", description="A key id")
]
router = APIRouter(prefix="/keys", tags=["keys"], route_class=JsonBodyRoute)


@router.get(
    "",
    summary="Your API keys (never their secrets)",
    description="Every key of the calling tenant, oldest first, revoked and expired ones "
    "included; `last_used_at` is kept to the minute.",
    response_model=list[svc.KeyView],
)
def list_keys(caller: Caller, uow: Uow) -> list[svc.KeyView]:
    return svc.list_keys(uow, caller)


@router.get(
    "/audit",
    summary="The audit trail of your API keys",
    description="Every creation, revocation and rotation of the calling tenant's keys, oldest "
    "first: when, by whom (the tenant or the operator), and the change's evidence-log index.",
    response_model=list[svc.KeyEvent],
)
def key_audit(caller: Caller, uow: Uow) -> list[svc.KeyEvent]:
    return svc.key_audit(uow, caller)


@router.post(
    "",
    status_code=201,
    summary="Create an API key (the token is shown once)",
    description="A new key for the calling tenant, with an optional label and expiry. Only "
    "the SHA-256 of its secret is stored; the change is audited and logged.",
    response_model=svc.IssuedKey,
)
def create_key(body: svc.NewKey, caller: Caller, uow: Uow) -> svc.IssuedKey:
    return svc.create_key(uow, caller, body)


@router.delete(
    "/{key_id}",
    summary="Revoke one of your API keys",
    description="From now on the key answers 401 like an unknown one. Your last active key "
    "cannot be revoked (409): create another first. Audited and logged.",
    response_model=svc.KeyRevoked,
    responses=problems(404, 409),
)
def revoke_key(key_id: KeyId, caller: Caller, uow: Uow) -> svc.KeyRevoked:
    return svc.revoke_key(uow, caller, key_id)


@router.post(
    "/{key_id}/rotate",
    summary="Give one of your API keys a new secret (the token is shown once)",
    description="Same key id, new secret; the old token stops working at once. A revoked or "
    "expired key cannot be rotated (404). Audited and logged.",
    response_model=svc.IssuedKey,
    responses=problems(404),
)
def rotate_key(key_id: KeyId, caller: Caller, uow: Uow) -> svc.IssuedKey:
    return svc.rotate_key(uow, caller, key_id)
