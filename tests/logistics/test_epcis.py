"""EPCIS 2.0 tracking events: every document cbec writes is valid against the EPCIS 2.0 JSON
Schema (tests/logistics/data/epcis2), reads back to the same event, and bad input is refused
naming the field. The CBV lists are checked against the schema's enums."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from jsonschema import Draft7Validator

from cbec.errors import DocumentInvalid
from cbec.logistics import cbv
from cbec.logistics.epcis import (
    CONTEXT,
    TrackEvent,
    epcis_document,
    from_jsonld,
    make_event,
    to_jsonld,
)
from cbec.trade.waybill import EventStatus
from tests.logistics.epcis_strategies import check_digit, track_events

SCHEMA = Path(__file__).with_name("data") / "epcis2" / "EPCISDocument.schema.json"
CST = timezone(timedelta(hours=8))
CREATED = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
SSCC = "https://id.gs1.org/00/106141412345678908"


@cache
def schema() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def schema_errors(document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in schema().iter_errors(document)]


def shipping(**changes) -> dict:
    """A carrier's departure scan of a pallet with a cold-chain reading, as fields."""
    fields = {
        "event_type": "ObjectEvent",
        "event_time": datetime(2026, 12, 5, 15, 30, 12, 250000, tzinfo=CST),
        "event_time_zone_offset": "+08:00",
        "action": "OBSERVE",
        "biz_step": "departing",
        "disposition": "in_transit",
        "epc_list": [SSCC, "urn:epc:id:sgtin:4012345.011111.9876"],
        "quantity_list": [
            {
                "epc_class": "https://id.gs1.org/01/04012345000016/10/L2026",
                "quantity": Decimal("12"),
            }
        ],
        "read_point": "https://id.gs1.org/414/4012345000054",
        "biz_location": "urn:cbec:loc:CNSZX",
        "biz_transaction_list": [{"type": "bol", "uri": "urn:cbec:bol:SZX-2026-000123"}],
        "sensor_element_list": [
            {
                "device_id": "urn:cbec:device:T-7",
                "time": datetime(2026, 12, 5, 7, 30, tzinfo=UTC),
                "readings": [
                    {"type": "gs1:Temperature", "value": Decimal("4.50"), "uom": "CEL"},
                    {"type": "gs1:RelativeHumidity", "value": Decimal("61"), "uom": "P1"},
                    {"type": "gs1:Acceleration", "value": Decimal("-2.125"), "uom": "K40"},
                ],
            }
        ],
    }
    return {**fields, **changes}


def packing(**changes) -> dict:
    fields = {
        "event_type": "AggregationEvent",
        "event_time": datetime(2026, 12, 5, 1, 0, tzinfo=UTC),
        "event_time_zone_offset": "+08:00",
        "action": "ADD",
        "biz_step": "packing",
        "disposition": "container_closed",
        "parent_id": "urn:epc:id:sscc:0614141.1234567890",
        "child_epcs": ["https://id.gs1.org/01/04012345111118/21/9876"],
        "child_quantity_list": [
            {"epc_class": "urn:epc:idpat:sgtin:4012345.011111.*", "quantity": 3, "uom": "KGM"}
        ],
        "biz_location": "urn:epc:id:sgln:4012345.00005.0",
    }
    return {**fields, **changes}


def refused(fields: dict) -> list[tuple[str, str]]:
    with pytest.raises(DocumentInvalid) as caught:
        make_event(**fields)
    return [(v.field, v.rule) for v in caught.value.violations]


# --- the JSON-LD form ------------------------------------------------------------------


def test_the_jsonld_of_a_departure_scan():
    out = to_jsonld(make_event(**shipping()))
    assert out["type"] == "ObjectEvent"
    assert out["eventTime"] == "2026-12-05T07:30:12.250Z"  # stored in UTC, offset kept
    assert out["eventTimeZoneOffset"] == "+08:00"
    assert out["bizStep"] == "departing" and out["disposition"] == "in_transit"
    assert out["readPoint"] == {"id": "https://id.gs1.org/414/4012345000054"}
    assert out["bizLocation"] == {"id": "urn:cbec:loc:CNSZX"}
    assert out["bizTransactionList"] == [
        {"type": "bol", "bizTransaction": "urn:cbec:bol:SZX-2026-000123"}
    ]
    assert out["quantityList"][0]["quantity"] == 12 and isinstance(
        out["quantityList"][0]["quantity"], int
    )
    sensor = out["sensorElementList"][0]
    assert sensor["sensorMetadata"] == {
        "time": "2026-12-05T07:30:00.000Z",
        "deviceID": "urn:cbec:device:T-7",
    }
    assert sensor["sensorReport"][0] == {"type": "gs1:Temperature", "value": 4.5, "uom": "CEL"}


