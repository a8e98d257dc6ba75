"""Credit notes against the official rules as the oracle: OpenPeppol's example credit note
passes the OASIS UBL 2.1 CreditNote schema and the CEN and Peppol rules; mutations of it fail
with the rule ids the standard names; cbec's credit notes of an order's invoice — whole, for
returned lines, for an amount — pass every fatal rule, read back equal, name the invoice
they correct, and state totals recomputed here from the order's own lines; a request that
credits what was not invoiced is refused naming the field."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from lxml import etree

from cbec.demo import synthetic
from cbec.einvoice import CreditTerms, credit_note_of, invoice_of, read, validate, write
from cbec.einvoice.ubl import NS
from cbec.einvoice.validate import check_schema
from cbec.errors import DocumentInvalid

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "base-creditnote-correction.xml"
TODAY = date(2026, 4, 2)
TERMS = {
    "seller": {
        "name": "Seller A Ltd",
        "endpoint": {"scheme": "0088", "id": "7300010000001"},
        "vat_id": "JP1234567890123",
        "city": "Osaka",
    },
    "buyer_endpoint": {"scheme": "0060", "id": "123456789"},
    "reason": "Goods returned by the buyer",
}
CENT = Decimal("0.01")


def _order() -> dict:
    """An EU sale under IOSS (DE, standard VAT 19 % in dest_rules.csv) from Japan: three
    lines, freight and a discount."""
    rng = random.Random(7)
    orders = [synthetic.order(rng, "platform-a", "seller-a", f"CN-{i}") for i in range(3)]
    order = orders[2]
    assert len(order["lines"]) == 3 and order["origin_country"] == "JP"
    return order | {"ioss_number": "IM2760000001", "destination_country": "DE", "currency": "EUR"}


def _stated(xml: bytes, path: str) -> Decimal:
    return Decimal(etree.fromstring(xml).findtext(path, namespaces=NS))


# --- the official example and its mutations --------------------------------------------------


def test_the_official_credit_note_passes_the_credit_note_schema_and_reads_back():
    xml = EXAMPLE.read_bytes()
    assert check_schema(xml).valid  # UBL-CreditNote-2.1.xsd, chosen by the root
    note = read(xml)
    assert note.credit_note and note.type_code == "381"
    assert note.preceding is not None and note.preceding.number == "Snippet1"
    totals = note.totals()  # EN 16931 §6.4 recomputed from what was read
    assert totals.line_extension == _stated(xml, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")
    assert totals.tax_inclusive == _stated(xml, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")


def _mutate(*pairs: tuple[str, str]) -> bytes:
    xml = EXAMPLE.read_text("utf-8")
    for old, new in pairs:
        assert old in xml
        xml = xml.replace(old, new, 1)
    return xml.encode()


_NL = ("<cbc:IdentificationCode>GB</cbc:IdentificationCode>", "<cbc:IdentificationCode>NL")
_NL = (_NL[0], _NL[1] + "</cbc:IdentificationCode>")
_REF = EXAMPLE.read_text("utf-8").split("<cac:BillingReference>")[1].split("</cac:Bill")[0]
_NO_REF = (f"<cac:BillingReference>{_REF}</cac:BillingReference>", "")


@pytest.mark.parametrize(
    ("pairs", "rules"),
    [
        (  # UNTDID 1001 code of an invoice in a credit note; Peppol's credit note profile
            [("<cbc:CreditNoteTypeCode>381", "<cbc:CreditNoteTypeCode>380")],
            {"BR-CL-01", "PEPPOL-EN16931-P0101"},
        ),
        (  # tax inclusive = tax exclusive + VAT (BR-CO-15)
            [
                (
                    '<cbc:TaxInclusiveAmount currencyID="EUR">1656.25',
                    '<cbc:TaxInclusiveAmount currencyID="EUR">1656.35',
                )
            ],
            {"BR-CO-15"},
        ),
        (  # Σ line net amounts (BR-CO-10)
            [
                (
                    '<cbc:LineExtensionAmount currencyID="EUR">1300<',
                    '<cbc:LineExtensionAmount currencyID="EUR">1310<',
                )
            ],
            {"BR-CO-10"},
        ),
        ([_NL, _NO_REF], {"NL-R-001"}),  # a Dutch seller's credit note names its invoice
        ([_NO_REF], set()),  # elsewhere the reference is optional (EN 16931 BG-3 0..n)
    ],
    ids=["type-380", "BR-CO-15", "BR-CO-10", "NL-no-reference", "no-reference"],
)
def test_mutations_of_the_official_credit_note_fail_with_the_rule_id(pairs, rules):
    report = validate(_mutate(*pairs))
    assert rules <= report.rules(), report.findings
    assert report.valid == (not rules), report.findings
    if pairs == [_NL, _NO_REF]:  # the same Dutch credit note with its reference keeps it
        assert "NL-R-001" not in validate(_mutate(_NL)).rules()


def test_a_credit_note_line_as_an_invoice_line_breaks_the_schema():
    xml = _mutate(("<cac:CreditNoteLine>", "<cac:InvoiceLine>"))
    xml = xml.replace(b"</cac:CreditNoteLine>", b"</cac:InvoiceLine>", 1)
    assert "XSD" in check_schema(xml).rules()


# --- cbec's credit notes ---------------------------------------------------------------------

CASES = {
    "whole": {},
    "returned-lines": {"lines": [{"line_no": 1, "quantity": "1"}, {"line_no": 3, "quantity": "2"}]},
    "amount": {"amount": "25.50"},
}


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[object, bytes, object]]:
    """Each case's credit note, its XML and its report: validated once per module."""
    out = {}
    for name, change in CASES.items():
        note = credit_note_of(_order(), CreditTerms.model_validate(TERMS | change), TODAY)
        xml = write(note)
        out[name] = (note, xml, validate(xml))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_credit_notes_pass_the_official_rules_and_read_back(built, case):
    note, xml, report = built[case]
    assert report.valid, report.findings
    assert read(xml) == note
    root = etree.fromstring(xml)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    ref = "cac:BillingReference/cac:InvoiceDocumentReference/"
    order = _order()
    assert root.findtext(ref + "cbc:ID", namespaces=NS) == f"INV-{order['order_no']}"
    assert root.findtext(ref + "cbc:IssueDate", namespaces=NS) == order["ordered_at"][:10]
    assert root.findtext("cbc:Note", namespaces=NS) == TERMS["reason"]


