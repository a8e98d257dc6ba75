"""The registry of document kinds: one table that tells every adapter how a kind behaves.

For each kind: its model and rule check, its natural key (unique within the tenants named by
``scope``), the parties it names (each a tenant of a given role), the list field a CSV row
contributes to, and — read off the model's ``PII`` markers — which fields hold personal
information. The API routes, the importer and the store are all driven from here, so adding
a kind means adding one entry.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from cbec.errors import Violation
from cbec.tenancy.roles import Role
from cbec.trade import order, payment, product, waybill
from cbec.trade.types import PII


@dataclass(frozen=True)
class PartyRef:
    """A field naming a tenant of ``role``; filled with the filer when the filer has that role."""

    field: str
    role: Role


def _pii_paths(model: type[BaseModel], prefix: str = "") -> dict[str, str]:
    """``{"buyer.phone": "phone", …}`` from ``Annotated[..., PII(mask)]`` markers."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        for meta in info.metadata:
            if isinstance(meta, PII):
                out[path] = meta.mask
        annotation = info.annotation
        for arg in (annotation, *typing.get_args(annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out.update(_pii_paths(arg, path + "."))
        # Optional PII fields carry the marker inside the union member's metadata.
        for arg in typing.get_args(annotation):
            for meta in getattr(arg, "__metadata__", ()):
                if isinstance(meta, PII):
                    out[path] = meta.mask
    return out


@dataclass(frozen=True)
class Kind:
    name: str
    plural: str
    model: type[BaseModel]
    check: Callable[[typing.Any], list[Violation]]
    key_field: str
    parties: tuple[PartyRef, ...]
    # The party fields whose tenants scope the natural key. An order number is unique per
    # platform *and* seller: a seller cannot occupy another seller's order number, and two
    # sellers' orders with one number are both kept and reported as a finding.
    scope: tuple[str, ...]
    list_field: str | None
    filers: tuple[Role, ...]  # roles allowed to file this kind
    pii: dict[str, str] = field(default_factory=dict)
    changeable: bool = False  # may its filer replace it with a new version (PUT)?
    # The field saying when the trade took place (an order's ``ordered_at``), stored beside
    # the body as ``placed_at`` so that lists and volumes go by the day a buyer placed an
    # order, not the day it was filed; None for kinds counted by their filing.
    placed_field: str | None = None

    def placed_at(self, doc: BaseModel) -> typing.Any:
        """When ``doc`` was placed (UTC, as validated), or None for a kind without it."""
        return getattr(doc, self.placed_field) if self.placed_field else None

    def natural_key(self, doc: BaseModel) -> str:
        return str(getattr(doc, self.key_field))

    def scope_of(self, parties: dict[str, typing.Any]) -> tuple[int, int]:
        """``(scope tenant id, co-scope tenant id)`` of a document whose parties are resolved;
        a kind scoped by one party repeats it."""
        ids = [parties[name].id for name in self.scope]
        return ids[0], ids[-1]


def _kind(
    name, plural, model, check, key, parties, scope, lst, filers, changeable=False, placed=None
) -> Kind:
    pii = _pii_paths(model)
    return Kind(
        name, plural, model, check, key, parties, scope, lst, filers, pii, changeable, placed
    )


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        _kind(
            "order",
            "orders",
            order.Order,
            order.check,
            "order_no",
            (PartyRef("seller", Role.SELLER), PartyRef("platform", Role.PLATFORM)),
            ("platform", "seller"),
            "lines",
            (Role.SELLER, Role.PLATFORM),
            placed="ordered_at",
        ),
        _kind(
            "payment",
            "payments",
            payment.Payment,
            payment.check,
            "transaction_id",
            (PartyRef("payment_firm", Role.PAYMENT), PartyRef("platform", Role.PLATFORM)),
            ("payment_firm",),
            None,
            (Role.PAYMENT,),
        ),
        _kind(
            "waybill",
            "waybills",
            waybill.Waybill,
            waybill.check,
            "waybill_no",
            (PartyRef("logistics_firm", Role.LOGISTICS), PartyRef("platform", Role.PLATFORM)),
            ("logistics_firm",),
            "events",
            (Role.LOGISTICS,),
        ),
        _kind(
            "product",
            "products",
            product.Product,
            product.check,
            "sku",
            (PartyRef("seller", Role.SELLER),),
            ("seller",),
            "hs_codes",
            (Role.SELLER,),
            changeable=True,  # a catalog entry evolves; orders, payments, waybills do not
        ),
    )
}