def test_hand_written_documents_are_valid_against_the_epcis_schema():
    document = epcis_document([make_event(**shipping()), make_event(**packing())], CREATED)
    assert document["@context"] == CONTEXT
    assert document["schemaVersion"] == "2.0"
    assert document["creationDate"] == "2026-12-05T09:00:00.000Z"
    assert schema_errors(document) == []


def test_the_schema_refuses_what_it_should():
    """The oracle can fail: an event without its action, a CBV URN bizStep outside CBV (the
    schema's formats are not asserted here, so a bare non-CBV word would pass as a URI)."""
    event = to_jsonld(make_event(**shipping()))
    for broken in (
        {k: v for k, v in event.items() if k != "action"},
        {**event, "bizStep": "urn:epcglobal:cbv:bizstep:flying"},
    ):
        document = {**epcis_document([], CREATED), "epcisBody": {"eventList": [broken]}}
        assert schema_errors(document)


@settings(max_examples=150, deadline=None)
@given(track_events())
def test_generated_events_are_schema_valid_and_read_back_the_same(event: TrackEvent):
    document = epcis_document([event], CREATED)
    assert schema_errors(document) == []
    through_json = json.loads(json.dumps(document))["epcisBody"]["eventList"][0]
    assert from_jsonld(through_json) == event


def test_reading_accepts_cbv_web_uris_urns_and_measurement_uris():
    event = make_event(**shipping())
    written = to_jsonld(event)
    written["bizStep"] = "https://ref.gs1.org/cbv/BizStep-departing"
    written["disposition"] = "urn:epcglobal:cbv:disp:in_transit"
    written["bizTransactionList"][0]["type"] = "https://ref.gs1.org/cbv/BTT-bol"
    reports = written["sensorElementList"][0]["sensorReport"]
    reports[0]["type"] = "https://gs1.org/voc/Temperature"
    reports[1]["type"] = "RelativeHumidity"
    written["recordTime"] = "2026-12-05T08:00:00Z"  # the capturing repository's, read past
    assert from_jsonld(written) == event


# --- refused input, naming the field ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"epc_list": ["https://id.gs1.org/00/106141412345678907"]},
            ("epc_list[0]", "epcis_check_digit"),
        ),
        (
            {"epc_list": [SSCC, "https://id.gs1.org/01/04012345111119/21/1"]},
            ("epc_list[1]", "epcis_check_digit"),
        ),
        (
            {"read_point": "https://id.gs1.org/414/4012345000055"},
            ("read_point", "epcis_check_digit"),
        ),
        ({"read_point": SSCC}, ("read_point", "epcis_gs1_key")),
        ({"epc_list": ["urn:epc:id:sscc:4012345.123"]}, ("epc_list[0]", "epcis_gs1_key")),
        ({"epc_list": ["not a uri"]}, ("epc_list[0]", "epcis_uri")),
        (
            {"epc_list": [SSCC, "urn:epc:id:sscc:0614141.1234567890"]},
            ("epc_list", "epcis_duplicate"),  # one SSCC, as a Digital Link and as an EPC URN
        ),
        ({"biz_step": "flying"}, ("biz_step", "epcis_vocabulary")),
        ({"disposition": "completed"}, ("disposition", "epcis_vocabulary")),
        (
            {"biz_transaction_list": [{"type": "waybill", "uri": "urn:x:1"}]},
            ("biz_transaction_list[0].type", "epcis_vocabulary"),
        ),
        ({"event_time": datetime(2026, 12, 5, 15, 30)}, ("event_time", "timezone_aware")),
        ({"event_time_zone_offset": "+8"}, ("event_time_zone_offset", "string_pattern_mismatch")),
        ({"action": "MOVE"}, ("action", "literal_error")),
        ({"parent_id": SSCC}, ("parent_id", "epcis_not_in_event")),
        (
            {"epc_list": [], "quantity_list": [], "sensor_element_list": []},
            ("epc_list", "epcis_what_missing"),
        ),
        (
            {
                "quantity_list": [
                    {
                        "epc_class": "urn:epc:class:lgtin:4012345.011111.L",
                        "quantity": Decimal("0.0000001"),
                    }
                ]
            },
            ("quantity_list[0].quantity", "epcis_decimal"),
        ),
    ],
)
def test_bad_object_events_are_refused_naming_the_field(changes, expected):
    assert refused(shipping(**changes)) == [expected]


def test_a_sensor_reading_needs_a_measurement_type_and_a_rec20_unit():
    element = {"readings": [{"type": "gs1:Shock", "value": 1, "uom": "g"}]}
    assert refused(shipping(sensor_element_list=[element])) == [
        ("sensor_element_list[0].readings[0].type", "epcis_vocabulary"),
        ("sensor_element_list[0].readings[0].uom", "string_pattern_mismatch"),
    ]


