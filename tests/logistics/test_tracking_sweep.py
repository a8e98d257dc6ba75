"""The alert sweep: a silence past the current leg's limit reaches, once, every tenant
subscribed to ``tracking.alert_raised`` that may read the waybill — none that may not —
and an alert announced when its events were recorded is not announced again.

Oracles: the road leg LAX→ONT of the starter network is planned at one day with no spread
(p50 = p90 = 1 day, ``legs.csv``), so its 99th percentile is 24 h, which is also the road
floor of ``alert_policy.csv``: the silence after the arrival at USLAX is an alert from
24 h on, not before. Who reads the waybill follows the README's table: its filer (ship-a),
its platform (platform-a), the seller of its vouched-for order (seller-a, the order paid)
and regulators; not seller-b. Moments are given, never read from the clock — except the
recording's own, which is after every moment the test names."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cbec.api.app import create_app
from cbec.logistics import alerts as alerting
from cbec.services import tracking_sweep, webhook_delivery
from cbec.services.tracking_sweep import sweep_alerts
from cbec.store.alert_notice_store import AlertNotices
from cbec.store.tables import tracking_alert_notices, webhook_messages
from tests.logistics.test_tracking import SSCC, T0, _iso, file_waybill

ARRIVED = T0 + timedelta(days=14)  # at USLAX: an early crossing, no delay anywhere
LIMIT = timedelta(hours=24)  # the road leg's p99 (one day, no spread) = the road floor
SUBSCRIBERS = ("ship-a", "platform-a", "seller-a", "seller-b", "regulator")
READERS = {"ship-a", "platform-a", "seller-a", "regulator"}


def _scans(wid: str, readings: list | None = None, arrived: datetime = ARRIVED) -> dict:
    return {
        "waybill_id": wid,
        "events": [
            {"time": _iso(T0), "milestone": "picked_up", "location": "CNSHA", "epcs": [SSCC]},
            {
                "time": _iso(arrived),
                "milestone": "in_transit",
                "location": "USLAX",
                "epcs": [SSCC],
                "readings": readings or [],
            },
        ],
    }


def _record(client, parties, body) -> None:
    r = client.post("/logistics/tracking/events", json=body, headers=parties["ship-a"].headers)
    assert r.status_code == 200, r.text


def _subscribe(client, parties, names=SUBSCRIBERS) -> None:
    for name in names:
        r = client.post(
            "/webhooks/subscriptions",
            json={"url": "http://127.0.0.1:9/alerts", "event_types": ["tracking.alert_raised"]},
            headers=parties[name].headers,
        )
        assert r.status_code == 201, r.text


def _told(rt, parties) -> list[tuple[str, dict]]:
    """The outbox's tracking.alert_raised messages: (tenant told, data)."""
    names = {p.viewer.tenant_id: name for name, p in parties.items()}
    with rt.engine.connect() as conn:
        rows = conn.execute(
            select(webhook_messages.c.tenant_id, webhook_messages.c.body).where(
                webhook_messages.c.event_type == "tracking.alert_raised"
            )
        ).all()
    return [(names[r.tenant_id], json.loads(r.body)["data"]) for r in rows]


@pytest.fixture
def client(rt):
    """The API without the background deliverer, whose sweeps (as of now) would race the
    tests' own."""
    with TestClient(create_app(rt, deliver_in_background=False)) as c:
        yield c


@pytest.fixture
def silent(client, parties):
    """A paid order's waybill scanned at Shanghai and at Los Angeles, recorded while nobody
    subscribed; then the five subscriptions."""
    wid, number, _ = file_waybill(client, parties, "SW-1", paid=True)
    _record(client, parties, _scans(wid))
    _subscribe(client, parties)
    return wid, number


def test_a_silence_past_the_legs_p99_is_told_once_to_each_reader(rt, parties, silent):
    wid, number = silent
    before = sweep_alerts(rt.uow(), ARRIVED + LIMIT - timedelta(hours=1))
    assert (before.subscribers, before.waybills, before.alerts, before.emitted) == (5, 1, 0, 0)
    assert _told(rt, parties) == []

    at = ARRIVED + LIMIT + timedelta(hours=1)
    done = sweep_alerts(rt.uow(), at)
    assert (done.waybills, done.alerts, done.emitted) == (1, 4, 4)
    told = _told(rt, parties)
    assert sorted(name for name, _ in told) == sorted(READERS)  # seller-b: not a reader
    for _, data in told:
        assert (data["waybill_id"], data["waybill_no"]) == (wid, number)
        assert (data["rule"], data["severity"]) == ("no_scan", "critical")
        assert data["params"]["since"] == ARRIVED.isoformat()
        assert data["params"]["leg"] == "USLAX→WH-US-ONT"
        assert data["params"]["limit_hours"] == 24.0
        assert data["params"]["gap_hours"] == 25.0
        assert data["at"] == data["raised_at"] == at.isoformat()

    # the same sweep again, and later ones while the silence lasts, tell nobody again
    for later in (at, at + timedelta(hours=6)):
        again = sweep_alerts(rt.uow(), later)
        assert (again.alerts, again.emitted) == (4, 0)
    assert len(_told(rt, parties)) == 4


