"""The e-invoice use case through the API and the CLI: a party builds a stored order's
invoice, valid by the official rules, whose SHA-256 is the one logged in the ledger; an
outsider gets 404; validation of a file reports rule ids."""

from __future__ import annotations

import hashlib
import json
import random
from decimal import Decimal
from pathlib import Path

from cbec.demo import synthetic
from cbec.einvoice import read

DATA = Path(__file__).parent / "data"
TERMS = {
    "seller": {
        "name": "Seller A Ltd",
        "endpoint": {"scheme": "0088", "id": "7300010000001"},
        "vat_id": "CN91310000MA1FL0001",
    },
    "buyer_endpoint": {"scheme": "0060", "id": "123456789"},
}


def _file_order(client, parties) -> tuple[str, dict]:
    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "EINV-1")
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code in (200, 201), r.text
    return r.json()["id"], order


def test_a_party_builds_a_valid_logged_invoice_and_an_outsider_gets_404(client, parties, rt):
    doc_id, order = _file_order(client, parties)
    r = client.post(f"/orders/{doc_id}/invoice", json=TERMS, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["valid"] and got["ledger_index"] is not None, got["findings"]
    assert got["personal_data"] == "clear"
    assert read(got["xml"].encode()).buyer.name == order["buyer"]["name"]
    assert got["sha256"] == hashlib.sha256(got["xml"].encode()).hexdigest()
    entry = json.loads(rt.ledger.entry(got["ledger_index"]).data)
    assert entry["sha256"] == got["sha256"] and entry["order"] == doc_id
    assert entry["tenants"] == ["platform-a", "seller-a"]
    r = client.post(f"/orders/{doc_id}/invoice", json=TERMS, headers=parties["seller-b"].headers)
    assert r.status_code == 404
    # the platform is a party too: a valid invoice, the buyer's name masked
    r = client.post(f"/orders/{doc_id}/invoice", json=TERMS, headers=parties["platform-a"].headers)
    assert r.status_code == 200, r.text
    assert r.json()["valid"] and r.json()["personal_data"] == "masked"
    assert read(r.json()["xml"].encode()).buyer.name != order["buyer"]["name"]
    bad = TERMS | {"buyer_endpoint": None}
    r = client.post(f"/orders/{doc_id}/invoice", json=bad, headers=parties["seller-a"].headers)
    assert r.status_code == 422
    assert "buyer_endpoint" in r.text


def test_validate_reports_rule_ids(client, parties, cli, tmp_path):
    xml = (DATA / "base-example.xml").read_bytes()
    h = parties["seller-a"].headers | {"content-type": "application/xml"}
    r = client.post("/einvoices/validate", content=xml, headers=h)
    assert r.status_code == 200 and r.json() == {"valid": True, "findings": []}
    broken = xml.replace(b"<cbc:DocumentCurrencyCode>EUR", b"<cbc:DocumentCurrencyCode>XYZ")
    r = client.post("/einvoices/validate", content=broken, headers=h)
    assert "BR-CL-04" in {f["rule"] for f in r.json()["findings"]}
    path = tmp_path / "bad.xml"
    path.write_bytes(broken)
    out = cli("einvoice", "validate", str(path))
    assert out.exit_code == 1
    assert "BR-CL-04" in {f["rule"] for f in json.loads(out.stdout)["findings"]}


def test_the_cli_builds_the_same_invoice(client, parties, cli, tmp_path):
    doc_id, _ = _file_order(client, parties)
    out_xml = tmp_path / "inv.xml"
    out = cli("einvoice", "build", doc_id, "--as", "seller-a", "--xml", out_xml,
              input=json.dumps(TERMS))  # fmt: skip
    assert out.exit_code == 0, out.stdout
    got = json.loads(out.stdout)
    assert got["valid"] and got["sha256"] == hashlib.sha256(out_xml.read_bytes()).hexdigest()
    assert cli("einvoice", "validate", out_xml).exit_code == 0
    refused = cli("einvoice", "build", doc_id, "--as", "seller-a",
                  input=json.dumps(TERMS | {"paid": False}))  # fmt: skip
    assert refused.exit_code == 2 and "due_date" in refused.stdout + refused.stderr


def test_a_party_builds_a_logged_credit_note_of_the_invoice_and_the_cli_too(
    client, parties, rt, cli, tmp_path
):
    doc_id, order = _file_order(client, parties)
    line = order["lines"][0]
    body = TERMS | {
        "reason": "One unit returned",
        "lines": [{"line_no": line["line_no"], "quantity": "1"}],
        "credit_note_date": "2026-12-01",
    }
    h = parties["seller-a"].headers
    r = client.post(f"/orders/{doc_id}/credit-note", json=body, headers=h)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["valid"] and got["ledger_index"] is not None, got["findings"]
    assert got["invoice_number"] == f"INV-{order['order_no']}"
    note = read(got["xml"].encode())
    assert note.credit_note and note.preceding.number == got["invoice_number"]
    assert note.totals().line_extension == Decimal(line["unit_price"])  # one unit, no freight
    entry = json.loads(rt.ledger.entry(got["ledger_index"]).data)
    assert entry["sha256"] == hashlib.sha256(got["xml"].encode()).hexdigest()
    assert (entry["credit_note"], entry["invoice"]) == (got["number"], got["invoice_number"])
    r = client.post(f"/orders/{doc_id}/credit-note", json=body, headers=parties["seller-b"].headers)
    assert r.status_code == 404
    too_many = body | {"lines": [{"line_no": line["line_no"], "quantity": "999"}]}
    r = client.post(f"/orders/{doc_id}/credit-note", json=too_many, headers=h)
    assert r.status_code == 422 and "lines.0.quantity" in r.text
    # the credit note validates as a credit note through the API
    xh = h | {"content-type": "application/xml"}
    r = client.post("/einvoices/validate", content=got["xml"].encode(), headers=xh)
    assert r.status_code == 200 and r.json() == {"valid": True, "findings": []}
    out_xml = tmp_path / "cn.xml"
    out = cli("einvoice", "credit-note", doc_id, "--as", "seller-a", "--xml", out_xml,
              input=json.dumps(body))  # fmt: skip
    assert out.exit_code == 0, out.stdout
    assert json.loads(out.stdout)["sha256"] == hashlib.sha256(out_xml.read_bytes()).hexdigest()
    out = cli("einvoice", "credit-note", doc_id, "--as", "seller-a", input=json.dumps(too_many))
    assert out.exit_code == 2
    # the API's credit note and the CLI's, each one unit of the line: none of it is left
    out = cli("einvoice", "credit-notes", doc_id, "--as", "seller-a")
    assert out.exit_code == 0, out.stdout
    (invoice,) = json.loads(out.stdout)["invoices"]
    assert [c["number"] for c in invoice["credit_notes"]] == [got["number"], f"{got['number']}-2"]
    left = Decimal(line["qty"]) - 2
    assert Decimal(invoice["remaining"]["lines"][str(line["line_no"])]) == left
    assert cli("einvoice", "credit-notes", doc_id, "--as", "seller-b").exit_code != 0
