"""Tracking events through the API and the CLI: stored as EPCIS 2.0 events under their
event hash IDs, logged in the evidence ledger, alerts with reasons, CEB513 from the official
sample, and who may record and read what."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scipy import stats

from cbec.demo import synthetic
from cbec.logistics.epcis_hash import event_hash
from cbec.logistics.transit import Transit

CEB = Path(__file__).resolve().parents[3] / "shared" / "ceb" / "samples" / "import"
SEA_ROAD = [{"leg": "SEA-SHA-LAX"}, {"leg": "ROAD-LAX-ONT"}]
T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)
SSCC = "https://id.gs1.org/00/106141411234567897"  # GS1 General Specifications example


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def file_waybill(client, parties, number: str, *, storage=None, route=SEA_ROAD, paid=False):
    """A waybill on the route for an order of seller-a; ``paid`` adds the buyer's payment,
    which vouches for the order so that its seller reads the waybill too."""
    rng = random.Random(number)
    order = synthetic.order(rng, "platform-a", "seller-a", f"O-{number}")
    if storage:
        for line in order["lines"]:
            line["attributes"] = [storage]
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    if paid:
        payment = synthetic.payment(rng, order, f"TX-{number}")
        r = client.post("/payments", json=payment, headers=parties["pay-a"].headers)
        assert r.status_code == 201, r.text
    body = synthetic.waybill(rng, order, number)
    body["route"] = route
    r = client.post("/waybills", json=body, headers=parties["ship-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["document"]["waybill_no"], r.json()


def scans(waybill_id: str, days_to_port: float = 17.0) -> dict:
    return {
        "waybill_id": waybill_id,
        "events": [
            {"time": _iso(T0), "milestone": "picked_up", "location": "CNSHA", "epcs": [SSCC]},
            {
                "time": _iso(T0 + timedelta(days=days_to_port)),
                "time_zone_offset": "-08:00",
                "milestone": "in_transit",
                "location": "USLAX",
                "epcs": [SSCC],
                "readings": [{"measurement": "temperature", "value": "5.5"}],
            },
        ],
    }


def test_events_are_stored_as_epcis_logged_and_recorded_once(client, parties, rt):
    wid, _, _ = file_waybill(client, parties, "TR-1")
    ship = parties["ship-a"].headers
    r = client.post("/logistics/tracking/events", json=scans(wid), headers=ship)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["recorded"] == 2 and got["already_held"] == 0
    track = client.get(f"/logistics/waybills/{wid}/tracking", headers=ship).json()
    events = track["events"]
    assert [e["milestone"] for e in events] == ["picked_up", "in_transit"]
    assert [e["location"] for e in events] == ["CNSHA", "USLAX"]
    assert events[1]["location_name"] and events[1]["lat"] is not None
    first = events[0]["epcis"]
    # the event as logged: EPCIS JSON-LD, CBV business step, the waybill as its bill of lading
    assert first["type"] == "ObjectEvent" and first["bizStep"] == "accepting"
    assert first["bizTransactionList"] == [
        {"type": "bol", "bizTransaction": f"urn:cbec:waybill:{wid}"}
    ]
    # its ID is the CBV 2.0 §8.9 hash of the event (the oracle of tests/logistics/test_epcis)
    assert [e["event_id"] for e in events] == got["event_ids"]
    assert event_hash({k: v for k, v in first.items() if k != "eventID"}) == first["eventID"]
    reading = events[1]["readings"][0]
    assert (reading["measurement"], reading["value"], reading["uom"]) == (
        "gs1:Temperature",
        "5.5",
        "CEL",
    )
    # each is an entry of the evidence log naming the event and its content hash
    entry = json.loads(rt.ledger.entry(events[0]["ledger_index"]).data)
    assert entry["type"] == "cbec.epcis-event/v1" and entry["event_id"] == first["eventID"]
    # sent again — in short form, then as the EPCIS document the timeline shows — nothing new
    again = client.post("/logistics/tracking/events", json=scans(wid), headers=ship).json()
    assert (again["recorded"], again["already_held"]) == (0, 2)
    doc = {
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _iso(T0),
        "epcisBody": {"eventList": [e["epcis"] for e in events]},
    }
    as_epcis = client.post(
        "/logistics/tracking/events", json={"waybill_id": wid, "epcis": doc}, headers=ship
    ).json()
    assert (as_epcis["recorded"], as_epcis["already_held"]) == (0, 2)


def test_only_a_reader_of_the_waybill_records_or_reads_its_events(client, parties):
    wid, _, _ = file_waybill(client, parties, "TR-2")
    other = parties["seller-b"].headers
    r = client.post("/logistics/tracking/events", json=scans(wid), headers=other)
    missing = client.post("/logistics/tracking/events", json=scans("nope"), headers=other)
    assert r.status_code == missing.status_code == 404
    assert r.json()["code"] == missing.json()["code"]
    assert client.get(f"/logistics/waybills/{wid}/tracking", headers=other).status_code == 404
    # nor can it attach an event to the waybill by naming it in the EPCIS event itself
    event = {
        "type": "ObjectEvent",
        "eventTime": _iso(T0),
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "epcList": [SSCC],
        "bizTransactionList": [{"type": "bol", "bizTransaction": f"urn:cbec:waybill:{wid}"}],
    }
    doc = {
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _iso(T0),
        "epcisBody": {"eventList": [event]},
    }
    r = client.post("/logistics/tracking/events", json={"epcis": doc}, headers=other)
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == "waybill_mismatch"


def test_a_carriers_feed_names_a_waybill_per_event_all_or_none(client, parties):
    first, _, _ = file_waybill(client, parties, "TR-FEED-1")
    second, _, _ = file_waybill(client, parties, "TR-FEED-2")
    ship = parties["ship-a"].headers
    feed = [
        {"time": _iso(T0 + timedelta(hours=i)), "milestone": "in_transit", "waybill_id": w}
        for i, w in enumerate([first, second, first])
    ]
    hidden, _, _ = file_waybill(client, parties, "TR-FEED-3")
    # the other carrier's waybill is not readable by seller-b: the whole feed is refused
    refused = client.post(
        "/logistics/tracking/events",
        json={"events": feed},
        headers=parties["seller-b"].headers,
    )
    assert refused.status_code == 404
    r = client.post("/logistics/tracking/events", json={"events": feed}, headers=ship)
    assert r.status_code == 200 and r.json()["recorded"] == 3, r.text
    for wid, n in ((first, 2), (second, 1), (hidden, 0)):
        track = client.get(f"/logistics/waybills/{wid}/tracking", headers=ship).json()
        assert len(track["events"]) == n
        assert all(
            e["epcis"]["bizTransactionList"][0]["bizTransaction"] == f"urn:cbec:waybill:{wid}"
            for e in track["events"]
        )


@pytest.mark.parametrize(
    ("change", "field", "rule_part"),
    [
        ({"biz_step": "teleporting"}, "events[0].biz_step", ""),
        ({"epcs": ["https://id.gs1.org/00/106141411234567898"]}, "events[0].epcs[0]", ""),
        ({"time": "2026-11-02T08:00:00"}, "events[0].time", "offset"),
        (
            {"readings": [{"measurement": "temperature", "value": "x"}]},
            "events[0].readings[0].value",
            "",
        ),
    ],
)
def test_bad_events_are_refused_naming_the_field_and_nothing_is_written(
    client, parties, change, field, rule_part
):
    wid, _, _ = file_waybill(client, parties, "TR-3")
    ship = parties["ship-a"].headers
    body = scans(wid)
    body["events"].append(body["events"][0] | change)
    body["events"][0], body["events"][-1] = body["events"][-1], body["events"][0]
    r = client.post("/logistics/tracking/events", json=body, headers=ship)
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert any(f.startswith(field) for f in fields), fields
    track = client.get(f"/logistics/waybills/{wid}/tracking", headers=ship).json()
    assert track["events"] == []


def test_alerts_late_silent_and_too_warm_with_their_reasons(client, parties):
    wid, _, _ = file_waybill(client, parties, "TR-4", storage="refrigerated")
    sea = Transit.of(17, 18)  # SEA-SHA-LAX in the starter network
    late = float(stats.lognorm(s=sea.sigma, scale=sea.p50).ppf(0.95))
    body = scans(wid, days_to_port=late)
    body["events"][1]["readings"] = [{"measurement": "temperature", "value": "9.5"}]
    ship = parties["ship-a"].headers
    assert client.post("/logistics/tracking/events", json=body, headers=ship).status_code == 200
    as_of = T0 + timedelta(days=late + 5)  # the 1-2 day road leg silent for 5 days
    # the platform reads the order, so it knows the goods' storage class; the carrier does
    # not read the order, and learns nothing of its goods from the alerts either
    platform = parties["platform-a"].headers
    r = client.get(
        f"/logistics/waybills/{wid}/tracking", params={"as_of": _iso(as_of)}, headers=platform
    )
    track = r.json()
    assert track["storage_classes"] == ["refrigerated"]
    carrier = client.get(
        f"/logistics/waybills/{wid}/tracking", params={"as_of": _iso(as_of)}, headers=ship
    ).json()
    assert carrier["storage_classes"] == []
    assert {a["rule"] for a in carrier["alerts"]} == {"delay", "no_scan"}
    rules = {(a["rule"], a["severity"]) for a in track["alerts"]}
    assert ("sensor", "critical") in rules  # WHO TRS 961: +2 to +8 °C
    assert ("delay", "warning") in rules  # later than 95 % > the 90 % policy
    assert any(r == "no_scan" for r, _ in rules)
    delay = next(a for a in track["alerts"] if a["rule"] == "delay" and a["params"]["arrived"])
    assert delay["params"]["percentile"] == pytest.approx(95, abs=0.2)
    sensor = next(a for a in track["alerts"] if a["rule"] == "sensor")
    assert "WHO" in sensor["source"] and sensor["params"]["bound"] == "8"
    assert [leg["mode"] for leg in track["legs"]] == ["sea", "road"]
    # before the parcel was late, only the reading
    early = client.get(
        f"/logistics/waybills/{wid}/tracking",
        params={"as_of": _iso(T0 + timedelta(days=1))},
        headers=platform,
    ).json()
    assert [a["rule"] for a in early["alerts"]] == []


def test_ceb513_official_sample_is_refused_by_name_and_status_s_is_delivered(
    client, parties, cli, tmp_path
):
    sample = (CEB / "CEB513Message.xml").read_bytes()
    ship = parties["ship-a"].headers | {"Content-Type": "application/xml"}
    r = client.post("/logistics/tracking/ceb513", content=sample, headers=ship)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "LogisticsStatus[0].logisticsStatus"
    wid, number, _ = file_waybill(client, parties, "TR-5")
    mine = sample.replace(b"<ceb:logisticsStatus>R<", b"<ceb:logisticsStatus>S<").replace(
        b"L201603081138007", number.encode()
    )
    path = tmp_path / "ceb513.xml"
    path.write_bytes(mine)
    out = cli("logistics", "ceb513", str(path), "--as", "ship-a")
    assert out.exit_code == 0, out.output
    # the sample repeats one status: one event, its time 2015-03-08 16:46:11 Beijing time
    assert json.loads(out.stdout)["recorded"] == 1
    track = client.get(f"/logistics/waybills/{wid}/tracking", headers=parties["ship-a"].headers)
    (event,) = track.json()["events"]
    assert event["milestone"] == "delivered"
    assert event["event_time"].startswith("2015-03-08T08:46:11")
    # a waybill number the caller did not file is named
    other = client.post(
        "/logistics/tracking/ceb513",
        content=mine.replace(number.encode(), b"NOT-FILED-1"),
        headers=ship,
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "LogisticsStatus[0].logisticsNo"


GTIN, LOT = "09506000134352", "L2026-11"  # GS1 Digital Link standard's example GTIN
LGTIN = f"https://id.gs1.org/01/{GTIN}/10/{LOT}"
FACTORY = "https://id.gs1.org/414/9520123456788"  # a GLN with a valid check digit


def _path_of_a_lot(client, parties, number: str) -> tuple[str, str]:
    """A lot made at a supplier, packed into a parcel, and the parcel's waybill scanned:
    the seller records the first two, the carrier the scans."""
    wid, _, filed = file_waybill(client, parties, number, paid=True)
    seller = parties["seller-a"].headers
    made = {
        "events": [
            {
                "time": _iso(T0 - timedelta(days=3)),
                "time_zone_offset": "+08:00",
                "biz_step": "commissioning",
                "disposition": "active",
                "location": FACTORY,
                "batches": [{"gtin": GTIN, "lot": LOT, "quantity": "40"}],
            },
            {
                "time": _iso(T0 - timedelta(days=1)),
                "biz_step": "packing",
                "disposition": "in_progress",
                "location": FACTORY,
                "parent": SSCC,
                "batches": [{"gtin": GTIN, "lot": LOT, "quantity": "2"}],
            },
        ]
    }
    r = client.post("/logistics/tracking/events", json=made, headers=seller)
    assert r.status_code == 200, r.text
    r = client.post(
        "/logistics/tracking/events", json=scans(wid), headers=parties["ship-a"].headers
    )
    assert r.status_code == 200, r.text
    order = client.get(
        "/orders", params={"order_no": filed["document"]["order_no"]}, headers=seller
    ).json()["items"][0]
    return order["id"], wid


def test_a_trace_from_lot_to_parcel_verifies_offline_and_tampering_is_caught(
    client, parties, rt, cli, tmp_path
):
    from cbec.ledger.verify import main as verify_main
    from cbec.ledger.verify import verify_trace

    order_id, wid = _path_of_a_lot(client, parties, "TR-6")
    platform = parties["platform-a"].headers  # reads the order and its waybill
    r = client.get(f"/logistics/orders/{order_id}/trace", headers=platform)
    assert r.status_code == 200, r.text
    trace = r.json()
    steps = [e.get("bizStep") for e in trace["epcis"]["epcisBody"]["eventList"]]
    # the platform reads the waybill's scans, not the seller's own lot events
    assert steps == ["accepting", "transporting"] and trace["waybills"] == [wid]
    out = cli(
        "logistics",
        "trace",
        "--order",
        order_id,
        "--as",
        "seller-a",
        "-o",
        str(tmp_path / "t.json"),
    )
    assert out.exit_code == 0, out.output
    mine = json.loads((tmp_path / "t.json").read_text())
    events = mine["epcis"]["epcisBody"]["eventList"]
    # the seller recorded the lot's events: its trace runs from the factory to the parcel
    assert [e.get("bizStep") for e in events] == [
        "commissioning",
        "packing",
        "accepting",
        "transporting",
    ]
    assert mine["batches"] == [LGTIN] and mine["parcels"] == [SSCC]
    keys = rt.ledger.vkeys
    verdict = verify_trace(mine, keys, origin=rt.ledger.origin)
    assert verdict.ok, verdict.error
    key_args = [arg for k in keys for arg in ("--key", k)]
    assert verify_main([str(tmp_path / "t.json"), "--trace", *key_args]) == 0
    # a changed reading, a dropped bundle, or another log's key: not verified
    warmer = json.loads(json.dumps(mine))
    warmer["epcis"]["epcisBody"]["eventList"][3]["sensorElementList"][0]["sensorReport"][0][
        "value"
    ] = 4
    assert not verify_trace(warmer, keys).ok
    dropped = json.loads(json.dumps(mine))
    dropped["evidence"] = dropped["evidence"][1:]
    assert "without its evidence" in verify_trace(dropped, keys).error
    # by lot: the same path; an outsider reads none of it, as for a lot that does not exist
    lot = client.get(f"/logistics/batches/{GTIN}/{LOT}/trace", headers=parties["seller-a"].headers)
    assert [e.get("bizStep") for e in lot.json()["epcis"]["epcisBody"]["eventList"]] == [
        e.get("bizStep") for e in events
    ]
    outsider = client.get(
        f"/logistics/batches/{GTIN}/{LOT}/trace", headers=parties["seller-b"].headers
    )
    unknown = client.get(
        f"/logistics/batches/{GTIN}/NOPE/trace", headers=parties["seller-b"].headers
    )
    assert outsider.status_code == unknown.status_code == 404
    assert outsider.json() == unknown.json()
    # the regulator reads every event on the path
    regulator = client.get(
        f"/logistics/orders/{order_id}/trace", headers=parties["regulator"].headers
    )
    assert len(regulator.json()["epcis"]["epcisBody"]["eventList"]) == 4


def test_the_goods_storage_class_comes_from_the_sellers_product_for_its_reader(client, parties):
    """No class on the order's lines: the seller's catalogue entry for the SKU says frozen.
    The seller reads its product, so its alerts hold the frozen limits (Directive
    89/108/EEC); the platform does not read the seller's catalogue, so it gets none."""
    wid, _, _ = file_waybill(client, parties, "TR-FROZEN", paid=True)
    order_no = client.get(f"/waybills/{wid}", headers=parties["ship-a"].headers).json()["document"][
        "order_no"
    ]
    seller = parties["seller-a"].headers
    order = client.get("/orders", params={"order_no": order_no}, headers=seller).json()
    sku = order["items"][0]["document"]["lines"][0]["sku"]
    item = next(c for c in synthetic.CATALOG if c["sku"] == sku)
    product = synthetic.product(item) | {"attributes": ["frozen"]}
    assert client.post("/products", json=product, headers=seller).status_code in (200, 201)
    body = scans(wid)
    body["events"][1]["readings"] = [{"measurement": "temperature", "value": "-16"}]
    assert (
        client.post(
            "/logistics/tracking/events", json=body, headers=parties["ship-a"].headers
        ).status_code
        == 200
    )
    as_of = {"as_of": _iso(T0 + timedelta(days=17, hours=1))}
    mine = client.get(f"/logistics/waybills/{wid}/tracking", params=as_of, headers=seller).json()
    assert mine["storage_classes"] == ["frozen"]
    (alert,) = [a for a in mine["alerts"] if a["rule"] == "sensor"]
    assert (alert["severity"], alert["params"]["bound"]) == ("warning", "-18")
    platform = client.get(
        f"/logistics/waybills/{wid}/tracking", params=as_of, headers=parties["platform-a"].headers
    ).json()
    assert platform["storage_classes"] == []
