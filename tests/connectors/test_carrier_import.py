"""Carrier tracking files recorded on a logistics firm's waybills, through the API and the
CLI: the events land on the waybill's timeline as the events route records them, a second
send records nothing new, a bad file records nothing and names its rows, and a number of
another firm's waybill is refused exactly as a number no waybill has."""

from __future__ import annotations

import json
import random
from pathlib import Path

from cbec.demo import synthetic
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant

DATA = Path(__file__).parent / "data" / "carriers"
FILES = "/logistics/tracking/files"


def file_waybill(client, parties, number: str, firm: str = "ship-a", headers=None) -> str:
    rng = random.Random(number)
    order = synthetic.order(rng, "platform-a", "seller-a", f"O-{number}")
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    body = synthetic.waybill(rng, order, number) | {"logistics_firm": firm}
    r = client.post("/waybills", json=body, headers=headers or parties[firm].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def timeline(client, party, waybill_id: str) -> list[dict]:
    r = client.get(f"/logistics/waybills/{waybill_id}/tracking", headers=party.headers)
    assert r.status_code == 200, r.text
    return r.json()["events"]


def test_a_generic_file_is_all_or_nothing_and_recorded_once(client, parties):
    ship = parties["ship-a"]
    first = file_waybill(client, parties, "CT2026000101")
    second = file_waybill(client, parties, "CT2026000102")
    body = (DATA / "generic.csv").read_bytes()
    headers = ship.headers | {"Content-Type": "text/csv"}
    # one row's time has no offset and no zone is named: nothing is recorded
    r = client.post(FILES, content=body, headers=headers)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["line[6].time"]
    assert timeline(client, ship, first) == timeline(client, ship, second) == []
    r = client.post(FILES, params={"timezone": "Asia/Shanghai"}, content=body, headers=headers)
    assert r.status_code == 200, r.text
    got = r.json()
    rows = body.decode().splitlines()[1:]
    assert got["format"] == "generic" and got["waybills"] == 2
    assert got["recorded"] == len(rows) and got["already_held"] == 0
    events = timeline(client, ship, first)
    assert [e["milestone"] for e in events] == ["picked_up", "in_transit", "customs_released"]
    assert [e["location"] for e in events] == ["CNSZX", "SHENZHEN%20HUB,%20CN", "USLAX"]
    assert [e["milestone"] for e in timeline(client, ship, second)] == [
        "info_received",
        "delivered",
    ]
    again = client.post(
        FILES, params={"timezone": "Asia/Shanghai"}, content=body, headers=headers
    ).json()
    assert again["recorded"] == 0 and again["already_held"] == len(rows)
    assert again["event_ids"] == got["event_ids"]


def test_another_firms_number_is_refused_as_an_unknown_one(client, parties, rt):
    with rt.uow(write=True) as uow:
        _, key = create_tenant(uow.repo, "ship-b", Role.LOGISTICS)
        uow.commit()
    theirs = {"Authorization": f"Bearer {key}"}
    file_waybill(client, parties, "CT2026000201", firm="ship-b", headers=theirs)
    mine = file_waybill(client, parties, "CT2026000101")
    doc = json.loads((DATA / "track17.json").read_bytes())
    ship = parties["ship-a"].headers

    def send(number: str):
        doc["data"]["number"] = number
        return client.post(FILES, params={"format": "17track"}, json=doc, headers=ship)

    other, unknown = send("CT2026000201"), send("CT2026000999")
    assert other.status_code == unknown.status_code == 422
    assert other.json()["errors"] == unknown.json()["errors"]
    assert other.json()["errors"][0]["field"] == "data.number"
    assert other.json()["errors"][0]["rule"] == "not_found"
    # ship-b's waybill gained nothing; the number filed by ship-a is recorded
    r = send("CT2026000101")
    assert r.status_code == 200 and r.json()["recorded"] == 5
    assert len(timeline(client, parties["ship-a"], mine)) == 5
    zh = client.post(
        FILES, content=b"tracking_number,time\n", headers=ship | {"Accept-Language": "zh-CN"}
    )
    assert zh.status_code == 400 and "承运商" in zh.json()["detail"]


def test_cli_records_an_aftership_file_and_names_a_bad_one(cli, client, parties, tmp_path):
    waybill = file_waybill(client, parties, "CT2026000102")
    path = DATA / "aftership.json"
    out = cli("logistics", "track", path, "--from", "aftership", "--as", "ship-a")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["recorded"] == 5
    milestones = [e["milestone"] for e in timeline(client, parties["ship-a"], waybill)]
    assert milestones == [
        "info_received",
        "picked_up",
        "customs_declared",
        "failed_attempt",
        "delivered",
    ]
    doc = json.loads(path.read_bytes())
    doc["msg"]["checkpoints"][1]["tag"] = "Teleported"
    doc["msg"]["checkpoints"][1]["subtag"] = None
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    out = cli("logistics", "track", bad, "--as", "ship-a")
    assert out.exit_code == 2
    assert "msg.checkpoints[1].tag" in out.output and "Teleported" in out.output
