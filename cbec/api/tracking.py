"""HTTP routes of tracking and traceability (use cases in :mod:`cbec.services.tracking` and
:mod:`cbec.services.tracking_views`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Rt, Uow
from cbec.api.documents import DocId
from cbec.services import carrier_import
from cbec.services import tracking as svc
from cbec.services import tracking_views as views
from cbec.services.tracking_models import (
    RecordedEvents,
    ShipmentTrack,
    Trace,
    TrackingEventsRequest,
)

router = APIRouter(prefix="/logistics", tags=["logistics"], route_class=JsonBodyRoute)

CEB513_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB513Message guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0"
                   xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:LogisticsStatus>
    <ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>
    <ceb:appType>1</ceb:appType><ceb:appTime>20261201120000</ceb:appTime>
    <ceb:appStatus>2</ceb:appStatus>
    <ceb:logisticsCode>1101180326</ceb:logisticsCode><ceb:logisticsName>物流企业</ceb:logisticsName>
    <ceb:logisticsNo>YT2026000001</ceb:logisticsNo>
    <ceb:logisticsStatus>S</ceb:logisticsStatus><ceb:logisticsTime>20261201113000</ceb:logisticsTime>
  </ceb:LogisticsStatus>
</ceb:CEB513Message>"""


@router.post(
    "/tracking/events",
    summary="Record tracking events (carrier milestones, sensor readings) as EPCIS 2.0 events",
    description=(
        "Events in cbec's short form (`events`) or an EPCIS 2.0 document in JSON-LD "
        "(`epcis`), about one waybill the caller may read (`waybill_id`) or none (a "
        "supplier's lot, say). Each is stored as its EPCIS 2.0 JSON-LD event under its event "
        "hash ID (CBV 2.0 §8.9) and logged in the evidence ledger in the same transaction; "
        "one the caller recorded before is counted, not written again. All or none: 422 "
        "names each event field that is wrong (an unknown business step, a GS1 key with a "
        "wrong check digit, a naive time); 404 for a waybill the caller may not read."
    ),
    response_model=RecordedEvents,
    responses=problems(404),
)
def record(body: TrackingEventsRequest, caller: Caller, uow: Uow) -> RecordedEvents:
    return svc.record_events(uow, caller, body)


@router.post(
    "/tracking/ceb513",
    summary="Record a China customs CEB513 waybill-status message (物流运单状态)",
    description=(
        "From the logistics firm that filed the waybills: each `LogisticsStatus` becomes a "
        "*delivered* event of its waybill (`logisticsTime` in Beijing time). The 202205 "
        "schema allows only status `S` (签收); any other, or a waybill number the caller did "
        "not file, is refused naming the element."
    ),
    response_model=RecordedEvents,
    responses=problems(),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/xml": {
                    "schema": {"type": "string", "description": "A CEB513Message"},
                    "example": CEB513_EXAMPLE,
                }
            },
        }
    },
)
async def ceb513(request: Request, caller: Caller, uow: Uow) -> RecordedEvents:
    xml = await request.body()
    return await run_in_threadpool(svc.record_ceb513, uow, caller, xml)


CARRIER_CSV_EXAMPLE = """tracking_number,time,time_zone_offset,status,location,description
YT2026000001,2026-12-01T09:30:00+08:00,,picked_up,CNSZX,Picked up
YT2026000001,2026-12-02 18:05:00,+08:00,in_transit,"SHENZHEN HUB, CN",Departed
"""


