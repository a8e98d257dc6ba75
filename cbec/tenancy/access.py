"""Who may see which document, and in what form. The SQL form lives in cbec.store.visibility.

- A regulator reads every document.
- The filer of a document always sees it.
- An order is seen by its seller and its platform; a product by its seller.
- A payment or waybill is seen by the platform it names and by the seller of the order it
  refers to (same platform and order number) when that order is vouched for — filed by its
  platform, or its buyer is the payer (keyed hash of the ID; a waybill needs such a
  payment) — and only while that order is unambiguous: when two sellers have filed an order
  with the same platform and number, neither sees the payment or waybill through it. Else a
  seller could claim another's order number in advance and read its payment; the platform
  sees both orders as a duplicate.
- An order number is unique per platform *and* seller, so no tenant can occupy another's;
  a conflict (409) is only ever reported against a document the caller can read.
- A bulk import's documents are shown to no one, filer included, until the whole import is
  written (cbec.services.imports); a withdrawn import's never.
- Anyone else gets "not found", never "forbidden", so existence does not leak.

Personal information is shown in clear only to the filer (who supplied it); every other
reader sees it through the operator the masking policy names for its relation and level
(:mod:`cbec.privacy.masking_policy`), and a regulator gets clear values only through an
audited reveal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cbec.tenancy.roles import Role


@dataclass(frozen=True)
class Viewer:
    """The tenant a request acts for — what every access rule is about — and, for audit
    trails only, who within it: the console user or the API key (not compared: two people of
    one tenant see the same documents)."""

    tenant_id: int
    name: str
    role: Role
    user_id: int | None = field(default=None, compare=False)
    key_id: str | None = field(default=None, compare=False)
    # The console user's role (admin, operator, viewer): picks the masking policy's row for
    # it (cbec/privacy/data/masking_policy.csv); None for an API key or the command line.
    user_role: str | None = field(default=None, compare=False)


def sees_clear(viewer: Viewer, filer_tenant_id: int) -> bool:
    return viewer.tenant_id == filer_tenant_id


def relation(viewer: Viewer, filer_tenant_id: int) -> str:
    """How ``viewer`` relates to a document, as the masking policy names readers: ``filer``,
    else its tenant role (``seller`` … ``regulator``)."""
    return "filer" if sees_clear(viewer, filer_tenant_id) else str(viewer.role)
