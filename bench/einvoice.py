"""E-invoice throughput (issue #19 point 6: e-invoice generation + XSD + Schematron validation
≥ 50/s): an order's invoice built (EN 16931 model), written as UBL 2.1 and validated by the
OASIS UBL 2.1 schema and the CEN EN 16931 and OpenPeppol BIS Billing 3.0 rules, per second;
the schema check alone of the same invoices is the baseline, in the same run. The rule
stylesheets are compiled once, before timing (the use case does so once per process).

Usage: python bench/einvoice.py [--invoices 500] [--seed 19] [--one-core]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time

from common import Cpus, print_goals

from cbec.demo import synthetic
from cbec.einvoice import InvoiceTerms, invoice_of, validate, write
from cbec.einvoice.validate import check_schema, rules

GOAL = 50.0  # invoices/s
TERMS = InvoiceTerms.model_validate(
    {
        "seller": {
            "name": "Seller A Ltd",
            "endpoint": {"scheme": "0088", "id": "7300010000001"},
            "vat_id": "CN91310000MA1FL0001",
        },
        "buyer_endpoint": {"scheme": "0060", "id": "123456789"},
    }
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=500)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--one-core", action="store_true")
    args = parser.parse_args(argv)
    cpus = Cpus(args.one_core)
    print(
        f"cbec e-invoice benchmark — Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; {cpus.describe()}"
    )
    rng = random.Random(args.seed)
    n = args.invoices
    orders = [synthetic.order(rng, "platform-a", "seller-a", f"B-{i}") for i in range(n)]
    cpus.pin()
    t0 = time.perf_counter()
    rules()
    print(f"rules compiled once in {time.perf_counter() - t0:.2f} s")
    xmls = [write(invoice_of(o, TERMS)) for o in orders]

    t0 = time.perf_counter()
    assert all(not check_schema(x).findings for x in xmls)
    base = n / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    valid = sum(validate(write(invoice_of(o, TERMS))).valid for o in orders)
    full = n / (time.perf_counter() - t0)
    assert valid == n, f"{n - valid} of {n} invoices broke a fatal rule"

    print(f"baseline, UBL 2.1 schema alone: {base:>8,.0f} invoices/s")
    print(f"build + schema + CEN + Peppol:  {full:>8,.0f} invoices/s ({full / base:.3f} of it)")
    ok = print_goals(
        [(f"{full:,.0f} invoices/s built and validated, goal ≥ {GOAL:.0f}/s", full >= GOAL)]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
