"""The webhooks page: a subscription made there signs deliveries with the secret it shows
once (checked by the Standard Webhooks reference library), a bad URL is refused naming the
field in the API's words, a delivery that failed every attempt on an injected clock is in the
dead-letter list and replayed from the page, a pending one is refused with the reason (409,
never a 500), another tenant's is "not found", a switch-off asks first — in both languages.
Oracles: the API's answers for the same tenant, the catalogue's events and the rule
messages of cbec.i18n."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from lxml import html
from standardwebhooks.webhooks import Webhook

from cbec.api.app import create_app
from cbec.console.i18n import translations
from cbec.console.webhook_pages import EVENT_TEXTS
from cbec.i18n import render
from cbec.services import webhook_delivery
from cbec.webhooks import retry
from cbec.webhooks.catalogue import EVENTS
from tests.conftest import make_order
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of

HOOK = "http://127.0.0.1:9/cbec-hook"  # never connected to: the deliverer's client is mocked


@pytest.fixture
def api(rt):
    """An app whose deliverer does not run by itself: the test delivers, on its clock."""
    with TestClient(create_app(rt, deliver_in_background=False)) as c:
        yield c


def _doc(page):
    return html.fromstring(page.content)


def _rows(page, table: str) -> dict[str, dict[str, str]]:
    """The rows of a table by their ``data-id``: each one's data attributes and cells."""
    out = {}
    for tr in _doc(page).xpath(f"//table[@id='{table}']/tbody/tr"):
        cells = [td.text_content().strip() for td in tr.xpath("td")]
        out[tr.get("data-id")] = dict(tr.attrib) | {"cells": cells}
    return out


def _subscribe(api, events=("document.filed",), url=HOOK):
    csrf = csrf_of(api.get("/console/webhooks"))
    form = {"csrf": csrf, "url": url, "event_types": list(events)}
    return api.post("/console/webhooks/subscriptions", data=form)


