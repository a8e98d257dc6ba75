"""The e-invoice pages: from an order's page, the form of its Peppol invoice builds the API's
invoice — the XML offered for download hashes to the SHA-256 the ledger logged, its buyer is
the order's — with the validation report; a refused term is named by its field in the
page's language; an uploaded invoice is reported rule by rule; a tenant outside the order
finds no form. Saxon runs for one build and one upload only (tests/einvoice has the rest).
Oracles: the API's answers and the ledger's entry."""

from __future__ import annotations

import base64
import hashlib
import json

from lxml import html

from cbec.console.i18n import translations
from cbec.einvoice import read
from cbec.i18n import render
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of
from tests.einvoice.test_einvoice_api import DATA, TERMS, _file_order

FORM = {
    "seller.name": TERMS["seller"]["name"],
    "seller.vat_id": TERMS["seller"]["vat_id"],
    "seller.endpoint.scheme": TERMS["seller"]["endpoint"]["scheme"],
    "seller.endpoint.id": TERMS["seller"]["endpoint"]["id"],
    "buyer_endpoint.scheme": TERMS["buyer_endpoint"]["scheme"],
    "buyer_endpoint.id": TERMS["buyer_endpoint"]["id"],
    "paid": "on",
}


def _doc(page):
    return html.fromstring(page.content)


def _problems(page) -> dict[str, str]:
    """The refused fields, each with the message the page gives (after the field's path)."""
    items = _doc(page).xpath("//div[@id='problems']//li")
    return {li.get("data-field"): li.text_content().split(": ", 1)[1] for li in items}


def _findings(page) -> list[tuple[str, str]]:
    rows = _doc(page).xpath("//table[@id='findings']/tbody/tr")
    return [(r.get("data-rule"), r.get("data-flag")) for r in rows]


def test_the_order_page_leads_to_its_invoice_built_checked_and_logged(rt, client, parties):
    doc_id, order = _file_order(client, parties)
    console_user(rt, client, "seller-a", role="operator")
    link = _doc(client.get(f"/console/orders/{doc_id}")).xpath("//a[@id='einvoice-link']/@href")
    assert link == [f"/console/einvoices/orders/{doc_id}"]
    form_page = client.get(link[0])
    assert form_page.status_code == 200 and order["order_no"] in form_page.text
    csrf = csrf_of(form_page)

    built = client.post(link[0], data=FORM | {"csrf": csrf})
    assert built.status_code == 200, built.text
    page = _doc(built)
    assert page.xpath("//p[@id='report-verdict']/@data-valid") == ["yes"]
    href, name = page.xpath("//a[@id='download']/@href")[0], page.xpath("//a/@download")[0]
    assert (
        href.startswith("data:application/xml;base64,") and name == f"INV-{order['order_no']}.xml"
    )
    xml = base64.b64decode(href.split(",", 1)[1])
    assert page.xpath("//pre[@id='xml']/text()")[0].encode() == xml
    digest = hashlib.sha256(xml).hexdigest()
    assert page.xpath("//code[@id='sha256']/text()") == [digest]
    assert read(xml).buyer.name == order["buyer"]["name"]  # in clear: the filer asks
    (ledger,) = page.xpath("//dd[@id='ledger']")
    index = int(ledger.get("data-index"))
    assert f"index {index} " in ledger.text_content()
    entry = json.loads(rt.ledger.entry(index).data)
    assert (entry["sha256"], entry["order"]) == (digest, doc_id)

    # any invoice uploaded: a broken currency code is reported as the API reports it
    broken = (
        (DATA / "base-example.xml")
        .read_bytes()
        .replace(b"<cbc:DocumentCurrencyCode>EUR", b"<cbc:DocumentCurrencyCode>XYZ")
    )
    files = {"file": ("broken.xml", broken, "application/xml")}
    checked = client.post("/console/einvoices/validate", data={"csrf": csrf}, files=files)
    assert checked.status_code == 200
    h = parties["seller-a"].headers | {"content-type": "application/xml"}
    report = client.post("/einvoices/validate", content=broken, headers=h).json()
    assert _findings(checked) == [(f["rule"], f["flag"]) for f in report["findings"]]
    assert ("BR-CL-04", "fatal") in _findings(checked)
    assert _doc(checked).xpath("//p[@id='report-verdict']/@data-valid") == ["no"]


def test_a_refused_term_is_named_in_the_pages_language(rt, client, parties):
    doc_id, _ = _file_order(client, parties)
    url = f"/console/einvoices/orders/{doc_id}"
    for lang in ("en", "zh"):
        console_user(rt, client, "seller-a", lang=lang, role="operator")
        csrf = csrf_of(client.get(url))
        no_buyer = {k: v for k, v in FORM.items() if not k.startswith("buyer_endpoint")}
        r = client.post(url, data=no_buyer | {"csrf": csrf})
        assert r.status_code == 422
        rule = {"rule": "PEPPOL-EN16931-R010"}
        assert _problems(r) == {"buyer_endpoint": render("einvoice_term_required", lang, rule)}
        r = client.post(url, data=FORM | {"csrf": csrf, "seller.vat_id": "not a VAT id"})
        assert r.status_code == 422 and list(_problems(r)) == ["seller.vat_id"]
        label = translations(lang).gettext("Seller's VAT identifier (BT-31)")
        assert label in _doc(r).xpath("//li[@data-field='seller.vat_id']")[0].text_content()
        # the form keeps what was typed
        kept = _doc(r).xpath("//input[@name='seller.name']/@value")
        assert kept == [FORM["seller.name"]]


def test_the_pages_speak_chinese_and_an_outsider_finds_no_form(rt, client, parties):
    doc_id, order = _file_order(client, parties)
    console_user(rt, client, "seller-a", lang="zh", role="viewer")
    gettext = translations("zh").gettext
    form_page = client.get(f"/console/einvoices/orders/{doc_id}")
    assert form_page.status_code == 200 and '<html lang="zh-CN">' in form_page.text
    for source in (
        "Terms of the invoice",
        "Seller's legal name (BT-27)",
        "Build and check the invoice",
    ):
        assert gettext(source) != source and gettext(source) in form_page.text, source
    page = client.get("/console/einvoices")
    assert gettext("Validate an e-invoice") in page.text
    # not XML at all: one finding of rule XML, no rule set run
    files = {"file": ("notes.xml", b"<Invoice>unclosed", "application/xml")}
    r = client.post("/console/einvoices/validate", data={"csrf": csrf_of(page)}, files=files)
    assert r.status_code == 200 and _findings(r) == [("XML", "fatal")]
    assert gettext("fatal") in _doc(r).xpath("//table[@id='findings']//td[2]/text()")
    client.cookies.clear()
    console_user(rt, client, "seller-b", role="admin")
    assert client.get(f"/console/einvoices/orders/{doc_id}").status_code == 404
    csrf = csrf_of(client.get("/console/einvoices"))
    refused = client.post(f"/console/einvoices/orders/{doc_id}", data=FORM | {"csrf": csrf})
    assert refused.status_code == 404 and order["buyer"]["name"] not in refused.text
