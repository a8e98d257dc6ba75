"""Synthetic but valid trade documents, for the demo, tests and benchmarks.

People are invented: names from common Chinese surnames and given-name characters, mobile
numbers on real carrier prefixes, and resident ID numbers built as GB 11643 prescribes
(a real county code, a birth date, a sequence number and the MOD 11-2 check character from
``python-stdnum``), so they pass every check without belonging to anyone. No value is
copied from the official customs samples, which carry a real firm's data.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from stdnum.cn import ric

# County-level codes (GB/T 2260) — Beijing Dongcheng, Shanghai Huangpu, Shenzhen Nanshan,
# Hangzhou Xihu, Chengdu Jinjiang, Wuhan Jiang'an, Guangzhou Tianhe, Nanjing Xuanwu.
REGIONS = {
    "110101": "北京市东城区",
    "310101": "上海市黄浦区",
    "440305": "广东省深圳市南山区",
    "330106": "浙江省杭州市西湖区",
    "510104": "四川省成都市锦江区",
    "420102": "湖北省武汉市江岸区",
    "440106": "广东省广州市天河区",
    "320102": "江苏省南京市玄武区",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
STREETS = [
    "文三路",
    "南京东路",
    "科技园路",
    "建国门内大街",
    "春熙路",
    "解放大道",
    "天河路",
    "中山路",
]
MOBILE_PREFIXES = ["138", "139", "186", "152", "177", "199", "135", "158"]

CATALOG: list[dict[str, Any]] = [
    # sku, zh, en, spec, hs (10-digit CN), unit code (JGS-20: 011 件, 007 个, 122 盒), price, kg
    {"sku": "SZ-EB-01", "name_zh": "无线蓝牙耳机", "name_en": "Wireless Bluetooth earbuds",
     "spec": "品牌:Sonic;型号:E1;蓝牙5.3", "hs": "8518300000", "unit": "007",
     "price": "199.00", "kg": "0.12", "origin": "CN"},
    {"sku": "SZ-PB-10", "name_zh": "移动电源 10000mAh", "name_en": "Power bank 10000 mAh",
     "spec": "品牌:Volt;容量:10000mAh;锂离子", "hs": "8507600090", "unit": "007",
     "price": "129.00", "kg": "0.25", "origin": "CN"},
    {"sku": "SZ-SW-02", "name_zh": "智能手表", "name_en": "Smart watch",
     "spec": "品牌:Tick;型号:W2;1.4英寸", "hs": "8517629900", "unit": "007",
     "price": "399.00", "kg": "0.08", "origin": "CN"},
    {"sku": "JP-SK-30", "name_zh": "保湿面霜 30g", "name_en": "Moisturising cream 30 g",
     "spec": "品牌:Hana;规格:30g/瓶", "hs": "3304990099", "unit": "122",
     "price": "268.00", "kg": "0.09", "origin": "JP"},
    {"sku": "KR-MK-05", "name_zh": "面膜 5片装", "name_en": "Sheet masks, 5 pack",
     "spec": "品牌:Soo;规格:25ml×5片", "hs": "3304990099", "unit": "122",
     "price": "89.00", "kg": "0.15", "origin": "KR"},
    {"sku": "AU-MP-90", "name_zh": "婴幼儿配方奶粉 900g", "name_en": "Infant formula 900 g",
     "spec": "品牌:Koala;段位:1段;900g/罐", "hs": "1901101000", "unit": "122",
     "price": "238.00", "kg": "1.05", "origin": "AU"},
    {"sku": "DE-VT-60", "name_zh": "维生素片 60粒", "name_en": "Vitamin tablets, 60",
     "spec": "品牌:Vita;规格:60粒/瓶", "hs": "2106909090", "unit": "122",
     "price": "79.50", "kg": "0.11", "origin": "DE"},
    {"sku": "US-FO-120", "name_zh": "鱼油软胶囊 120粒", "name_en": "Fish oil softgels, 120",
     "spec": "品牌:Ocean;规格:1000mg×120粒", "hs": "2106909090", "unit": "122",
     "price": "156.00", "kg": "0.28", "origin": "US"},
]  # fmt: skip

BASE_TIME = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def resident_id(rng: random.Random) -> str:
    """A GB 11643 number; redrawn until the county code existed in the birth year (some of
    the counties above were created in the 1980s–90s, and ``stdnum`` checks that too)."""
    while True:
        region = rng.choice(list(REGIONS))
        birth = datetime(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
        body = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check
        if ric.is_valid(number):
            return number


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def address(rng: random.Random) -> tuple[str, str]:
    code = rng.choice(list(REGIONS))
    street = rng.choice(STREETS)
    number, block, room = rng.randrange(1, 999), rng.randrange(1, 30), rng.randrange(101, 2999)
    return code, f"{REGIONS[code]}{street}{number}号{block}栋{room}室"


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def order(
    rng: random.Random,
    platform: str,
    seller: str,
    order_no: str,
    catalog: list[dict[str, Any]] | None = None,
    when: datetime | None = None,
) -> dict[str, Any]:
    """A China retail-import order (destination CN, paid in CNY) that passes every rule."""
    catalog = catalog or CATALOG
    when = when or BASE_TIME + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
    picks = rng.sample(catalog, k=rng.randint(1, min(3, len(catalog))))
    lines = []
    for i, item in enumerate(picks, start=1):
        qty = rng.randint(1, 3)
        price = Decimal(item["price"])
        lines.append(
            {
                "line_no": i,
                "sku": item["sku"],
                "name": item["name_zh"],
                "spec": item["spec"],
                "hs_code": item["hs"],
                "origin_country": item["origin"],
                "unit": item["unit"],
                "qty": str(qty),
                "unit_price": str(price),
                "line_total": str(price * qty),
            }
        )
    goods = sum(Decimal(line["line_total"]) for line in lines)
    freight = Decimal(rng.choice(["0.00", "10.00", "15.00", "20.00"]))
    discount = Decimal(rng.choice(["0.00", "0.00", "5.00", "10.00"]))
    tax = ((goods + freight) * Decimal("0.091")).quantize(Decimal("0.01"))
    buyer_name = person_name(rng)
    buyer_phone = mobile(rng)
    district, addr = address(rng)
    same_consignee = rng.random() < 0.8
    return {
        "platform": platform,
        "order_no": order_no,
        "seller": seller,
        "ordered_at": _iso(when),
        "buyer": {
            "account_id": f"u{rng.randrange(10**7, 10**8)}",
            "name": buyer_name,
            "phone": buyer_phone,
            "id_type": "resident_id",
            "id_number": resident_id(rng),
        },
        "consignee": {
            "name": buyer_name if same_consignee else person_name(rng),
            "phone": buyer_phone if same_consignee else mobile(rng),
            "address": addr,
            "district_code": district,
        },
        "destination_country": "CN",
        "origin_country": picks[0]["origin"],
        "currency": "CNY",
        "goods_value": str(goods),
        "freight": str(freight),
        "discount": str(discount),
        "tax_withheld": str(tax),
        "amount_paid": str(goods + freight + tax - discount),
        "incoterm": "DDP",
        "lines": lines,
    }


def payment(rng: random.Random, order_doc: dict[str, Any], transaction_id: str) -> dict[str, Any]:
    paid = datetime.fromisoformat(order_doc["ordered_at"]) + timedelta(minutes=rng.randint(1, 30))
    return {
        "transaction_id": transaction_id,
        "order_no": order_doc["order_no"],
        "platform": order_doc["platform"],
        "payer": {
            "name": order_doc["buyer"]["name"],
            "id_type": order_doc["buyer"]["id_type"],
            "id_number": order_doc["buyer"]["id_number"],
            "phone": order_doc["buyer"]["phone"],
        },
        "amount": order_doc["amount_paid"],
        "currency": order_doc["currency"],
        "paid_at": _iso(paid),
    }


def waybill(
    rng: random.Random,
    order_doc: dict[str, Any],
    waybill_no: str,
    catalog: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    by_sku = {c["sku"]: c for c in (catalog or CATALOG)}
    weight = sum(
        Decimal(by_sku[line["sku"]]["kg"]) * int(line["qty"])
        for line in order_doc["lines"]
        if line["sku"] in by_sku
    ) + Decimal("0.10")
    t = datetime.fromisoformat(order_doc["ordered_at"]) + timedelta(hours=rng.randint(2, 12))
    steps = [
        ("info_received", "海外仓"),
        ("picked_up", "海外仓"),
        ("in_transit", "国际干线"),
        ("customs_declared", "杭州跨境电商综试区"),
        ("customs_released", "杭州跨境电商综试区"),
        ("out_for_delivery", order_doc["consignee"]["address"][:6]),
        ("delivered", order_doc["consignee"]["address"][:6]),
    ]
    events = []
    for status, place in steps[: rng.randint(2, len(steps))]:
        events.append({"time": _iso(t), "place": place, "status": status})
        t += timedelta(hours=rng.randint(3, 30))
    return {
        "waybill_no": waybill_no,
        "order_no": order_doc["order_no"],
        "platform": order_doc["platform"],
        "destination_country": order_doc["destination_country"],
        "consignee": {
            k: order_doc["consignee"][k]
            for k in ("name", "phone", "address", "district_code")
            if k in order_doc["consignee"]
        },
        "currency": "CNY",
        "freight": order_doc["freight"],
        "insured_fee": "0.00",
        "gross_weight_kg": str(weight),
        "packages": 1,
        "events": events,
    }


def product(item: dict[str, Any]) -> dict[str, Any]:
    """A catalog entry; the legal unit is kg (035) for goods sold by weight or volume
    (units 122 box), else piece (007)."""
    hs = item["hs"]
    by_weight = item["unit"] == "122"
    return {
        "sku": item["sku"],
        "name_zh": item["name_zh"],
        "name_en": item["name_en"],
        "spec": item["spec"],
        "unit": item["unit"],
        "weight_kg": item["kg"],
        "origin_country": item["origin"],
        "hs_code": hs[:6],
        "hs_codes": [
            {"country": "CN", "code": hs},
            {"country": "US", "code": hs[:6] + "0000"},
            {"country": "DE", "code": hs[:8]},
        ],
        "legal_unit": "035" if by_weight else "007",
        "legal_qty_per_unit": item["kg"] if by_weight else "1",
    }
