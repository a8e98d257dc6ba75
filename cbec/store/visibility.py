"""Who may read which document, as SQL: the policy of :mod:`cbec.tenancy.access` as WHERE
clauses over ``documents`` (the repository and the stores that join documents use them)."""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, true

from cbec.store.tables import documents, import_batches
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role

OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"  # import batch states


def _through_my_order(me: int, kind: str):
    """A payment or waybill the seller ``me`` reads through its order (see cbec.tenancy.access):
    the seller's order of the same platform and number, no other seller's order of that
    number (a duplicated number links to no one; the platform sees the duplicate), and an
    order vouched for — filed by its platform, or, for a payment, whose buyer is the payer
    (the same keyed hash of the ID, as 三单对碰 requires); a waybill needs such a payment
    too. A seller that files another's order number first never learns the buyer's ID from
    it, so the payment and the waybill stay out of its sight."""
    mine, other, paid = documents.alias("o"), documents.alias("o2"), documents.alias("p")

    def same(t):
        return and_(
            t.c.platform_tenant_id == documents.c.platform_tenant_id,
            t.c.order_no == documents.c.order_no,
        )

    by_platform = mine.c.filer_tenant_id == mine.c.platform_tenant_id
    if kind == "payment":
        vouched = or_(by_platform, mine.c.subject_ref == documents.c.subject_ref)
    else:
        vouched = or_(
            by_platform,
            exists().where(  # the order's payment: matched on the order (``mine``) so
                # the lookup walks the (kind, platform, order_no) index
                paid.c.kind == "payment",
                paid.c.platform_tenant_id == mine.c.platform_tenant_id,
                paid.c.order_no == mine.c.order_no,
                paid.c.subject_ref == mine.c.subject_ref,
            ),
        )
    return and_(
        exists().where(mine.c.kind == "order", same(mine), mine.c.seller_tenant_id == me, vouched),
        ~exists().where(other.c.kind == "order", same(other), other.c.seller_tenant_id != me),
    )


_done_batch = import_batches.alias("done_batch")
_SHOWN = or_(
    documents.c.batch_id.is_(None),
    exists().where(_done_batch.c.id == documents.c.batch_id, _done_batch.c.state == DONE),
)


def shown():
    """Documents anyone may be shown: not part of a bulk import that is still being written
    or was withdrawn (see cbec.services.imports).

    One clause built at import and shared by every statement (SQL expressions are
    immutable): building it per query cost ~0.3 ms, several times per filed order. Its
    alias's columns are built here too, before threads share it (see ``_filer`` in
    :mod:`cbec.store.repository`)."""
    return _SHOWN


def reasons(viewer: Viewer, kind: str) -> list:
    """Each reason the viewer may read a document of ``kind``, as a WHERE clause: the viewer
    reads a document when one of them holds (the regulator: always). Kept apart so that a
    list can ask each reason along its own index (see ``Repository.list_documents``)."""
    if viewer.role is Role.REGULATOR:
        return [true()]
    me = viewer.tenant_id
    rules = [documents.c.filer_tenant_id == me]
    if kind in ("order", "product"):
        rules.append(documents.c.seller_tenant_id == me)
    if kind in ("order", "payment", "waybill"):
        rules.append(documents.c.platform_tenant_id == me)
    if kind in ("payment", "waybill") and viewer.role is Role.SELLER:
        rules.append(_through_my_order(me, kind))
    return rules


def visible(viewer: Viewer, kind: str):
    """The access policy of cbec.tenancy.access as a WHERE clause."""
    return and_(documents.c.kind == kind, or_(*reasons(viewer, kind)), shown())
