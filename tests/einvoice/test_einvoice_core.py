"""E-invoices against the official rules as the oracle: cbec's invoices of several orders pass
the OASIS UBL 2.1 schema and every fatal CEN EN 16931 and Peppol BIS 3.0 rule; the official
Peppol examples pass; known-bad mutations of them fail with the rule ids the standard names;
an invoice reads back equal; missing terms are refused naming the field."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from cbec.demo import synthetic
from cbec.einvoice import InvoiceTerms, invoice_of, read, validate, write
from cbec.einvoice.ubl import NS_CAC, NS_CBC
from cbec.errors import DocumentInvalid

DATA = Path(__file__).parent / "data"
EXAMPLES = sorted(DATA.glob("*.xml"))
SELLER = {
    "name": "Seller A Ltd",
    "endpoint": {"scheme": "0088", "id": "7300010000001"},
    "vat_id": "CN91310000MA1FL0001",
    "city": "Shanghai",
}
_no_vat_id = {k: v for k, v in SELLER.items() if k != "vat_id"}
TERMS = {"seller": SELLER, "buyer_endpoint": {"scheme": "0060", "id": "123456789"}}


def _orders(n: int) -> list[dict]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        o = synthetic.order(rng, "platform-a", "seller-a", f"EI-{i}")
        if i % 3 == 1:  # an EU sale under IOSS, standard-rated at the destination's rate
            o |= {"ioss_number": "IM2760000001", "destination_country": "DE", "currency": "EUR"}
        if i % 2:
            o["discount"] = "3.10"
        out.append(o)
    return out


@pytest.mark.parametrize("order", _orders(8), ids=lambda o: o["order_no"])
def test_invoices_of_orders_pass_the_official_rules_and_read_back(order):
    invoice = invoice_of(order, InvoiceTerms.model_validate(TERMS))
    xml = write(invoice)
    report = validate(xml)
    assert report.valid, report.findings
    assert read(xml) == invoice
    totals = invoice.totals()
    lines = sum(Decimal(line["line_total"]) for line in order["lines"])
    want = lines + Decimal(order["freight"]) - Decimal(order["discount"])
    assert totals.tax_exclusive == want
    if order.get("ioss_number"):  # DE standard VAT 19 % (dest_rules.csv DE-VAT-19)
        assert totals.tax == (want * Decimal("0.19")).quantize(Decimal("0.01"))
    else:
        assert totals.tax == 0 and invoice.lines[0].tax.category == "G"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_official_examples_validate_clean(path):
    report = validate(path.read_bytes())
    assert report.valid, report.findings


def _mutate(old: str, new: str) -> bytes:
    xml = (DATA / "base-example.xml").read_text("utf-8")
    assert old in xml
    return xml.replace(old, new, 1).encode()


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [  # EN 16931-1 §6.4 totals, BR-16 at least one line, Peppol's own rules
        (
            '<cbc:TaxInclusiveAmount currencyID="EUR">1656.25',
            '<cbc:TaxInclusiveAmount currencyID="EUR">1656.26',
            "BR-CO-15",
        ),
        (
            '<cbc:LineExtensionAmount currencyID="EUR">1300<',
            '<cbc:LineExtensionAmount currencyID="EUR">1299<',
            "BR-CO-10",
        ),
        ("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>XYZ", "BR-CL-04"),
        ("<cbc:ProfileID>", "<cbc:ProfileID>x", "PEPPOL-EN16931-R007"),
    ],
)
def test_known_bad_mutations_fail_with_the_rule_id(old, new, rule):
    report = validate(_mutate(old, new))
    assert not report.valid
    assert rule in report.rules(), report.findings


def test_an_invoice_without_lines_breaks_br_16():
    xml = (DATA / "base-example.xml").read_text("utf-8")
    head, _, _ = xml.partition("<cac:InvoiceLine>")
    report = validate((head + "</Invoice>").encode())
    assert {"BR-16", "XSD"} <= report.rules()  # UBL's schema requires a line too


def test_schema_errors_and_garbage_are_findings():
    assert "XSD" in validate(_mutate("<cbc:IssueDate>", "<cbc:Bogus/><cbc:IssueDate>")).rules()
    assert validate(b"not xml").rules() == {"XML"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"buyer_endpoint": None}, "buyer_endpoint"),
        ({"seller": _no_vat_id}, "seller.vat_id"),
        ({"seller": _no_vat_id, "vat_category": "O"}, "seller.company_id"),
        ({"paid": False}, "due_date"),
        ({"vat_category": "E"}, "exemption_reason"),
        ({"vat_category": "S"}, "vat_rate"),  # CN has no VAT row in the rule table
    ],
)
def test_missing_terms_are_refused_naming_the_field(change, field):
    order = _orders(1)[0]
    with pytest.raises(DocumentInvalid) as e:
        invoice_of(order, InvoiceTerms.model_validate(TERMS | change))
    assert field in {v.field for v in e.value.violations}


@pytest.mark.parametrize(
    "change",
    [
        {"vat_category": "S", "vat_rate": "7.7"},
        {"vat_category": "Z"},
        {"vat_category": "E", "exemption_reason": "Exempt supply of goods"},
        {"vat_category": "O", "seller": _no_vat_id | {"company_id": "91310000MA1FL0001"}},
        {"paid": False, "due_date": "2026-12-31", "issue_date": "2026-12-01"},
    ],
    ids=["S-7.7", "Z", "E", "O", "unpaid"],
)
def test_each_vat_category_and_an_unpaid_invoice_pass_the_rules(change):
    order = _orders(2)[1]  # freight, a discount
    invoice = invoice_of(order, InvoiceTerms.model_validate(TERMS | change))
    report = validate(write(invoice))
    assert report.valid, report.findings
    assert read(write(invoice)) == invoice
    if change.get("paid") is False:
        assert invoice.totals().payable == invoice.totals().tax_inclusive > 0


def _stated(xml: bytes, name: str) -> Decimal:
    from lxml import etree

    path = f"{{{NS_CAC}}}LegalMonetaryTotal/{{{NS_CBC}}}{name}"
    return Decimal(etree.fromstring(xml).findtext(path))


@pytest.mark.parametrize(
    "name", ["vat-category-E.xml", "vat-category-O.xml", "vat-category-Z.xml", "base-example.xml"]
)
def test_official_examples_read_back_to_the_totals_they_state(name):
    """The model's totals (EN 16931 §6.4) recomputed from what :func:`read` takes of an
    official example equal the totals the example states."""
    xml = (DATA / name).read_bytes()
    totals = read(xml).totals()
    assert totals.line_extension == _stated(xml, "LineExtensionAmount")
    assert totals.tax_exclusive == _stated(xml, "TaxExclusiveAmount")
    assert totals.tax_inclusive == _stated(xml, "TaxInclusiveAmount")
