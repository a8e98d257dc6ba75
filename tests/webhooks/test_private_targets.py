"""Webhooks reach only the public internet unless the deployment allows private targets:
subscribing to a loopback, private, link-local or reserved address is refused naming ``url``,
and the deliverer refuses to connect to a name that resolves to one — the receiver on
127.0.0.1 gets nothing while the block is on, and the same delivery arrives once it is off.

The oracle for which addresses are special is the IANA IPv4 and IPv6 Special-Purpose Address
Registries (RFC 6890), read off by hand below, not the standard library the code uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from cbec.api.app import create_app
from cbec.errors import DocumentInvalid
from cbec.services import webhook_delivery
from cbec.services import webhooks as svc
from cbec.services.webhook_models import SubscriptionRequest
from cbec.webhooks.endpoints import BLOCKED_PREFIX, blocked, check_url
from tests.conftest import make_order
from tests.webhooks.receiver import receiving

# (address, registry entry): every one is outside the public internet
SPECIAL = [
    ("0.0.0.0", "RFC 791 'this host'"),
    ("10.20.30.40", "RFC 1918 private-use"),
    ("100.64.0.1", "RFC 6598 shared address space"),
    ("127.0.0.1", "RFC 1122 loopback"),
    ("127.255.255.254", "RFC 1122 loopback"),
    ("169.254.169.254", "RFC 3927 link local (cloud metadata)"),
    ("172.16.0.1", "RFC 1918 private-use"),
    ("172.31.255.255", "RFC 1918 private-use"),
    ("192.0.2.10", "RFC 5737 documentation (TEST-NET-1)"),
    ("192.168.1.1", "RFC 1918 private-use"),
    ("198.18.0.1", "RFC 2544 benchmarking"),
    ("224.0.0.1", "RFC 5771 multicast"),
    ("240.0.0.1", "RFC 1112 reserved"),
    ("255.255.255.255", "RFC 919 limited broadcast"),
    ("::", "RFC 4291 unspecified"),
    ("::1", "RFC 4291 loopback"),
    ("::ffff:127.0.0.1", "RFC 4291 IPv4-mapped loopback"),
    ("::ffff:10.0.0.1", "RFC 4291 IPv4-mapped private-use"),
    ("fc00::1", "RFC 4193 unique-local"),
    ("fd12:3456::1", "RFC 4193 unique-local"),
    ("fe80::1%eth0", "RFC 4291 link-local, with a scope"),
    ("2001:db8::1", "RFC 3849 documentation"),
    ("ff02::1", "RFC 4291 multicast"),
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"]


@pytest.mark.parametrize(("address", "entry"), SPECIAL)
def test_special_purpose_addresses_are_blocked(address, entry):
    assert blocked(address), entry


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert not blocked(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "https://api.localhost./hook",
        "http://[::1]:9000/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::ffff:192.168.0.1]/",
    ],
)
def test_a_private_url_is_refused_naming_the_field_unless_allowed(url):
    (v,) = check_url(url)
    assert (v.field, v.rule) == ("url", "webhook_url_private")
    assert check_url(url, private_ok=True) == []


def test_public_names_are_judged_when_resolved_not_before():
    assert check_url("https://hooks.example.com/cbec") == []
    assert check_url("https://203.0.113.9.example.net/x") == []  # a name, not an address


def test_subscribing_to_a_private_address_is_refused(rt, parties):
    uow = rt.uow()
    uow.settings = rt.settings.model_copy(update={"webhooks_private_targets": False})
    with pytest.raises(DocumentInvalid) as exc:
        svc.subscribe(
            uow,
            parties["seller-a"].viewer,
            SubscriptionRequest(url="http://127.0.0.1:9/hook", event_types=["document.filed"]),
        )
    assert [(v.field, v.rule) for v in exc.value.violations] == [("url", "webhook_url_private")]


def test_the_deliverer_does_not_connect_to_a_private_address(rt, parties, rng):
    """A subscription made while private targets were allowed (or a public name that now
    resolves to a private address): with the block on, the attempt fails before a byte is
    sent and is retried later; with it off, the same delivery arrives."""
    seller = parties["seller-a"]
    with TestClient(create_app(rt, deliver_in_background=False)) as api, receiving() as rcv:
        url = rcv.url.replace("127.0.0.1", "localhost")  # a name, resolved by the deliverer
        sub = svc.subscribe(
            rt.uow(), seller.viewer, SubscriptionRequest(url=url, event_types=["document.filed"])
        )
        assert api.post("/orders", json=make_order(rng, 1), headers=seller.headers).is_success
        with webhook_delivery.new_client() as client:
            done = webhook_delivery.deliver_due(rt.uow, client)
        assert (done.claimed, done.delivered, done.retrying) == (1, 0, 1)
        assert rcv.requests == []
        (d,) = api.get("/webhooks/deliveries", headers=seller.headers).json()["deliveries"]
        assert (d["status"], d["last_status"], d["last_error"]) == ("pending", None, BLOCKED_PREFIX)
        assert d["subscription_id"] == sub.id
        with webhook_delivery.new_client(private_ok=True) as client:
            assert webhook_delivery.deliver_due(rt.uow, client, _a_day_later).delivered == 1
        rcv.wait_for(1)


def _a_day_later() -> datetime:
    return datetime.now(UTC) + timedelta(days=1)  # past the attempt's back-off
