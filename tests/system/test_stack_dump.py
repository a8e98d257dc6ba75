"""``kill -USR1`` on a running ``cbec serve``: every thread's stack on standard error, and
the server answers on — what an operator (and a failing test) reads of a server that
stopped answering, without stopping it."""

from __future__ import annotations

import httpx

from tests.serverproc import diagnosis, running_server, settings_env


def test_sigusr1_dumps_every_thread_and_the_server_answers_on(rt, tmp_path):
    log = tmp_path / "server.log"
    with running_server(settings_env(rt.settings), log=log) as (url, proc):
        said = diagnosis(proc, log)
        assert httpx.get(url + "/healthz").status_code == 200
        assert proc.poll() is None
    threads = said.split("server log, last lines:")[0]
    # the event loop's thread, waiting in uvicorn's serve loop, and the integrator's thread
    assert threads.count("most recent call first") >= 2
    assert "uvicorn" in threads and "cbec/services/integrator.py" in threads
