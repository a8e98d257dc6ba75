"""The credit note of a cbec order's invoice (EN 16931 / Peppol BIS Billing 3.0 CreditNote).

A credit note is built from the same :class:`~cbec.einvoice.from_order.InvoiceTerms` as the
invoice it corrects — so the seller, buyer, currency and VAT are the invoice's — plus what
only a credit note has (:class:`CreditTerms`): the reason (written as the document note,
BT-22), its own number and date, and what it credits:

- nothing chosen: the whole invoice — every line, the freight charge and the discount;
- ``lines``: the chosen lines of the order (``line_no``) and quantities, each at the line's
  unit price (its full line total when the whole quantity is credited); freight and discount
  are not credited by a partial credit note;
- ``amount``: one credit line of that net amount (before VAT), in the invoice's VAT category.

The invoice corrected is named by its number and issue date (BG-3: BT-25, BT-26): the
``invoice_number`` and ``issue_date`` of the terms, defaulting as :func:`invoice_of` defaults
them (``INV-<order no>``, the order's date), so the terms that built an invoice name it.
Amounts are positive (a credit note credits; UNCL1001 ``381``). A request that credits more
than was invoiced, a line the order does not have, or that dates the credit note before its
invoice is refused naming the field (``DocumentInvalid``).

An invoice may be corrected by several credit notes, which together must not credit more than
it states: :func:`remainder` is what the invoice has left after the credit notes already
issued (:class:`Credited`: each one's net amount and line quantities), and :func:`beyond`
names each part of a new credit note that goes past it (rule ``einvoice_credit_exceeds_remaining``,
saying what remains). Amounts are compared before VAT, as ``amount`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from cbec.einvoice.from_order import InvoiceTerms, invoice_of
from cbec.einvoice.model import ZERO, Invoice, InvoiceReference, Line, money
from cbec.errors import DocumentInvalid, Violation

CREDIT_NOTE = "381"  # UNCL1001 credit note
BEYOND = "einvoice_credit_exceeds_remaining"


class CreditLine(BaseModel):
    """An order line credited (its ``line_no``) and the quantity returned."""

    model_config = ConfigDict(extra="forbid")
    line_no: Annotated[int, Field(ge=1)]
    quantity: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)]


class CreditTerms(InvoiceTerms):
    """The invoice's terms (``invoice_number`` and ``issue_date`` are the invoice's, BT-25 and
    BT-26) and the credit note's own: its reason, number and date, and what it credits
    (``lines`` or ``amount``; neither: all of the invoice)."""

    reason: Annotated[str, Field(min_length=1, max_length=300)]
    credit_note_number: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    credit_note_date: date | None = None  # default: today
    lines: Annotated[list[CreditLine], Field(min_length=1, max_length=1000)] | None = None
    amount: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)] | None = None


def _credited_lines(invoice: Invoice, terms: CreditTerms) -> tuple[Line, ...]:
    by_id = {line.id: line for line in invoice.lines}
    bad: list[Violation] = []
    seen: set[int] = set()
    out = []
    for i, chosen in enumerate(terms.lines or []):
        line = by_id.get(str(chosen.line_no))
        if line is None or chosen.line_no in seen:
            bad.append(Violation(f"lines.{i}.line_no", "einvoice_credit_line_unknown"))
            continue
        seen.add(chosen.line_no)
        if chosen.quantity > line.quantity:
            bad.append(Violation(f"lines.{i}.quantity", "einvoice_credit_exceeds_invoice"))
            continue
        whole = chosen.quantity == line.quantity
        net = line.net_amount if whole else money(line.price * chosen.quantity)
        out.append(replace(line, quantity=chosen.quantity, net_amount=net))
    if bad:
        raise DocumentInvalid(bad)
    return tuple(out)


def credit_note_of(
    order: dict[str, Any], terms: CreditTerms, today: date, vat_rules: list[Any] | None = None
) -> Invoice:
    """The credit note of ``order``'s invoice under ``terms``, dated ``today`` unless the
    terms date it."""
    invoice = invoice_of(order, terms, vat_rules)
    issued = terms.credit_note_date or today
    bad: list[Violation] = []
    if terms.lines is not None and terms.amount is not None:
        bad.append(Violation("amount", "einvoice_credit_lines_or_amount"))
    if issued < invoice.issue_date:
        bad.append(Violation("credit_note_date", "einvoice_credit_before_invoice"))
    if terms.amount is not None and terms.amount > invoice.totals().tax_exclusive:
        bad.append(Violation("amount", "einvoice_credit_exceeds_invoice"))
    if bad:
        raise DocumentInvalid(bad)
    acs = invoice.allowances_charges
    if terms.lines is not None:
        lines, acs = _credited_lines(invoice, terms), ()
    elif terms.amount is not None:
        first = invoice.lines[0]
        amount = money(terms.amount)
        credit = Line("1", terms.reason[:200], Decimal(1), "C62", amount, amount, first.tax)
        lines, acs = (credit,), ()
    else:
        lines = invoice.lines
    return replace(
        invoice,
        number=terms.credit_note_number or f"CN-{invoice.number}",
        issue_date=issued,
        lines=lines,
        allowances_charges=acs,
        due_date=None,
        note=terms.reason,
        type_code=CREDIT_NOTE,
        credit_note=True,
        preceding=InvoiceReference(invoice.number, invoice.issue_date),
    )


@dataclass(frozen=True)
class Credited:
    """What one credit note credited: its net amount (BT-109, before VAT) and the quantity
    of each order line (by ``line_no``; none for a credit note of an amount)."""

    net: Decimal
    lines: Mapping[int, Decimal]


@dataclass(frozen=True)
class Remainder:
    """What an invoice has left to credit: its net amount less the credit notes' (never
    below zero), in its currency, and each line's quantity less the quantities credited."""

    currency: str
    net: Decimal
    lines: Mapping[int, Decimal]


def credited_by(note: Invoice, terms: CreditTerms) -> Credited:
    """What the credit note ``note``, built under ``terms``, credits."""
    lines = {} if terms.amount is not None else {int(x.id): x.quantity for x in note.lines}
    return Credited(note.totals().tax_exclusive, lines)


def remainder(invoice: Invoice, earlier: Iterable[Credited]) -> Remainder:
    """What ``invoice`` has left after the credit notes ``earlier``."""
    net = invoice.totals().tax_exclusive
    lines = {int(x.id): x.quantity for x in invoice.lines}
    for done in earlier:
        net -= done.net
        for line_no, quantity in done.lines.items():
            if line_no in lines:
                lines[line_no] -= quantity
    zero = Decimal(0)
    return Remainder(invoice.currency, max(net, ZERO), {n: max(q, zero) for n, q in lines.items()})


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def beyond(new: Credited, terms: CreditTerms, left: Remainder) -> list[Violation]:
    """Each part of the credit note ``new`` (built under ``terms``) that credits more than
    ``left``: a line's quantity (``lines.<i>.quantity``) or the net amount (``amount``,
    or ``lines`` when lines are credited)."""
    out: list[Violation] = []
    for i, chosen in enumerate(terms.lines or []):
        remaining = left.lines.get(chosen.line_no, Decimal(0))
        if chosen.quantity > remaining:
            params = {"remaining": _quantity(remaining)}
            out.append(Violation(f"lines.{i}.quantity", BEYOND, params))
    if not out and new.net > left.net:
        field = "lines" if terms.lines is not None else "amount"
        out.append(Violation(field, BEYOND, {"remaining": f"{left.net} {left.currency}"}))
    return out
