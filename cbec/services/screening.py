"""Use cases of sanctions / denied-party screening: load a list, see the lists loaded, screen
names ad hoc, and read the recent hits on stored documents.

Lists are files as their authorities publish them — FollowTheMoney JSON lines
(followthemoney.tech), the OFAC SDN list as XML or CSV (its ``sdn.csv``), the UN Security
Council consolidated list XML — told apart by content (:func:`cbec.screening.detect_format`).
A load replaces the active list of the same name; it is kept by content hash and logged, so a
screening result can cite the exact edition it was screened against. A platform replaces
only the lists it loaded itself, and its lists screen only documents on that platform; a
regulator's lists screen every document.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from cbec.errors import BadRequest, Forbidden
from cbec.ledger.entry import RULES_ENTRY_TYPE
from cbec.screening.match import Query
from cbec.screening.match import Role as PartyRole
from cbec.services.compliance import RULE_MAKERS, require_role
from cbec.services.compliance_models import LedgerRef
from cbec.services.evidence import log_event
from cbec.store.repository import UnitOfWork
from cbec.store.screening_store import ListStore, screen_cached
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now
from cbec.trade.types import Text

MAX_NAMES = 1000  # names one ad-hoc screening request may carry


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be blank")
    return value


class ListLoadRequest(BaseModel):
    """A list file to load under ``name``, with where it came from (kept with the version)."""

    model_config = ConfigDict(frozen=True)

    name: Text(100)
    source: Text(300)
    content: bytes


class ListLoaded(BaseModel):
    name: str
    version: str = Field(description="SHA-256 of the file's bytes")
    format: Literal["ftm", "ofac_xml", "ofac_csv", "un_xml"]
    entity_count: int
    ledger: LedgerRef


class ListView(BaseModel):
    name: str
    version: str
    format: str
    source: str
    entity_count: int
    loaded_by: str
    loaded_at: str
    retired_at: str | None
    ledger_index: int | None
    platform: str | None = Field(
        None, description="The platform whose documents it screens; null: every platform"
    )


class NameToScreen(BaseModel):
    """A name with what qualifies it: a birth date, a country, an ID number raise (or lower)
    the score when the list gives them too."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[Text(300), AfterValidator(_not_blank)]
    birth_date: Text(10) | None = Field(
        None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]] (ISO 8601)"
    )
    country: Text(100) | None = Field(None, description="A country name or ISO 3166-1 code")
    id_number: Text(64) | None = None
    role: PartyRole | None = None


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    names: list[NameToScreen] = Field(min_length=1, max_length=MAX_NAMES)
    threshold: float | None = Field(
        None, ge=0, le=1, allow_inf_nan=False, description="Score at or above which it is a match"
    )


class NameResult(BaseModel):
    name: str
    match: bool
    score: float
    entity_id: str | None
    matched_name: str | None
    hits: list[dict[str, Any]]


class ScreenResult(BaseModel):
    lists: list[str] = Field(description="name@sha256 of each list screened against")
    results: list[NameResult]


def load_list(uow: UnitOfWork, caller: Viewer, req: ListLoadRequest) -> ListLoaded:
    """Load or replace a list (regulators; platforms the lists they loaded). A file no loader
    reads is refused naming what is wrong (:class:`~cbec.screening.model.ListFileError`)."""
    require_role(caller, RULE_MAKERS)
    with uow.writing():
        store = ListStore(uow.conn, uow.settings.data_dir)
        current = next((r for r in store.active(every=True) if r.name == req.name), None)
        if (
            caller.role is Role.PLATFORM
            and current is not None
            and current.loaded_by != caller.tenant_id
        ):
            raise Forbidden("list_not_yours", {"list": req.name})
        # a platform's list screens its own orders; a regulator's replacement keeps the
        # binding of the list it replaces, and a new regulator's list screens every order
        if caller.role is Role.PLATFORM:
            binds = caller.tenant_id
        else:
            binds = current.platform_id if current is not None else None
        row = store.add(req.name, req.source, req.content, caller.tenant_id, binds)
        index = log_event(
            uow,
            RULES_ENTRY_TYPE,
            at=now(),
            tenants=[caller.name],
            body={
                "list": req.name,
                "version": row["version"],
                "format": row["format"],
                "entities": row["entity_count"],
                "action": "load",
            },
        )
        store.set_ledger_index(row["id"], index)
        uow.commit()
    return ListLoaded(
        name=req.name,
        version=row["version"],
        format=row["format"],
        entity_count=row["entity_count"],
        ledger=LedgerRef(index=index),
    )


def list_lists(uow: UnitOfWork, caller: Viewer) -> list[ListView]:
    """The lists loaded, active and retired, oldest first: regulators see every list; anyone
    else the lists that screen every platform, and a platform its own too."""
    platform = caller.name if caller.role is Role.PLATFORM else None
    every = caller.role is Role.REGULATOR
    with uow:
        store = ListStore(uow.conn, uow.settings.data_dir)
        return [ListView.model_validate(r) for r in store.all(platform, every=every)]


def screen_names(uow: UnitOfWork, caller: Viewer, req: ScreenRequest) -> ScreenResult:
    """Screen names against the active lists that bind the caller — those screening every
    platform, and a platform's own (nothing stored): per name, whether it matches, the best
    score, and every hit with the list's own spelling."""
    threshold = uow.settings.screening_threshold if req.threshold is None else req.threshold
    platform = caller.name if caller.role is Role.PLATFORM else None
    with uow:
        key, index = ListStore(uow.conn, uow.settings.data_dir).index(platform)
    if index is None:
        raise BadRequest("screening_no_list", {})
    out = []
    for item in req.names:
        query = Query(
            item.name,
            birth_date=item.birth_date,
            country=item.country,
            id_number=item.id_number,
            role=item.role,
        )
        result = screen_cached(key, index, query, float(threshold))
        best = result.hits[0] if result.hits else result.best
        out.append(
            NameResult(
                name=query.name,
                match=result.matched,
                score=round(best.score, 4) if best else 0.0,
                entity_id=best.entity_id if best and result.matched else None,
                matched_name=best.matched_name if best and result.matched else None,
                hits=[h.as_dict() for h in result.hits],
            )
        )
    return ScreenResult(lists=[f"{n}@{ver}" for n, ver in key], results=out)
