"""A year of invented shop activity for the demo: customers who come back (or drift away),
baskets, weekly and yearly seasonality with the shopping peaks of each market, and what
follows an order — its payment, its waybill, now and then a return or a mismatch.

Why it is simulated this way: the console's analytics must have something true to find.
Customers follow the buy-till-you-die story that BG/NBD assumes (Fader, Hardie & Lee 2005):
each has a purchase rate drawn from a gamma distribution and, after every purchase, a
chance drawn from a beta distribution of never buying again. So RFM segments, cohorts and the
CLV fit see heterogeneous repeat buyers, and the demand of every SKU × market runs a whole
year with the market's peaks (11.11, 618, Black Friday, Christmas) and dips (Spring
Festival) — dates from :data:`PEAKS_FILE` and the ``holidays`` package, never from code.

The year ends where the demo was first loaded (:class:`Year`: its anchor is recorded, see
:func:`cbec.demo.loader.year`), so a fresh install shows today's orders, this month's and the
last 30 days' — and nothing is ever placed, paid or tracked after that moment. Everything is
deterministic (:data:`SEED` and the anchor), so running the demo again, on any later day,
files the same documents, which come back as *unchanged*. Every person
is invented: names from short lists, resident ID numbers that pass GB 11643 without
belonging to anyone (:mod:`cbec.demo.synthetic`), telephone numbers in the ranges reserved
for fiction (NANP 555-0100…0199, Ofcom's 020 7946 0xxx).
"""

from __future__ import annotations

import bisect
import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import holidays as hol

from cbec.demo import synthetic

SEED = 20251201
PEAKS_FILE = Path(__file__).with_name("data") / "shopping_peaks.csv"

SIZES = {"small": 900, "default": 6000, "large": 30000}
"""Orders the demo files per size (about: customers are drawn until the count is reached)."""

# Relative order rate per weekday (Monday first): more on the weekend, as retail sites see.
WEEKLY = (0.95, 0.92, 0.93, 0.97, 1.05, 1.15, 1.2)

HOME_CATALOG: list[dict[str, Any]] = [
    {"sku": "NB-VF-05", "name_zh": "真空保温杯 500ml", "name_en": "Vacuum flask 500 ml",
     "spec": "品牌:Termo;容量:500ml;不锈钢", "hs": "9617001100", "unit": "007",
     "price": "149.00", "kg": "0.35", "origin": "JP"},
    {"sku": "NB-TW-02", "name_zh": "纯棉毛巾 2条装", "name_en": "Cotton towels, 2 pack",
     "spec": "品牌:Loom;规格:34×76cm×2条", "hs": "6302600000", "unit": "122",
     "price": "69.00", "kg": "0.30", "origin": "TR"},
    {"sku": "NB-CD-01", "name_zh": "香薰蜡烛", "name_en": "Scented candle",
     "spec": "品牌:Glow;规格:200g/罐", "hs": "3406000000", "unit": "007",
     "price": "98.00", "kg": "0.40", "origin": "SE"},
    {"sku": "NB-CB-04", "name_zh": "陶瓷餐碗 4只装", "name_en": "Ceramic bowls, 4 pack",
     "spec": "品牌:Kiln;规格:直径15cm×4只", "hs": "6911101900", "unit": "122",
     "price": "129.00", "kg": "1.60", "origin": "DE"},
]  # fmt: skip


@dataclass(frozen=True)
class Shop:
    """A demo seller: where it sells (market → share of its customers), on which platform,
    who files its orders, and what it sells (most popular first)."""

    seller: str
    platform: str
    filer: str
    markets: dict[str, float]
    catalog: list[dict[str, Any]]


SHOPS = [
    Shop(
        "sz-gadgets",
        "silk-mall",
        "sz-gadgets",
        {"CN": 0.7, "US": 0.2, "GB": 0.1},
        [c for c in synthetic.CATALOG if c["sku"].startswith(("SZ-", "US-"))],
    ),
    Shop(
        "hz-beauty",
        "harbor-mall",
        "harbor-mall",
        {"CN": 1.0},
        [c for c in synthetic.CATALOG if not c["sku"].startswith(("SZ-", "US-"))],
    ),
    Shop("nb-home", "silk-mall", "nb-home", {"CN": 0.8, "US": 0.2}, HOME_CATALOG),
]

