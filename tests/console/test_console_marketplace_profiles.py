"""Marketplace profiles on the marketplace file page: an operator saves one (refused, naming
the field, for a platform no platform tenant has), sees it listed — another tenant's user
does not — and uploads a file with the platform, currency and time zone left empty, which
the profile gives (the order's time checked against the file's own, converted with
:mod:`zoneinfo`)."""

from __future__ import annotations

import json
from datetime import datetime

from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.connectors.test_marketplace_cli import orders_of
from tests.connectors.test_marketplace_profiles import TIKTOK, created_times, in_zone
from tests.console.test_console_access import PASSWORD, sign_in

PROFILE = {
    "marketplace": "tiktok",
    "platform": "platform-a",
    "currency": "usd",  # the form takes it in any case
    "timezone": "America/Los_Angeles",
    "origin_country": "",
    "incoterm": "DDP",
}


def test_an_operator_saves_a_profile_and_uploads_with_it(rt, parties, client, cli, tmp_path):
    products = tmp_path / "products.jsonl"
    products.write_text(
        "".join(json.dumps(synthetic.product(i)) + "\n" for i in synthetic.CATALOG),
        encoding="utf-8",
    )
    assert cli("import", "products", products, "--as", "seller-a").exit_code == 0
    for tenant in ("seller-a", "seller-b"):
        users.operator_create_user(
            rt.uow(),
            tenant,
            users.NewUser(login=f"ops@{tenant}", role="operator", password=SecretStr(PASSWORD)),
        )
    csrf = sign_in(client, "ops@seller-a")
    bad = client.post(
        "/console/marketplace/profile", data=PROFILE | {"csrf": csrf, "platform": "seller-b"}
    )
    assert bad.status_code == 422
    page = html.fromstring(bad.content)
    assert page.xpath("//div[@class='error']//code/text()") == ["platform"]
    assert not page.xpath("//table[@id='marketplace-profile-list']")
    r = client.post("/console/marketplace/profile", data=PROFILE | {"csrf": csrf})
    assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    (row,) = page.xpath("//table[@id='marketplace-profile-list']/tbody/tr")
    cells = [c.text_content() for c in row.xpath("td")]
    assert row.get("data-marketplace") == "tiktok"
    assert cells[1:6] == ["platform-a", "USD", "America/Los_Angeles", "", "DDP"]
    # the upload's fields left empty: the profile gives them
    data = {"csrf": csrf, "source": "auto", "platform": "", "origin_country": ""}
    files = {"file": ("tiktok.csv", TIKTOK.read_bytes(), "text/csv")}
    r = client.post("/console/marketplace/import", data=data, files=files)
    assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//p[@id='marketplace-format']/@data-format") == ["tiktok"]
    used = page.xpath("//p[@id='marketplace-from-profile']/code/text()")
    assert "platform=platform-a" in used and "timezone=America/Los_Angeles" in used
    times = created_times()
    stored = orders_of(client, parties["seller-a"])
    assert set(stored) == set(times)
    for order_no, order in stored.items():
        ordered_at = datetime.fromisoformat(order["ordered_at"].replace("Z", "+00:00"))
        assert ordered_at == in_zone(times[order_no], "America/Los_Angeles")
    # in Chinese, and another tenant's user sees no profile of seller-a's
    client.cookies.set("cbec_lang", "zh")
    assert "电商平台配置" in client.get("/console/marketplace").text
    sign_in(client, "ops@seller-b")
    page = html.fromstring(client.get("/console/marketplace").content)
    assert not page.xpath("//table[@id='marketplace-profile-list']")
    data = {"csrf": sign_in(client, "ops@seller-b"), "source": "auto", "platform": ""}
    r = client.post("/console/marketplace/import", data=data, files=files)
    assert r.status_code == 422
    assert html.fromstring(r.content).xpath("//div[@class='error']//code/text()") == ["platform"]


def test_an_operator_deletes_a_profile_after_confirming_it(rt, parties, client):
    """The delete button asks first (nothing deleted), then deletes through the use case;
    the API then finds no profile. A viewer cannot delete, and another tenant's user
    deleting the same marketplace is told it has none — seller-a's stays."""
    for tenant, role in (("seller-a", "operator"), ("seller-a", "viewer"), ("seller-b", "admin")):
        users.operator_create_user(
            rt.uow(),
            tenant,
            users.NewUser(login=f"{role}@{tenant}", role=role, password=SecretStr(PASSWORD)),
        )
    csrf = sign_in(client, "operator@seller-a")
    for marketplace in ("tiktok", "shopify"):
        saved = PROFILE | {"csrf": csrf, "marketplace": marketplace}
        assert client.post("/console/marketplace/profile", data=saved).status_code == 200
    page = html.fromstring(client.get("/console/marketplace").content)
    buttons = page.xpath(
        "//table[@id='marketplace-profile-list']//form"
        "[@action='/console/marketplace/profile/delete']/input[@name='marketplace']/@value"
    )
    assert sorted(buttons) == ["shopify", "tiktok"]

    asked = client.post(
        "/console/marketplace/profile/delete", data={"csrf": csrf, "marketplace": "tiktok"}
    )
    assert asked.status_code == 200
    page = html.fromstring(asked.content)
    assert page.xpath("//form[@id='confirm-delete']/input[@name='confirm']/@value") == ["yes"]
    api = parties["seller-a"].headers
    assert client.get("/marketplace/profiles/tiktok", headers=api).status_code == 200

    # another tenant deleting "tiktok" deletes nothing of seller-a's
    other = sign_in(client, "admin@seller-b")
    data = {"csrf": other, "marketplace": "tiktok", "confirm": "yes"}
    r = client.post("/console/marketplace/profile/delete", data=data)
    assert r.status_code == 404 and html.fromstring(r.content).xpath("//p[@id='refusal']")
    assert client.get("/marketplace/profiles/tiktok", headers=api).status_code == 200
    # a viewer of seller-a reads the list but has no button, and a forged post is refused
    viewer = sign_in(client, "viewer@seller-a")
    page = html.fromstring(client.get("/console/marketplace").content)
    assert page.xpath("//table[@id='marketplace-profile-list']")
    assert not page.xpath("//form[@action='/console/marketplace/profile/delete']")
    data = {"csrf": viewer, "marketplace": "tiktok", "confirm": "yes"}
    assert client.post("/console/marketplace/profile/delete", data=data).status_code == 403
    assert client.get("/marketplace/profiles/tiktok", headers=api).status_code == 200

    csrf = sign_in(client, "operator@seller-a")
    data = {"csrf": csrf, "marketplace": "tiktok", "confirm": "yes"}
    done = client.post("/console/marketplace/profile/delete", data=data)
    assert done.status_code == 200, done.text
    page = html.fromstring(done.content)
    assert page.xpath("//p[@id='profile-deleted']")
    rows = page.xpath("//table[@id='marketplace-profile-list']/tbody/tr/@data-marketplace")
    assert rows == ["shopify"]
    assert client.get("/marketplace/profiles/tiktok", headers=api).status_code == 404
    # a second deletion finds none; without the CSRF token nothing is deleted
    assert client.post("/console/marketplace/profile/delete", data=data).status_code == 404
    forged = {"marketplace": "shopify", "confirm": "yes"}
    assert client.post("/console/marketplace/profile/delete", data=forged).status_code == 403
    assert client.get("/marketplace/profiles/shopify", headers=api).status_code == 200
