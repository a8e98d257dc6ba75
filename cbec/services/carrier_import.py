"""Use case: a carrier's tracking file — cbec's generic CSV, a 17TRACK or an AfterShip
webhook payload — recorded as tracking events of the caller's waybills.

The file is converted by the pure core (:mod:`cbec.connectors.carriers`); each tracking
number is then looked up among the waybills the caller filed (:func:`waybills_by_number`)
and the events are recorded by :func:`cbec.services.tracking.record_events` — the same
EPCIS 2.0 events, event hash IDs, ledger entries and idempotency as events sent one by one,
so the same file sent twice records nothing new. All or nothing: a file with one bad row, or
one number that is not the caller's waybill, records no event and names each row at fault.
A number the caller may not read is refused exactly as a number no waybill has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from cbec.connectors import carriers
from cbec.errors import DocumentInvalid, Violation
from cbec.services.tracking import record_events
from cbec.services.tracking_models import RecordedEvents, TrackingEventIn, TrackingEventsRequest
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade import zones


class CarrierFileRequest(BaseModel):
    """A carrier file and how to read it: its format (``auto``: told from its content), the
    IANA time zone of times written without an offset, the CSV's text encoding."""

    model_config = ConfigDict(extra="forbid")

    body: bytes
    format: str = Field("auto", max_length=32)
    timezone: str | None = Field(None, max_length=64)
    encoding: str | None = Field(None, max_length=64)


class CarrierFileRecorded(RecordedEvents):
    """What a carrier file recorded (``recorded``, ``already_held`` and ``event_ids`` as
    for events sent one by one), with the format it was read as and the waybills it named."""

    format: str = Field(description="generic, 17track or aftership")
    waybills: int = Field(description="Waybills the file's events are about")


def waybills_by_number(uow: UnitOfWork, caller: Viewer, numbers: Iterable[str]) -> dict[str, str]:
    """The ids of the caller's waybills by ``waybill_no``, for the numbers given: those it
    filed (a waybill number is unique per logistics firm) and may read. A number of another
    firm's waybill is absent, as a number no waybill has."""
    wanted = sorted(set(numbers))
    me = (caller.tenant_id, caller.tenant_id)
    found = uow.repo.find_by_keys("waybill", me, wanted)
    readable = uow.repo.visible_ids(caller, "waybill", [d.id for d in found.values()])
    return {no: doc.id for no, doc in found.items() if doc.id in readable}


_EVENT_FIELD = re.compile(r"^events\[(\d+)\]\.?(.*)$")


def record_file(uow: UnitOfWork, caller: Viewer, req: CarrierFileRequest) -> CarrierFileRecorded:
    """Record every event of a carrier file, all or none (see the module doc)."""
    converted = carriers.convert(req.body, req.format, zones.zone_of(req.timezone), req.encoding)
    with uow:
        ids = waybills_by_number(uow, caller, (e.number for e in converted.events))
    unknown: dict[str, Violation] = {}
    for e in converted.events:
        if e.number not in ids and e.number not in unknown:
            unknown[e.number] = Violation(e.number_field, "not_found", {"kind": "waybill"})
    if unknown:
        raise DocumentInvalid(list(unknown.values()))
    events = [
        TrackingEventIn.model_validate(e.short_form() | {"waybill_id": ids[e.number]})
        for e in converted.events
    ]
    try:
        result = record_events(uow, caller, TrackingEventsRequest(events=events))
    except DocumentInvalid as exc:  # named by the file's rows, not the request's indexes
        raise DocumentInvalid([_in_file(v, converted) for v in exc.violations]) from None
    return CarrierFileRecorded(
        **result.model_dump(),
        format=converted.format,
        waybills=len({ids[e.number] for e in converted.events}),
    )


def _in_file(v: Violation, converted: carriers.Converted) -> Violation:
    m = _EVENT_FIELD.match(v.field)
    if m is None or int(m[1]) >= len(converted.events):
        return v
    where = converted.events[int(m[1])].where
    return Violation(f"{where}.{m[2]}" if m[2] else where, v.rule, v.params)
