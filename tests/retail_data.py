"""The UCI Online Retail files the analytics tests read, and a plain reading of them.

``EXTRACT`` ships with the repository (``tests/data/online_retail``: every row of the
customers whose ID is a multiple of 10, see its README); ``FULL`` is the whole file in
``../shared`` and only there. ``FILES`` parametrises a test over both, the full file marked
``needs_shared``.

:func:`clean_purchases` reads a file with the ``csv`` module and ``Decimal`` — no polars —
following the data set README's definition of the "clean" subset (Quantity > 0,
UnitPrice > 0, CustomerID present, InvoiceNo not a cancellation). It is the oracle the
polars code is checked against, on whichever file is read.
"""

from __future__ import annotations

import csv
import functools
import gzip
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DATA, SHARED, needs_shared

EXTRACT = DATA / "online_retail" / "online_retail_extract.csv.gz"
FULL = SHARED / "data" / "online_retail" / "online_retail.csv.gz"
FILES = [
    pytest.param(EXTRACT, id="extract"),
    pytest.param(FULL, id="full", marks=needs_shared),
]


@functools.cache
def clean_purchases(path: Path) -> tuple[tuple[str, date, Decimal], ...]:
    """``(customer, day, Quantity × UnitPrice)`` of every clean row, in file order."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            qty, price = int(row["Quantity"]), Decimal(row["UnitPrice"])
            customer = row["CustomerID"].strip()
            if qty <= 0 or price <= 0 or not customer or row["InvoiceNo"].startswith("C"):
                continue
            day = datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S").date()
            out.append((customer, day, qty * price))
    return tuple(out)


def purchase_days(path: Path) -> dict[str, list[date]]:
    """Each customer's distinct purchase days, sorted."""
    days: dict[str, set[date]] = {}
    for customer, day, _ in clean_purchases(path):
        days.setdefault(customer, set()).add(day)
    return {c: sorted(d) for c, d in days.items()}
