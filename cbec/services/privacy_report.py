"""Use case of the privacy compliance report: a year's personal information protection impact
assessment draft (PIPL Arts. 55-56) and the audit pack beside it — the data inventory, the
cross-border transfers by route and destination, the data subject requests handled, the key
rotations, and who read personal information in clear — as one typed answer
(:mod:`cbec.privacy.report_models`) that :mod:`cbec.privacy.report_render` prints as Markdown
or HTML.

Each section is built by its own function of a :class:`Context` (the open unit of work, the
caller's scope, the year's bounds); :data:`SECTIONS` lists them in the report's order, so a new
section is one function and one entry. The year is China's calendar year (Asia/Shanghai), as
the transfer register's (CAC provisions of 2024-03-22: 自当年1月1日起累计).

Scope: a tenant's report covers its own transfers, its own people's reveals and its own
accounts; the regulator's covers every tenant, by name. The inventory, the encryption in place
and the key rotations describe the deployment and are in both (key fingerprints only in the
regulator's, as ``GET /privacy/keys`` shows them to it alone).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from cbec.errors import FieldInputError
from cbec.privacy import inventory as tags
from cbec.privacy.report_models import (
    MAX_YEAR,
    MIN_YEAR,
    AccessByRole,
    AccountTally,
    DsrLine,
    DsrSummary,
    InventorySummary,
    KeyEvent,
    KeyRotations,
    PiaDraft,
    PrivacyReport,
    ProcessedField,
    Protection,
    ReportScope,
    RevealTally,
    Tally,
    TransferLine,
    TransferSummary,
)
from cbec.services.users import SessionUser
from cbec.store.deployment_key_store import DeploymentKeyStore, RecordedKey
from cbec.store.dsr_store import DsrStore
from cbec.store.privacy_report_store import PrivacyReportStore
from cbec.store.repository import UnitOfWork
from cbec.store.transfer_store import TransferStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

CHINA = ZoneInfo("Asia/Shanghai")
MAX_TRANSFERS = 100_000  # transfer rows one report reads (a year of an exporter's records)
PURPOSES = {
    "order": "sale",
    "payment": "payment",
    "waybill": "delivery",
    "product": "catalogue",
}  # the purpose each kind of document is processed for (customs clearance of CBEC retail)


class ReportInput(FieldInputError):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__(field, detail, "report_input")


def this_year() -> int:
    """This year in China's calendar."""
    return now().astimezone(CHINA).year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """1 January 00:00 in China and the next one, as aware datetimes."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportInput("year", f"must be a year between {MIN_YEAR} and {MAX_YEAR}")
    start = datetime.combine(date(year, 1, 1), time(), CHINA)
    end = datetime.combine(date(year + 1, 1, 1), time(), CHINA) if year < MAX_YEAR else None
    return start, end or datetime.max.replace(tzinfo=CHINA)


@dataclass
class Context:
    """What every section builder reads: the open unit of work, the caller and the year."""

    uow: UnitOfWork
    caller: Viewer
    year: int
    start: datetime
    end: datetime
    at: datetime

    @property
    def tenant_id(self) -> int | None:
        """The tenant the report is scoped to; ``None``: every tenant (the regulator)."""
        return None if self.caller.role is Role.REGULATOR else self.caller.tenant_id

    @property
    def inventory_day(self) -> date:
        """The inventory as in force at the end of the year (or today, within it)."""
        last = date(self.year, 12, 31)
        return min(last, self.at.astimezone(CHINA).date())

    @cached_property
    def fields(self) -> list[tags.Tag]:
        return tags.load(on=self.inventory_day)

    @cached_property
    def transfer_rows(self) -> list[dict[str, Any]]:
        first, last = date(self.year, 1, 1), date(self.year, 12, 31)
        return TransferStore(self.uow.conn).listed(self.tenant_id, first, last, MAX_TRANSFERS)

    @cached_property
    def keys(self) -> list[RecordedKey]:
        return DeploymentKeyStore(self.uow.conn).recorded()


def _processed(t: tags.Tag) -> ProcessedField:
    return ProcessedField(kind=t.kind, field=t.field, pi=t.pi, protection=t.protection, mask=t.mask)


def pia_section(ctx: Context) -> PiaDraft:
    """PIPL Art. 56: the purpose, the personal and sensitive information processed, the
    transfers abroad, the measures in place; Art. 55's assessment itself is the assessor's."""
    personal = [t for t in ctx.fields if t.pi in ("personal", "sensitive")]
    data_keys = [k for k in ctx.keys if k.purpose == "data"]
    vault = ctx.uow.vault
    ring = getattr(vault, "ring", None)
    algorithms = sorted({k.alg for k in ring.keys}) if ring is not None else []
    masks = sorted({t.mask for t in personal if t.mask})
    return PiaDraft(
        purposes=sorted({PURPOSES.get(t.kind, t.kind) for t in personal}),
        personal_fields=[_processed(t) for t in personal if t.pi == "personal"],
        sensitive_fields=[_processed(t) for t in personal if t.pi == "sensitive"],
        transfers_abroad=len(ctx.transfer_rows),
        protection=Protection(
            encryption=algorithms,
            active_key_id=ring.active.kid if ring is not None else None,
            key_ids=sorted({k.kid for k in data_keys if k.kid}),
            encrypted_fields=sum(1 for t in ctx.fields if t.protection == "encrypted"),
            masked_fields=sum(1 for t in ctx.fields if t.mask),
            masks=masks,
            pseudonyms="hmac-sha256",
        ),
    )


def inventory_section(ctx: Context) -> InventorySummary:
    """The data inventory in force at the year's end, counted by category, grade, PI level."""
    return InventorySummary(
        on=ctx.inventory_day,
        fields=len(ctx.fields),
        by_category=dict(sorted(Counter(t.category for t in ctx.fields).items())),
        by_grade=dict(sorted(Counter(t.grade for t in ctx.fields).items())),
        by_pi=dict(sorted(Counter(t.pi for t in ctx.fields).items())),
    )


