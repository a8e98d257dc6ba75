"""SQL expressions the figures over orders share: when an order was placed, the UTC day of
a time, and a field read out of a document's JSON body — each spelled for the dialect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, and_, cast, func, or_, type_coerce
from sqlalchemy.engine import Connection

from cbec.store.tables import documents


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
