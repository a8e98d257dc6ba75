"""The stamps of what filing an order reads and what changes rarely, read in one statement.

A filed order is decided by the stored compliance rules, relaxed by the open sandbox
enrolments and screened against the active screening lists. Each is kept compiled in the
engine's caches (:mod:`cbec.store.caches`) under a stamp of its table, and each filing reads
the three stamps in one statement (an aggregate over the rules, the others as uncorrelated
subqueries), so a change made by any process applies from the very next order while no
order reads the rules, the enrolments or the lists themselves.

A stamp changes whenever what it keys could: the rules are added revision by revision (their
count, newest id, revision total and latest change time); enrolments are only ever added and
ended (their count, newest id and number ended); lists are only ever added and retired (the
same). None of the three is ever deleted from, and a stamp names the database, so a table
emptied and refilled under the same engine is the one case left to :func:`caches.forget`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from cbec.store.prepared import Prepared
from cbec.store.tables import compliance_rules, sandbox_enrolments, screening_lists


def _count_newest_closed(table, closed) -> list:
    return [
        select(func.count()).select_from(table).scalar_subquery(),
        select(func.max(table.c.id)).scalar_subquery(),
        select(func.count(closed)).scalar_subquery(),
    ]


_STAMPS = Prepared(
    select(
        func.count(),
        func.max(compliance_rules.c.id),
        func.sum(compliance_rules.c.revision),
        func.max(compliance_rules.c.changed_at),
        *_count_newest_closed(sandbox_enrolments, sandbox_enrolments.c.ended_at),
        *_count_newest_closed(screening_lists, screening_lists.c.retired_at),
    ).select_from(compliance_rules)
)


@dataclass(frozen=True)
class Stamps:
    rules: tuple
    enrolments: tuple
    lists: tuple


def read_stamps(conn: Connection) -> Stamps:
    """The three stamps, as of ``conn``'s transaction."""
    count, newest, revisions, latest, *rest = _STAMPS.rows(conn)[0]
    enrolled, last_enrolment, ended, listed, last_list, retired = rest
    db = str(conn.engine.url)
    return Stamps(
        (db, count, newest or 0, int(revisions or 0), str(latest)),
        (db, enrolled, last_enrolment or 0, ended),
        (db, listed, last_list or 0, retired),
    )
