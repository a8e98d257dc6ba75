"""The analytics pages in a real browser over the small demo: every chart drawn (an SVG in
its element) under the strict Content-Security-Policy, no console error, and a screenshot;
axe-core finds no serious or critical violation on the demand page with its forecast and
stock targets (the accessibility test sees it only without data)."""

from __future__ import annotations

from cbec.demo import loader
from tests.conftest import DEMO_ANCHOR
from tests.console.browser import Watched, browser, needs_browser, sign_in
from tests.console.test_console_accessibility import audit
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser


def test_the_analytics_charts_are_drawn_with_no_error(rt, tmp_path):
    tenants, _ = loader.load(rt, "small", DEMO_ANCHOR)
    seller = next(t for t in tenants if t.name == "hz-beauty")
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        page = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, seller.admin_login, seller.admin_password)
        page.get_by_role("link", name="Analytics").click()
        page.wait_for_url(f"{url}/console/analytics")
        for name in ("rfm", "cohorts", "clv"):
            page.locator(f"[data-chart='{name}'][data-drawn='true'] svg").wait_for()
        assert page.locator("[data-chart='cohorts'] svg path").count() > 12  # heat-map cells
        page.screenshot(path=str(tmp_path / "analytics.png"), full_page=True)
        page.get_by_role("link", name="Demand and stock").click()
        page.wait_for_url(f"{url}/console/analytics/demand")
        page.locator("[data-chart='forecast'][data-drawn='true'] svg").wait_for()
        second = page.locator("select[name='series'] option").nth(1).get_attribute("value")
        page.get_by_label("SKU and market").select_option(second)
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(f"{url}/console/analytics/demand?series=*")
        page.locator("[data-chart='forecast'][data-drawn='true'] svg").wait_for()
        assert second in page.get_by_role("heading", level=2).first.inner_text()
        shot = tmp_path / "demand.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert page.locator("section[aria-labelledby='stock-title'] tbody tr").count() > 0
        assert audit(page) == []
        assert watched.errors == []