# Markets other than China: currency, the CNY price divisor, a fictional telephone range.
EXPORT = {
    "US": ("USD", Decimal("7.1"), "+1201555{:04d}", 100, 199),
    "GB": ("GBP", Decimal("9.0"), "+44207946{:04d}", 0, 999),
}
# Names of the invented people on the demo's watchlist (data/demo_watchlist.ftm.json).
WATCHED = {"US": "Morgan Blocklisted", "GB": "Quinn Embargotest"}
WATCH_EVERY = 25
WATCHLIST_FILE = Path(__file__).with_name("data") / "demo_watchlist.ftm.json"
GIVEN_EN = ("Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Avery", "Quinn", "Jamie")
FAMILY_EN = ("Example", "Sample", "Testwood", "Demoford", "Mockley", "Placeholder")


@dataclass(frozen=True)
class Year:
    """The demo's year: from the first Monday of the year before the anchor (weeks run
    Monday to Sunday, ISO 8601, so its weeks are whole but the last) to the anchor itself, a
    UTC minute — the first load's. At most 366 days: one window of the supervision desk."""

    anchor: datetime

    @classmethod
    def ending(cls, at: datetime) -> Year:
        """The year that ends at ``at`` (read in UTC, to the minute, so a time read back from
        any database gives the same year)."""
        return cls(at.astimezone(UTC).replace(second=0, microsecond=0))

    @property
    def end(self) -> date:
        return self.anchor.date()

    @property
    def start(self) -> date:
        first = self.end - timedelta(days=365)
        return first + timedelta(days=(7 - first.weekday()) % 7)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def midnight(self, day: int) -> datetime:
        """00:00 UTC of day ``day`` of the year (0: :attr:`start`)."""
        return datetime.combine(self.start + timedelta(days=day), datetime.min.time(), UTC)


@dataclass(frozen=True)
class Peak:
    name: str
    anchor: str
    offset: int
    days_before: int
    days_after: int
    lift: float
    markets: frozenset[str]
    effective_from: date
    effective_to: date | None
    source: str

    def days(self, year: int) -> list[date]:
        """The days of ``year``'s peak (empty if the rule is not in force or no anchor)."""
        kind, _, rest = self.anchor.partition(":")
        if kind == "fixed":
            month, day = (int(p) for p in rest.split("-"))
            anchor = date(year, month, day)
        else:
            country, _, holiday = rest.partition(":")
            found = sorted(
                d for d, n in hol.country_holidays(country, years=year).items() if n == holiday
            )
            if not found:
                return []
            anchor = found[0]
        centre = anchor + timedelta(days=self.offset)
        if centre < self.effective_from or (self.effective_to and centre > self.effective_to):
            return []
        span = range(-self.days_before, self.days_after + 1)
        return [centre + timedelta(days=k) for k in span]


