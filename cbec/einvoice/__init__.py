"""E-invoices: a cbec order's commercial invoice as EN 16931-1:2017 in the UBL 2.1 syntax,
Peppol BIS Billing 3.0 profile — built (:mod:`from_order`, :mod:`model`), written and read
back (:mod:`ubl`), and validated by the official OASIS schema and the CEN and OpenPeppol
rules as published (:mod:`validate`; artefacts in ``data/``, see its README); the credit
note that corrects such an invoice (:mod:`credit`)."""

from cbec.einvoice.credit import (
    Credited,
    CreditLine,
    CreditTerms,
    Remainder,
    beyond,
    credit_note_of,
    credited_by,
    remainder,
)
from cbec.einvoice.from_order import InvoiceTerms, invoice_of
from cbec.einvoice.model import Invoice
from cbec.einvoice.ubl import read, write
from cbec.einvoice.validate import Finding, Report, validate

__all__ = [
    "CreditLine",
    "CreditTerms",
    "Credited",
    "Finding",
    "Invoice",
    "InvoiceTerms",
    "Remainder",
    "Report",
    "beyond",
    "credit_note_of",
    "credited_by",
    "invoice_of",
    "read",
    "remainder",
    "validate",
    "write",
]
