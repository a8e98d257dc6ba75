"""The seller's views in a real browser (headless chromium): a China CBEC tax quote made with
the form shows the API's figures, and an order's customs timeline shows the receipts filed;
no console error or Content-Security-Policy violation, and screenshots that show the data."""

from __future__ import annotations

import random

from tests.console.browser import Watched, browser, colours, needs_browser, sign_in
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser


def test_a_seller_quotes_the_tax_and_reads_an_orders_timeline(rt, parties, tmp_path):
    import httpx
    from pydantic import SecretStr

    from cbec.demo import synthetic
    from cbec.services import users
    from tests.customs.test_customs_api import _profiles, _receipt

    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="operator", password=SecretStr("x" * 16)),
    )
    _profiles(rt, parties)
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "WEB-TL-1")
    quote = {"date": "2026-03-01", "lines": [{"sku": "MILK-1", "qty": "3", "unit_price": "250"}]}
    headers = parties["seller-a"].headers
    with running_server(settings_env(rt.settings)) as (url, _proc), browser() as chromium:
        doc = httpx.post(f"{url}/orders", json=order, headers=headers).json()
        sent = httpx.post(f"{url}/orders/{doc['id']}/customs/ceb311", headers=headers).json()
        record = sent["declarations"][0]["record_guid"]
        for status in (2, 120):
            r = httpx.post(
                f"{url}/customs/messages",
                content=_receipt(record, order["order_no"], status),
                headers={**headers, "Content-Type": "application/xml"},
            )
            assert r.status_code == 200, r.text
        want = httpx.post(f"{url}/tax/cn-import", json=quote, headers=headers).json()

        page = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, "ann@seller-a", "x" * 16)
        page.get_by_role("link", name="Tax", exact=True).click()
        page.wait_for_url(f"{url}/console/tax")
        form = page.locator("form[action='/console/tax/cn-import']")
        form.get_by_label("Declaration date").fill("2026-03-01")
        form.get_by_label("Item 1: SKU").fill("MILK-1")
        form.get_by_label("Item 1: Quantity").fill("3")
        form.get_by_label("Item 1: Unit price (RMB)").fill("250")
        form.get_by_role("button", name="Quote the tax").click()
        result = page.locator("#cn-result")
        result.wait_for()
        total = result.locator("dd[data-total]")
        assert total.get_attribute("data-total") == want["total_tax"]
        assert want["total_tax"] in total.inner_text().replace(",", "")
        shot = result.screenshot(path=str(tmp_path / "tax.png"))
        assert colours(shot) > 2

        page.goto(f"{url}/console/orders/{doc['id']}")
        timeline = page.locator("ol.timeline")
        items = timeline.locator("li")
        assert items.count() == 3  # declared, then the two receipts
        assert "accepted by customs" in items.nth(2).inner_text()
        assert "returnStatus 2" in items.nth(1).inner_text()
        shot = timeline.screenshot(path=str(tmp_path / "timeline.png"))
        assert colours(shot) > 2
        assert watched.errors == []
