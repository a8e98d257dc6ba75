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


TEES = {
    "currency": "USD",
    "freight": "8",
    "insurance": "0",
    "lines": [
        {
            "sku": "TS-1",
            "qty": 2,
            "unit_price": "40",
            "hs_code": "610910",
            "origin": "CN",
            "description": "cotton T-shirt",
        }
    ],
}


def test_quote_cli_and_api_agree_and_use_given_fx(client, parties):
    runner = CliRunner()
    done = runner.invoke(
        app, ["tax", "quote", "--dest", "US", "--date", "2025-05-03"], input=json.dumps(TEES)
    )
    assert done.exit_code == 0, done.output
    cli = json.loads(done.stdout)
    required = {"currency", "goods", "freight", "duty", "vat", "fees", "total"}
    assert required | {"de_minimis_applied", "rules", "lines"} <= set(cli)
    # US MFN on 6109.10 (cotton T-shirts) is 16.5 % of the goods value: 80 × 0.165 = 13.20
    assert (cli["duty"], cli["total"], cli["de_minimis_applied"]) == ("13.20", "101.20", False)
    h = parties["seller-a"].headers
    body = TEES | {"destination": "us", "date": "2025-05-03"}
    api = client.post("/tax/quote", json=body, headers=h).json()
    assert api == cli
    # the caller's own dated rate replaces the sample: 1 USD = 0.90 EUR
    fx = [{"base": "USD", "quote": "EUR", "rate": "0.90", "date": "2026-06-30", "source": "ECB"}]
    de = client.post(
        "/tax/quote",
        json=TEES | {"destination": "DE", "date": "2026-07-01", "fx_rates": fx},
        headers=h,
    ).json()
    assert de["fx"]["rate"] == "0.90" and de["goods"] == "72.00" and de["currency"] == "EUR"
    # EUR 3 for the one sub-heading in a consignment under EUR 150 (from 2026-07-01);
    # VAT 19 % on CIF + duty = (72.00 + 7.20 + 3.00) × 0.19 = 15.618 → 15.62
    assert (de["duty"], de["vat"]) == ("3.00", "15.62")
    bad = client.post("/tax/quote", json=TEES | {"destination": "DE", "date": "x"}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "date"
    nohs = json.loads(json.dumps(TEES))
    nohs["lines"][0]["hs_code"] = "61"
    bad = client.post(
        "/tax/quote", json=nohs | {"destination": "DE", "date": "2026-07-01"}, headers=h
    )
    assert bad.status_code == 400 and "lines[0].hs_code" in bad.json()["detail"]
    bad = runner.invoke(
        app, ["tax", "quote", "--dest", "XX", "--date", "2026-07-01"], input=json.dumps(TEES)
    )
    assert bad.exit_code == 2 and "destination" in bad.output


def test_quote_cli_takes_a_full_mfn_table(tmp_path):
    from cbec.tax import landed

    table = tmp_path / "mfn.csv"
    rows = landed.MFN_CSV.read_text(encoding="utf-8").replace(
        "US,610910,0.165,", "US,610910,0.2,", 1
    )
    table.write_text(rows, encoding="utf-8")
    done = CliRunner().invoke(
        app,
        ["tax", "quote", "--dest", "US", "--date", "2025-05-03", "--mfn", str(table)],
        input=json.dumps(TEES),
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["duty"] == "16.00"  # 80 × 20 %
    table.write_text("country,hs_prefix,rate\nUS,6109,x\n", encoding="utf-8")
    bad = CliRunner().invoke(
        app,
        ["tax", "quote", "--dest", "US", "--date", "2025-05-03", "--mfn", str(table)],
        input=json.dumps(TEES),
    )
    assert bad.exit_code == 2 and "column missing" in bad.output
