"""Use case: tell subscribers of the tracking alerts that arise with the passing of time.

An alert raised by a scan (a late arrival, a reading out of its limits) is announced when
the scan is recorded (:func:`cbec.services.tracking.record_events`). A *silence* — no scan
for longer than the current leg's quantile allows (:func:`cbec.logistics.alerts.no_scan_alerts`),
the usual pattern of a lost parcel — and a parcel that has not yet reached its next place
in time arise when nothing is recorded: nobody would be told. The sweep judges, as of a
moment, the alerts on the waybills each tenant subscribed to ``tracking.alert_raised``
may read — the rule of reading the waybill's tracking (:mod:`cbec.tenancy.access`) — and
writes ``tracking.alert_raised`` into the webhooks' outbox for each alert that tenant was
not told of yet.

Once: each announcement is a row of ``tracking_alert_notices`` keyed by the tenant, the
waybill, the rule and the alert's identity (:func:`cbec.logistics.alerts.identity`),
written insert-or-skip in the transaction that writes the outbox message — two sweeps at
once, in two processes, or a sweep and a recording, never tell a tenant twice. The
recording path writes the same rows, so the sweep does not repeat what a scan announced.

Bounded: the sweep looks only at waybills with a tracking event in the last
``CBEC_ALERT_SWEEP_DAYS`` days (an index range over event times, never every document),
not delivered, and readable by a subscriber; they are judged in batches of :data:`BATCH`,
each read in its own short transaction, and a write transaction is opened only for alerts
not announced yet. A silence longer than the window is announced before the waybill
leaves it as long as the window exceeds every leg's no-scan limit (ocean legs: about
19 days at the 99th percentile in the starter network).

The announcement carries what the catalogue's builder puts in it
(:func:`cbec.webhooks.catalogue.tracking_alert_raised`): the waybill's id and number, the
alert's rule, severity, reason and figures — no personal data, and only about a waybill the
subscriber may read, judged with the goods' storage class as far as that tenant may read
the order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cbec.logistics import alerts as alerting
from cbec.services.logistics import _network
from cbec.services.tracking_models import AlertSweep
from cbec.services.tracking_views import (
    _alerts,
    _planned,
    _storage_classes,
    _tracked,
    aware,
    raised_alerts,
)
from cbec.store.alert_notice_store import AlertNotices, Key
from cbec.store.repository import UnitOfWork
from cbec.store.tracking_store import TrackingStore
from cbec.store.webhook_store import Outbox
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import StoredDocument, now
from cbec.webhooks.catalogue import TRACKING_ALERT_RAISED, tracking_alert_raised

log = logging.getLogger("cbec.tracking")

WINDOW_DAYS = 60  # CBEC_ALERT_SWEEP_DAYS when no settings are given
BATCH = 200  # waybills judged per transaction


@dataclass(frozen=True)
class Found:
    """An alert standing on a waybill, as the tenant ``tenant_id`` may read it."""

    tenant_id: int
    waybill: StoredDocument
    alert: alerting.Alert

    @property
    def key(self) -> Key:
        return (self.tenant_id, self.waybill.id, self.alert.rule, alerting.identity(self.alert))


def subscribers(uow: UnitOfWork) -> list[Viewer]:
    """The tenants subscribed to ``tracking.alert_raised``, each as a caller (what it may
    read is what it is told of)."""
    return [
        Viewer(tenant_id, name, Role(role))
        for tenant_id, name, role in AlertNotices(uow.conn).subscribers(TRACKING_ALERT_RAISED)
    ]


def announce(uow: UnitOfWork, found: Iterable[Found], at: datetime) -> int:
    """In ``uow``'s write transaction: claim a notice for each alert not announced to its
    tenant yet, and write ``tracking.alert_raised`` for those claimed into the outbox;
    returns the events written."""
    rows: dict[Key, Found] = {}
    for f in found:
        rows.setdefault(f.key, f)
    if not rows:
        return 0
    claimed = AlertNotices(uow.conn).claim(
        [
            {
                "tenant_id": key[0],
                "waybill_id": key[1],
                "rule": key[2],
                "alert_key": key[3],
                "alert_at": f.alert.at,
                "severity": f.alert.severity,
                "noticed_at": at,
            }
            for key, f in rows.items()
        ]
    )
    events = [
        tracking_alert_raised(f.tenant_id, f.waybill.id, f.waybill.natural_key, f.alert, at)
        for key, f in rows.items()
        if key in claimed
    ]
    Outbox(uow.conn).emit(events, now())
    return len(events)


def announce_raised(
    uow: UnitOfWork, waybill_ids: set[str], fresh: set[str], extra: Path | None = None
) -> int:
    """In the recording's transaction: the alerts the ``fresh`` events raise on these
    waybills, announced to every subscribed tenant that may read the waybill — the recorder
    and the others (the platform, the seller through its order, a regulator)."""
    if not waybill_ids or not fresh:
        return 0
    viewers = subscribers(uow)
    found: list[Found] = []
    for viewer in viewers:
        readable = uow.repo.visible_ids(viewer, "waybill", waybill_ids)
        if readable:
            raised = raised_alerts(uow, viewer, readable, fresh, extra)
            found += [Found(viewer.tenant_id, stored, alert) for stored, alert in raised]
    return announce(uow, found, now())


def _judge(
    uow: UnitOfWork,
    viewers: Sequence[Viewer],
    ids: Sequence[str],
    moment: datetime,
    extra: Path | None,
    places: dict[str, Any],
) -> tuple[int, list[Found]]:
    """The waybills of ``ids`` looked at, and the alerts standing on them as of ``moment``
    for each subscriber that may read them."""
    readers = {v.tenant_id: uow.repo.visible_ids(v, "waybill", ids) for v in viewers}
    store = TrackingStore(uow.conn)
    looked, found = 0, []
    for waybill_id in ids:
        who = [v for v in viewers if waybill_id in readers[v.tenant_id]]
        stored = uow.repo.get_document(who[0], "waybill", waybill_id) if who else None
        if stored is None:
            continue
        rows = [e for e in store.of_waybill(waybill_id) if e.event_time <= moment]
        events = [_tracked(e, places) for e in rows]
        if not events or any(t.milestone == "delivered" for t in events):
            continue
        looked += 1
        planned = _planned(stored.body, extra)
        sensed = any(t.readings for t in events)
        for viewer in who:
            # the goods' storage class only matters to readings, and is the reader's to know
            classes = _storage_classes(uow, viewer, stored.body) if sensed else []
            found += [
                Found(viewer.tenant_id, stored, a)
                for a in _alerts(planned, events, classes, moment, extra)
            ]
    return looked, found


def sweep_alerts(uow: UnitOfWork, at: datetime | None = None) -> AlertSweep:
    """One sweep as of ``at`` (now): every alert standing on a waybill in the window,
    announced once to each subscribed tenant that may read the waybill."""
    moment = aware(at) or now()
    settings = uow.settings
    days = int(getattr(settings, "alert_sweep_days", WINDOW_DAYS))
    extra = getattr(settings, "logistics_dir", None)
    result = AlertSweep(at=moment, window_days=days)
    with uow:
        viewers = subscribers(uow)
        if not viewers:
            return result
        ids = AlertNotices(uow.conn).waybills_since(moment - timedelta(days=days), moment)
    result.subscribers = len(viewers)
    places = _network(extra)[0].locations
    for i in range(0, len(ids), BATCH):
        part = ids[i : i + BATCH]
        with uow:
            looked, found = _judge(uow, viewers, part, moment, extra, places)
            known = AlertNotices(uow.conn).known(part)
        result.waybills += looked
        result.alerts += len(found)
        fresh = [f for f in found if f.key not in known]
        if fresh:  # a write transaction only for what may be news
            with uow.writing():
                result.emitted += announce(uow, fresh, moment)
                uow.commit()
    return result


def follow(
    uow_factory: Callable[[], UnitOfWork],
    stop: threading.Event,
    every: float,
    on_sweep: Callable[[AlertSweep], None] | None = None,
) -> None:
    """A sweep every ``every`` seconds until ``stop`` is set (``cbec logistics alerts-sweep
    --follow``, where no webhook deliverer sweeps). A failed sweep is logged and the next
    one catches up: each alert is announced once, whenever it is found."""
    while not stop.is_set():
        try:
            done = sweep_alerts(uow_factory())
        except Exception:
            log.exception("tracking alert sweep failed; retrying at the next")
        else:
            if on_sweep is not None:
                on_sweep(done)
        stop.wait(every)
