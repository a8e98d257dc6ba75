"""The EPCIS event hash ID (CBV 2.0 §8.9) against two oracles: GS1's reference implementation
(PyPI epcis-event-hash-generator, run offline on the JSON-LD context it bundles) on hand-written
and generated events, and the pre-hash strings printed in the algorithm's illustrations.

Where the reference departs from the CBV text (module docstring of cbec.logistics.epcis_hash),
its pre-hash is brought to the text's form by :func:`as_cbv_text` — one documented rewrite of
the bizTransactionList — and each departure has a test of its own that fails if the
reference changes."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import socket
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from importlib import resources

import pytest
from epcis_event_hash_generator import hash_generator, json_to_py
from hypothesis import given, settings
from pyld import jsonld

from cbec.logistics.epcis import CONTEXT, TrackEvent, make_event, to_jsonld
from cbec.logistics.epcis_hash import event_hash, pre_hash
from tests.logistics.epcis_strategies import track_events
from tests.logistics.test_epcis import packing, shipping

# the EPCIS 2.0.0 JSON-LD context, as the reference package bundles it (its file loader's name)
BUNDLED = "e532647e8eb371379b8b0e8602d8981c8566bc60f7351f22c76a5bc865962008.jsonld"
CONTEXTS = {CONTEXT, "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}


def offline_loader(url: str, options: dict | None = None) -> dict:
    if url not in CONTEXTS:
        raise AssertionError(f"the reference asked for {url}: no network in tests")
    text = (resources.files("epcis_event_hash_generator") / BUNDLED).read_text(encoding="utf-8")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": json.loads(text)}  # fmt: skip


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """The reference loads JSON-LD contexts from its bundled files only; any socket fails."""

    def no_network(*args, **kwargs):
        raise AssertionError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(offline_loader)
    yield
    jsonld.set_document_loader(previous)


def reference_pre_hash(event: dict) -> str:
    """The reference's pre-hash of one event, in a document whose context also declares the
    ``gs1`` prefix inline: the reference expands CURIEs only from inline prefixes."""
    document = {
        "@context": [CONTEXT, {"gs1": "https://gs1.org/voc/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-12-05T00:00:00Z",
        "epcisBody": {"eventList": [copy.deepcopy(event)]},
    }
    events = json_to_py.event_list_from_epcis_document_json(document)
    (pre,) = hash_generator.derive_prehashes_from_events(events)
    return pre


def as_cbv_text(reference: str) -> str:
    """The reference's pre-hash with its bizTransactionList as CBV 2.0 §8.9.2 writes it: in
    its place before sensorElementList, each identifier before its type (rule 13), the
    elements sorted (rule 11). The reference appends ``type=…bizTransaction=…`` pairs, sorted
    so by type, after every ordered field; cbec's events have nothing else there."""
    head, found, tail = reference.partition("bizTransactionList")
    if not found:
        return reference
    pairs = re.findall(r"type=(.+?)bizTransaction=(.+?)(?=type=https://ref\.gs1\.org/|$)", tail)
    assert "".join(f"type={t}bizTransaction={b}" for t, b in pairs) == tail
    block = "bizTransactionList" + "".join(sorted(f"bizTransaction={b}type={t}" for t, b in pairs))
    before, sensors, after = head.partition("sensorElementList")
    return before + block + sensors + after


def ni(pre: str) -> str:
    return f"ni:///sha-256;{hashlib.sha256(pre.encode()).hexdigest()}?ver=CBV2.0"


@pytest.mark.parametrize(
    "fields",
    [
        shipping(),
        shipping(biz_transaction_list=[]),
        shipping(biz_transaction_list=[], sensor_element_list=[], quantity_list=[]),
        packing(),
        packing(action="DELETE", child_epcs=[], child_quantity_list=[]),
    ],
)
def test_hand_written_events_hash_as_the_reference_does(fields):
    event = to_jsonld(make_event(**fields))
    reference = reference_pre_hash(event)
    assert pre_hash(event) == as_cbv_text(reference)
    if "bizTransactionList" not in event:  # nothing to rewrite: the very same ID
        assert event_hash(event) == hash_generator.calculate_hashes_from_pre_hashes([reference])[0]


