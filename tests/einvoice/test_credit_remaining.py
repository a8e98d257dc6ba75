"""An invoice's credit notes together credit at most what it states: a second credit note
beyond what the first left is refused naming the field and saying what remains, one within
it passes, and the remainder is recomputed here from the order's own lines (the invoice's
net amount is Σ line totals + freight − discount, a line's credit its unit price × the
quantity returned) — not by the function under test. Two credit notes racing for the same
remainder: the second, checked again in the transaction that would record it, is refused.
What was credited and what remains is for the order's parties only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from cbec.errors import DocumentInvalid
from cbec.i18n import render
from cbec.services import einvoice as svc
from tests.einvoice.test_einvoice_api import TERMS, _file_order

RULE = "einvoice_credit_exceeds_remaining"
CENT = Decimal("0.01")


def _invoiced_net(order: dict) -> Decimal:
    lines = sum(Decimal(x["line_total"]) for x in order["lines"])
    return lines + Decimal(order["freight"]) - Decimal(order["discount"])


def _line_credit(line: dict, quantity: Decimal) -> Decimal:
    return (Decimal(line["unit_price"]) * quantity).quantize(CENT, ROUND_HALF_UP)


def _refusal(r) -> dict[str, dict]:
    assert r.status_code == 422, r.text
    return {e["field"]: e for e in r.json()["errors"]}


def _body(**change) -> dict:
    return TERMS | {"reason": "Returned", "credit_note_date": "2026-12-01"} | change


def test_a_second_credit_note_beyond_what_the_first_left_is_refused(client, parties):
    doc_id, order = _file_order(client, parties)
    h = parties["seller-a"].headers
    url = f"/orders/{doc_id}/credit-note"
    line = order["lines"][1]  # three sold
    sold = Decimal(line["qty"])
    assert sold == 3
    first = client.post(url, json=_body(lines=[{"line_no": 2, "quantity": "2"}]), headers=h)
    assert first.status_code == 200, first.text
    assert first.json()["number"] == f"CN-INV-{order['order_no']}"
    left_qty = sold - 2
    left_net = _invoiced_net(order) - _line_credit(line, Decimal(2))
    assert Decimal(first.json()["remaining"]["net"]) == left_net
    assert Decimal(first.json()["remaining"]["lines"]["2"]) == left_qty

    # the same line again, more than the one unit left: refused, naming the line's quantity
    again = _body(lines=[{"line_no": 2, "quantity": "2"}])
    errors = _refusal(client.post(url, json=again, headers=h))
    assert set(errors) == {"lines.0.quantity"} and errors["lines.0.quantity"]["rule"] == RULE
    assert errors["lines.0.quantity"]["message"] == render(RULE, "en", {"remaining": "1"})
    # the whole invoice cannot be credited any more: its amount exceeds what is left
    currency = order["currency"]
    errors = _refusal(client.post(url, json=_body(), headers=h))
    assert errors["amount"]["rule"] == RULE
    assert f"{left_net} {currency} remains" in errors["amount"]["message"]
    # an amount one cent above what is left is refused; exactly what is left passes
    over = _body(amount=str(left_net + CENT))
    errors = _refusal(client.post(url, json=over, headers=h))
    assert set(errors) == {"amount"} and f"{left_net} {currency}" in errors["amount"]["message"]
    # in Chinese too
    zh = client.post(url, json=over, headers=h | {"accept-language": "zh-CN"})
    assert render(RULE, "zh", {"remaining": f"{left_net} {currency}"}) in zh.text

    # the one unit left passes, then nothing of that line is left
    one = client.post(url, json=_body(lines=[{"line_no": 2, "quantity": "1"}]), headers=h)
    assert one.status_code == 200, one.text
    assert one.json()["number"] == f"CN-INV-{order['order_no']}-2"  # a number of its own
    left_net -= _line_credit(line, Decimal(1))
    assert Decimal(one.json()["remaining"]["lines"]["2"]) == 0
    errors = _refusal(client.post(url, json=_body(lines=[{"line_no": 2, "quantity": "1"}]),
                                  headers=h))  # fmt: skip
    assert errors["lines.0.quantity"]["message"] == render(RULE, "en", {"remaining": "0"})

    # what is left, as an amount, exactly: then not a cent more
    rest = client.post(url, json=_body(amount=str(left_net)), headers=h)
    assert rest.status_code == 200, rest.text
    assert Decimal(rest.json()["remaining"]["net"]) == 0
    errors = _refusal(client.post(url, json=_body(amount="0.01"), headers=h))
    assert f"0.00 {currency} remains" in errors["amount"]["message"]

    # a number already used for this invoice is refused
    taken = _body(amount="0.01", credit_note_number=f"CN-INV-{order['order_no']}")
    assert "credit_note_number" in _refusal(client.post(url, json=taken, headers=h))

    # another invoice of the order (its own number) has all of its amount
    other = _body(invoice_number="INV-OTHER", lines=[{"line_no": 2, "quantity": "3"}])
    r = client.post(url, json=other, headers=h)
    assert r.status_code == 200, r.text

    # the list: per invoice, the credit notes and what is left; the platform sees it too
    for party in ("seller-a", "platform-a"):
        listed = client.get(f"/orders/{doc_id}/credit-notes", headers=parties[party].headers)
        assert listed.status_code == 200, listed.text
        invoices = {i["invoice_number"]: i for i in listed.json()["invoices"]}
        main = invoices[f"INV-{order['order_no']}"]
        assert [Decimal(c["net"]) for c in main["credit_notes"]] == [
            _line_credit(line, Decimal(2)),
            _line_credit(line, Decimal(1)),
            left_net,
        ]
        assert Decimal(main["remaining"]["net"]) == 0
        assert Decimal(main["invoiced_net"]) == _invoiced_net(order)
        others = invoices["INV-OTHER"]["remaining"]
        assert Decimal(others["net"]) == _invoiced_net(order) - Decimal(line["line_total"])
        assert {k: Decimal(v) for k, v in others["lines"].items()} == {
            str(x["line_no"]): Decimal(x["qty"]) - (3 if x["line_no"] == 2 else 0)
            for x in order["lines"]
        }
    # an outsider learns nothing, not even that credit notes exist
    outsider = parties["seller-b"].headers
    assert client.get(f"/orders/{doc_id}/credit-notes", headers=outsider).status_code == 404
    assert client.post(url, json=_body(amount="0.01"), headers=outsider).status_code == 404


def test_two_credit_notes_racing_for_the_remainder_cannot_both_pass(
    rt, client, parties, monkeypatch
):
    """The first credit note passes the early check, and while its rules run a second one
    credits the whole invoice: the first, checked again where it would be recorded, is
    refused and not logged."""
    doc_id, order = _file_order(client, parties)
    caller = parties["seller-a"].viewer
    whole = _invoiced_net(order)
    real = svc.validate
    raced: list[svc.BuiltCreditNote] = []
    started: list[bool] = []

    def validate_then_race(xml: bytes):
        if not started:  # the second credit note, issued while the first one's rules run
            started.append(True)
            second = svc.CreditNoteRequest.model_validate(
                _body(amount=str(whole), credit_note_number="CN-RACE-2")
            )
            raced.append(svc.build_credit_note(rt.uow(), caller, doc_id, second))
        return real(xml)

    monkeypatch.setattr(svc, "validate", validate_then_race)
    first = svc.CreditNoteRequest.model_validate(
        _body(lines=[{"line_no": 1, "quantity": "1"}], credit_note_number="CN-RACE-1")
    )
    with pytest.raises(DocumentInvalid) as refused:
        svc.build_credit_note(rt.uow(), caller, doc_id, first)
    assert raced and raced[0].ledger_index is not None
    assert [(v.field, v.rule) for v in refused.value.violations] == [("lines", RULE)]
    listed = svc.credit_notes(rt.uow(), caller, doc_id)
    (invoice,) = listed.invoices
    assert [c.number for c in invoice.credit_notes] == ["CN-RACE-2"]
    assert rt.ledger.entry(raced[0].ledger_index + 1) is None  # the refused one: not logged
