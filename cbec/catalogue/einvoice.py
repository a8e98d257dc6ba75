"""Rule codes of e-invoices (:mod:`cbec.einvoice`)."""

MESSAGES = {
    "einvoice_term_required": "is required for the e-invoice (EN 16931 / Peppol rule {rule})",
    "einvoice_term_forbidden": "must be absent for this VAT category (EN 16931 rule {rule})",
    "einvoice_due_before_issue": "must not be before the invoice's issue date",
}