@settings(max_examples=150, deadline=None)
@given(track_events())
def test_generated_events_hash_as_the_reference_does(event: TrackEvent):
    written = json.loads(json.dumps(to_jsonld(event)))
    reference = reference_pre_hash(written)
    assert pre_hash(written) == as_cbv_text(reference)
    assert event_hash(written) == ni(as_cbv_text(reference))


def test_the_hash_does_not_depend_on_the_form_of_terms_and_keys():
    """EPCIS 2.0 §7.3: bare names, web URIs and URNs; GS1 keys as URN or Digital Link."""
    event = to_jsonld(make_event(**shipping()))
    other = copy.deepcopy(event)
    other["bizStep"] = "urn:epcglobal:cbv:bizstep:departing"
    other["disposition"] = "https://ref.gs1.org/cbv/Disp-in_transit"
    other["bizTransactionList"][0]["type"] = "urn:epcglobal:cbv:btt:bol"
    other["epcList"] = [
        "urn:epc:id:sscc:0614141.1234567890",
        "urn:epc:id:sgtin:4012345.011111.9876",
    ]
    other["readPoint"] = {"id": "urn:epc:id:sgln:4012345.00005.0"}
    other["eventTime"] = "2026-12-05T15:30:12.25+08:00"
    other["eventID"] = "urn:uuid:6f1c0a43-0d1e-4b4e-9c53-0f1b6ad0e001"  # not hashed
    assert event_hash(other) == event_hash(event)
    assert event_hash({**event, "action": "ADD"}) != event_hash(event)


# --- the illustrations of the algorithm (CBV 2.0 §8.9; the reference's README) -----------


def test_illustration_1_without_its_user_extensions():
    event = {
        "type": "ObjectEvent",
        "eventTime": "2020-03-04T11:00:30.000+01:00",
        "eventTimeZoneOffset": "+01:00",
        "epcList": [
            "urn:epc:id:sscc:4012345.0000000333",
            "urn:epc:id:sscc:4012345.0000000111",
            "urn:epc:id:sscc:4012345.0000000222",
        ],
        "action": "OBSERVE",
        "bizStep": "urn:epcglobal:cbv:bizstep:departing",
        "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
    }
    assert pre_hash(event) == (
        "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00"
        "epcListepc=https://id.gs1.org/00/040123450000001112"
        "epc=https://id.gs1.org/00/040123450000002225epc=https://id.gs1.org/00/040123450000003338"
        "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departing"
        "readPointid=https://id.gs1.org/414/4012345000115/254/987"
    )


def test_illustration_3_up_to_its_read_point():
    """The rest of illustration 3 (a GDTI transaction, source and destination lists, user
    extensions) is not in cbec's subset."""
    event = {
        "type": "ObjectEvent",
        "eventTime": "2020-03-04T11:00:30.000+01:00",
        "eventTimeZoneOffset": "+01:00",
        "epcList": ["urn:epc:id:sgtin:0614141.011111.987"],
        "action": "OBSERVE",
        "bizStep": "urn:epcglobal:cbv:bizstep:departing",
        "disposition": "urn:epcglobal:cbv:disp:in_transit",
        "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.0"},
    }
    assert pre_hash(event) == (
        "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00"
        "epcListepc=https://id.gs1.org/01/00614141111114/21/987action=OBSERVE"
        "bizStep=https://ref.gs1.org/cbv/BizStep-departing"
        "disposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/4012345000115"
    )