def load_peaks(path: Path = PEAKS_FILE) -> list[Peak]:
    """The peaks and dips of :data:`PEAKS_FILE` (comment lines start with ``#``)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [
        Peak(
            r["name"],
            r["anchor"],
            int(r["offset"]),
            int(r["days_before"]),
            int(r["days_after"]),
            float(r["lift"]),
            frozenset(r["markets"].split()),
            date.fromisoformat(r["effective_from"]),
            date.fromisoformat(r["effective_to"]) if r["effective_to"] else None,
            r["source"],
        )
        for r in rows
    ]


@cache
def intensity(market: str, year: Year) -> tuple[float, ...]:
    """Relative order rate of each day of ``year`` (mean 1): weekday × a mild yearly wave
    (more in winter) × every peak or dip of the market in the calendar years it spans."""
    lifts = [1.0] * year.days
    for peak in load_peaks():
        if market not in peak.markets:
            continue
        for calendar_year in range(year.start.year, year.end.year + 1):
            for day in peak.days(calendar_year):
                i = (day - year.start).days
                if 0 <= i < year.days:
                    lifts[i] *= peak.lift
    raw = []
    for i in range(year.days):
        day = year.start + timedelta(days=i)
        wave = 1 + 0.15 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 350) / 365.25)
        raw.append(WEEKLY[day.weekday()] * wave * lifts[i])
    mean = sum(raw) / year.days
    return tuple(v / mean for v in raw)


@cache
def _cumulative(market: str, year: Year) -> tuple[float, ...]:
    total, out = 0.0, []
    for v in intensity(market, year):
        total += v
        out.append(total)
    return tuple(out)


@dataclass
class Customer:
    market: str
    buyer: dict[str, Any]
    consignee: dict[str, Any]
    favourites: list[dict[str, Any]]
    spend: float  # how much this customer buys at a time (1: typical), for Gamma-Gamma
    days: list[int] = field(default_factory=list)  # purchase days of the year (0: its start)


def _person(
    rng: random.Random, market: str, serial: int, watched: bool = False
) -> tuple[dict, dict]:
    if market == "CN":
        name, phone = synthetic.person_name(rng), synthetic.mobile(rng)
        district, addr = synthetic.address(rng)
        buyer = {
            "account_id": f"u{rng.randrange(10**7, 10**8)}",
            "name": name,
            "phone": phone,
            "id_type": "resident_id",
            "id_number": synthetic.resident_id(rng),
        }
        return buyer, {"name": name, "phone": phone, "address": addr, "district_code": district}
    _, _, pattern, lo, hi = EXPORT[market]
    name = f"{rng.choice(GIVEN_EN)} {rng.choice(FAMILY_EN)}"
    if watched:  # a buyer named like a person on the demo watchlist
        name = WATCHED[market]
    phone = pattern.format(rng.randint(lo, hi))
    buyer = {
        "account_id": f"x{serial:08d}",
        "name": name,
        "phone": phone,
        "id_type": "passport",
        "id_number": f"DEMO{serial:08d}",  # invented; a passport number is only length-checked
    }
    addr = f"{rng.randint(1, 999)} Example Street, Demo Town"
    return buyer, {"name": name, "phone": phone, "address": addr}


def _purchases(rng: random.Random, market: str, first: int, year: Year) -> list[int]:
    """Purchase days of one customer from ``first`` on: a Poisson process at a gamma-drawn
    weekly rate, thinned by the market's intensity, with a beta-drawn chance of dropping out
    after each purchase (the BG/NBD story)."""
    rate = rng.gammavariate(0.9, 0.16) / 7  # purchases per day at intensity 1
    drop = rng.betavariate(1.2, 3.0)
    level = intensity(market, year)
    top = max(level)
    days, t = [first], float(first)
    while rng.random() >= drop and rate > 0:
        while True:
            t += rng.expovariate(rate * top)
            if t >= year.days or rng.random() < level[int(t)] / top:
                break
        if t >= year.days:
            break
        days.append(int(t))
    return days


def customers(
    rng: random.Random, shop: Shop, orders: int, serial: Iterator[int], year: Year
) -> list[Customer]:
    """Customers of ``shop`` drawn until they place about ``orders`` orders in ``year``."""
    markets, weights = list(shop.markets), list(shop.markets.values())
    out: list[Customer] = []
    placed = abroad = 0
    while placed < orders:
        market = rng.choices(markets, weights)[0]
        cum = _cumulative(market, year)
        first = min(bisect.bisect_left(cum, rng.random() * cum[-1]), year.days - 1)
        # every WATCH_EVERY-th buyer abroad (the 3rd first) is named like a listed person, so
        # any year the demo is anchored in has screening hits to show, small demo included
        watched = market != "CN" and abroad % WATCH_EVERY == 2
        abroad += market != "CN"
        buyer, consignee = _person(rng, market, next(serial), watched)
        # Each customer favours a few SKUs, the popular ones more often (Zipf-like).
        ranked = [1 / (k + 1) for k in range(len(shop.catalog))]
        picked = rng.choices(range(len(shop.catalog)), ranked, k=3)
        favourites = [shop.catalog[i] for i in dict.fromkeys(picked)]
        spend = rng.lognormvariate(0, 0.6)
        days = _purchases(rng, market, first, year)
        c = Customer(market, buyer, consignee, favourites, spend, days)
        placed += len(c.days)
        out.append(c)
    return out


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def order_doc(
    rng: random.Random, shop: Shop, c: Customer, order_no: str, when: datetime
) -> dict[str, Any]:
    """One order of customer ``c``: an import into China (CNY, tax withheld, DDP) or an
    export (the market's currency, DAP)."""
    offer = c.favourites + shop.catalog[:1]
    lines = rng.randint(1, 2 if c.spend < 1.5 else 3)
    chosen = dict.fromkeys(rng.choices(range(len(offer)), k=lines))
    picks = list({offer[i]["sku"]: offer[i] for i in chosen}.values())
    currency, divisor = ("CNY", Decimal(1)) if c.market == "CN" else EXPORT[c.market][:2]
    lines = []
    for i, item in enumerate(picks, start=1):
        qty = max(1, min(9, round(c.spend * rng.choice((0.8, 1.0, 1.3)))))
        price = (Decimal(item["price"]) / divisor).quantize(Decimal("0.01"))
        lines.append(
            {
                "line_no": i,
                "sku": item["sku"],
                "name": item["name_zh"] if c.market == "CN" else item["name_en"],
                "spec": item["spec"],
                "hs_code": item["hs"],
                "origin_country": item["origin"],
                "unit": item["unit"],
                "qty": str(qty),
                "unit_price": _money(price),
                "line_total": _money(price * qty),
            }
        )
    goods = sum(Decimal(x["line_total"]) for x in lines)
    freight = Decimal(rng.choice(["0.00", "0.00", "10.00", "15.00"])) / divisor
    freight = freight.quantize(Decimal("0.01"))
    discount = Decimal("0.00")
    if c.market == "CN" and goods >= 199 and rng.random() < 0.4:
        discount = Decimal("20.00")  # a platform coupon
    tax = ((goods + freight) * Decimal("0.091")).quantize(Decimal("0.01"))
    tax = tax if c.market == "CN" else Decimal("0.00")
    return {
        "platform": shop.platform,
        "order_no": order_no,
        "seller": shop.seller,
        "ordered_at": synthetic._iso(when),
        "buyer": dict(c.buyer),
        "consignee": dict(c.consignee),
        "destination_country": c.market,
        "origin_country": picks[0]["origin"] if c.market == "CN" else "CN",
        "currency": currency,
        "goods_value": _money(goods),
        "freight": _money(freight),
        "discount": _money(discount),
        "tax_withheld": _money(tax),
        "amount_paid": _money(goods + freight + tax - discount),
        "incoterm": "DDP" if c.market == "CN" else "DAP",
        "lines": lines,
    }


def _waybill(
    rng: random.Random,
    order: dict[str, Any],
    number: str,
    shop: Shop,
    returned: bool,
    year: Year,
) -> dict[str, Any]:
    """The order's waybill; tracked to delivery (or back, for a return) unless the order is
    from the last fortnight, which is still on its way — no event after the year's anchor."""
    bill = synthetic.waybill(rng, order, number, shop.catalog)
    bill["currency"] = order["currency"]
    steps = ["info_received", "picked_up", "in_transit", "customs_declared", "customs_released"]
    steps += ["out_for_delivery", "delivered"]
    ordered = datetime.fromisoformat(order["ordered_at"].replace("Z", "+00:00"))
    age = (year.anchor - ordered).days
    shown = steps if age > 14 else steps[: 2 + age // 3]
    if returned and age > 14:
        shown = [*steps, "returned"]
    place = "跨境电商综试区" if order["destination_country"] == "CN" else "国际干线"
    t = ordered + timedelta(hours=rng.randint(2, 12))
    events = []
    for status in shown:
        if t <= year.anchor:
            events.append({"time": synthetic._iso(t), "place": place, "status": status})
        t += timedelta(hours=rng.randint(6, 30))
    bill["events"] = events
    return bill


def _payment(rng: random.Random, order: dict[str, Any], number: str, off: bool) -> dict:
    pay = synthetic.payment(rng, order, number)
    if off:  # a payment that does not match its order: 三单对碰 fails
        pay["amount"] = _money(Decimal(order["amount_paid"]) + Decimal("1.00"))
    return pay


def documents(orders: int, year: Year) -> dict[tuple[str, str], list[dict]]:
    """The demo's documents by (filer, kind): products, then ``year``'s orders with their
    payments and waybills. The same on every call with the same ``orders`` and ``year``."""
    rng = random.Random(SEED)
    serial = iter(range(1, 10**9))
    batches: dict[tuple[str, str], list[dict]] = {}
    placed: list[tuple[int, int, Shop, Customer]] = []
    share = orders // len(SHOPS)
    for s, shop in enumerate(SHOPS):
        batches[(shop.seller, "product")] = [synthetic.product(c) for c in shop.catalog]
        for c in customers(rng, shop, share, serial, year):
            placed += [(day, s, shop, c) for day in c.days]
    placed.sort(key=lambda p: (p[0], p[1]))
    last = year.anchor.hour * 60 + year.anchor.minute  # minutes of the last day so far
    for n, (day, _s, shop, c) in enumerate(placed, start=1):
        minute = rng.choices(range(24), [1] * 8 + [2] * 8 + [4] * 8)[0] * 60 + rng.randrange(60)
        if day == year.days - 1:
            minute = minute * last // (24 * 60)  # the anchor's day, squeezed up to the anchor
        when = year.midnight(day) + timedelta(minutes=minute)
        order = order_doc(rng, shop, c, f"{shop.platform[:2].upper()}{n:09d}", when)
        batches.setdefault((shop.filer, "order"), []).append(order)
        if day >= year.days - 3 and rng.random() < 0.5:
            continue  # ordered in the last days: not paid or shipped yet
        payment = _payment(rng, order, f"YP{n:010d}", rng.random() < 0.02)
        if datetime.fromisoformat(payment["paid_at"].replace("Z", "+00:00")) > year.anchor:
            continue  # paid after the anchor: not yet
        batches.setdefault(("yun-pay", "payment"), []).append(payment)
        if rng.random() < 0.97:  # a few paid orders never shipped (三单 incomplete)
            returned = rng.random() < 0.04
            bill = _waybill(rng, order, f"HX{n:09d}CN", shop, returned, year)
            batches.setdefault(("hai-express", "waybill"), []).append(bill)
    return batches
