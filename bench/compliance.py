"""Compliance evaluation: the rule index against the full scan, on the same orders.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run, so a number is read relative to the machine it
ran on. This script times :func:`cbec.compliance.evaluate` with the rule set's index (the
default: only the rules that could change the decision are examined) and the baseline,
measured in the same run on the same orders: the full scan it replaced and keeps as the
reference, ``evaluate(..., _index=False)`` (every rule in force and in scope matched against
every line).

Rule sets:

* **shipped** — the rule files under ``cbec/compliance/rules/`` plus the demo customs
  office's rules (``cbec/demo/data/demo_rules.json``, latest revisions), for information;
* **large** — the same plus generated rules up to ``--rules`` (default 500): nine in ten
  about one 6-digit HS subheading each (deny, require, flag), the rest drawn by
  ``tests/compliance/rule_gen.py`` from every match group (keywords, regexes, attributes,
  limits, parties, party countries, lists) and scope key. **The goal is checked here.**

Orders: the demo's synthetic retail-import orders (``cbec.demo.synthetic.order``) over its
catalogue plus ``--catalogue`` (default 200) generated goods, a quarter of them under a
generated rule's subheading, so that rules fire as they would in a bulk import. Before
anything is timed, every order's decision is compared (``as_dict()``) between the two
ways; a difference stops the run. Each way gets one untimed pass first (both share the
per-line match memo, as a bulk import does); then the best of ``--repeats`` alternating
passes is kept.

Printed: per rule set, orders per second each way, the ratio **index ÷ full scan** (of the
time per order) and the speed-up, rules examined per order each way, and PASS/MISS for the
goal — **a speed-up of at least 3× (ratio ≤ 0.333) on the large set**. ``--one-core`` pins
the process to one CPU.

Usage::

    .venv/bin/python bench/compliance.py [--orders 2000] [--rules 500] [--catalogue 200]
        [--repeats 3] [--seed 20261203] [--one-core]
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from common import Cpus

from cbec.compliance import RuleSet, RuleSetError, evaluate, load_dir, ruleset_from_dicts
from cbec.demo import synthetic

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the rule generator shared with the tests

from tests.compliance import rule_gen  # noqa: E402

GOAL = 3.0


def shipped_dicts() -> list[dict[str, Any]]:
    rules = [r.as_dict() for r in load_dir(ROOT / "cbec" / "compliance" / "rules").rules]
    plan = json.loads((ROOT / "cbec/demo/data/demo_rules.json").read_text(encoding="utf-8"))
    return rules + list({c["id"]: c for c in plan["rule_changes"]}.values())


def large_dicts(rng: random.Random, total: int) -> list[dict[str, Any]]:
    base = shipped_dicts()
    extra = max(total - len(base), 0)
    mixed = extra // 10
    kinds = rng.choices(["deny", "require", "flag"], [3, 2, 1], k=extra - mixed)
    hs_rules = [rule_gen.hs_rule_dicts(1, kind, start=i)[0] for i, kind in enumerate(kinds)]
    dicts = base + hs_rules + rule_gen.rule_dicts(rng, mixed)
    while True:  # a generated rule may contradict another: leave such rules out
        try:
            ruleset_from_dicts(dicts, label="probe")
            return dicts
        except RuleSetError as exc:
            bad = {rid for p in exc.problems for rid in p.rule_ids if rid.startswith("gen.")}
            if not bad:
                raise
            dicts = [d for d in dicts if d["id"] not in bad]


def catalogue(rng: random.Random, rules: RuleSet, n: int) -> list[dict[str, Any]]:
    """The demo catalogue plus ``n`` generated goods; a quarter under a rule's subheading."""
    prefixes = sorted({p for r in rules.rules for m in r.match for p in m.hs_prefixes})
    items = list(synthetic.CATALOG)
    for i in range(n):
        if rng.random() < 0.25 and prefixes:
            code = rng.choice(prefixes).ljust(10, "0")
        else:
            code = f"{rng.randrange(1, 98):02d}{rng.randrange(10**8):08d}"
        name = rng.choice(rule_gen.NAMES)
        items.append(
            {
                "sku": f"GEN-{i:04d}",
                "name_zh": name,
                "name_en": name,
                "spec": rng.choice(["规格:30g", "容量:500ml", "型号:X1"]),
                "hs": code,
                "unit": "007",
                "price": rng.choice(["19.90", "99.00", "399.00"]),
                "kg": "0.2",
                "origin": rng.choice(["CN", "JP", "KR", "US", "DE"]),
            }
        )
    return items


def run_pass(orders: list[dict[str, Any]], ruleset: RuleSet, index: bool) -> float:
    gc.collect()
    start = time.perf_counter()
    for order in orders:
        evaluate(order, ruleset, _index=index)
    return time.perf_counter() - start


def measure(name: str, ruleset: RuleSet, orders: list[dict[str, Any]], repeats: int) -> float:
    examined_index = examined_full = 0
    for order in orders:  # the answers first: a fast wrong index must not pass
        a: list[str] = []
        b: list[str] = []
        with_index = evaluate(order, ruleset, _examined=a)
        full = evaluate(order, ruleset, _index=False, _examined=b)
        if with_index.as_dict() != full.as_dict():
            raise SystemExit(f"{name}: order {order['order_no']}: the decisions differ")
        examined_index, examined_full = examined_index + len(a), examined_full + len(b)
    best = {True: float("inf"), False: float("inf")}
    for _ in range(repeats):
        for index in (False, True):
            best[index] = min(best[index], run_pass(orders, ruleset, index))
    ratio = best[True] / best[False]
    n = len(orders)
    print(f"\n{name}: {len(ruleset)} rules, {n} orders, best of {repeats}")
    print(f"{'way':<22}{'orders/s':>10}{'rules examined/order':>22}")
    print(f"{'full scan (baseline)':<22}{n / best[False]:>10.0f}{examined_full / n:>22.1f}")
    print(f"{'index':<22}{n / best[True]:>10.0f}{examined_index / n:>22.1f}")
    print(f"ratio index ÷ full scan (time per order): {ratio:.3f}  speed-up {1 / ratio:.2f}×")
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--catalogue", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--one-core", action="store_true")
    args = parser.parse_args(argv)
    cpus = Cpus(args.one_core)
    cpus.pin()
    print(f"Python {platform.python_version()} on {platform.machine()}; {cpus.describe()}")
    rng = random.Random(args.seed)
    shipped = ruleset_from_dicts(shipped_dicts(), label="shipped+demo")
    large = ruleset_from_dicts(large_dicts(rng, args.rules), label="large")
    items = catalogue(rng, large, args.catalogue)
    sellers = rule_gen.SELLERS
    orders = [
        synthetic.order(rng, "silk-mall", rng.choice(sellers), f"B{i}", catalog=items)
        for i in range(args.orders)
    ]
    measure("shipped + demo rules (information)", shipped, orders, args.repeats)
    ratio = measure(f"large rule set (goal: ≥ {GOAL:.0f}×)", large, orders, args.repeats)
    ok = 1 / ratio >= GOAL
    print(
        f"\ngoal: evaluate with the index ≥ {GOAL:.0f}× the full scan on {len(large)} rules "
        f"(ratio ≤ {1 / GOAL:.3f}): {'PASS' if ok else 'MISS'} ({ratio:.3f})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
