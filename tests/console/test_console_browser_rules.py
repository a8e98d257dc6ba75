"""The rule desk in a real browser (headless chromium): a regulator signs in, changes a rule,
reads the what-if replay of the change and saves it; then the supervision page draws its
charts from the orders filed — no console error, no Content-Security-Policy violation."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

from tests.console.browser import Watched, browser, needs_browser, sign_in
from tests.console.test_console_rules import DENY_EARBUDS, FLAG_EARBUDS
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser


def test_a_regulator_replays_and_saves_a_rule_change_then_reads_supervision(rt, parties, tmp_path):
    import httpx
    from pydantic import SecretStr

    from cbec.demo import synthetic
    from cbec.services import users

    users.operator_create_user(
        rt.uow(),
        "regulator",
        users.NewUser(login="rita@regulator", role="operator", password=SecretStr("x" * 16)),
    )
    earbuds = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")
    others = [c for c in synthetic.CATALOG if not c["hs"].startswith("851830")]
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        reg = parties["regulator"].headers
        r = httpx.put(f"{url}/compliance/rules/test.earbuds", json=FLAG_EARBUDS, headers=reg)
        assert r.status_code == 200, r.text
        for n, goods in enumerate(([earbuds], others)):
            order = synthetic.order(random.Random(n), "platform-a", "seller-a", f"WEB-R{n}", goods)
            # placed today: the supervision page counts the last 30 days of placed orders
            order["ordered_at"] = datetime.now(UTC).isoformat()
            r = httpx.post(f"{url}/orders", json=order, headers=parties["seller-a"].headers)
            assert r.status_code == 201, r.text
        page = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, "rita@regulator", "x" * 16)
        page.get_by_role("link", name="Rules", exact=True).click()
        page.wait_for_url(f"{url}/console/rules")
        page.get_by_role("link", name="test.earbuds").click()
        page.wait_for_url(f"{url}/console/rules/test.earbuds")
        page.get_by_label("The rule as JSON").fill(json.dumps(DENY_EARBUDS, indent=2))
        page.get_by_role("button", name="Show what would change").click()
        table = page.locator("#what-if-orders")
        table.wait_for()
        rows = [
            [cell.strip() for cell in row.locator("td").all_inner_texts()]
            for row in table.locator("tbody tr").all()
        ]
        assert [r[0] for r in rows if r[3] == "Denied"] == ["WEB-R0"]
        assert all("test.earbuds" in r[4] for r in rows)
        page.screenshot(path=str(tmp_path / "what-if.png"), full_page=True)
        page.get_by_role("button", name="Save this change").click()
        page.wait_for_url(f"{url}/console/rules/test.earbuds#history")
        assert (
            "Revision 2: saved by regulator"
            in page.locator("#history ~ table caption").first.inner_text()
        )
        page.get_by_role("link", name="Supervision").click()
        page.wait_for_url(f"{url}/console/supervision")
        chart = page.locator("[data-chart='by-platform'][data-drawn='true'] svg")
        chart.wait_for()  # drawn by the vendored ECharts under the page's strict policy
        assert page.locator("#by-platform tbody tr td").first.inner_text() == "platform-a"
        shot = tmp_path / "supervision.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000
        assert watched.errors == []