@pytest.mark.parametrize("action", ["ADD", "DELETE"])
def test_an_aggregation_that_adds_or_deletes_needs_its_parent(action):
    assert refused(packing(action=action, parent_id=None)) == [
        ("parent_id", "epcis_parent_required")
    ]
    observed = make_event(**packing(action="OBSERVE", parent_id=None))
    assert observed.parent_id is None  # EPCIS 2.0 §7.4.3: optional when observing


def test_an_aggregation_names_its_children_unless_it_deletes_them_all():
    bare = packing(child_epcs=[], child_quantity_list=[])
    assert refused(bare) == [("child_epcs", "epcis_children_missing")]
    assert make_event(**{**bare, "action": "DELETE"}).child_epcs == []


def test_an_aggregation_has_no_epc_list():
    assert refused(packing(epc_list=[SSCC])) == [("epc_list", "epcis_not_in_event")]


def test_reading_refuses_what_cbec_does_not_keep_naming_the_json_field():
    event = to_jsonld(make_event(**shipping()))
    cases = [
        ({**event, "type": "TransformationEvent"}, [("type", "epcis_unsupported")]),
        ({**event, "sourceList": []}, [("sourceList", "epcis_unsupported")]),
        ({**event, "readPoint": {"id": SSCC}}, [("readPoint.id", "epcis_gs1_key")]),
        (
            {**event, "epcList": ["https://id.gs1.org/00/106141412345678900"]},
            [("epcList[0]", "epcis_check_digit")],
        ),
        (
            {**event, "bizStep": "urn:epcglobal:cbv:bizstep:flying"},
            [("bizStep", "epcis_vocabulary")],
        ),
        ({**event, "eventTime": "2026-12-05T07:30:12"}, [("eventTime", "timezone_aware")]),
    ]
    for obj, expected in cases:
        with pytest.raises(DocumentInvalid) as caught:
            from_jsonld(obj)
        assert [(v.field, v.rule) for v in caught.value.violations] == expected


def test_messages_name_the_rule_in_both_languages():
    with pytest.raises(DocumentInvalid) as caught:
        make_event(**shipping(epc_list=["https://id.gs1.org/00/106141412345678907"]))
    (violation,) = caught.value.violations
    assert "SSCC" in violation.message("en") and "check digit" in violation.message("en")
    assert "SSCC" in violation.message("zh") and "校验位" in violation.message("zh")


def test_times_are_kept_in_utc_to_the_millisecond_rounding_half_up():
    event = make_event(**shipping(event_time=datetime(2026, 12, 5, 23, 59, 59, 999500, tzinfo=CST)))
    assert event.event_time == datetime(2026, 12, 5, 16, 0, 0, tzinfo=UTC)


def test_check_digits_agree_with_an_independent_computation():
    """The strategies' own mod-10 (GS1 GenSpecs §7.9.1) on the keys used above."""
    assert check_digit("10614141234567890") == "8"  # SSCC 106141412345678908
    assert check_digit("401234500005") == "4"  # GLN 4012345000054
    assert check_digit("0401234511111") == "8"  # GTIN 04012345111118


# --- the CBV vocabulary ----------------------------------------------------------------


def test_the_cbv_lists_are_the_epcis_schemas():
    definitions = json.loads(SCHEMA.read_text(encoding="utf-8"))["definitions"]

    def enum(name: str) -> set[str]:
        return set(definitions[name]["anyOf"][1]["enum"])

    assert enum("bizStep") == cbv.BIZ_STEPS
    assert enum("disposition") == cbv.DISPOSITIONS
    assert enum("bizTransaction-type") == cbv.BIZ_TRANSACTION_TYPES
    assert enum("measurementType") == cbv.MEASUREMENT_TYPES


def test_every_carrier_milestone_has_a_cbv_pair_that_reads_back():
    assert set(cbv.MILESTONE_CBV) == set(get_args(EventStatus))
    for milestone, (step, disposition) in cbv.MILESTONE_CBV.items():
        assert step in cbv.BIZ_STEPS
        assert disposition is None or disposition in cbv.DISPOSITIONS
        assert cbv.milestone_of(step, disposition) == milestone
        web = cbv.DISPOSITION_URI + disposition if disposition else None
        assert cbv.milestone_of(cbv.BIZ_STEP_URI + step, web) == milestone


def test_milestone_of_is_best_effort():
    assert cbv.milestone_of("transporting", None) == "in_transit"  # one milestone per step
    assert cbv.milestone_of("receiving", "in_progress") == "delivered"
    assert cbv.milestone_of("inspecting", "damaged") is None  # two customs milestones
    assert cbv.milestone_of("sensor_reporting", None) is None
