"""E-invoice throughput: invoices built from orders, written as UBL 2.1 and validated by the
OASIS schema and the CEN and Peppol rules, per second (issue #19 goal: >= 50/s), with the
schema check alone as the baseline in the same run. The rule stylesheets are compiled once,
before timing. Run: ``python bench/einvoice.py [N]``."""

from __future__ import annotations

import random
import sys
import time

from cbec.demo import synthetic
from cbec.einvoice import InvoiceTerms, invoice_of, validate, write
from cbec.einvoice.validate import check_schema, rules

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


def main(n: int = 300) -> None:
    rng = random.Random(1)
    orders = [synthetic.order(rng, "platform-a", "seller-a", f"B-{i}") for i in range(n)]
    t = time.perf_counter()
    rules()
    print(f"compile rules once: {time.perf_counter() - t:.2f} s")
    xmls = [write(invoice_of(o, TERMS)) for o in orders]
    t = time.perf_counter()
    assert all(not check_schema(x).findings for x in xmls)
    base = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for o in orders:
        assert validate(write(invoice_of(o, TERMS))).valid
    full = n / (time.perf_counter() - t)
    print(f"baseline, XSD validation alone: {base:,.0f} invoices/s")
    print(f"build + XSD + CEN + Peppol rules: {full:,.0f} invoices/s (goal >= 50/s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
