"""A tenant's marketplace profiles: saved, read, listed and removed over the API and the CLI,
each tenant's its own (another's is "not found"); an import of a marketplace's file with no
options takes them from its profile — its times read in the profile's zone, checked against
the file's own time converted with :mod:`zoneinfo` — and an option given wins."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.connectors.test_marketplace_api import catalogue
from tests.connectors.test_marketplace_cli import orders_of

DATA = Path(__file__).parent / "data"
TIKTOK = DATA / "tiktok_orders_gb18030.csv"
PROFILE = {
    "platform": "platform-a",
    "currency": "USD",
    "timezone": "America/Los_Angeles",
    "origin_country": "CN",
    "incoterm": "DAP",
}


def created_times() -> dict[str, str]:
    """TikTok Shop's ``Created Time`` of each order not cancelled, read from the file with the
    csv module (the row after the header describes the columns: it has no order id)."""
    rows = csv.DictReader(io.StringIO(TIKTOK.read_bytes().decode("gb18030")))
    return {
        r["Order ID"]: r["Created Time"]
        for r in rows
        if r["Order ID"].isdigit() and r["Order Status"] != "Cancelled"
    }


def in_zone(text: str, zone: str) -> datetime:
    wall = datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p")
    return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def put(client, party, marketplace: str, body: dict):
    return client.put(f"/marketplace/profiles/{marketplace}", json=body, headers=party.headers)


def test_profiles_are_saved_listed_removed_and_each_tenants_own(client, parties):
    a, b = parties["seller-a"], parties["seller-b"]
    r = put(client, a, "tiktok", PROFILE)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in PROFILE} == PROFILE and r.json()["marketplace"] == "tiktok"
    # a save replaces the profile whole: a field left out is unset
    r = put(client, a, "shopify", {"platform": "platform-b"})
    assert r.status_code == 200 and r.json()["currency"] is None
    r = put(client, a, "shopify", {"platform": "platform-a", "timezone": "Asia/Shanghai"})
    listed = client.get("/marketplace/profiles", headers=a.headers).json()["profiles"]
    assert [(p["marketplace"], p["platform"], p["timezone"]) for p in listed] == [
        ("shopify", "platform-a", "Asia/Shanghai"),
        ("tiktok", "platform-a", "America/Los_Angeles"),
    ]
    # another tenant sees none of them, and cannot read or remove them
    assert client.get("/marketplace/profiles", headers=b.headers).json() == {"profiles": []}
    for method in ("GET", "DELETE"):
        r = client.request(method, "/marketplace/profiles/tiktok", headers=b.headers)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/marketplace/profiles/tiktok", headers=a.headers).status_code == 200
    # its own profile of the same marketplace is its own
    assert put(client, b, "tiktok", {"platform": "platform-b"}).status_code == 200
    mine = client.get("/marketplace/profiles/tiktok", headers=a.headers).json()
    assert mine["platform"] == "platform-a"
    r = client.delete("/marketplace/profiles/shopify", headers=a.headers)
    assert r.status_code == 200 and r.json()["timezone"] == "Asia/Shanghai"
    assert client.get("/marketplace/profiles/shopify", headers=a.headers).status_code == 404
    assert client.delete("/marketplace/profiles/shopify", headers=a.headers).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"platform": "no-such-platform"}, "platform", "party_unknown"),
        ({"platform": "seller-b"}, "platform", "party_unknown"),  # a tenant, not a platform
        ({"currency": "XYZ"}, "currency", "currency_code"),
        ({"currency": "usd"}, "currency", "currency_code"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "timezone_unknown"),
        ({"origin_country": "XX"}, "origin_country", "country_code"),
    ],
)
def test_a_profile_naming_nothing_real_is_refused(client, parties, body, field, rule):
    r = put(client, parties["seller-a"], "shopify", body)
    assert r.status_code == 422, r.text
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [(field, rule)]
    assert client.get("/marketplace/profiles", headers=parties["seller-a"].headers).json() == {
        "profiles": []
    }


def test_only_known_marketplaces_and_order_filers_have_profiles(client, parties):
    r = put(client, parties["seller-a"], "auto", {"platform": "platform-a"})
    assert r.status_code == 400 and r.json()["code"] == "marketplace_format_unknown"
    r = put(client, parties["pay-a"], "shopify", {"platform": "platform-a"})
    assert r.status_code == 403


def _import(client, party, **params):
    return client.post(
        "/imports/marketplace",
        content=TIKTOK.read_bytes(),
        params=params,
        headers={**party.headers, "Content-Type": "text/csv"},
    )


def test_an_import_with_no_options_uses_the_profile(client, parties):
    seller = parties["seller-a"]
    catalogue(client, seller)
    r = _import(client, seller)
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["platform"]
    assert put(client, seller, "tiktok", PROFILE).status_code == 200
    r = _import(client, seller)
    assert r.status_code == 200, r.text
    assert r.json()["marketplace"]["from_profile"] == PROFILE
    times = created_times()
    stored = orders_of(client, seller)
    assert set(stored) == set(times)
    for order_no, text in times.items():
        order = stored[order_no]
        assert order["platform"] == "platform-a" and order["currency"] == "USD"
        ordered_at = datetime.fromisoformat(order["ordered_at"].replace("Z", "+00:00"))
        assert ordered_at == in_zone(text, "America/Los_Angeles")


def test_options_given_win_over_the_profile(client, parties):
    seller = parties["seller-a"]
    catalogue(client, seller)
    assert put(client, seller, "tiktok", PROFILE).status_code == 200
    r = _import(client, seller, timezone="Asia/Shanghai", currency="EUR")
    assert r.status_code == 200, r.text
    used = r.json()["marketplace"]["from_profile"]
    assert used == {k: v for k, v in PROFILE.items() if k not in ("timezone", "currency")}
    times = created_times()
    for order_no, order in orders_of(client, seller).items():
        ordered_at = datetime.fromisoformat(order["ordered_at"].replace("Z", "+00:00"))
        assert ordered_at == in_zone(times[order_no], "Asia/Shanghai")
        assert order["currency"] == "EUR"


def test_the_cli_sets_shows_lists_deletes_and_imports_with_the_profile(
    cli, client, parties, tmp_path
):
    catalogue(client, parties["seller-a"])
    r = cli("marketplace", "profile", "set", "tiktok", "--as", "seller-a", "--platform",
            "platform-a", "--currency", "USD", "--tz", "America/Los_Angeles")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["timezone"] == "America/Los_Angeles"
    r = cli("marketplace", "profile", "set", "tiktok", "--as", "seller-a", "--currency", "ZZZ")
    assert r.exit_code == 2 and "currency" in r.output
    r = cli("marketplace", "profile", "show", "tiktok", "--as", "seller-b")
    assert r.exit_code == 2 and "no such marketplace profile" in r.output
    r = cli("marketplace", "profile", "list", "--as", "seller-b")
    assert json.loads(r.stdout) == {"profiles": []}
    r = cli("marketplace", "profile", "delete", "tiktok", "--as", "seller-b")
    assert r.exit_code == 2
    r = cli("marketplace", "profile", "list", "--as", "seller-a")
    assert [p["currency"] for p in json.loads(r.stdout)["profiles"]] == ["USD"]
    path = shutil.copy(TIKTOK, tmp_path)
    r = cli("import", "orders", path, "--as", "seller-a", "--from", "tiktok")
    assert r.exit_code == 0, r.output
    assert "from the marketplace profile: platform=platform-a" in r.stdout
    assert "1 created" in r.stdout
    r = cli("marketplace", "profile", "delete", "tiktok", "--as", "seller-a")
    assert r.exit_code == 0 and json.loads(r.stdout)["platform"] == "platform-a"
    r = cli("marketplace", "profile", "show", "tiktok", "--as", "seller-a")
    assert r.exit_code == 2


def test_the_migration_adds_the_table_and_removes_it_again(tmp_path):
    from sqlalchemy import inspect

    from cbec.store.db import make_engine
    from tests.databases import empty_database, migrate

    with empty_database(tmp_path, "profiles") as url:
        engine = make_engine(url)
        try:
            migrate(engine, "0029")
            insp = inspect(engine)
            assert insp.get_pk_constraint("marketplace_profiles")["constrained_columns"] == [
                "tenant_id",
                "marketplace",
            ]
            migrate(engine, "0028", down=True)
            assert "marketplace_profiles" not in inspect(engine).get_table_names()
            assert "webhook_subscriptions" in inspect(engine).get_table_names()
        finally:
            engine.dispose()
