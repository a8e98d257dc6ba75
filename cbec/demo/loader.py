"""``cbec demo``: demo tenants with reproducible API keys and console admins, and a year of
trade documents (:mod:`cbec.demo.activity`), filed through the bulk import path.

The demo's year ends when it was first loaded: its anchor is the creation time of its first
tenant (:func:`year`), recorded by the database, so a fresh install shows today's orders and
a re-run on any later day regenerates the same documents. Everything is deterministic (fixed
seed, recorded anchor), so running the demo again changes nothing: tenants, keys and users
are found, documents come back as *unchanged*. API keys and
the admins' passwords derive from the install's own secret (``demo_seed``), so two installs
never share them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from cbec.accounts import UserRole, passwords
from cbec.customs.sign import Sm2SoftwareKey
from cbec.runtime import Runtime
from cbec.services import bulk
from cbec.services.users import OPERATOR, record
from cbec.store.customs_store import ProfileStore, SigningKeyStore
from cbec.store.db import refresh_statistics
from cbec.store.user_store import UserStore
from cbec.tenancy import apikeys
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import ensure_tenant_with_key
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

from . import activity, algorithms, customs_office, inventory_lists

TENANTS: list[tuple[str, Role]] = [
    ("sz-gadgets", Role.SELLER),
    ("hz-beauty", Role.SELLER),
    ("nb-home", Role.SELLER),
    ("silk-mall", Role.PLATFORM),
    ("harbor-mall", Role.PLATFORM),
    ("yun-pay", Role.PAYMENT),
    ("hai-express", Role.LOGISTICS),
    ("hz-customs", Role.REGULATOR),
]
# Invented customs identities (registration code, registered name, E-Port id) for the demo.
PROFILES = {
    "sz-gadgets": ("4403960002", "深圳小工具贸易有限公司", "DXPENT0000000002"),
    "hz-beauty": ("3301960005", "杭州美妆跨境电商有限公司", "DXPENT0000000005"),
    "nb-home": ("3302960007", "宁波家居跨境电商有限公司", "DXPENT0000000007"),
    "silk-mall": ("3301960001", "丝路商城（杭州）有限公司", "DXPENT0000000001"),
    "harbor-mall": ("3101960006", "海港商城（上海）有限公司", "DXPENT0000000006"),
    "yun-pay": ("3101960003", "云付支付有限公司", None),
    "hai-express": ("3301980004", "海运快递有限公司", None),
}

# Demo declarers sign their inventory lists with a software SM2 key (KeyName shown).
SIGNERS = {"sz-gadgets": "DEMO-4403960002", "harbor-mall": "DEMO-3101960006"}


@dataclass(frozen=True)
class DemoTenant:
    name: str
    role: str
    api_key: str
    admin_login: str  # the tenant's demo admin in the web console
    admin_password: str


def admin_of(seed: bytes, tenant: str) -> tuple[str, str]:
    """The login and password of a demo tenant's admin user: the password derives from the
    install's own secret, like the demo API keys, so it can be printed again, never stored."""
    raw = hmac.new(seed, f"password:demo:{tenant}".encode(), hashlib.sha256).digest()[:18]
    return f"admin@{tenant}.example", base64.urlsafe_b64encode(raw).decode()


def documents(size: str | int, year: activity.Year) -> dict[tuple[str, str], list[dict]]:
    """The demo documents by (filer, kind) for a size (:data:`activity.SIZES`, or a number
    of orders) and a year; the same on every call."""
    return activity.documents(orders(size), year)


def year(rt: Runtime) -> activity.Year | None:
    """The demo's year on this install: it ends when the demo was first loaded (the creation
    of its first tenant); ``None`` before that."""
    with rt.uow() as uow:
        tenant = uow.repo.tenant_by_name(TENANTS[0][0])
    return _year(tenant.created_at) if tenant else None


def _year(created_at: datetime | None) -> activity.Year:
    return activity.Year.ending(created_at or now())


