"""At least once: SIGKILL the deliverer while the receiver holds its request unanswered;
after a restart (on a clock past the dead deliverer's lease) the message is delivered again,
under the same ``webhook-id`` and signed as the reference library signs it, and recorded as
delivered — nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from standardwebhooks.webhooks import Webhook

from cbec.config import Settings
from cbec.runtime import open_runtime
from cbec.services import webhooks as svc
from cbec.services.webhook_models import SubscriptionRequest
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from cbec.trade.filing import file_one
from cbec.trade.kinds import KINDS
from cbec.webhooks import retry
from tests.conftest import (
    ON_POSTGRES,
    PG_URL,
    TEST_KEY_SETTINGS,
    cbec_env,
    make_order,
    reset_postgres,
)
from tests.webhooks.receiver import STUCK, receiving

WORKER = Path(__file__).resolve().parents[1] / "webhooks_crash_worker.py"


def _start(env: dict[str, str], shift: float) -> tuple[subprocess.Popen, threading.Event]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(shift)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    delivered = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            if line.startswith("round ") and int(line.split()[2]) > 0:
                delivered.set()

    threading.Thread(target=read, daemon=True).start()
    return proc, delivered


def test_a_delivery_cut_by_sigkill_is_delivered_after_restart(tmp_path, rng):
    url = PG_URL if ON_POSTGRES else f"sqlite:///{tmp_path / 'hooks.db'}"
    if ON_POSTGRES:
        reset_postgres(url)
    settings = Settings(
        data_dir=tmp_path, database_url=url, webhooks_private_targets=True, **TEST_KEY_SETTINGS
    )
    env = {**cbec_env(settings), "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    rt = open_runtime(settings)
    with rt.uow(write=True) as uow:
        tenant, _ = create_tenant(uow.repo, "seller-a", Role.SELLER)
        for name, role in (("platform-a", Role.PLATFORM),):
            create_tenant(uow.repo, name, role)
        uow.commit()
    seller = Viewer(tenant.id, "seller-a", Role.SELLER)
    with receiving() as receiver:
        receiver.hold.set()
        sub = svc.subscribe(
            rt.uow(), seller, SubscriptionRequest(url=receiver.url, event_types=["document.filed"])
        )
        uow = rt.uow()
        with uow.writing():
            doc_id, _ = file_one(uow.repo, uow.vault, seller, KINDS["order"], make_order(rng, 1))
            uow.commit()
        proc, _ = _start(env, 0)
        try:
            receiver.wait_for(1)  # the deliverer is mid-delivery: the receiver has not answered
        finally:  # killed here in any case: a failed wait must not leave it running
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=STUCK)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        (d,) = svc.list_deliveries(rt.uow(), seller).deliveries
        assert (d.status, d.attempts) == ("pending", 1)  # claimed, never settled
        receiver.hold.clear()
        proc, delivered = _start(env, retry.LEASE_S + 1)
        try:
            got = receiver.wait_for(2)
            assert delivered.wait(STUCK), "the restarted deliverer settled nothing"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=STUCK)
    (first, _), (again, body) = got
    assert first["webhook-id"] == again["webhook-id"] == d.message_id
    ts = datetime.fromtimestamp(int(again["webhook-timestamp"]), UTC)
    assert Webhook(sub.secret).sign(again["webhook-id"], ts, body) == again["webhook-signature"]
    (d,) = svc.list_deliveries(rt.uow(), seller).deliveries
    assert (d.status, d.attempts, d.last_status) == ("delivered", 2, 200)
    assert doc_id in body.decode()
    rt.engine.dispose()
