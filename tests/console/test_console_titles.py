"""Page titles hold no personal data (issue #14, point 6): a title is what a browser keeps in
its history, bookmarks, tab lists and window titles (seen over a shoulder, in a screen share,
in a window manager's log), so it names the view, never the buyer, the searched order or the
invited person. Checked on the views that show those most: an order search, an order's page,
the screening hits, the reveal and what it revealed, the people page with an invitation, and
the invitation's own page — in both languages, against the values the pages do show."""

from __future__ import annotations

import random
from urllib.parse import urlsplit

from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.console.test_console_sign_in import PASSWORD, csrf_of, sign_in
from tests.regulator.hits import LISTED, flagged_order, hits_on, load_list

REASON = "Inquiry 2026-044: titles"


def _user(rt, tenant: str, login: str, role: str = "operator") -> str:
    users.operator_create_user(
        rt.uow(), tenant, users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
    )
    return login


def _title(r) -> tuple[str, str]:
    """The page's language and its title."""
    assert r.status_code == 200, (r.url, r.status_code)
    page = html.fromstring(r.content)
    (title,) = page.xpath("/html/head/title")
    return page.get("lang"), title.text_content()


def _secrets_of(order: dict) -> list[str]:
    buyer, consignee = order["buyer"], order["consignee"]
    return [
        order["order_no"],
        buyer["name"],
        buyer["id_number"],
        buyer["phone"],
        buyer["account_id"],
        consignee["name"],
        consignee["phone"],
        consignee["address"],
    ]


def test_no_title_holds_personal_data_or_the_searched_order(rt, client, parties):
    orders = []
    for n in (1, 2):
        order = synthetic.order(random.Random(40 + n), "platform-a", "seller-a", f"TITLE-{n}")
        r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
        assert r.status_code == 201, r.text
        orders.append((r.json()["id"], order))
    load_list(client, parties["platform-a"].headers)
    flagged = flagged_order(client, parties, "platform-a", 7)
    (hit,) = hits_on(client, parties["platform-a"].headers, flagged)
    secrets = [s for _, order in orders for s in _secrets_of(order)] + [LISTED, "DESK-7"]
    seller = _user(rt, "seller-a", "sam@seller-a")
    platform = _user(rt, "platform-a", "pat@platform-a")
    regulator = _user(rt, "regulator", "rita@regulator")
    admin = _user(rt, "seller-a", "boss@seller-a", "admin")

    views: dict[tuple[str, str], set[str]] = {}  # (language, view) -> the titles it had

    def seen(view: str, r) -> None:
        lang, title = _title(r)
        views.setdefault((lang, view), set()).add(title)

    for lang in ("en", "zh"):
        sign_in(client, seller)
        client.cookies.set("cbec_lang", lang)
        for doc_id, order in orders:
            listing = client.get("/console/orders", params={"order_no": order["order_no"]})
            assert order["order_no"] in listing.text  # the search found it
            seen("orders searched", listing)
            page = client.get(f"/console/orders/{doc_id}")
            assert order["buyer"]["name"] in page.text  # in clear for its filer
            seen("order", page)

        sign_in(client, platform)
        client.cookies.set("cbec_lang", lang)
        seen("hits", client.get("/console/hits"))
        seen("hit", client.get(f"/console/hits/{hit['id']}"))

        sign_in(client, regulator)
        client.cookies.set("cbec_lang", lang)
        for doc_id, order in orders:
            form = client.get(f"/console/orders/{doc_id}/reveal")
            seen("reveal", form)
            revealed = client.post(
                f"/console/orders/{doc_id}/reveal", data={"csrf": csrf_of(form), "reason": REASON}
            )
            assert order["buyer"]["id_number"] in revealed.text  # revealed in the page
            seen("revealed", revealed)
        seen("audit", client.get("/console/audit"))

        sign_in(client, admin)
        client.cookies.set("cbec_lang", lang)
        invitee = f"wang.fang.{lang}@example.cn"
        invited = client.post(
            "/console/users",
            data={
                "csrf": csrf_of(client.get("/console/users")),
                "login": invitee,
                "role": "viewer",
            },
        )
        (link,) = html.fromstring(invited.content).xpath("//code[@class='invite-link']/text()")
        secrets += [invitee, link.rsplit("/", 1)[1]]
        seen("people, an invitation shown", invited)
        client.cookies.clear()
        client.cookies.set("cbec_lang", lang)
        invitation = client.get(urlsplit(link).path)
        assert invitee in invitation.text
        seen("invitation", invitation)

    assert {lang for lang, _ in views} == {"en", "zh-CN"} and len(views) == 2 * 9
    for view, titles in views.items():
        assert len(titles) == 1, (view, titles)  # the view's name, whatever object it shows
        (title,) = titles
        for secret in secrets:
            assert secret not in title, (view, secret)
