"""Request ids: a sane ``X-Request-ID`` is kept, anything else replaced by a new one; the id
is echoed in the answer, written in the access line and in every application line logged
while the request ran — including the error line of a 500 — and those lines are JSON that
names the exception's type but never its message (which can quote personal data)."""

from __future__ import annotations

import io
import json
import logging
import re
import sys

import pytest
from fastapi.testclient import TestClient

from cbec.api.app import create_app
from cbec.logs import JsonFormatter, RequestIdFilter, StderrHandler
from tests.logcapture import Lines, log_lines

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def logged():
    """JSON lines of the access log and of the application, as ``cbec serve`` writes them."""
    handler = Lines(json.loads)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    with log_lines("cbec.access", "cbec.api", handler=handler) as out:
        yield out


@pytest.fixture
def client(rt):
    app = create_app(rt, integrate_in_background=False, deliver_in_background=False)

    def boom(doc_id: str) -> None:
        raise RuntimeError(f"failed on buyer 110105194912310021 for {doc_id}")

    app.add_api_route("/boom/{doc_id}", boom, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("trace-42.a_B", True),
        ("x" * 64, True),
        ("x" * 65, False),  # too long
        ("two words", False),
        ("id;drop", False),
        ("", False),
        (None, False),
    ],
)
def test_a_sane_request_id_is_kept_else_a_new_one_is_given(client, logged, sent, kept):
    headers = {} if sent is None else {"X-Request-ID": sent}
    answer = client.get("/healthz", headers=headers)
    echoed = answer.headers["x-request-id"]
    if kept:
        assert echoed == sent
    else:
        assert GENERATED.fullmatch(echoed) and echoed != sent
    access = [line for line in logged if line["logger"] == "cbec.access"]
    assert len(access) == 1
    assert json.loads(access[0]["message"])["request_id"] == echoed


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_an_error_is_logged_with_the_request_id_and_its_type_only(client, logged):
    answer = client.get("/boom/4471", headers={"X-Request-ID": "incident-9"})
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["x-request-id"] == "incident-9"
    errors = [line for line in logged if line["logger"] == "cbec.api"]
    assert len(errors) == 1
    error = errors[0]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "incident-9"
    assert error["exc_type"] == "RuntimeError"
    assert error["message"] == "unexpected error on GET /boom/{doc_id}"  # the template
    assert error["exc_where"].endswith("in boom")
    assert set(error) == {
        "time", "level", "logger", "message", "request_id", "exc_type", "exc_where"
    }  # fmt: skip
    assert datetime_is_utc(error["time"])
    access = [json.loads(line["message"]) for line in logged if line["logger"] == "cbec.access"]
    assert [(a["route"], a["status"], a["request_id"]) for a in access] == [
        ("/boom/{doc_id}", 500, "incident-9")
    ]
    text = json.dumps(logged)
    assert "110105194912310021" not in text and "4471" not in text


def datetime_is_utc(stamp: str) -> bool:
    from datetime import datetime, timedelta

    return datetime.fromisoformat(stamp).utcoffset() == timedelta(0)


def test_lines_outside_a_request_carry_no_id(logged):
    logging.getLogger("cbec.api").warning("starting")
    assert logged[-1]["request_id"] == "-" and logged[-1]["message"] == "starting"


def test_the_stderr_handlers_write_to_the_stderr_of_the_moment(monkeypatch):
    """cbec's log handlers (application and access log) write to whatever ``sys.stderr`` is
    when a line is logged, not the one they were made with: a process that swaps it (a
    test runner capturing a test's output, then closing it) loses no line to a closed
    stream ("--- Logging error ---" and the line gone)."""
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("cbec.test.stderr")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("to the first")
        assert first.getvalue() == "to the first\n"
        first.close()
        monkeypatch.setattr(sys, "stderr", second)
        logger.warning("to the second")
    finally:
        logger.removeHandler(handler)
    assert second.getvalue() == "to the second\n"
