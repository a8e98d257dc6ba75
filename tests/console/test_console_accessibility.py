"""WCAG 2.1 AA on the console's main views, checked by axe-core (vendored in ``tests/vendor``,
never served) in headless chromium: no serious or critical violation on any view, in either
language. axe is evaluated through the DevTools protocol, so the pages keep their strict
Content-Security-Policy while it runs."""

from __future__ import annotations

import json
import random
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.console.browser import Watched, browser, needs_browser, sign_in
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser

VENDOR = Path(__file__).resolve().parents[1] / "vendor"
AXE = VENDOR / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# (who, path): the main views; "{order}" is the order filed by the test, "{draft}" its import
# draft with a broken row, "{hit}" its screening hit, "{rule}" its rule
VIEWS = [
    (None, "/console"),
    (None, "/console/login"),
    ("axe@seller-a", "/console"),
    ("axe@seller-a", "/console/orders"),
    ("axe@seller-a", "/console/orders/{order}"),
    ("axe@seller-a", "/console/imports"),
    ("axe@seller-a", "/console/imports/{draft}"),
    ("axe@seller-a", "/console/tax"),
    ("axe@seller-a", "/console/routes"),
    ("axe@seller-a", "/console/co2e"),
    ("axe@seller-a", "/console/consolidation"),
    ("axe@seller-a", "/console/reconciliation"),
    ("axe@seller-a", "/console/decisions"),
    ("axe@seller-a", "/console/analytics"),
    ("axe@seller-a", "/console/analytics/demand"),
    ("axe@seller-a", "/console/users"),
    ("axe@seller-a", "/console/account"),
    ("axe@seller-a", "/console/transfers"),
    ("axe@seller-a", "/console/inventory"),
    ("axe@seller-a", "/console/scan"),
    ("axe@seller-a", "/console/privacy-report"),
    ("axe@seller-a", "/console/dsr"),
    ("axe@seller-a", "/console/webhooks"),
    ("axe@seller-a", "/console/einvoices"),
    ("axe@seller-a", "/console/einvoices/orders/{order}"),
    ("axe@seller-a", "/console/marketplace"),
    ("axe@seller-a", "/console/algorithms"),
    ("axe@seller-a", "/console/disputes"),
    ("axe@seller-a", "/console/polls"),
    ("axe@seller-a", "/console/talent"),
    (None, "/console/transparency/platform-a"),
    ("axe@regulator", "/console/hits"),
    ("axe@regulator", "/console/hits/{hit}"),
    ("axe@regulator", "/console/rules"),
    ("axe@regulator", "/console/rules/{rule}"),
    ("axe@regulator", "/console/rule-drafts"),
    ("axe@regulator", "/console/supervision"),
    ("axe@regulator", "/console/sandboxes"),
    ("axe@regulator", "/console/ledger"),
    ("axe@regulator", "/console/audit"),
    ("axe@regulator", "/console/keys"),
    ("axe@regulator", "/console/privacy-report"),
    ("axe@regulator", "/console/orders/{order}/reveal"),
]


def audit(page) -> list[dict]:
    """axe's violations on the page as it stands, those that block AA (serious, critical)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("tags => axe.run(document, {runOnly: tags})", TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found["violations"]
        if v["impact"] in BLOCKING
    ]


def test_the_vendored_axe_is_the_one_in_its_manifest():
    import hashlib

    manifest = json.loads((VENDOR / "vendor.json").read_text())
    for key, entry in manifest["packages"].items():
        for name, digest in entry["files"].items():
            path = VENDOR / "vendor" / key / Path(name).name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


def _views_data(url: str, parties, password: str) -> dict[str, str]:
    """A rule with a revision, a screening hit and an import draft whose mapping is saved and
    one of whose rows is rejected: made through the API and the console's forms, as a user
    would."""
    from tests.console.test_console_imports import confirm, csv_text, flat, orders, table, upload
    from tests.console.test_console_rules import FLAG_EARBUDS
    from tests.console.test_console_sign_in import sign_in as sign_in_form
    from tests.regulator.hits import flagged_order, hits_on, load_list

    with httpx.Client(base_url=url, follow_redirects=True, timeout=60) as client:
        rule = FLAG_EARBUDS["id"]
        put = client.put(
            f"/compliance/rules/{rule}", json=FLAG_EARBUDS, headers=parties["regulator"].headers
        )
        assert put.is_success, put.text
        load_list(client, parties["platform-a"].headers)
        listed = flagged_order(client, parties, "platform-a", 7)
        (hit,) = hits_on(client, parties["regulator"].headers, listed)
        records = flat(orders(2, seed=5))
        records[-1]["lines.qty"] = "-2"
        assert sign_in_form(client, "axe@seller-a", password).status_code == 303
        r = upload(client, csv_text(table(records)).encode())
        assert r.status_code == 303, r.text
        draft = r.headers["location"].rsplit("/", 1)[1]
        confirm(client, draft)
    return {"rule": rule, "hit": str(hit["id"]), "draft": draft}


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_main_views_have_no_serious_or_critical_violation(rt, parties, locale):
    password = "a" * 16
    for tenant in ("seller-a", "regulator"):
        users.operator_create_user(
            rt.uow(),
            tenant,
            users.NewUser(login=f"axe@{tenant}", role="admin", password=SecretStr(password)),
        )
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "AXE-0001")
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        filed = httpx.post(f"{url}/orders", json=order, headers=parties["seller-a"].headers)
        assert filed.status_code == 201
        shown = {"order": filed.json()["id"], **_views_data(url, parties, password)}
        context = chromium.new_context(locale=locale)
        page = context.new_page()
        watched = Watched()
        watched.attach(page)
        report: dict[str, list[dict]] = {}
        signed_in = None
        for who, path in VIEWS:
            if who and who != signed_in:
                context.clear_cookies()
                sign_in(page, url, who, password)
                signed_in = who
            page.goto(url + path.format(**shown))
            assert page.locator("main h1").count() == 1, path
            found = audit(page)
            if found:
                report[f"{who or 'anyone'} {path}"] = found
        assert report == {}, json.dumps(report, indent=1)
        assert watched.errors == []
        # the check can fail: an input without a label is a critical violation (WCAG 4.1.2)
        page.evaluate("document.querySelector('main').append(document.createElement('input'))")
        assert "label" in {v["id"] for v in audit(page)}