@router.post(
    "/tracking/files",
    summary="Record a carrier's tracking file (generic CSV, 17TRACK or AfterShip webhooks)",
    description=(
        "A carrier's file of scans: cbec's generic CSV (`tracking_number,time,"
        "time_zone_offset,status,location,description`; UTF-8 or GBK), a 17TRACK API v2 "
        "`TRACKING_UPDATED` webhook payload or an AfterShip tracking webhook payload — one "
        "payload, an array of them, or JSON Lines. `format=auto` tells the format from the "
        "content. Each scan's carrier status becomes a cbec milestone (the README's table); "
        "its tracking number must be the `waybill_no` of a waybill the caller filed. The "
        "events are recorded as `POST /logistics/tracking/events` records them: the same "
        "file sent twice records nothing new. All or nothing: 422 names each row "
        "(`line[3].status`) or JSON path (`msg.checkpoints[0].tag`) and the rule broken — "
        "an unknown status, a time without an offset when no `timezone` is given, a number "
        "that is not the caller's waybill (refused as a number no waybill has); 400 for a "
        "file of no known format."
    ),
    response_model=carrier_import.CarrierFileRecorded,
    responses=problems(),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": CARRIER_CSV_EXAMPLE},
                "application/json": {"schema": {"type": "object"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def carrier_file(
    request: Request,
    caller: Caller,
    uow: Uow,
    format: Annotated[
        Literal["auto", "generic", "17track", "aftership"],
        Query(description="The file's format; `auto` tells it from the content"),
    ] = "auto",
    timezone: Annotated[
        str | None,
        Query(max_length=64, description="IANA time zone of times without an offset"),
    ] = None,
    encoding: Annotated[
        str | None,
        Query(max_length=64, description="The CSV's text encoding; detected when absent"),
    ] = None,
) -> carrier_import.CarrierFileRecorded:
    req = carrier_import.CarrierFileRequest(
        body=await request.body(), format=format, timezone=timezone, encoding=encoding
    )
    return await run_in_threadpool(carrier_import.record_file, uow, caller, req)


@router.get(
    "/waybills/{doc_id}/tracking",
    summary="A waybill's tracking timeline, planned legs and alerts",
    description=(
        "Its EPCIS events in time order (with place, readings and ledger index), the legs "
        "its `route` plans with their transit times, and the alerts as of `as_of` (now): "
        "late against the planned transit-time distribution, no scan for longer than the "
        "current leg allows, sensor readings outside the limits of the goods' storage class "
        "— each with its reason and the rule's source. 404 for a waybill the caller may not "
        "read, as for a missing one."
    ),
    response_model=ShipmentTrack,
    responses=problems(404),
)
def tracking(
    doc_id: DocId,
    caller: Caller,
    uow: Uow,
    rt: Rt,
    as_of: Annotated[
        datetime | None, Query(description="The moment (no zone: UTC); now by default")
    ] = None,
) -> ShipmentTrack:
    return views.shipment_track(uow, caller, doc_id, views.aware(as_of), rt.settings.logistics_dir)


@router.get(
    "/orders/{doc_id}/trace",
    summary="The verified history of an order: its parcels' and lots' events with proofs",
    description=(
        "Every event the caller may read on the order's path — its waybills' scans, the "
        "parcels they carry, the lots packed into them and those lots' events at the "
        "supplier — as an EPCIS 2.0 document, each event with its ledger bundle. Saved to a "
        "file, `cbec-verify --trace FILE --key KEY` checks it offline. 404 for an order the "
        "caller may not read."
    ),
    response_model=Trace,
    responses=problems(404),
)
def order_trace(doc_id: DocId, caller: Caller, uow: Uow) -> Trace:
    return views.trace(uow, caller, order_id=doc_id)


@router.get(
    "/batches/{gtin}/{lot}/trace",
    summary="The verified history of a lot (GTIN + batch): where it went, with proofs",
    description=(
        "The events naming the lot, the parcels it was packed into, the waybills that "
        "carried them and their scans — those the caller may read — as an EPCIS 2.0 document "
        "with each event's ledger bundle. 404 when the caller may read no event of the lot."
    ),
    response_model=Trace,
    responses=problems(404),
)
def batch_trace(
    gtin: Annotated[str, Path(pattern=r"^\d{8}$|^\d{12,14}$")],
    lot: Annotated[str, Path(min_length=1, max_length=20)],
    caller: Caller,
    uow: Uow,
) -> Trace:
    return views.trace(uow, caller, gtin=gtin, lot=lot)
