"""The order page's customs timeline: the messages and receipts filed in the test, with their
return statuses and notes, in order — the same events the API lists for the same caller, and
none of them for anyone who did not declare them."""

from __future__ import annotations

import random

from lxml import html

from cbec.console.i18n import translations
from cbec.demo import synthetic
from tests.console.test_console_seller import console_user
from tests.customs.test_customs_api import _profiles, _receipt

XML = {"Content-Type": "application/xml"}


def _declared_sale(client, parties, rt) -> tuple[dict, str]:
    """An order of seller-a declared (CEB311) and answered by three receipts (2, 3, 120)."""
    _profiles(rt, parties)
    rng = random.Random(41)
    order = synthetic.order(rng, "platform-a", "seller-a", "TL-1")
    seller = parties["seller-a"].headers
    doc = client.post("/orders", json=order, headers=seller).json()
    r = client.post(f"/orders/{doc['id']}/customs/ceb311", headers=seller)
    assert r.status_code == 200, r.text
    record = r.json()["declarations"][0]["record_guid"]
    for status in (2, 3, 120):
        receipt = _receipt(record, order["order_no"], status)
        r = client.post("/customs/messages", content=receipt, headers={**seller, **XML})
        assert r.status_code == 200, r.text
    return doc, record


def _timeline(page) -> list[str]:
    doc = html.fromstring(page.content)
    return [" ".join(li.text_content().split()) for li in doc.xpath("//ol[@class='timeline']/li")]


def test_the_timeline_shows_the_receipts_filed(rt, client, parties):
    doc, record = _declared_sale(client, parties, rt)
    (declared,) = client.get("/customs/declarations", headers=parties["seller-a"].headers).json()
    events = declared["events"]
    assert [e["return_status"] for e in events] == [None, 2, 3, 120]
    for lang in ("en", "zh"):
        console_user(rt, client, "seller-a", lang)
        page = client.get(f"/console/orders/{doc['id']}")
        assert page.status_code == 200
        shown = _timeline(page)
        assert len(shown) == len(events)
        gettext = translations(lang).gettext
        for line, event in zip(shown, events, strict=True):
            assert "CEB311" in line and record in line
            state = gettext("state: %(state)s") % {"state": gettext(event["state"])}
            assert state in line
            if event["return_status"] is not None:
                status = gettext("returnStatus %(status)s") % {"status": event["return_status"]}
                assert status in line and f"status {event['return_status']}" in line  # its note
        assert gettext("accepted by customs") in shown[-1]
        assert gettext("declaring at E-Port") in shown[1]
        times = html.fromstring(page.content).xpath("//ol[@class='timeline']/li/time/@datetime")
        assert times == [e["at"] for e in events]
    api = client.get(
        f"/orders/{doc['id']}/customs/timeline", headers=parties["seller-a"].headers
    ).json()
    assert [(e["at"], e["return_status"], e["state"]) for e in api["events"]] == [
        (e["at"], e["return_status"], e["state"]) for e in events
    ]
    outsider = client.get(
        f"/orders/{doc['id']}/customs/timeline", headers=parties["seller-b"].headers
    )
    assert outsider.status_code == 404
    # the platform sees the order but declared nothing of it: no event, as the API shows it
    console_user(rt, client, "platform-a")
    assert client.get("/customs/declarations", headers=parties["platform-a"].headers).json() == []
    page = client.get(f"/console/orders/{doc['id']}")
    assert page.status_code == 200 and _timeline(page) == []
    assert "No customs message or receipt of yours for this order yet." in page.text
    # a regulator sees everyone's declarations; another seller not even the order
    console_user(rt, client, "regulator")
    assert len(_timeline(client.get(f"/console/orders/{doc['id']}"))) == len(events)
    console_user(rt, client, "seller-b")
    assert client.get(f"/console/orders/{doc['id']}").status_code == 404
