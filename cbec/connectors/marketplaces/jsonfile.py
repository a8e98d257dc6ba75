"""A marketplace's orders saved as JSON, read as the records the tabular core groups
(:func:`cbec.connectors.marketplaces.core.convert`): one record per product of an order,
whose "columns" are the documented field paths (``receipt_address.country``,
``child_order_list[].sku_code``) and whose number is the order's place in the file.

What a seller or its ERP saves from an order API is one of three shapes, all read:
one JSON document (a saved response, or one order), a JSON array of them, or JSON Lines —
one document a line, as a job that calls the API once per order logs them (RFC 8259 §8.1:
JSON exchanged between systems is UTF-8; a byte-order mark is passed over). A response's
envelopes — ``…_response``, ``result``, ``data`` — are opened down to the order; a list the
Open Platform wraps in an object of one key (``{"global_aeop_tp_child_order_dto": […]}``,
the TOP gateway's rendering of a list) is read as the list.

A record's number is the order's place in the file (1 for the first; in JSON Lines of one
order a line, its line), so a refusal names the order as a table's row does. A money object
(``{"amount": "12.50", "currency_code": "USD", "cent": 1250, "currency": {…}}``) gives its
``amount`` (or ``amount_str``) and ``currency_code`` only — ``cent`` and the ``currency``
description restate them — so the fields not read list what an order says beside them.
Pure: no database, no network.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from cbec import jsonio
from cbec.connectors.marketplaces.core import Record
from cbec.errors import BadRequest

_MONEY_PARTS = ("amount", "amount_str", "currency_code")


def is_json(upload: IO[bytes]) -> bool:
    """Whether the upload holds JSON (its first character, past a byte-order mark and
    white space, opens an object or an array): no CSV or workbook starts so."""
    upload.seek(0)
    head = upload.read(256)
    upload.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return head.lstrip().startswith((b"{", b"["))


def records(upload: IO[bytes], items: str) -> tuple[list[str], Iterator[Record]]:
    """The field paths of the file's orders (the "header", in first-seen order) and one
    record per element of each order's ``items`` list (an order without any gives one
    record of its own fields, so that the missing products are named)."""
    orders = list(_documents(upload))
    header: dict[str, None] = {}
    out: list[Record] = []
    for number, order in orders:
        head: dict[str, str | None] = {}
        children: list[dict[str, str | None]] = []
        for key, value in order.items():
            if key == items:
                for child in _as_list(value) or []:
                    row: dict[str, str | None] = {}
                    if isinstance(child, dict):
                        _flatten(child, f"{items}[].", row, header)
                    children.append(row)
            else:
                _flatten_one(key, value, "", head, header)
        for row in children or [{}]:
            out.append((number, {**head, **row}))
    return list(header), iter(out)


def _documents(upload: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each order of the file with its number; an element that is no object refuses the
    file (``invalid_json``, naming its place)."""
    upload.seek(0)
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest("not_utf8", {"line": data[: exc.start].count(b"\n") + 1}) from None
    try:
        docs = [(None, jsonio.loads(text))]
    except BadRequest as exc:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if exc.rule != "invalid_json" or len(lines) < 2 or not _parses(lines[0][1]):
            raise  # no JSON Lines either: the document's own error (where it breaks)
        docs = [(n, _line(n, line)) for n, line in lines]
    position = 0
    for line_no, doc in docs:
        for order in _orders(doc):
            position += 1
            if not isinstance(order, dict):
                where = f"line {line_no}" if line_no is not None else f"order {position}"
                raise BadRequest("invalid_json", {"detail": f"{where} is not a JSON object"})
            yield position, order


def _parses(line: str) -> bool:
    try:
        jsonio.loads(line)
    except BadRequest:
        return False
    return True


def _line(number: int, line: str) -> Any:
    try:
        return jsonio.loads(line)
    except BadRequest as exc:
        if exc.rule != "invalid_json":
            raise
        detail = f"line {number}: {exc.params.get('detail', '')}"[:200]
        raise BadRequest("invalid_json", {"detail": detail}) from None


def _orders(doc: Any) -> Iterator[Any]:
    """The orders of a document: each element of an array, else the document itself, with
    the response's envelopes opened."""
    if isinstance(doc, list):
        for item in doc:
            yield _unwrap(item)
    else:
        yield _unwrap(doc)


def _unwrap(doc: Any) -> Any:
    while isinstance(doc, dict):
        envelopes = [k for k in doc if k.endswith("_response") and isinstance(doc[k], dict)]
        if len(envelopes) == 1:
            doc = doc[envelopes[0]]
        elif isinstance(doc.get("result"), dict):
            doc = doc["result"]
        elif isinstance(doc.get("data"), dict):
            doc = doc["data"]
        else:
            return doc
    return doc


def _as_list(value: Any) -> list[Any] | None:
    """A JSON array, or the TOP gateway's object of one key holding it."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (inner,) = value.values()
        if isinstance(inner, list):
            return inner
    return None


def _flatten(doc: dict[str, Any], prefix: str, row: dict, header: dict | None) -> None:
    for key, value in doc.items():
        _flatten_one(key, value, prefix, row, header)


def _flatten_one(key: str, value: Any, prefix: str, row: dict | None, header) -> None:
    path = f"{prefix}{key}"
    listed = _as_list(value)
    if listed is not None:  # a list beside the products: its paths are listed, not read
        for item in listed:
            if isinstance(item, dict):
                _flatten(item, f"{path}[].", None, header)
            elif header is not None:
                header.setdefault(f"{path}[]", None)
        return
    if isinstance(value, dict):
        if "currency_code" in value:  # a money object: its amount and currency
            value = {k: v for k, v in value.items() if k in _MONEY_PARTS}
        _flatten(value, f"{path}.", row, header)
        return
    if header is not None:
        header.setdefault(path, None)
    if row is not None:
        row[path] = _text(value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
