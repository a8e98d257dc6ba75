"""A tour of the console's main views over the small demo, in a real browser (headless
chromium), as a seller, a platform and the regulator: each view shows its data — the rows
of its list, its charts drawn — with no console error or Content-Security-Policy violation,
and a screenshot of each view is taken and checked to be a picture of that data rather than
a blank or unstyled page. The figures a view shows are the API's for the same tenant."""

from __future__ import annotations

import httpx
import pytest

from cbec.demo import loader
from tests.console.browser import Watched, browser, colours, needs_browser, sign_in
from tests.serverproc import explained, running_server, settings_env

pytestmark = needs_browser

ROWS = "main table.list tbody tr"

REASON = "Tour: a check of the declared values"  # the regulator's reveal, in its audit log

# (tenant, path, what must be on the page: CSS selectors that each match at least once;
# "{order}" is the seller's newest order, "{admin}" the seller's admin login)
TOUR = [
    ("sz-gadgets", "/console", ["[data-chart='orders-by-day'][data-drawn='true'] svg"]),
    ("sz-gadgets", "/console/orders", [ROWS]),
    ("sz-gadgets", "/console/orders/{order}", ["main dl", ROWS]),
    ("sz-gadgets", "/console/reconciliation", [ROWS]),
    ("sz-gadgets", "/console/decisions", [ROWS]),
    ("sz-gadgets", "/console/imports", ["#upload"]),
    ("sz-gadgets", "/console/tax", ["#cn-title"]),
    ("sz-gadgets", "/console/analytics", [ROWS, "[data-chart='rfm'][data-drawn='true'] svg"]),
    ("sz-gadgets", "/console/users", ["main table.list tbody tr:has-text('{admin}')"]),
    ("silk-mall", "/console", ["[data-chart='outcomes'][data-drawn='true'] svg"]),
    ("silk-mall", "/console/hits", ["#hit-queue tbody tr"]),
    (
        "hz-customs",
        "/console/supervision",  # its default window, the last 30 days: the demo's too
        ["#by-platform tbody tr", "[data-chart='by-day'][data-drawn='true'] svg"],
    ),
    ("hz-customs", "/console/hits", ["#hit-queue tbody tr"]),
    ("hz-customs", "/console/rules", ["#rules tbody tr"]),
    ("hz-customs", "/console/sandboxes", ["#activity tbody tr"]),
    ("hz-customs", "/console/ledger", ["[data-chart='checkpoints'][data-drawn='true'] svg"]),
    ("hz-customs", "/console/audit", [f"#reveals tbody tr:has-text('{REASON}')"]),
]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_each_main_view_shows_its_data_with_no_error(rt, tmp_path, locale):
    tenants = {t.name: t for t in loader.load(rt, "small")[0]}
    env = settings_env(rt.settings)
    log = tmp_path / "server.log"
    with (
        running_server(env, log=log) as (url, proc),
        browser() as chromium,
        explained(proc, log, rt.settings.resolved_database_url()),
    ):
        seller = tenants["sz-gadgets"]
        bearer = {"Authorization": f"Bearer {seller.api_key}"}
        newest = httpx.get(f"{url}/orders", params={"limit": 1}, headers=bearer)
        assert newest.status_code == 200, newest.text
        (order,) = newest.json()["items"]
        regulator = {"Authorization": f"Bearer {tenants['hz-customs'].api_key}"}
        revealed = httpx.post(
            f"{url}/orders/{order['id']}/reveal", json={"reason": REASON}, headers=regulator
        )
        assert revealed.status_code == 200, revealed.text
        values = {"order": order["id"], "admin": seller.admin_login}
        context = chromium.new_context(locale=locale)
        page = context.new_page()
        # a loaded 2-core CI machine: the demo's pages may take more than the default 30 s
        page.set_default_timeout(120_000)
        page.set_default_navigation_timeout(120_000)
        watched = Watched()
        watched.attach(page)
        signed_in = None
        for n, (who, path, expected) in enumerate(TOUR):
            if who != signed_in:
                context.clear_cookies()
                sign_in(page, url, tenants[who].admin_login, tenants[who].admin_password)
                signed_in = who
            page.goto(url + path.format(**values))
            expected = [selector.format(**values) for selector in expected]
            for selector in expected:
                page.locator(selector).first.wait_for()  # drawn charts come after the load
            shot = page.screenshot(path=str(tmp_path / f"{n:02d}.png"), full_page=True)
            assert colours(shot) > 16, (who, path)  # text, borders, a chart: not blank
            data = page.locator(expected[-1]).first.screenshot()
            assert colours(data) > 2, (who, path)
        # the order's page is the API's order: its number in the heading, its platform shown
        page.goto(f"{url}/console/orders/{order['id']}")
        heading = page.locator("main h1").inner_text()
        assert order["document"]["order_no"] in heading
        assert order["document"]["platform"] in page.locator("main").inner_text()
        # the seller's orders list shows the seller's orders, as the API gives them
        context.clear_cookies()
        sign_in(page, url, seller.admin_login, seller.admin_password)
        first = page.locator(f"{ROWS} td a").first.inner_text()
        found = httpx.get(f"{url}/orders", params={"order_no": first}, headers=bearer).json()
        assert [o["document"]["order_no"] for o in found["items"]] == [first]
        # with JavaScript, a filter that changes swaps in the results in place (htmx), the
        # address follows it, and the rows are the API's for the same filter
        page.evaluate("window.cbecKept = true")  # gone if the browser loaded a new page
        options = page.locator("select[name='outcome'] option")
        for outcome in filter(None, options.evaluate_all("os => os.map(o => o.value)")):
            params = {"outcome": outcome, "limit": 500}
            listed = httpx.get(f"{url}/orders", params=params, headers=bearer).json()["items"]
            if 0 < len(listed) < 500:  # an outcome the seller has, all of it in one answer
                break
        expected = sorted(o["document"]["order_no"] for o in listed)
        assert 0 < len(expected) < 500
        page.locator("select[name='outcome']").select_option(outcome)
        page.wait_for_url(f"**/console/orders?*outcome={outcome}*")
        page.wait_for_function(
            """expected => {
                const cells = "#order-results tbody tr td:first-child";
                const rows = [...document.querySelectorAll(cells)];
                return rows.length > 0 && rows.every(td => expected.includes(td.innerText.trim()));
            }""",
            arg=expected,
        )
        assert page.evaluate("window.cbecKept") is True
        context.close()
        assert watched.errors == []
