"""The tax features through the CLI and the HTTP API: same answers as the Python API."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cbec.cli.main import app


def test_positive_list_cli_and_api(client, parties):
    runner = CliRunner()
    done = runner.invoke(
        app, ["tax", "positive-list", "3304100000", "99999999", "--date", "2026-03-01"]
    )
    assert done.exit_code == 1, done.output  # one code is not on the list
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert (first["status"], first["tariff_line"]) == ("allowed", "33041000")
    assert second["status"] == "not_on_list"
    assert any("SAMPLE" in n for n in second["notes"])
    ok = runner.invoke(app, ["tax", "positive-list", "04090000", "--date", "2026-03-01"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["status"] == "allowed"
    bad = runner.invoke(app, ["tax", "positive-list", "0409", "--date", "2026-03-01"])
    assert bad.exit_code == 2
    h = parties["seller-a"].headers
    r = client.get(
        "/tax/cn-import/positive-list/3304100000", params={"date": "2026-03-01"}, headers=h
    )
    assert r.status_code == 200 and r.json() == first
    r = client.get("/tax/cn-import/positive-list/33", params={"date": "2026-03-01"}, headers=h)
    assert r.status_code == 400 and r.json()["code"] == "tax_input"
    r = client.get(
        "/tax/cn-import/positive-list/33041000", params={"date": "2019-06-01"}, headers=h
    )
    assert r.status_code == 400  # before the first edition the sample covers
