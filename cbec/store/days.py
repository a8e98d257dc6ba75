"""SQL expressions the lists and figures over orders share: when an order was placed, the
orders placed in a range, the UTC day of a time, and a field read out of a document's JSON
body — each spelled for the dialect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, and_, cast, func, or_, select, type_coerce
from sqlalchemy.engine import Connection

from cbec.store.tables import documents

# A range of placing times holding fewer documents than this is read from the placed index
# (see placed_between); a wider one walks the page order.
FEW_PLACED = 2000


def placed():
    """When an order was placed (``placed_at``); when it was filed for a row without one
    (a body whose ``ordered_at`` migration 0019 could not read), so no order goes uncounted."""
    return func.coalesce(documents.c.placed_at, documents.c.created_at)


def placed_in(start: datetime, end: datetime):
    """Orders :func:`placed` in ``[start, end)``, spelled so that the ``(kind, placed_at,
    seq)`` index finds them (a condition on the ``coalesce`` would read every order)."""
    at, filed = documents.c.placed_at, documents.c.created_at
    return or_(
        and_(at >= start, at < end),
        and_(at.is_(None), filed >= start, filed < end),
    )


def placed_between(
    conn: Connection, kind: str, start: datetime | None, end: datetime | None
) -> list:
    """Conditions for the documents of ``kind`` placed in ``[start, end)`` (an end may be
    open) on a page query — with, when the range holds fewer than :data:`FEW_PLACED`
    (counted along the ``(kind, placed_at, seq)`` index, stopping there), their sequence
    numbers read from that index.

    A page walks its reason's index in page order and keeps the rows placed in the range:
    quick for a range that holds many orders, but a day that holds few (or none) would make
    it walk them all — SQLite's planner cannot tell which (PostgreSQL's statistics can), and
    picking the placed index for a year is as slow the other way. So the range is measured
    first, and a small one is read from the placed index."""
    at = documents.c.placed_at
    out = ([at >= start] if start is not None else []) + ([at < end] if end is not None else [])
    seqs = select(documents.c.seq).where(documents.c.kind == kind, *out)
    counted = select(func.count()).select_from(seqs.limit(FEW_PLACED).subquery())
    if conn.execute(counted).scalar_one() < FEW_PLACED:  # as numbers, not a subquery:
        # see Repository._rows_at for the plan a subquery can get on PostgreSQL
        out.append(documents.c.seq.in_(list(conn.scalars(seqs))))
    return out


def utc_day(conn: Connection, when):
    """The UTC day of ``when`` as ``YYYY-MM-DD`` text (SQLite keeps naive UTC)."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", when), "YYYY-MM-DD")
    return func.strftime("%Y-%m-%d", when)


def body_field(conn: Connection, name: str):
    """A top-level field of the document's body, as text — for fields never personal (they
    are stored in clear; the personal ones are sealed by the vault)."""
    if conn.dialect.name == "postgresql":
        body = cast(documents.c.body, JSON)
    else:
        body = type_coerce(documents.c.body, JSON)
    return body[name].as_string()
