"""Seeded generators of rules and orders for checking the rule index against the full scan
(``test_rule_index.py``) and for timing it (``bench/compliance.py``).

Rules use every match group and scope key the model has; orders are drawn *near* the rules —
codes that extend or truncate a rule's prefix, names with and without its keywords, dates
on each side of its first and last day, values around its limits, missing facts — so that
both the index's hits and its near misses are exercised."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cbec.compliance.model import Rule

TRADE_MODES = ["9610", "9710", "9810", "1210"]
COUNTRIES = ["CN", "US", "DE", "FR", "JP", "KR", "AU", "SG", "IN", "BR", "TH", "KP", "GB"]
KEYWORDS_ZH = ["锂电池", "移动电源", "电子烟", "香薰", "蜡烛", "刀具", "枪", "大麻", "象牙", "粉末"]
KEYWORDS_EN = ["battery", "power bank", "vape", "e-cigarette", "gun", "knife", "ivory", "CBD"]
REGEXES = [r"(?i)\bli-?po\b", r"\d+\s*mAh", r"(?i)vap(e|ing)", r"(ml\b|毫升)"]
ATTRS = ["battery", "lithium_ion", "lithium_metal", "battery_standalone", "liquid", "powder"]
ATTRS += ["magnetic", "aerosol", "flammable"]
SELLERS = ["sz-gadgets", "nb-home", "hz-beauty", "gz-toys"]
PLATFORMS = ["silk-mall", "jade-market"]
BASE_CODES = [
    "8507600090",
    "8518300000",
    "8517629900",
    "3304990099",
    "1901101000",
    "2106909090",
    "8543400000",
    "9503006000",
    "3406000000",
    "9304000000",
    "2939110000",
    "8806100000",
]
DATES = [date(2020, 1, 1), date(2023, 9, 1), date(2024, 8, 31), date(2025, 6, 1)]
DATES += [date(2025, 12, 1), date(2026, 6, 1)]
NAMES = [
    "无线蓝牙耳机",
    "移动电源 10000mAh",
    "智能手表",
    "保湿面霜 30g",
    "香薰蜡烛礼盒",
    "Wireless earbuds",
    "Power bank 20000 mAh LiPo",
    "Disposable vape pen",
    "Kitchen knife set",
    "Toy water gun",
    "Begun series notebook",
    "ＢＡＴＴＥＲＹ charger",
    "精油 50ml",
    "蛋白粉末",
]


def _sample(rng: random.Random, pool: list[Any], most: int = 3) -> list[Any]:
    return rng.sample(pool, rng.randint(1, min(most, len(pool))))


def _prefix(rng: random.Random, code: str | None = None) -> str:
    code = code or rng.choice(BASE_CODES)
    return code[: rng.choice([2, 4, 6, 8, 10])]


def _amount(rng: random.Random) -> dict[str, str]:
    return {
        "amount": rng.choice(["100", "500", "1000.00", "5000"]),
        "currency": rng.choice(["CNY", "CNY", "USD"]),
    }


def _alternative(rng: random.Random, kind: str) -> dict[str, Any]:
    if kind == "allow" and rng.random() < 0.3:
        return {"list": "cn_cbec_positive_list"}
    groups = ["hs", "hs", "hs", "kw", "kw", "regex", "attrs", "attrs_all", "origin"]
    groups += ["lva", "lqa", "ova", "oqa", "parties", "pcountries", "empty"]
    alt: dict[str, Any] = {}
    for group in rng.sample(groups, rng.choice([1, 1, 1, 2, 2, 3])):
        if group == "hs":
            alt["hs"] = sorted({_prefix(rng) for _ in range(rng.randint(1, 3))})
        elif group == "kw":
            kw: dict[str, list[str]] = {}
            if rng.random() < 0.7:
                kw["zh"] = _sample(rng, KEYWORDS_ZH)
            if rng.random() < 0.6 or not kw:
                kw["en"] = _sample(rng, KEYWORDS_EN)
            alt["keywords"] = kw
        elif group == "regex":
            alt["regex"] = _sample(rng, REGEXES, 2)
        elif group == "attrs":
            alt["attributes"] = _sample(rng, ATTRS)
        elif group == "attrs_all":
            alt["attributes_all"] = _sample(rng, ATTRS, 2)
        elif group == "origin":
            alt["line_origin"] = _sample(rng, COUNTRIES)
        elif group == "lva":
            alt["line_value_above"] = _amount(rng)
        elif group == "lqa":
            alt["line_qty_above"] = rng.choice(["1", "2", "5"])
        elif group == "ova":
            alt["order_value_above"] = _amount(rng)
        elif group == "oqa":
            alt["order_qty_above"] = rng.choice(["2", "5", "10"])
        elif group == "parties":
            role = rng.choice(["seller", "seller", "platform"])
            pool = SELLERS if role == "seller" else PLATFORMS
            alt["parties"] = {role: _sample(rng, pool, 2)}
        elif group == "pcountries":
            role = rng.choice(["seller", "buyer", "logistics"])
            alt["party_countries"] = {role: _sample(rng, COUNTRIES)}
    return alt


def rule_dicts(rng: random.Random, n: int, prefix: str = "gen") -> list[dict[str, Any]]:
    """``n`` rules using every match group and scope key, kinds mixed (few allow rules)."""
    out = []
    for i in range(n):
        kind = rng.choices(["deny", "require", "flag", "allow"], [5, 3, 3, 1])[0]
        scope: dict[str, Any] = {}
        if rng.random() < 0.3:
            scope["direction"] = _sample(rng, ["import", "export"], 1)
        if rng.random() < 0.3:
            scope["origin_countries"] = _sample(rng, COUNTRIES)
        if rng.random() < 0.4:
            scope["destination_countries"] = _sample(rng, COUNTRIES)
        if rng.random() < 0.3:
            scope["trade_modes"] = _sample(rng, TRADE_MODES, 2)
        start = rng.choice(DATES)
        rule: dict[str, Any] = {
            "id": f"{prefix}.{i:04d}",
            "title": {"zh": f"生成规则 {i}", "en": f"generated rule {i}"},
            "kind": kind,
            "scope": scope,
            "match": [_alternative(rng, kind) for _ in range(rng.choice([1, 1, 2, 3]))],
            "effective_from": start.isoformat(),
            "source": "generated for the rule index tests",
        }
        if rng.random() < 0.3:
            rule["effective_to"] = (start + timedelta(days=rng.choice([0, 1, 30, 400]))).isoformat()
        if kind == "require":
            rule["requires"] = {"documents": _sample(rng, ["licence", "un38_3_test_summary"], 2)}
        out.append(rule)
    return out


def hs_rule_dicts(n: int, kind: str = "deny", start: int = 0) -> list[dict[str, Any]]:
    """``n`` rules, each about its own 6-digit HS subheading (number ``i`` from ``start``:
    ``100000 + 7i``): the shape of a large tariff-driven rule set, where any one line
    concerns one or two rules."""
    return [
        {
            "id": f"hs.{kind}.{i:05d}",
            "title": {"zh": f"编码规则 {i}", "en": f"code rule {i}"},
            "kind": kind,
            "match": {"hs": [f"{100000 + i * 7:06d}"]},
            "effective_from": "2020-01-01",
            "source": "generated: one rule per HS subheading",
            **({"requires": {"documents": ["licence"]}} if kind == "require" else {}),
        }
        for i in range(start, start + n)
    ]


def _code_near(rng: random.Random, rules: list[Rule]) -> str | None:
    roll = rng.random()
    if roll < 0.06:
        return None
    prefixes = [p for r in rules for m in r.match for p in m.hs_prefixes]
    if roll < 0.75 and prefixes:
        p = rng.choice(prefixes)
        cut = rng.random()
        if cut < 0.2 and len(p) > 2:  # too short for the prefix: undecided
            return p[: rng.choice([k for k in (2, 4, 6, 8) if k < len(p)])]
        if cut < 0.3 and len(p) < 10:  # a sibling under the parent heading
            return (p[:-1] + str((int(p[-1]) + 1) % 10)).ljust(10, "0")
        return (
            (p + "".join(rng.choice("0123456789") for _ in range(10)))[: rng.choice([8, 10, 10])]
            if len(p) < 8
            else p
        )
    return rng.choice(BASE_CODES)[: rng.choice([4, 6, 8, 10, 10, 10])]


def _day_near(rng: random.Random, rules: list[Rule]) -> date:
    rule = rng.choice(rules)
    edge = rule.effective_to if rule.effective_to and rng.random() < 0.5 else rule.effective_from
    return edge + timedelta(days=rng.choice([-1, 0, 0, 1]))


def orders(rng: random.Random, rules: list[Rule], n: int) -> list[tuple[dict, date | None, dict]]:
    """``n`` (order, on, products): each is evaluated on ``on`` (None: its own date)."""
    keywords = [k for r in rules for m in r.match for k in m.keywords_zh | m.keywords_en]
    out = []
    for i in range(n):
        lines = []
        products: dict[str, dict[str, Any]] = {}
        for j in range(rng.choice([1, 1, 2, 3, 5])):
            ln: dict[str, Any] = {
                "line_no": j + 1,
                "sku": f"S{i}-{j}",
                "qty": str(rng.choice([1, 1, 2, 3, 6])),
            }
            name = rng.choice(NAMES)
            if keywords and rng.random() < 0.4:
                name = (
                    rng.choice(["", "Mini ", "便携"])
                    + rng.choice(keywords)
                    + rng.choice(["", " set", "套装"])
                )
            if rng.random() < 0.9:
                ln["name"] = name
            if rng.random() < 0.3:
                ln["name_en"] = rng.choice(NAMES)
            if rng.random() < 0.2:
                ln["spec"] = rng.choice(["容量:5000mAh", "50 ml", "li-po cell", "规格:30g"])
            code = _code_near(rng, rules)
            if code is not None:
                ln["hs_code"] = code
            if rng.random() < 0.4:
                attrs = _sample(rng, ATTRS, 2)
                ln["attributes"] = (
                    attrs if rng.random() < 0.5 else {a: rng.random() < 0.8 for a in attrs}
                )
            if rng.random() < 0.6:
                ln["origin_country"] = rng.choice(COUNTRIES)
            if rng.random() < 0.7:
                ln["line_total"] = rng.choice(
                    ["9.99", "100", "100.01", "500.00", "999", "1000.01", "6000"]
                )
            else:
                ln["unit_price"] = rng.choice(["1.50", "99", "250.00"])
            if rng.random() < 0.15:
                products[ln["sku"]] = {
                    "name_zh": rng.choice(NAMES),
                    "attributes": _sample(rng, ATTRS, 2),
                    "hs_code": rng.choice(BASE_CODES)[:6],
                    "origin_country": rng.choice(COUNTRIES),
                }
                if rng.random() < 0.5:
                    ln.pop("hs_code", None)
            lines.append(ln)
        destination = rng.choice(["CN", "CN", "US", "DE", "SG", "IN", "BR", "TH", None])
        origin = rng.choice(["CN", "CN", "JP", "KR", "US", None])
        order: dict[str, Any] = {
            "platform": rng.choice(PLATFORMS),
            "order_no": f"G{i}",
            "ordered_at": f"{_day_near(rng, rules).isoformat()}T12:00:00Z",
            "currency": rng.choice(["CNY", "CNY", "CNY", "USD"]),
            "lines": lines,
        }
        if rng.random() < 0.9:
            order["seller"] = rng.choice(SELLERS)
        if destination:
            order["destination_country"] = destination
        if origin:
            order["origin_country"] = origin
        if rng.random() < 0.5:
            order["trade_mode"] = rng.choice(TRADE_MODES)
        if rng.random() < 0.2:
            order["direction"] = rng.choice(["import", "export"])
        if rng.random() < 0.3:
            order["goods_value"] = rng.choice(["100", "3000.00", "5000.01", "12000"])
        for role in ("seller", "logistics", "buyer"):
            if rng.random() < 0.2:
                order[f"{role}_country"] = rng.choice(COUNTRIES)
        if rng.random() < 0.2:
            doc: dict[str, Any] = {
                "type": rng.choice(
                    ["licence", "un38_3_test_summary", "cn_positive_list_declaration"]
                ),
                "number": "D1",
            }
            if rng.random() < 0.5:
                doc["lines"] = [1]
            order["documents"] = [doc]
        on = None if rng.random() < 0.7 else _day_near(rng, rules)
        out.append((order, on, products))
    return out
