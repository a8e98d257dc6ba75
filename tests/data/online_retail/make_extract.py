"""Write ``online_retail_extract.csv.gz``: a deterministic extract of UCI Online Retail.

Kept, as the original lines byte for byte (header first, file order):

* every row of every customer whose ``CustomerID`` is a multiple of 10 (their whole history:
  purchases, cancellations, postage and manual lines), and
* the rows without a ``CustomerID`` whose invoice number (without a ``C`` prefix) is a
  multiple of 100 — so the "customer present" cleaning rule has something to drop.

The output is gzip with mtime 0 and no file name, so the same input gives the same bytes.
Usage (from the repository root, with the full file beside the repository)::

    python tests/data/online_retail/make_extract.py \
        ../shared/data/online_retail/online_retail.csv.gz
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "online_retail_extract.csv.gz"
HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"


def keep(row: list[str]) -> bool:
    invoice, customer = row[0], row[6]
    if customer:
        return int(customer) % 10 == 0
    return int(invoice.lstrip("ABC")) % 100 == 0


def main(source: Path) -> None:
    out = io.StringIO(newline="")
    with gzip.open(source, "rt", encoding="utf-8", newline="") as fh:
        header = fh.readline()
        if header.rstrip("\n") != HEADER:
            raise SystemExit(f"unexpected header {header!r}, want {HEADER!r}")
        out.write(header)
        for line in fh:
            (row,) = csv.reader([line])  # the file has no line breaks inside fields
            if keep(row):
                out.write(line)
    with OUT.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(out.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
