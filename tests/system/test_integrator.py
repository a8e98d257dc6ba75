"""The integrator (:mod:`cbec.services.integrator`): ``cbec serve`` runs it in a thread unless
``CBEC_INTEGRATOR=off``; ``cbec ledger integrate --follow`` runs it as a process of its own
until a signal stops it, printing one line per checkpoint it signs. The checkpoints the
process says it signed are compared with the checkpoints table (the oracle). SQLite and
PostgreSQL; the several-host layout itself is tests/system/test_multi_host.py."""

from __future__ import annotations

import signal
import subprocess
import tempfile
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cbec.api.app import create_app
from cbec.config import Settings
from cbec.services import integrator
from cbec.store.tables import ledger_checkpoints
from tests.serverproc import CBEC, START_LIMIT, settings_env
from tests.waiting import wait_for

WAIT_LIMIT = 180.0  # bounds a hang only: each wait ends when its signal is seen


def integrator_threads() -> int:
    return sum(t.name == integrator.THREAD_NAME for t in threading.enumerate())


@pytest.mark.parametrize(("value", "on"), [("on", True), ("off", False), ("true", True)])
def test_the_setting_reads_on_and_off(monkeypatch, value, on):
    monkeypatch.setenv("CBEC_INTEGRATOR", value)
    assert Settings().integrator is on


@pytest.mark.parametrize("on", [True, False])
def test_a_server_runs_the_integrator_only_when_the_setting_says_so(rt, on):
    changed = type(rt)(
        **{**rt.__dict__, "settings": rt.settings.model_copy(update={"integrator": on})}
    )
    before = integrator_threads()
    with TestClient(create_app(changed)):
        assert integrator_threads() == before + on
    assert integrator_threads() == before  # stopped with the app


def checkpoint_sizes(rt) -> list[int]:
    with rt.engine.connect() as conn:
        return list(conn.scalars(select(ledger_checkpoints.c.size).order_by("size")))


def test_follow_integrates_until_stopped(rt):
    signed = []
    stop = threading.Event()
    worker = threading.Thread(target=integrator.follow, args=(rt, stop, signed.append))
    worker.start()
    try:
        rt.ledger.append([("text/plain", b"one"), ("text/plain", b"two")])
        wait_for("a checkpoint of 2 entries", lambda: 2 in checkpoint_sizes(rt))
        rt.ledger.append([("text/plain", b"three")])
        wait_for("a checkpoint of 3 entries", lambda: 3 in checkpoint_sizes(rt))
    finally:
        stop.set()
        worker.join(timeout=WAIT_LIMIT)
    assert not worker.is_alive()
    assert [cp.size for cp in signed] == checkpoint_sizes(rt) == [2, 3]


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT])
def test_the_follow_command_is_one_process_stopped_by_a_signal(rt, stop_with):
    env = settings_env(rt.settings) | {"CBEC_LEDGER_CHECKPOINT_INTERVAL_MS": "100"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errs:
        proc = subprocess.Popen(
            [CBEC, "ledger", "integrate", "--follow"], env=env, stdout=out, stderr=errs
        )
        try:
            rt.ledger.append([("text/plain", b"filed elsewhere")])

            def signed() -> bool:
                if proc.poll() is not None:
                    errs.seek(0)
                    pytest.fail(f"the integrator stopped: {errs.read().decode()[-4000:]}")
                return 1 in checkpoint_sizes(rt)

            wait_for("the process to sign a checkpoint", signed)
            proc.send_signal(stop_with)
            assert proc.wait(timeout=START_LIMIT) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=60)
        out.seek(0)
        assert out.read().decode() == "signed checkpoint at size 1\n"
        errs.seek(0)
        said = errs.read().decode()
        assert "until stopped" in said and said.rstrip().endswith("integrator stopped")


def test_of_two_follow_commands_one_integrates_and_the_other_takes_over(rt, tmp_path):
    """A standby ``--follow`` (a second host) waits while the first leads, signs nothing,
    and takes over when the first is killed — the election the servers' workers use."""
    env = settings_env(rt.settings) | {"CBEC_LEDGER_CHECKPOINT_INTERVAL_MS": "100"}
    procs = {}

    def start(name: str) -> subprocess.Popen:
        out, errs = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
        with out.open("wb") as o, errs.open("wb") as e:
            procs[name] = subprocess.Popen(
                [CBEC, "ledger", "integrate", "--follow"], env=env, stdout=o, stderr=e
            )
        return procs[name]

    def said(name: str, what: str) -> bool:
        if procs[name].poll() is not None and procs[name].returncode != -signal.SIGKILL:
            pytest.fail(f"{name} stopped: {(tmp_path / f'{name}.err').read_text()[-4000:]}")
        return what in (tmp_path / f"{name}.err").read_text()

    try:
        first = start("first")
        wait_for("the first to lead", lambda: said("first", f"process {first.pid} leads"))
        second = start("second")
        waits = f"another process leads; process {second.pid} waits"
        wait_for("the second to wait", lambda: said("second", waits))
        rt.ledger.append([("text/plain", b"one")])
        wait_for("a checkpoint of 1 entry", lambda: 1 in checkpoint_sizes(rt))
        assert (tmp_path / "second.out").read_text() == ""  # the standby signs nothing
        first.kill()
        first.wait(timeout=START_LIMIT)
        wait_for("the second to lead", lambda: said("second", f"process {second.pid} leads"))
        rt.ledger.append([("text/plain", b"two")])
        wait_for("a checkpoint of 2 entries", lambda: 2 in checkpoint_sizes(rt))
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=START_LIMIT) == 0
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=60)
    # each checkpoint signed once, by the leader of the moment (an empty log may be signed
    # at size 0 before the first entry)
    signed = {
        name: [int(line.rsplit(" ", 1)[1]) for line in (tmp_path / f"{name}.out").open()]
        for name in ("first", "second")
    }
    assert signed["first"][-1] == 1 and signed["second"] == [2]
    assert signed["first"] + signed["second"] == checkpoint_sizes(rt)
