"""The console in a real browser (headless chromium): the landing page in Chinese and in
English, the language switch, no console error or Content-Security-Policy violation, the
vendored scripts loaded, and a screenshot of the page that shows its text."""

from __future__ import annotations

from tests.console.browser import Watched, browser, needs_browser
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser


def test_landing_page_in_both_languages_with_no_error(rt, tmp_path):
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        context = chromium.new_context(locale="zh-CN", extra_http_headers={})
        page = context.new_page()
        watched = Watched()
        watched.attach(page)
        page.goto(f"{url}/")
        assert page.url == f"{url}/console"
        assert page.title() == "cbec 控制台"
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.get_by_role("heading", level=1).inner_text() == "跨境电商控制台"
        # the vendored htmx ran (it defines a global), under the page's strict policy
        assert page.evaluate("typeof window.htmx") == "object"
        shot = tmp_path / "console-zh.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        page.get_by_role("link", name="English").click()
        page.wait_for_url(f"{url}/console")
        assert page.title() == "cbec console"
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == "Cross-border e-commerce console"
        # the choice is remembered over the browser's language
        page.goto(f"{url}/console")
        assert page.locator("html").get_attribute("lang") == "en"
        # keyboard: the first Tab reaches the skip link, which moves focus to the content
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
        context.close()
        assert watched.errors == []


def test_a_seller_signs_in_opens_an_order_and_signs_out(rt, parties, tmp_path):
    import random

    import httpx
    from pydantic import SecretStr

    from cbec.demo import synthetic
    from cbec.services import users

    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="operator", password=SecretStr("x" * 16)),
    )
    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "WEB-0001")
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        headers = parties["seller-a"].headers
        assert httpx.post(f"{url}/orders", json=order, headers=headers).status_code == 201
        page = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(page)
        page.goto(f"{url}/console/orders")
        assert page.url == f"{url}/console/login"
        page.get_by_label("Login").fill("ann@seller-a")
        page.get_by_label("Password").fill("x" * 16)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/console/orders")
        assert page.evaluate("document.cookie") == ""  # the session cookie is HttpOnly
        page.get_by_role("link", name="Dashboard").click()
        page.wait_for_url(f"{url}/console")
        chart = page.locator("[data-chart='orders-by-day'][data-drawn='true'] svg")
        chart.wait_for()  # drawn by the vendored ECharts under the page's strict policy
        assert page.locator("[data-chart='orders-by-day'] svg rect").count() > 0
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        page.get_by_role("link", name="Orders").click()
        page.wait_for_url(f"{url}/console/orders")
        page.get_by_role("link", name="WEB-0001").click()
        page.wait_for_url(f"{url}/console/orders/*")
        assert page.get_by_role("heading", level=1).inner_text() == "Order WEB-0001"
        assert order["buyer"]["name"] in page.content()  # its filer sees it in clear
        shot = tmp_path / "order.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{url}/console/login")
        page.goto(f"{url}/console/orders")
        assert page.url == f"{url}/console/login"
        assert watched.errors == []


def test_an_admin_invites_someone_who_takes_up_the_link_in_its_own_browser(rt, parties):
    """The whole invitation as people do it: the admin fills the People form and copies the
    link the page shows; the invitee opens it in its own browser, sees its login, chooses a
    password and lands in the console signed in; the link then no longer works. The
    invitation page has no serious or critical accessibility violation either."""
    from pydantic import SecretStr

    from cbec.services import users
    from tests.console.browser import sign_in
    from tests.console.test_console_accessibility import audit

    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="boss@seller-a", role="admin", password=SecretStr("b" * 16)),
    )
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        admin = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(admin)
        sign_in(admin, url, "boss@seller-a", "b" * 16)
        admin.get_by_role("link", name="People").click()
        admin.wait_for_url(f"{url}/console/users")
        admin.get_by_label("Login (an e-mail address or a name)").fill("new@seller-a")
        admin.get_by_label("Role").select_option("operator")
        admin.get_by_role("button", name="Invite", exact=True).click()
        link = admin.locator("code.invite-link").inner_text()
        assert link.startswith(f"{url}/console/invite/")
        assert "new@seller-a" not in admin.title()

        invitee = chromium.new_context(locale="zh-CN").new_page()  # another person's browser
        watched.attach(invitee)
        invitee.goto(link)
        assert invitee.title() == "接受邀请 — cbec"
        assert invitee.locator("input[name='login']").input_value() == "new@seller-a"
        assert audit(invitee) == []
        invitee.locator("input[name='password']").fill("the invitee's own passphrase")
        invitee.locator("form[action='/console/invite'] button[type='submit']").click()
        invitee.wait_for_url(f"{url}/console/orders")
        assert invitee.evaluate("document.cookie") == ""  # an HttpOnly session, like any other
        invitee.goto(f"{url}/console/account")
        assert "new@seller-a" in invitee.locator("main").inner_text()
        assert watched.errors == []
        invitee.goto(link)  # used: the one answer, a 404
        assert invitee.locator("form[action='/console/invite']").count() == 0
        assert invitee.get_by_role("alert").count() == 1