class Failing:
    """The receiver: answers 500 to everything and keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(500)


def _dead_delivery(rt, api, party, rng) -> tuple[str, Failing]:
    """A filed order's delivery, failed on each of its attempts at the back-off's times."""
    assert api.post("/orders", json=make_order(rng, 1), headers=party.headers).is_success
    at = [datetime.now(UTC) + timedelta(minutes=1)]
    receiver = Failing()
    with httpx.Client(transport=httpx.MockTransport(receiver)) as client:
        for attempt in range(1, retry.MAX_ATTEMPTS + 1):
            done = webhook_delivery.deliver_due(rt.uow, client, lambda: at[0])
            assert done.claimed == 1, attempt
            at[0] += retry.delay_after(attempt)
    (d,) = api.get("/webhooks/deliveries", headers=party.headers).json()["deliveries"]
    assert d["status"] == "dead" and d["attempts"] == retry.MAX_ATTEMPTS
    return d["id"], receiver


def test_the_console_names_each_event_as_the_catalogue_does():
    assert {k: str(v) for k, v in EVENT_TEXTS.items()} == {
        k: e.description for k, e in EVENTS.items()
    }
    zh = translations("zh").gettext
    assert all(zh(text) != text for text in EVENT_TEXTS.values())


def test_a_subscription_shows_its_secret_once_and_a_bad_url_is_named(rt, api, parties, rng):
    seller = parties["seller-a"]
    console_user(rt, api, "seller-a", role="operator")
    page = api.get("/console/webhooks")
    assert page.status_code == 200
    boxes = _doc(page).xpath("//form[@id='subscribe']//input[@name='event_types']/@value")
    assert boxes == list(EVENTS)
    assert _doc(page).xpath("//p[@id='subscriptions-none']")

    bad = _subscribe(api, url="ftp://hooks.example.com/x")
    assert bad.status_code == 422
    api_bad = api.post(
        "/webhooks/subscriptions",
        json={"url": "ftp://hooks.example.com/x", "event_types": ["document.filed"]},
        headers=seller.headers,
    ).json()
    (want,) = api_bad["errors"]
    shown = _doc(bad).xpath("//div[@role='alert']//li")
    assert [li.text_content() for li in shown] == [f"{want['field']}: {want['message']}"]
    assert want["field"] == "url"

    made = _subscribe(api, events=("document.filed", "screening.hit"))
    assert made.status_code == 200
    secret = _doc(made).xpath("//code[@id='secret']/text()")[0]
    assert secret.startswith("whsec_")
    (listed,) = api.get("/webhooks/subscriptions", headers=seller.headers).json()["subscriptions"]
    assert listed["event_types"] == ["document.filed", "screening.hit"]
    rows = _rows(api.get("/console/webhooks"), "subscriptions")
    assert list(rows) == [listed["id"]] and rows[listed["id"]]["data-active"] == "yes"
    assert rows[listed["id"]]["cells"][0] == HOOK
    assert secret not in api.get("/console/webhooks").text  # once

    # the secret shown is the one deliveries are signed with
    assert api.post("/orders", json=make_order(rng, 1), headers=seller.headers).is_success
    receiver = Failing()
    with httpx.Client(transport=httpx.MockTransport(receiver)) as client:
        assert webhook_delivery.deliver_due(rt.uow, client).claimed == 1
    (sent,) = receiver.sent
    payload = Webhook(secret).verify(sent.content, dict(sent.headers))
    assert payload["type"] == "document.filed"

    # the switch-off asks first, then switches off
    csrf = csrf_of(api.get("/console/webhooks"))
    off = f"/console/webhooks/subscriptions/{listed['id']}/off"
    asked = api.post(off, data={"csrf": csrf})
    assert asked.status_code == 200 and _doc(asked).xpath("//form[@id='confirm-off']")
    assert api.get("/webhooks/subscriptions", headers=seller.headers).json()["subscriptions"][0][
        "active"
    ]
    done = api.post(off, data={"csrf": csrf, "confirm": "yes"})
    assert done.status_code == 200 and _doc(done).xpath("//p[@id='switched-off']")
    assert _rows(done, "subscriptions")[listed["id"]]["data-active"] == "no"
    assert not api.get("/webhooks/subscriptions", headers=seller.headers).json()["subscriptions"][
        0
    ]["active"]


def test_a_dead_delivery_is_listed_and_replayed_from_the_page(rt, api, parties, rng):
    seller = parties["seller-a"]
    console_user(rt, api, "seller-a", role="operator")
    assert _subscribe(api).status_code == 200
    dead_id, receiver = _dead_delivery(rt, api, seller, rng)
    assert len(receiver.sent) == retry.MAX_ATTEMPTS

    dead = api.get("/console/webhooks", params={"status": "dead"})
    rows = _rows(dead, "deliveries")
    assert list(rows) == [dead_id] and rows[dead_id]["data-status"] == "dead"
    cells = rows[dead_id]["cells"]
    assert cells[1] == "document.filed" and cells[2] == HOOK
    assert cells[4] == str(retry.MAX_ATTEMPTS) and cells[5] == "HTTP 500"
    assert _doc(api.get("/console/webhooks", params={"status": "pending"})).xpath(
        "//p[@id='deliveries-none']"
    )
    assert api.get("/console/webhooks", params={"status": "lost"}).status_code == 422

    csrf = csrf_of(dead)
    replay = f"/console/webhooks/deliveries/{dead_id}/replay"
    again = api.post(replay, data={"csrf": csrf})
    assert again.status_code == 200 and _doc(again).xpath("//p[@id='replayed']")
    assert _rows(again, "deliveries")[dead_id]["data-status"] == "pending"
    (d,) = api.get("/webhooks/deliveries", headers=seller.headers).json()["deliveries"]
    assert (d["status"], d["attempts"]) == ("pending", 0)

    # still pending: refused with the reason, in the page's language
    for lang in ("en", "zh"):
        api.cookies.set("cbec_lang", lang)
        refused = api.post(replay, data={"csrf": csrf})
        assert refused.status_code == 409
        reason = _doc(refused).xpath("//p[@id='refusal']/text()")
        assert reason == [render("webhook_still_pending", lang, {})]


def test_another_tenants_delivery_is_not_found(rt, api, parties, rng):
    console_user(rt, api, "seller-a", role="operator")
    assert _subscribe(api).status_code == 200
    dead_id, _ = _dead_delivery(rt, api, parties["seller-a"], rng)
    (sub,) = api.get("/webhooks/subscriptions", headers=parties["seller-a"].headers).json()[
        "subscriptions"
    ]
    api.cookies.clear()
    console_user(rt, api, "seller-b", role="admin")
    page = api.get("/console/webhooks")
    assert dead_id not in page.text and sub["id"] not in page.text
    csrf = csrf_of(page)
    for url, form in (
        (f"/console/webhooks/deliveries/{dead_id}/replay", {}),
        (f"/console/webhooks/subscriptions/{sub['id']}/off", {}),
        (f"/console/webhooks/subscriptions/{sub['id']}/off", {"confirm": "yes"}),
    ):
        r = api.post(url, data={"csrf": csrf} | form)
        assert r.status_code == 404, url
        assert "webhook" in _doc(r).xpath("//main/p/text()")[0]
    mine = api.get("/webhooks/deliveries", headers=parties["seller-a"].headers).json()
    assert [d["status"] for d in mine["deliveries"]] == ["dead"]
    assert api.get("/webhooks/subscriptions", headers=parties["seller-a"].headers).json()[
        "subscriptions"
    ][0]["active"]


def test_the_page_speaks_chinese(rt, api, parties, rng):
    console_user(rt, api, "seller-a", lang="zh", role="viewer")
    assert _subscribe(api).status_code == 200
    dead_id, _ = _dead_delivery(rt, api, parties["seller-a"], rng)
    page = api.get("/console/webhooks")
    gettext = translations("zh").gettext
    assert '<html lang="zh-CN">' in page.text
    for source in ("Webhooks", "Subscriptions", "Deliveries", "Replay", "dead (given up)"):
        assert gettext(source) != source and gettext(source) in page.text, source
    for text in EVENT_TEXTS.values():
        assert gettext(text) in page.text and text not in page.text
    assert _rows(page, "deliveries")[dead_id]["cells"][3] == gettext("dead (given up)")
