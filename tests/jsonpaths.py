"""Locations in a JSON document and copies with one of them changed — what the mutation
fuzzers (HTTP and CLI) use to break a valid document one place at a time."""

from __future__ import annotations

import copy
from typing import Any


def locations(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key / index path in a JSON document, parents before children."""
    out: list[tuple] = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += [(*prefix, k), *locations(v, (*prefix, k))]
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += [(*prefix, i), *locations(v, (*prefix, i))]
    return out


def replaced(doc: Any, path: tuple, value: Any, delete: bool) -> Any:
    """A deep copy of ``doc`` with the value at ``path`` replaced by ``value`` (or deleted)."""
    doc = copy.deepcopy(doc)
    node = doc
    for part in path[:-1]:
        node = node[part]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc
