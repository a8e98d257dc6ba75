"""Use cases of the screening-hit review queue: list the matches found on stored documents
and decide each one — *confirm* (a true match: the order is held for the regulator) or
*dismiss* (a false positive, e.g. a namesake) — with the reason, recorded and logged.

Who reviews a hit (FATF Recommendation 6 and its interpretive note: whoever holds the
transaction screens it, and the authority supervises):

* a **regulator** reviews every hit — its lists screen every platform;
* a **platform** reviews the hits on documents on its own platform — its lists screen only
  those (:mod:`cbec.services.screening`), and it holds the order;
* anyone else who sees the document (its seller, its filer) sees the hit on its checks but
  may not decide it (403); in the console, a user with the ``viewer`` role reads only (403);
* a caller who does not see the document is told nothing: 404, as for no such hit.

A hit is shown exactly as its document is masked for the caller
(:mod:`cbec.services.hit_views`). A review's reason is free text that may name the party, so it
is shown to the tenant that wrote it and to regulators, never to another reader (who could
otherwise learn, from a regulator's reason, what a reveal showed). The ledger entry of a
review names the hit, the document and the decision — no reason, no person.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import IntegrityError

from cbec.accounts import UserRole
from cbec.errors import Conflict, Forbidden, NotFound
from cbec.ledger.entry import SCREENING_ENTRY_TYPE
from cbec.services.compliance import require_role
from cbec.services.compliance_models import ScreeningResultView
from cbec.services.evidence import log_event
from cbec.services.hit_views import shown
from cbec.services.users import SessionUser
from cbec.store.desk_store import STATUS, DeskStore
from cbec.store.repository import UnitOfWork
from cbec.store.screening_store import ListStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now
from cbec.trade.types import Text

MAX_REASON = 1000
REVIEWERS = (Role.REGULATOR, Role.PLATFORM)
Status = Literal["open", "confirmed", "dismissed"]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be blank")
    return value


class ReviewRequest(BaseModel):
    """A decision on a hit and why (kept with the review; never logged)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "decision": "dismiss",
                    "reason": "Namesake: birth date and nationality differ from the listing",
                }
            ]
        },
    )

    decision: Literal["confirm", "dismiss"] = Field(
        description="confirm: a true match; dismiss: a false positive"
    )
    reason: Annotated[Text(MAX_REASON), AfterValidator(_not_blank)]


class HitQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Status | None = None
    limit: int = Field(100, ge=1, le=1000)
    before: int | None = Field(None, ge=1, description="Only hits with a smaller id (keyset)")


class Review(BaseModel):
    decision: Literal["confirm", "dismiss"]
    reason: str | None = Field(
        description="Shown to the reviewing tenant and to regulators only; else null"
    )
    reviewed_by: str = Field(description="The tenant that decided")
    reviewer: str | None = Field(
        None, description="The console user who decided (to its own tenant); null: an API key"
    )
    reviewed_at: str
    ledger_index: int | None


class HitView(ScreeningResultView):
    """A match on a stored document, masked as the document is for the caller, with its
    review status."""

    id: int
    kind: str
    order_no: str | None = Field(
        description="The order number of the document (an order, its payment or its waybill)"
    )
    platform: str | None = Field(description="The platform the order was placed on")
    status: Status
    review: Review | None
    reviewable: bool = Field(description="Whether the caller may review it (while it is open)")


def _viewer(caller: Viewer | SessionUser) -> Viewer:
    return caller.viewer if isinstance(caller, SessionUser) else caller


def _view(row: dict, who: Viewer | SessionUser, loaders: dict, key: bytes) -> HitView:
    caller = _viewer(who)
    reviewable = row["review"] is None and may_review(who, row)
    out = shown(
        row,
        caller,
        kind=row["kind"],
        filer_tenant_id=row["filer_tenant_id"],
        loaders=loaders,
        key=key,
    )
    out.pop("platform_tenant_id", None)
    review = row["review"]
    if review is not None:
        own = review["tenant_id"] == caller.tenant_id
        out["review"] = {
            "decision": review["decision"],
            "reason": review["reason"] if own or caller.role is Role.REGULATOR else None,
            "reviewed_by": review["reviewed_by"],
            "reviewer": review["reviewer"] if own else None,
            "reviewed_at": review["reviewed_at"],
            "ledger_index": review["ledger_index"],
        }
    return HitView.model_validate(out | {"kind": row["kind"], "reviewable": reviewable})


def list_hits(uow: UnitOfWork, caller: Viewer | SessionUser, query: HitQuery) -> list[HitView]:
    """The matches the caller reviews, newest first (regulators: all; a platform: those on
    its documents), optionally only those ``open``, ``confirmed`` or ``dismissed``."""
    viewer = _viewer(caller)
    require_role(viewer, REVIEWERS)
    with uow:
        rows = DeskStore(uow.conn).hits(viewer, query.status, query.limit, query.before)
        loaders = ListStore(uow.conn, uow.settings.data_dir).loaders()
    return [_view(r, caller, loaders, uow.vault.hmac_key) for r in rows]


def get_hit(uow: UnitOfWork, caller: Viewer | SessionUser, hit_id: int) -> HitView:
    """One match on a document the caller sees (404 otherwise)."""
    viewer = _viewer(caller)
    with uow:
        row = DeskStore(uow.conn).hit(viewer, hit_id)
        loaders = ListStore(uow.conn, uow.settings.data_dir).loaders()
    if row is None:
        raise NotFound("not_found", {"kind": "screening_hit"})
    return _view(row, caller, loaders, uow.vault.hmac_key)


def may_review(caller: Viewer | SessionUser, row: dict) -> bool:
    """Whether ``caller`` may decide a hit it sees (the module doc)."""
    viewer = _viewer(caller)
    if isinstance(caller, SessionUser) and caller.role is UserRole.VIEWER:
        return False
    if viewer.role is Role.REGULATOR:
        return True
    return viewer.role is Role.PLATFORM and row["platform_tenant_id"] == viewer.tenant_id


def review_hit(
    uow: UnitOfWork, caller: Viewer | SessionUser, hit_id: int, req: ReviewRequest
) -> HitView:
    """Confirm or dismiss an open hit: recorded (who, when, decision, reason) and logged to
    the evidence ledger; 404 for a hit the caller does not see, 403 for one it sees but may
    not decide, 409 when it is already decided."""
    viewer = _viewer(caller)
    user_id = caller.user_id if isinstance(caller, SessionUser) else None
    with uow.writing():
        store = DeskStore(uow.conn)
        row = store.hit(viewer, hit_id)
        if row is None:
            raise NotFound("not_found", {"kind": "screening_hit"})
        if not may_review(caller, row):
            raise Forbidden("role_forbidden", {"allowed": "regulator, the document's platform"})
        if row["review"] is not None:
            raise Conflict("hit_reviewed", {"status": row["status"]})
        at = now()
        index = log_event(
            uow,
            SCREENING_ENTRY_TYPE,
            at=at,
            tenants=[viewer.name],
            body={
                "action": "review",
                "hit": hit_id,
                "document_id": row["document_id"],
                "role": row["role"],
                "decision": req.decision,
            },
        )
        try:
            store.add_review(hit_id, req.decision, req.reason, viewer.tenant_id, user_id, at, index)
        except IntegrityError:  # decided meanwhile by another reviewer
            raise Conflict("hit_reviewed", {"status": STATUS[req.decision]}) from None
        uow.commit()
    return get_hit(uow, caller, hit_id)