def _expected(net: Decimal) -> tuple[Decimal, Decimal]:
    """Tax (DE 19 %) and total with tax of a net amount, rounded once (BR-CO-17)."""
    tax = (net * Decimal("0.19")).quantize(CENT, ROUND_HALF_UP)
    return tax, net + tax


def test_the_whole_credit_note_states_the_invoice_totals(built):
    note, xml, _ = built["whole"]
    order = _order()
    invoice = invoice_of(order, CreditTerms.model_validate(TERMS))
    assert note.totals() == invoice.totals()
    net = sum(Decimal(x["line_total"]) for x in order["lines"])
    net += Decimal(order["freight"]) - Decimal(order["discount"])
    tax, inclusive = _expected(net)
    assert _stated(xml, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == net
    assert _stated(xml, "cac:TaxTotal/cbc:TaxAmount") == tax
    assert _stated(xml, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == inclusive


def test_a_partial_return_credits_the_returned_lines_at_their_price(built):
    note, xml, _ = built["returned-lines"]
    lines = {x["line_no"]: x for x in _order()["lines"]}
    # one of line 1's units, all of line 3; no freight, no discount
    net = Decimal(lines[1]["unit_price"]) * 1 + Decimal(lines[3]["line_total"])
    tax, inclusive = _expected(net)
    assert [(x.id, x.quantity) for x in note.lines] == [("1", 1), ("3", 2)]
    assert _stated(xml, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount") == net
    assert _stated(xml, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == net
    assert _stated(xml, "cac:TaxTotal/cbc:TaxAmount") == tax
    assert _stated(xml, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == inclusive
    assert net < sum(Decimal(x["line_total"]) for x in lines.values())


def test_an_amount_is_credited_as_one_line_in_the_invoice_category(built):
    note, xml, _ = built["amount"]
    tax, inclusive = _expected(Decimal("25.50"))
    assert len(note.lines) == 1 and note.lines[0].tax.category == "S"
    assert _stated(xml, "cac:TaxTotal/cbc:TaxAmount") == tax
    assert _stated(xml, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == inclusive


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [{"line_no": 9, "quantity": "1"}]}, "lines.0.line_no"),
        ({"lines": [{"line_no": 1, "quantity": "1"}] * 2}, "lines.1.line_no"),
        ({"lines": [{"line_no": 2, "quantity": "3"}]}, "lines.0.quantity"),  # 2 were sold
        ({"amount": "99999.00"}, "amount"),
        ({"amount": "1.00", "lines": [{"line_no": 1, "quantity": "1"}]}, "amount"),
        ({"credit_note_date": "2026-01-01"}, "credit_note_date"),
        ({"buyer_endpoint": None}, "buyer_endpoint"),  # the invoice's own terms still hold
    ],
)
def test_what_was_not_invoiced_is_refused_naming_the_field(change, field):
    with pytest.raises(DocumentInvalid) as e:
        credit_note_of(_order(), CreditTerms.model_validate(TERMS | change), TODAY)
    assert field in {v.field for v in e.value.violations}
