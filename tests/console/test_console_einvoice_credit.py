"""The credit note form of an order's e-invoice page: an operator credits two of a line's
three units through the same use case as the API — the XML offered for download hashes to
the SHA-256 the ledger logged, and the page lists the credit note with the one unit left —
then crediting two more is refused naming the line's quantity and what remains, in the
page's language; a viewer may not issue one, an outsider finds no form.
Oracles: the order's own lines, the ledger's entry and the rule's message."""

from __future__ import annotations

import base64
import hashlib
import json
from decimal import Decimal

from lxml import html

from cbec.console.i18n import translations
from cbec.einvoice import read
from cbec.i18n import render
from tests.console.test_console_einvoice import FORM
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of
from tests.einvoice.test_einvoice_api import _file_order

RULE = "einvoice_credit_exceeds_remaining"


def _doc(page):
    return html.fromstring(page.content)


def _credit(line_no: int, quantity: str) -> dict[str, str]:
    return FORM | {
        "reason": "Returned by the buyer",
        "credit": "lines",
        f"qty.{line_no}": quantity,
        "credit_note_date": "2026-12-01",
    }


def test_a_credit_note_is_issued_from_the_form_and_one_beyond_the_rest_refused(rt, client, parties):
    doc_id, order = _file_order(client, parties)
    line = order["lines"][1]
    sold = Decimal(line["qty"])
    assert sold == 3
    url = f"/console/einvoices/orders/{doc_id}"
    console_user(rt, client, "seller-a", role="operator")
    page = client.get(url)
    assert _doc(page).xpath("//p[@id='credit-notes-none']")
    assert _doc(page).xpath("//input[@name='qty.2']")
    csrf = csrf_of(page)

    built = client.post(f"{url}/credit-note", data=_credit(2, "2") | {"csrf": csrf})
    assert built.status_code == 200, built.text
    doc = _doc(built)
    assert doc.xpath("//p[@id='report-verdict']/@data-valid") == ["yes"]
    number = f"CN-INV-{order['order_no']}"
    href, name = doc.xpath("//a[@id='download']/@href")[0], doc.xpath("//a/@download")[0]
    assert name == f"{number}.xml"
    xml = base64.b64decode(href.split(",", 1)[1])
    note = read(xml)
    assert note.credit_note and [(x.id, x.quantity) for x in note.lines] == [("2", 2)]
    digest = hashlib.sha256(xml).hexdigest()
    assert doc.xpath("//code[@id='sha256']/text()") == [digest]
    entry = json.loads(rt.ledger.entry(int(doc.xpath("//dd[@id='ledger']/@data-index")[0])).data)
    assert (entry["sha256"], entry["credit_note"]) == (digest, number)
    assert doc.xpath("//dd[@id='invoice-corrected']/text()") == [f"INV-{order['order_no']}"]
    invoiced = sum(Decimal(x["line_total"]) for x in order["lines"])
    invoiced += Decimal(order["freight"]) - Decimal(order["discount"])
    left_net = invoiced - 2 * Decimal(line["unit_price"])
    assert Decimal(doc.xpath("//dd[@id='remaining-after']/@data-net")[0]) == left_net
    (row,) = doc.xpath("//section[@id='credit-notes']//tr[@data-number]")
    assert row.get("data-number") == number
    assert Decimal(row.get("data-net")) == 2 * Decimal(line["unit_price"])
    left = doc.xpath("//section[@id='credit-notes']//span[@data-line='2']/@data-left")
    assert [Decimal(x) for x in left] == [sold - 2]

    for lang in ("en", "zh"):
        console_user(rt, client, "seller-a", lang=lang, role="operator")
        csrf = csrf_of(client.get(url))
        refused = client.post(f"{url}/credit-note", data=_credit(2, "2") | {"csrf": csrf})
        assert refused.status_code == 422
        (item,) = _doc(refused).xpath("//div[@id='problems']//li")
        assert item.get("data-field") == "lines.0.quantity"
        message = render(RULE, lang, {"remaining": str(sold - 2)})
        assert item.text_content().endswith(message)
        label = translations(lang).gettext("Quantity credited of line %(line_no)s")
        assert label % {"line_no": 2} in item.text_content()
        # the form keeps what was typed, and nothing more was credited
        assert _doc(refused).xpath("//input[@name='qty.2']/@value") == ["2"]
        assert len(_doc(refused).xpath("//section[@id='credit-notes']//tr[@data-number]")) == 1

    # a viewer reads the page but issues no credit note
    console_user(rt, client, "seller-a", role="viewer")
    csrf = csrf_of(client.get(url))
    r = client.post(f"{url}/credit-note", data=_credit(2, "1") | {"csrf": csrf})
    assert r.status_code == 403 and _doc(r).xpath("//p[@id='refusal']")
    # another seller finds neither the page nor the credit notes
    client.cookies.clear()
    console_user(rt, client, "seller-b", role="admin")
    csrf = csrf_of(client.get("/console/einvoices"))
    r = client.post(f"{url}/credit-note", data=_credit(2, "1") | {"csrf": csrf})
    assert r.status_code == 404 and number not in r.text