def test_the_reference_vector_with_curies_and_another_host():
    """tests/examples/epcisEventWithCURIEs of the reference (its .prehashes file), with the
    one bizTransaction pair in the CBV text's order."""
    event = {
        "type": "ObjectEvent",
        "eventTime": "2023-01-11T12:00:00+01:00",
        "eventTimeZoneOffset": "+01:00",
        "epcList": ["https://id.gs1.de/01/04012345999990/21/XYZ-1234"],
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "readPoint": {"id": "https://id.gs1.de/414/4012345000115"},
        "bizTransactionList": [
            {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:ASN1099"}
        ],
    }
    published = (
        "eventType=ObjectEventeventTime=2023-01-11T11:00:00.000ZeventTimeZoneOffset=+01:00"
        "epcListepc=https://id.gs1.org/01/04012345999990/21/XYZ-1234action=OBSERVE"
        "bizStep=https://ref.gs1.org/cbv/BizStep-receiving"
        "disposition=https://ref.gs1.org/cbv/Disp-in_progressreadPointid=https://id.gs1.org/414/4012345000115"
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-desadv"
        "bizTransaction=urn:epcglobal:cbv:bt:4012345000009:ASN1099"
    )
    assert reference_pre_hash(event) == published
    assert pre_hash(event) == as_cbv_text(published)


# --- where the reference departs from the CBV text --------------------------------------


def test_departure_biz_transactions_out_of_place_and_type_first():
    """The reference sorts ``type=…bizTransaction=…`` pairs, so by type; the text sorts
    ``bizTransaction=…type=…``, so by identifier: here the two orders differ."""
    event = to_jsonld(make_event(**shipping(biz_transaction_list=[
        {"type": "po", "uri": "urn:cbec:a:1"}, {"type": "bol", "uri": "urn:cbec:z:1"},
    ])))  # fmt: skip
    reference, ours = reference_pre_hash(event), pre_hash(event)
    assert reference.endswith(
        "uom=CELbizTransactionListtype=https://ref.gs1.org/cbv/BTT-bolbizTransaction=urn:cbec:z:1"
        "type=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:cbec:a:1"
    )
    assert (
        "bizLocationid=urn:cbec:loc:CNSZXbizTransactionList"
        "bizTransaction=urn:cbec:a:1type=https://ref.gs1.org/cbv/BTT-po"
        "bizTransaction=urn:cbec:z:1type=https://ref.gs1.org/cbv/BTT-bolsensorElementList"
    ) in ours


def test_departure_small_numbers_in_exponent_notation():
    reading = {"type": "gs1:Dimensionless", "value": Decimal("0.00005"), "uom": "C35"}
    fields = shipping(biz_transaction_list=[], sensor_element_list=[{"readings": [reading]}])
    event = to_jsonld(make_event(**fields))
    assert "value=5e-05uom=C35" in reference_pre_hash(event)
    assert "value=0.00005uom=C35" in pre_hash(event)


def test_departure_milliseconds_rounded_half_to_even():
    """§8.9.2 rule 9: a 4th decimal of 5-9 rounds the 3rd up. cbec rounds so when it stores
    the time; the reference rounds half to even."""
    fixed = hash_generator._fix_time_stamp_format("2023-01-18T11:04:03.1425Z")
    assert fixed == "2023-01-18T11:04:03.142Z"
    t = datetime(2023, 1, 18, 11, 4, 3, 142500, tzinfo=UTC)
    event = to_jsonld(make_event(**shipping(event_time=t)))
    assert "eventTime=2023-01-18T11:04:03.143Z" in pre_hash(event)
    assert event["eventTime"] == "2023-01-18T11:04:03.143Z"


def test_the_event_time_is_hashed_in_utc():
    local = datetime(2026, 12, 5, 23, 0, tzinfo=timezone(timedelta(hours=8)))
    event = to_jsonld(make_event(**shipping(event_time=local)))
    assert "eventTime=2026-12-05T15:00:00.000ZeventTimeZoneOffset=+08:00" in pre_hash(event)
