"""The console with JavaScript off (a chromium context with ``java_script_enabled=False``): what
the README says works without it does — signing in, the orders list's filters as a plain GET
form, an order's page with its details and the evidence proof the server verified, and the
dashboard's charts as tables. The figures are the API's for the same seller."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import httpx
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.console.browser import Watched, browser, needs_browser, sign_in
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser

PASSWORD = "n" * 16


def test_the_console_works_with_javascript_off(rt, parties):
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="nojs@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    rng = random.Random(41)
    now = datetime.now(UTC)
    orders = [
        synthetic.order(rng, "platform-a", "seller-a", f"NOJS-{i}", when=now - timedelta(days=i))
        for i in range(3)
    ]
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        seller = parties["seller-a"].headers
        for order in orders:
            r = httpx.post(f"{url}/orders", json=order, headers=seller)
            assert r.status_code == 201, r.text
        context = chromium.new_context(java_script_enabled=False, locale="en-US")
        page = context.new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, "nojs@seller-a", PASSWORD)  # a plain POST form, then a redirect
        listed = page.locator("#order-results tbody tr td:first-child")
        assert sorted(listed.all_inner_texts()) == [o["order_no"] for o in orders]

        # the filters: the form is a GET without htmx, the answer a new page with the rows
        wanted = orders[1]
        page.get_by_label("Order number").fill(wanted["order_no"])
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(f"{url}/console/orders?*order_no={wanted['order_no']}*")
        assert listed.all_inner_texts() == [wanted["order_no"]]
        api = httpx.get(f"{url}/orders", params={"order_no": wanted["order_no"]}, headers=seller)
        (item,) = api.json()["items"]

        # the order's page: its details, and the proof verified by the server
        page.get_by_role("link", name=wanted["order_no"]).click()
        page.wait_for_url(f"{url}/console/orders/{item['id']}")
        assert page.locator("main h1").inner_text() == f"Order {wanted['order_no']}"
        facts = page.locator("main dl.facts").inner_text()
        assert wanted["platform"] in facts and wanted["seller"] in facts
        skus = page.locator("main table.list").first.locator("tbody td:first-child")
        assert skus.all_inner_texts() == [line["sku"] for line in wanted["lines"]]
        verified = "Verified: the log's signed checkpoint includes this entry."
        assert page.get_by_text(verified).is_visible()
        bundle = page.get_by_role("link", name="Download the evidence bundle")
        assert bundle.get_attribute("href") == f"/console/orders/{item['id']}/evidence"

        # the dashboard: a chart is not drawn, its table is there to open
        page.goto(f"{url}/console")
        chart = page.locator("[data-chart='orders-by-day']")
        assert chart.count() == 1 and chart.locator("svg, canvas").count() == 0
        assert chart.get_attribute("data-drawn") is None
        section = page.locator("section", has=chart)
        section.get_by_text("As a table").click()  # <details>: the browser's own, no script
        rows = section.locator("tbody tr")
        assert rows.count() == 30 and rows.last.is_visible()
        counts = [int(t) for t in section.locator("tbody td.num").all_inner_texts()]
        assert sum(counts) == len(orders)  # placed in the last 3 days
        context.close()
        assert watched.errors == []