def _individuals(row: dict[str, Any]) -> int:
    return row["subjects"] + row["declared_individuals"] + row["declared_sensitive"]


def _tallies(rows: list[dict[str, Any]], key: str) -> list[Tally]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        counts[r[key]][0] += 1
        counts[r[key]][1] += _individuals(r)
    return [
        Tally(key=k, transfers=n, individuals=i)
        for k, (n, i) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]


def transfers_section(ctx: Context) -> TransferSummary:
    """The year's recorded transfers (PIPL Art. 38-39), by route and by destination, each
    with every provision its decision cites."""
    rows = ctx.transfer_rows
    items = [
        TransferLine(
            exporter=r["exporter"],
            transferred_on=r["transferred_on"],
            destination=r["destination"],
            recipient=r["recipient"],
            purpose=r["purpose"],
            route=r["route"],
            individuals=_individuals(r),
            articles=[
                x["source"] for x in (*r["decision"]["reasons"], *r["decision"]["obligations"])
            ],
        )
        for r in rows
    ]
    return TransferSummary(
        transfers=len(rows),
        individuals=sum(i.individuals for i in items),
        by_route=_tallies(rows, "route"),
        by_destination=_tallies(rows, "destination"),
        items=items,
    )


def dsr_section(ctx: Context) -> DsrSummary:
    """The data subject requests received in the year (PIPL Arts. 44-47; GDPR Arts. 15, 17)
    from the DSR register, which keeps how each person was named, never the identifier."""
    rows = DsrStore(ctx.uow.conn).listed(ctx.tenant_id, MAX_TRANSFERS, (ctx.start, ctx.end))
    items = [
        DsrLine(
            tenant=r["tenant"],
            kind=r["kind"],
            found_by=r["found_by"],
            status=r["status"],
            received_at=r["received_at"],
            completed_at=r["completed_at"],
            documents=r["documents"],
            keys_shredded=r["keys_shredded"],
        )
        for r in reversed(rows)  # oldest first, as the other sections list
    ]
    kinds = Counter(i.kind for i in items)
    return DsrSummary(
        requests=len(items),
        access=kinds["access"],
        erasure=kinds["erasure"],
        completed=sum(1 for i in items if i.completed_at is not None),
        documents=sum(i.documents for i in items),
        keys_shredded=sum(i.keys_shredded for i in items),
        items=items,
    )


def keys_section(ctx: Context) -> KeyRotations:
    """Keys added and retired in the year, by purpose (fingerprints for the regulator)."""
    shown = ctx.caller.role is Role.REGULATOR
    events = []
    for k in ctx.keys:
        for event, at in (("added", k.added_at), ("retired", k.retired_at)):
            if at is not None and ctx.start <= at < ctx.end:
                fingerprint = k.fingerprint if shown else None
                events.append(
                    KeyEvent(
                        at=at, event=event, purpose=k.purpose, kid=k.kid, fingerprint=fingerprint
                    )
                )
    events.sort(key=lambda e: (e.at, e.event, e.purpose))
    return KeyRotations(
        added=sum(1 for e in events if e.event == "added"),
        retired=sum(1 for e in events if e.event == "retired"),
        events=events,
    )


def access_section(ctx: Context) -> AccessByRole:
    """Who read personal information in clear in the year (the reveal audit), and the users
    and API keys of each role now."""
    store = PrivacyReportStore(ctx.uow.conn)
    reveals = [
        RevealTally(
            tenant=g.tenant,
            role=g.role,
            user=g.user,
            key_id=g.key_id,
            reveals=g.reveals,
            documents=g.documents,
            fields=list(g.fields),
        )
        for g in store.reveals(ctx.tenant_id, ctx.start, ctx.end)
    ]
    accounts = [
        AccountTally(tenant=a.tenant, tenant_role=a.tenant_role, role=a.role, count=a.count)
        for a in store.accounts(ctx.tenant_id, ctx.at)
    ]
    return AccessByRole(
        reveals=reveals, total_reveals=sum(r.reveals for r in reveals), accounts=accounts
    )


SECTIONS: list[tuple[str, Callable[[Context], BaseModel]]] = [
    ("pia", pia_section),
    ("inventory", inventory_section),
    ("transfers", transfers_section),
    ("dsr", dsr_section),
    ("keys", keys_section),
    ("access", access_section),
]
"""The report's sections in order: (field of :class:`PrivacyReport`, builder)."""


def privacy_report(uow: UnitOfWork, who: Viewer | SessionUser, year: int) -> PrivacyReport:
    """The report of ``year`` (China's calendar) as ``who`` may read it: its own tenant's
    data, or every tenant's for the regulator."""
    caller = who.viewer if isinstance(who, SessionUser) else who
    start, end = year_bounds(year)
    at = now()
    with uow:
        ctx = Context(uow, caller, year, start, end, at)
        sections = {name: build(ctx) for name, build in SECTIONS}
    scope = ReportScope(
        year=year,
        start=start,
        end=end,
        tenant=None if ctx.tenant_id is None else caller.name,
        requested_by=caller.name,
        generated_at=at,
    )
    return PrivacyReport(scope=scope, **sections)
