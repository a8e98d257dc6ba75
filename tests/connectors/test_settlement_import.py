"""``cbec import payments FILE --from …`` and ``POST /payments/settlements/import``: a
settlement report filed through the native bulk import by a payment firm — the payments are
then listed like any other, a second import of the same file changes nothing (natural keys),
a bad file is refused whole naming row and column, and a seller may not file payments."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).parent / "data" / "settlements"
CSV = {"Content-Type": "text/csv"}
URL = "/payments/settlements/import"


def payments_of(client, party) -> dict[str, dict]:
    page = client.get("/payments", params={"limit": 500}, headers=party.headers).json()
    return {p["document"]["transaction_id"]: p["document"] for p in page["items"]}


def run(cli, path: Path, *extra, who: str = "pay-a"):
    return cli("import", "payments", path, "--as", who, "--platform", "platform-a", *extra)


def charge_gross(name: str) -> Decimal:
    """The oracle: the gross of the report's charge rows, summed from the file itself."""
    rows = csv.DictReader(io.StringIO((DATA / name).read_text(encoding="utf-8")))
    return sum(
        (Decimal(r["gross"]) for r in rows if r["reporting_category"] == "charge"), Decimal(0)
    )


def test_stripe_report_is_filed_and_reimport_is_idempotent(cli, client, parties, tmp_path):
    path = shutil.copy(DATA / "stripe_balance_itemized.csv", tmp_path / "balance.csv")
    r = run(cli, path, "--from", "auto")
    assert r.exit_code == 0, r.output
    assert "format: stripe" in r.stdout and "customer_email" in r.stdout
    assert "refund: 1" in r.stdout and "payout: 1" in r.stdout
    assert "3 created, 0 unchanged, 0 rejected" in r.stdout
    stored = payments_of(client, parties["pay-a"])
    assert len(stored) == 3
    assert sum((Decimal(p["amount"]) for p in stored.values()), Decimal(0)) == charge_gross(
        "stripe_balance_itemized.csv"
    )
    assert {p["payment_firm"] for p in stored.values()} == {"pay-a"}
    r = run(cli, path, "--from", "stripe")
    assert r.exit_code == 0, r.output
    assert "0 created, 3 unchanged, 0 rejected" in r.stdout
    assert payments_of(client, parties["pay-a"]).keys() == stored.keys()


def test_bad_report_is_refused_whole_naming_row_and_column(cli, client, parties, tmp_path):
    path = shutil.copy(DATA / "paypal_activity.csv", tmp_path / "activity.csv")
    r = run(cli, path, "--from", "paypal")
    assert r.exit_code != 0
    assert "row 7: Custom Number: CEB411 requires the payer's ID" in r.stderr
    assert "nothing written" in r.stdout
    assert payments_of(client, parties["pay-a"]) == {}
    rejects = [json.loads(x) for x in (tmp_path / "activity.csv.rejects.jsonl").open()]
    assert [(x["row"], x["errors"][0]["field"]) for x in rejects] == [(7, "Custom Number")]
    r = run(cli, path, "--from", "paypal", "--continue-on-error")
    assert "2 created, 0 unchanged, 1 rejected" in r.stdout
    assert set(payments_of(client, parties["pay-a"])) == {"1AB23456CD7890120", "2CD34567EF8901231"}


def test_only_a_payment_firm_files_payments(cli, client, parties, tmp_path):
    path = shutil.copy(DATA / "generic_settlement.csv", tmp_path / "ledger.csv")
    r = run(cli, path, "--from", "generic", who="seller-a")
    assert r.exit_code != 0 and "cannot file payment documents" in r.output
    r = client.post(
        URL,
        params={"platform": "platform-a"},
        content=path.read_bytes(),
        headers={**parties["seller-a"].headers, **CSV},
    )
    assert r.status_code == 403 and r.json()["code"] == "role_cannot_file"
    assert payments_of(client, parties["pay-a"]) == {}


def test_api_import_is_idempotent_and_refuses_in_both_languages(client, parties):
    headers = {**parties["pay-a"].headers, **CSV}
    body = (DATA / "generic_settlement.csv").read_bytes()
    params = {"platform": "platform-a", "source": "auto"}
    r = client.post(URL, params=params, content=body, headers=headers)
    assert r.status_code == 200, r.text
    first = r.json()
    assert (first["format"], first["created"], first["unchanged"]) == ("generic", 2, 0)
    r = client.post(URL, params=params, content=body, headers=headers)
    assert (r.json()["created"], r.json()["unchanged"]) == (0, 2)
    paypal = (DATA / "paypal_activity.csv").read_bytes()
    for lang, text in (("en", "CEB411 requires"), ("zh-CN", "CEB411 要求支付人")):
        r = client.post(
            URL, params=params, content=paypal, headers={**headers, "Accept-Language": lang}
        )
        assert r.status_code == 422 and r.json()["code"] == "batch_rejected"
        (reject,) = r.json()["report"]["rejects"]
        assert reject["row"] == 7 and reject["errors"][0]["field"] == "Custom Number"
        assert text in reject["errors"][0]["message"]
    assert len(payments_of(client, parties["pay-a"])) == 2  # the PayPal file wrote nothing
    r = client.post(URL, params=params, content=b"order_no,buyer.name\n1,x\n", headers=headers)
    assert r.status_code == 400 and r.json()["code"] == "settlement_format_unknown"
