"""The regulator's desk in a real browser (headless chromium): reveal a buyer with a reason
and find the reveal in the audit log; the hit queue and the ledger explorer drawn with their
data, with no console error or Content-Security-Policy violation."""

from __future__ import annotations

import random

import httpx
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.console.browser import Watched, browser, needs_browser, sign_in
from tests.regulator.hits import LISTED, one_name_list
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser

REASON = "Inquiry 2026-044: a buyer named in a customs referral"


def test_the_regulator_reveals_a_buyer_and_finds_it_audited(rt, parties, tmp_path):
    users.operator_create_user(
        rt.uow(),
        "regulator",
        users.NewUser(login="rita@regulator", role="operator", password=SecretStr("x" * 16)),
    )
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        reg = parties["regulator"].headers
        r = httpx.post(
            f"{url}/screening/lists",
            params={"name": "desk", "source": "test"},
            content=one_name_list(),
            headers=reg,
        )
        assert r.status_code == 200, r.text
        order = synthetic.order(random.Random(5), "platform-a", "seller-a", "WEB-HIT-1")
        order["buyer"] = order["buyer"] | {"name": LISTED}
        r = httpx.post(f"{url}/orders", json=order, headers=parties["seller-a"].headers)
        assert r.status_code == 201, r.text
        page = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, "rita@regulator", "x" * 16)
        page.get_by_role("link", name="WEB-HIT-1").click()
        page.wait_for_url(f"{url}/console/orders/*")
        assert LISTED not in page.content()  # masked for the regulator
        page.get_by_role("link", name="Reveal personal data").click()
        page.wait_for_url(f"{url}/console/orders/*/reveal")
        page.get_by_label("Reason").fill(REASON)
        page.get_by_role("button", name="Reveal", exact=True).click()
        page.get_by_role("heading", name="Personal data of order WEB-HIT-1").wait_for()
        assert LISTED in page.locator("#revealed").inner_text()
        assert REASON not in page.url
        page.get_by_role("link", name="Audit").first.click()
        page.wait_for_url(f"{url}/console/audit")
        first = page.locator("#reveals tbody tr").first
        assert REASON in first.inner_text()
        # the hit queue, with the order's hit
        page.get_by_role("link", name="Hits").click()
        page.wait_for_url(f"{url}/console/hits")
        queue = page.locator("#hit-queue")
        assert queue.locator("tbody tr").count() == 1
        shot = tmp_path / "hits.png"
        queue.screenshot(path=str(shot))
        assert shot.stat().st_size > 2_000
        # the ledger explorer: its chart drawn by the vendored ECharts
        page.get_by_role("link", name="Ledger").click()
        page.wait_for_url(f"{url}/console/ledger")
        page.locator("[data-chart='checkpoints'][data-drawn='true'] svg").wait_for()
        assert page.locator("[data-chart='checkpoints'] svg path").count() > 0
        assert int(page.locator("#latest-size").inner_text()) > 0
        shot = tmp_path / "ledger.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert watched.errors == []