def test_the_sweep_looks_only_at_waybills_with_events_in_its_window(rt, parties, silent):
    window = rt.settings.alert_sweep_days
    late = ARRIVED + timedelta(days=window, hours=1)  # the last scan has left the window
    assert (sweep_alerts(rt.uow(), late).waybills, len(_told(rt, parties))) == (0, 0)
    # a delivered waybill is not looked at either
    wid, _ = silent
    delivered = {
        "waybill_id": wid,
        "events": [{"time": _iso(ARRIVED + timedelta(hours=20)), "milestone": "delivered"}],
    }
    _record_as(rt, parties, delivered)
    assert sweep_alerts(rt.uow(), ARRIVED + timedelta(days=3)).waybills == 0
    assert _told(rt, parties) == []


def _record_as(rt, parties, body) -> None:
    from cbec.services.tracking import record_events
    from cbec.services.tracking_models import TrackingEventsRequest

    record_events(rt.uow(), parties["ship-a"].viewer, TrackingEventsRequest.model_validate(body))


def test_alerts_told_when_recorded_are_not_told_again_by_the_sweep(client, rt, parties):
    """Recorded now (after every moment named here): a late crossing with a warm reading.
    The recording tells each subscribed reader what it raises — the platform and the paid
    order's seller too, not only the carrier that recorded — and the sweep adds nothing."""
    from scipy import stats

    from cbec.logistics.transit import Transit

    wid, _, _ = file_waybill(client, parties, "SW-2", storage="refrigerated", paid=True)
    _subscribe(client, parties)
    sea = Transit.of(17, 18)
    late = T0 + timedelta(days=float(stats.lognorm(s=sea.sigma, scale=sea.p50).ppf(0.95)))
    warm = [{"measurement": "temperature", "value": "9.5"}]
    _record(client, parties, _scans(wid, warm, arrived=late))
    told = _told(rt, parties)
    by_tenant: dict[str, set[str]] = {}
    for name, data in told:
        assert data["waybill_id"] == wid
        by_tenant.setdefault(name, set()).add(data["rule"])
    # the carrier does not read the order, so it hears of no reading against its goods
    assert by_tenant["ship-a"] == {"delay", "no_scan"}
    assert by_tenant["platform-a"] == by_tenant["seller-a"] == {"delay", "no_scan", "sensor"}
    assert "seller-b" not in by_tenant
    # as of a moment weeks on (the recording's "now" is later still): the same alerts
    done = sweep_alerts(rt.uow(), T0 + timedelta(days=40))
    assert done.alerts == len(told) and done.emitted == 0
    assert len(_told(rt, parties)) == len(told)


def test_two_sweeps_at_once_tell_each_tenant_once(rt, parties, silent, monkeypatch):
    """Both sweeps judge before either writes (their reads of the notices given are made
    to miss each other's): the notice's unique key lets one of them tell."""
    monkeypatch.setattr(AlertNotices, "known", lambda self, ids: set())
    at = ARRIVED + LIMIT + timedelta(hours=1)
    gate = threading.Barrier(2)
    results = []

    def sweep() -> None:
        uow = rt.uow()
        gate.wait()
        results.append(sweep_alerts(uow, at))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.emitted for r in results) == [0, 4]
    assert len(_told(rt, parties)) == 4
    with rt.engine.connect() as conn:
        assert len(conn.execute(select(tracking_alert_notices)).all()) == 4


def test_identity_of_a_silence_holds_while_it_lasts():
    leg = alerting.PlannedLeg("A", "B", "road", None)
    scans = [alerting.Scan(T0, "A")]
    pol = alerting.policy(T0.date())
    one = alerting.no_scan_alerts([leg], scans, T0 + timedelta(hours=30), pol)
    two = alerting.no_scan_alerts([leg], scans, T0 + timedelta(hours=50), pol)
    assert one[0].reason != two[0].reason  # the gap grows
    assert alerting.identity(one[0]) == alerting.identity(two[0])
    after = [*scans, alerting.Scan(T0 + timedelta(hours=40), "C")]  # a scan ends it
    three = alerting.no_scan_alerts([leg], after, T0 + timedelta(hours=70), pol)
    assert alerting.identity(three[0]) != alerting.identity(one[0])


def test_the_deliverer_sweeps_then_delivers(rt, parties, silent):
    at = ARRIVED + LIMIT + timedelta(hours=1)
    stop = threading.Event()
    swept = []
    webhook_delivery.follow(
        rt.uow, stop, lambda: at, on_round=lambda _: stop.set(), on_sweep=swept.append
    )
    assert [s.emitted for s in swept] == [4]
    assert len(_told(rt, parties)) == 4


def test_the_cli_runs_one_sweep(cli, rt, parties, silent):
    at = ARRIVED + LIMIT + timedelta(hours=1)
    r = cli("logistics", "alerts-sweep", "--at", at.isoformat())
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["waybills"], out["emitted"], out["window_days"]) == (1, 4, 60)
    assert datetime.fromisoformat(out["at"]) == at
    assert len(_told(rt, parties)) == 4
    again = json.loads(cli("logistics", "alerts-sweep", "--at", at.isoformat()).stdout)
    assert again["emitted"] == 0
    refused = cli("logistics", "alerts-sweep", "--at", at.isoformat(), "--follow")
    assert refused.exit_code != 0


def test_follow_sweeps_until_stopped(rt, parties, silent, monkeypatch):
    at = ARRIVED + LIMIT + timedelta(hours=1)
    real = tracking_sweep.sweep_alerts
    monkeypatch.setattr(tracking_sweep, "sweep_alerts", lambda uow, when=None: real(uow, at))
    stop = threading.Event()
    seen = []

    def on_sweep(done) -> None:
        seen.append(done.emitted)
        if len(seen) == 2:
            stop.set()

    tracking_sweep.follow(rt.uow, stop, 0.0, on_sweep)
    assert seen == [4, 0]
