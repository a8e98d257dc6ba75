"""Carrier tracking files read by the pure core (:mod:`cbec.connectors.carriers`): each
format's fields as its public documentation names them, its statuses mapped to cbec's
milestones, and every broken rule of a bad file named by row or JSON path."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cbec.connectors import carriers
from cbec.connectors.carriers import aftership, generic, track17
from cbec.errors import BadRequest, DocumentInvalid
from cbec.trade.waybill import EventStatus

DATA = Path(__file__).parent / "data" / "carriers"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MILESTONES = set(EventStatus.__args__)


def _bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _refused(body: bytes, *args, **kwargs) -> dict[str, tuple[str, dict]]:
    with pytest.raises(DocumentInvalid) as exc:
        carriers.convert(body, *args, **kwargs)
    return {v.field: (v.rule, v.params) for v in exc.value.violations}


@pytest.mark.parametrize(
    "table", [generic.STATUS, track17.SUB_STATUS, track17.STAGE, aftership.TAG, aftership.SUBTAG]
)
def test_every_mapping_ends_in_a_cbec_milestone(table):
    assert set(table.values()) <= MILESTONES


def test_every_milestone_has_a_generic_status_word():
    assert set(generic.STATUS) >= MILESTONES


@pytest.mark.parametrize(
    "name,fmt",
    [("generic.csv", "generic"), ("track17.json", "17track"), ("aftership.json", "aftership")],
)
def test_the_format_is_told_from_the_content(name, fmt):
    assert carriers.detect(_bytes(name)) == fmt


def test_a_file_of_no_known_format_is_refused_naming_the_formats():
    with pytest.raises(BadRequest) as exc:
        carriers.detect(b"order_id,sku\n1,A\n")
    assert exc.value.rule == "carrier_format_unknown"
    assert "17track" in exc.value.params["formats"]


def test_generic_rows_keep_their_times_offsets_and_statuses():
    body = _bytes("generic.csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    got = carriers.convert(body, zone=SHANGHAI)
    assert got.format == "generic" and len(got.events) == len(rows)
    for row, event in zip(rows, got.events, strict=True):
        assert event.number == row["tracking_number"]
        assert event.milestone == generic.STATUS[row["status"].lower()]
        # a second computation of the instant: the local time less its offset
        offset = row["time_zone_offset"] or event.time_zone_offset
        local = datetime.fromisoformat(row["time"].replace("Z", "+00:00")).replace(tzinfo=None)
        sign = -1 if offset[0] == "-" else 1
        minutes = sign * (int(offset[1:3]) * 60 + int(offset[4:6]))
        assert event.time.timestamp() == local.replace(tzinfo=UTC).timestamp() - minutes * 60
    # a place id is kept; a carrier's words are kept, percent-encoded
    assert got.events[0].location == "CNSZX"
    assert got.events[1].location == "SHENZHEN%20HUB,%20CN"
    assert got.by_number().keys() == {"CT2026000101", "CT2026000102"}


def test_a_time_without_offset_is_refused_unless_a_zone_is_named():
    bad = _refused(_bytes("generic.csv"))
    assert bad == {"line[6].time": ("carrier_time_zone_needed", {"value": "2026-11-03 08:00"})}
    event = carriers.convert(_bytes("generic.csv"), zone=SHANGHAI).events[-1]
    assert event.time == datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    assert event.time_zone_offset == "+08:00"


def test_generic_file_in_gbk_with_chinese_headers():
    text = (
        "运单号,时间,时区,状态,地点,描述\r\n"
        "CT2026000101,2026-11-01 09:30:00,+08:00,已揽收,深圳 宝安,揽收\r\n"
        "CT2026000101,2026-11-05 14:20:00,-08:00,已签收,USLAX,签收\r\n"
    )
    got = carriers.convert(text.encode("gb18030"))
    assert [e.milestone for e in got.events] == ["picked_up", "delivered"]
    assert got.events[0].location == "深圳%20宝安"
    assert got.events[1].time == datetime(2026, 11, 5, 22, 20, tzinfo=UTC)


def test_every_bad_row_is_named_with_its_column_and_rule():
    body = (
        b"tracking_number,time,time_zone_offset,status,location\n"
        b"CT1,2026-11-01T09:30:00+08:00,,teleported,CNSZX\n"
        b",yesterday,,in_transit,\n"
        b"CT1,2026-11-01 09:30,+25:00,delivered,\n"
    )
    assert _refused(body) == {
        "line[2].status": ("carrier_status_unknown", {"value": "teleported"}),
        "line[3].tracking_number": ("missing", {}),
        "line[3].time": ("carrier_time_invalid", {"value": "yesterday"}),
        "line[4].time_zone_offset": ("carrier_offset_invalid", {"value": "+25:00"}),
        "line[4].time": ("carrier_time_zone_needed", {"value": "2026-11-01 09:30"}),
    }


def test_a_generic_file_without_a_required_column_names_it():
    body = b"tracking_number,time,status\nCT1,2026-11-01T09:30:00Z,delivered\n"
    assert carriers.convert(body).events[0].milestone == "delivered"
    assert _refused(b"tracking_number,time,location\nCT1,2026-11-01T09:30:00Z,X\n", "generic") == {
        "header.status": ("carrier_column_absent", {})
    }


def test_17track_events_use_time_iso_and_agree_with_time_utc():
    doc = json.loads(_bytes("track17.json"))
    events = doc["data"]["track_info"]["tracking"]["providers"][0]["events"]
    got = carriers.convert(_bytes("track17.json"))
    assert got.format == "17track"
    for raw, event in zip(events, got.events, strict=True):
        assert event.number == doc["data"]["number"]
        # time_utc is a second statement of the same instant
        assert event.time == datetime.fromisoformat(raw["time_utc"].replace("Z", "+00:00"))
        if raw["time_iso"]:
            assert event.time_zone_offset == raw["time_iso"][-6:]
        assert event.milestone == track17.SUB_STATUS[raw["sub_status"]]
    assert [e.milestone for e in got.events] == [
        "delivered",
        "out_for_delivery",
        "customs_released",
        "in_transit",
        "picked_up",
    ]


def test_17track_unknown_sub_status_and_other_events_are_refused_by_path():
    doc = json.loads(_bytes("track17.json"))
    events = doc["data"]["track_info"]["tracking"]["providers"][0]["events"]
    events[1]["sub_status"] = "NotFound_Other"
    events[2] |= {"sub_status": None, "stage": None}
    events[3]["time_iso"] = "2026-11-02T18:05:00"
    path = "data.track_info.tracking.providers[0].events"
    assert _refused(json.dumps(doc).encode()) == {
        f"{path}[1].sub_status": ("carrier_status_unknown", {"value": "NotFound_Other"}),
        f"{path}[2].sub_status": ("missing", {}),
        f"{path}[3].time_iso": ("carrier_time_zone_needed", {"value": "2026-11-02T18:05:00"}),
    }
    stopped = json.dumps({"event": "TRACKING_STOPPED", "data": {"number": "CT1"}}).encode()
    assert _refused(stopped, "17track") == {
        "event": ("carrier_payload_event", {"value": "TRACKING_STOPPED"})
    }


def test_aftership_checkpoints_by_tag_and_subtag():
    doc = json.loads(_bytes("aftership.json"))
    got = carriers.convert(_bytes("aftership.json"))
    assert got.format == "aftership"
    assert [e.milestone for e in got.events] == [
        "info_received",
        "picked_up",  # InTransit_002: acceptance scan
        "customs_declared",  # InTransit_006: handed over to customs
        "failed_attempt",
        "delivered",
    ]
    for cp, event in zip(doc["msg"]["checkpoints"], got.events, strict=True):
        assert event.time == datetime.fromisoformat(cp["checkpoint_time"]).astimezone(UTC)
        assert event.time_zone_offset == cp["checkpoint_time"][-6:]
    # no location: the city and the country
    assert got.events[0].location == "Shenzhen,%20CHN"


def test_aftership_payloads_as_an_array_and_as_json_lines_are_named_by_position():
    doc = json.loads(_bytes("aftership.json"))
    bad = json.loads(json.dumps(doc))
    bad["msg"]["checkpoints"][4]["tag"] = "Pending"
    array = json.dumps([doc, bad]).encode()
    assert _refused(array) == {
        "[1].msg.checkpoints[4].tag": ("carrier_status_unknown", {"value": "Pending"})
    }
    lines = (json.dumps(doc) + "\n\n" + json.dumps(bad) + "\n").encode()
    assert _refused(lines) == {
        "line[3].msg.checkpoints[4].tag": ("carrier_status_unknown", {"value": "Pending"})
    }
    assert len(carriers.convert(json.dumps([doc, doc]).encode()).events) == 10


def test_a_file_without_events_is_refused():
    assert _refused(b"tracking_number,time,status\n") == {"body": ("carrier_no_events", {})}


def test_17track_payload_with_only_its_latest_event_gives_that_scan():
    doc = json.loads(_bytes("track17.json"))
    info = doc["data"]["track_info"]
    latest = info["tracking"]["providers"][0]["events"][0]
    info.pop("tracking")
    info["latest_event"] = latest
    (event,) = carriers.convert(json.dumps(doc).encode()).events
    assert event.milestone == "delivered"
    assert event.time == datetime.fromisoformat(latest["time_utc"].replace("Z", "+00:00"))
    info.pop("latest_event")
    assert _refused(json.dumps(doc).encode()) == {
        "data.track_info.tracking.providers": ("missing", {})
    }
