"""ROAS, CAC, CLV:CAC, repurchase and the budget shift on a small fixture, against figures
computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from cbec.growth import adspend, roas
from cbec.growth.roas import OrderFact

GENERIC = """channel,market,day,spend,currency
google_ads,US,2026-03-01,100.00,USD
google_ads,US,2026-03-02,100.00,USD
meta_ads,US,2026-03-01,60.00,USD
meta_ads,DE,2026-03-02,40.00,USD
"""


def fact(no, who, day, channel, amount, market="US", currency="USD"):
    return OrderFact(no, who, date(2026, 3, day), market, channel, D(amount), currency)


ORDERS = [
    # a: first order via google on day 1, back on day 20 (after the period) via the shop
    fact("1", "a", 1, "google_ads", "50.00"),
    fact("2", "a", 20, "shop", "30.00"),
    # b: first via google on day 2, no return
    fact("3", "b", 2, "google_ads", "40.00"),
    # c: twice via meta on day 1 (DE): one purchase day
    fact("4", "c", 1, "meta_ads", "100.00", market="DE"),
    fact("5", "c", 1, "meta_ads", "20.00", market="DE"),
    # d: an old customer (first order before the period) buying via meta: revenue, not new
    fact("6", "d", 1, "meta_ads", "10.00"),
    fact("0", "d", 1, "shop", "5.00"),  # day 1 too: d's first order is in the period...
    fact("7", "e", 2, "meta_ads", "99.00", currency="EUR"),  # another currency: left out
    fact("8", None, 2, "google_ads", "10.00"),  # no buyer identity: revenue only
]


def test_figures_per_channel_match_the_hand_computed_ones():
    spend = adspend.parse(GENERIC, "generic")
    rep = roas.report(spend, ORDERS, D("0.20"))
    assert (rep.currency, rep.first_day, rep.last_day) == (
        "USD",
        date(2026, 3, 1),
        date(2026, 3, 2),
    )
    assert rep.other_currency_orders == 1
    assert rep.unattributed_orders == 1  # order 0, via the shop
    g, m = rep.channels
    # google: spend 200; revenue 50 + 40 + 10 = 100 → ROAS 0.5; new a, b → CAC 100;
    # CLV (80 + 40) / 2 = 60 → CLV:CAC 0.6; a came back → repurchase 1/2
    assert (g.channel, g.spend, g.orders, g.revenue, g.roas) == (
        "google_ads",
        D("200.00"),
        3,
        D("100.00"),
        D("0.5000"),
    )
    assert (g.new_customers, g.cac, g.clv, g.clv_cac) == (2, D("100.00"), D("60.00"), D("0.6000"))
    assert (g.repeaters, g.repurchase_rate) == (1, D("0.5000"))
    # meta: spend 100; revenue 100 + 20 + 10 = 130 → ROAS 1.3; new: c only (d's first order,
    # "0" via the shop, sorts before "6" on the same day) → CAC 100; CLV 120 → 1.2;
    # c's two orders are one purchase day → repurchase 0
    assert (m.revenue, m.roas, m.new_customers, m.cac, m.clv, m.clv_cac) == (
        D("130.00"),
        D("1.3000"),
        1,
        D("100.00"),
        D("120.00"),
        D("1.2000"),
    )
    assert (m.repeaters, m.repurchase_rate) == (0, D("0.0000"))
    assert [(x.market, x.spend, x.revenue, x.roas) for x in m.markets] == [
        ("DE", D("40.00"), D("120.00"), D("3.0000")),
        ("US", D("60.00"), D("10.00"), D("0.1667")),
    ]
    # shift 20 % of google's 200 = 40 to meta: 40 / 100 = 0.4 customers each way;
    # lost 0.4 × 60 = 24, gained 0.4 × 120 = 48, net +24
    s = rep.shift
    assert s is not None
    assert (s.source, s.target, s.amount) == ("google_ads", "meta_ads", D("40.00"))
    assert (s.customers_lost, s.customers_gained) == (D("0.40"), D("0.40"))
    assert (s.value_lost, s.value_gained, s.net_value) == (D("24.00"), D("48.00"), D("24.00"))


def test_no_shift_without_two_rated_channels():
    spend = adspend.parse(GENERIC, "generic")
    only_google = [o for o in ORDERS if o.channel != "meta_ads"]
    rep = roas.report(spend, only_google, D("0.20"))
    meta = rep.channels[1]
    assert (meta.new_customers, meta.cac, meta.clv_cac, meta.roas) == (0, None, None, D("0.0000"))
    assert rep.shift is None


def test_spend_in_two_currencies_is_refused():
    import pytest

    from cbec.errors import DocumentInvalid

    text = GENERIC + "meta_ads,US,2026-03-03,5.00,EUR\n"
    with pytest.raises(DocumentInvalid) as e:
        roas.report(adspend.parse(text, "generic"), ORDERS, D("0.2"))
    assert [(v.field, v.rule) for v in e.value.violations] == [
        ("reports", "adspend_currency_mixed")
    ]