def orders(size: str | int) -> int:
    """Orders of a demo size: a name of :data:`activity.SIZES` or a number (at least 30)."""
    if isinstance(size, int) or str(size).isdigit():
        return max(30, int(size))
    if size not in activity.SIZES:
        raise ValueError(f"size must be one of {sorted(activity.SIZES)} or a number of orders")
    return activity.SIZES[size]


def _all_filed(rt: Runtime, viewer: Viewer, kind: str, docs: list[dict]) -> bool:
    """Whether the filer has every one of ``docs`` already (by natural key): a demo loaded
    before is found, not validated and compared again document by document — its documents
    are made from the tenants' own anchor, so a second load would only count them unchanged
    (``tests/documents/test_import.py`` runs the demo twice), and one erased since (DSR,
    retention) must stay erased."""
    field = KINDS[kind].key_field
    keys = {str(d[field]) for d in docs}
    with rt.uow() as uow:
        return uow.repo.filed_keys(viewer.tenant_id, kind, keys) == keys


def load(
    rt: Runtime, size: str | int = "default", anchor: datetime | None = None
) -> tuple[list[DemoTenant], dict[str, dict[str, int]]]:
    """Create or find the demo tenants and documents; returns keys and per-kind counts.

    ``anchor``: where the year ends on a first load (default: now; tests and fixtures name a
    moment to be reproducible) — the demo tenants are dated to it; a loaded demo keeps its own.

    Documents go through the bulk import path (:func:`cbec.services.bulk.file_rows`: checked
    first, then written a chunk per transaction), kinds in the order their checks need —
    products, orders, then the payments and waybills matched against them."""
    out: list[DemoTenant] = []
    viewers: dict[str, Viewer] = {}
    anchors: list[datetime | None] = []
    with rt.uow(write=True) as uow:
        for name, role in TENANTS:
            key = apikeys.derive(rt.secrets.demo_seed, f"demo:{name}")
            tenant = ensure_tenant_with_key(uow.repo, name, role, key, anchor)
            anchors.append(tenant.created_at)
            viewers[name] = Viewer(tenant.id, name, role)
            login, password = admin_of(rt.secrets.demo_seed, name)
            users = UserStore(uow.conn)
            if users.by_login(login) is None:  # a demo admin keeps the password it changed to
                hashed = passwords.hash_password(password)
                user_id = users.add(tenant.id, login, "Demo admin", UserRole.ADMIN, hashed, now())
                record(uow, tenant, OPERATOR, "create", user_id, now())
            out.append(DemoTenant(name, role.value, key.token, login, password))
            if name in PROFILES:
                ProfileStore(uow.conn).set(tenant.id, *PROFILES[name])
            keys = SigningKeyStore(uow.conn, rt.vault)
            if name in SIGNERS and keys.signer(tenant.id) is None:
                keys.put(tenant.id, Sm2SoftwareKey.generate(SIGNERS[name]))
        uow.commit()

    # before the orders: they are screened and decided on filing
    customs_office.watchlist(rt, viewers["hz-customs"])
    customs_office.rules(rt, viewers["hz-customs"])
    batches = documents(size, _year(anchors[0]))
    counts: dict[str, dict[str, int]] = {}
    for kind_name in ("product", "order", "payment", "waybill"):
        for (filer, kind), docs in batches.items():
            if kind != kind_name:
                continue
            c = counts.setdefault(KINDS[kind].plural, {"created": 0, "unchanged": 0})
            if _all_filed(rt, viewers[filer], kind, docs):
                c["unchanged"] += len(docs)
                continue
            report = bulk.file_rows(
                rt.uow(), viewers[filer], kind, lambda docs=docs: enumerate(docs, start=1)
            )
            c["created"] += len(report.created)
            c["unchanged"] += len(report.unchanged)
    refresh_statistics(rt.engine)  # thousands of rows where there were none
    customs_office.declarations(rt, viewers["sz-gadgets"], viewers["hz-customs"], batches)
    inventory_lists.inventory_lists(
        rt, viewers["sz-gadgets"], viewers["hz-customs"], batches, customs_office.DECLARED
    )
    algorithms.file_examples(rt, viewers["silk-mall"])
    rt.ledger.integrate(force_checkpoint=True)
    return out, counts
