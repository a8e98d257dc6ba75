"""Rule codes of e-invoices (:mod:`cbec.einvoice`)."""

MESSAGES = {
    "einvoice_term_required": "is required for the e-invoice (EN 16931 / Peppol rule {rule})",
    "einvoice_term_forbidden": "must be absent for this VAT category (EN 16931 rule {rule})",
    "einvoice_due_before_issue": "must not be before the invoice's issue date",
    "einvoice_credit_before_invoice": "must not be before the issue date of the invoice credited",
    "einvoice_credit_line_unknown": "is not a line of the order, or is named twice",
    "einvoice_credit_exceeds_invoice": "is more than the invoice states",
    "einvoice_credit_lines_or_amount": "give either the lines credited or an amount, not both",
    "einvoice_credit_exceeds_remaining": (
        "is more than the invoice has left after the credit notes already issued for it: "
        "{remaining} remains"
    ),
    "einvoice_credit_note_number_taken": (
        "is the number of a credit note already issued for this invoice"
    ),
}
