"""An :class:`~cbec.einvoice.model.Invoice` as a UBL 2.1 ``Invoice`` (ISO/IEC 19845:2015) in
the Peppol BIS Billing 3.0 profile, and back.

Elements are written in the order the OASIS UBL 2.1 schema's sequences declare (an ordered
schema: a document in merely logical order is invalid). The business terms sit where the
EN 16931-3-2 UBL syntax binding puts them; Peppol BIS Billing 3.0 §"Identifiers" fixes the
CustomizationID (BT-24) and ProfileID (BT-23). Amounts carry ``currencyID`` (BR-CL-03);
exemption reasons are stated once per VAT breakdown (BT-120/121), not on lines and charges
(UBL-CR-* warn against repeating them there). Reading maps the same paths back, so a written
invoice reads back equal (:func:`read`).

A credit note (``Invoice.credit_note``) is a UBL 2.1 ``CreditNote``: the same business terms
under its own root, ``CreditNoteTypeCode``, ``CreditNoteLine`` and ``CreditedQuantity``; the
invoice it corrects is ``cac:BillingReference/cac:InvoiceDocumentReference`` (BT-25, BT-26),
placed after the order reference as both schemas order it. UBL's CreditNote has no
document-level ``DueDate``; a credit note's due date is not written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from cbec.einvoice.model import AllowanceCharge, Invoice, InvoiceReference, Line, Party, Tax

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS_INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CN = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NSMAP = {None: NS_INV, "cac": NS_CAC, "cbc": NS_CBC}
NS = {"inv": NS_INV, "cn": NS_CN, "cac": NS_CAC, "cbc": NS_CBC}


def _names(credit_note: bool) -> tuple[str, str, str, str]:
    """(namespace, type code, line, quantity) element names of an Invoice or a CreditNote."""
    if credit_note:
        return NS_CN, "CreditNoteTypeCode", "CreditNoteLine", "CreditedQuantity"
    return NS_INV, "InvoiceTypeCode", "InvoiceLine", "InvoicedQuantity"


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _cbc(parent: etree._Element, name: str, text: object, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", attrs)
    el.text = str(text)
    return el


def _opt(parent: etree._Element, name: str, text: object | None) -> None:
    if text is not None:
        _cbc(parent, name, text)


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str) -> None:
    _cbc(parent, name, f"{value:.2f}", currencyID=currency)


def _tax_category(parent: etree._Element, name: str, tax: Tax, reasons: bool) -> None:
    cat = _cac(parent, name)
    _cbc(cat, "ID", tax.category)
    if tax.rate is not None:
        _cbc(cat, "Percent", _plain(tax.rate))
    if reasons:
        _opt(cat, "TaxExemptionReasonCode", tax.exemption_code)
        _opt(cat, "TaxExemptionReason", tax.exemption_reason)
    _cbc(_cac(cat, "TaxScheme"), "ID", "VAT")


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros past the point (``20``, ``7.7``)."""
    text = format(value.normalize(), "f")
    return text


def _party(parent: etree._Element, role: str, party: Party) -> None:
    p = _cac(_cac(parent, role), "Party")
    _cbc(p, "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme)
    _cbc(_cac(p, "PartyName"), "Name", party.name)
    addr = _cac(p, "PostalAddress")
    _opt(addr, "StreetName", party.street)
    _opt(addr, "CityName", party.city)
    _opt(addr, "PostalZone", party.postal_zone)
    _cbc(_cac(addr, "Country"), "IdentificationCode", party.country)
    if party.vat_id is not None:
        scheme = _cac(p, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_id)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(p, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    _opt(legal, "CompanyID", party.company_id)


def _allowance_charge(root: etree._Element, ac: AllowanceCharge, currency: str) -> None:
    el = _cac(root, "AllowanceCharge")
    _cbc(el, "ChargeIndicator", "true" if ac.charge else "false")
    _cbc(el, "AllowanceChargeReasonCode", ac.reason_code)
    _cbc(el, "AllowanceChargeReason", ac.reason)
    _amount(el, "Amount", ac.amount, currency)
    _tax_category(el, "TaxCategory", ac.tax, reasons=False)


def _line(root: etree._Element, line: Line, currency: str, credit_note: bool) -> None:
    _, _, line_name, qty_name = _names(credit_note)
    el = _cac(root, line_name)
    _cbc(el, "ID", line.id)
    _cbc(el, qty_name, _plain(line.quantity), unitCode=line.unit_code)
    _amount(el, "LineExtensionAmount", line.net_amount, currency)
    item = _cac(el, "Item")
    _cbc(item, "Name", line.name)
    if line.seller_item_id is not None:
        _cbc(_cac(item, "SellersItemIdentification"), "ID", line.seller_item_id)
    if line.origin_country is not None:
        _cbc(_cac(item, "OriginCountry"), "IdentificationCode", line.origin_country)
    if line.hs_code is not None:
        _cbc(_cac(item, "CommodityClassification"), "ItemClassificationCode", line.hs_code,
             listID="HS")  # fmt: skip
    _tax_category(item, "ClassifiedTaxCategory", line.tax, reasons=False)
    _cbc(_cac(el, "Price"), "PriceAmount", _plain(line.price), currencyID=currency)


def write(invoice: Invoice) -> bytes:
    """The UBL 2.1 Invoice (or CreditNote) document (UTF-8, with XML declaration)."""
    cur = invoice.currency
    cn = invoice.credit_note
    ns, type_name, _, _ = _names(cn)
    root = etree.Element(f"{{{ns}}}{'CreditNote' if cn else 'Invoice'}", nsmap=NSMAP | {None: ns})
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issue_date.isoformat())
    if not cn:
        _opt(root, "DueDate", invoice.due_date.isoformat() if invoice.due_date else None)
    _cbc(root, type_name, invoice.type_code)
    _opt(root, "Note", invoice.note)
    _cbc(root, "DocumentCurrencyCode", cur)
    _cbc(_cac(root, "OrderReference"), "ID", invoice.order_reference)
    if invoice.preceding is not None:
        ref = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(ref, "ID", invoice.preceding.number)
        if invoice.preceding.issue_date is not None:
            _cbc(ref, "IssueDate", invoice.preceding.issue_date.isoformat())
    _party(root, "AccountingSupplierParty", invoice.seller)
    _party(root, "AccountingCustomerParty", invoice.buyer)
    if invoice.delivery_country is not None:
        loc = _cac(_cac(root, "Delivery"), "DeliveryLocation")
        _cbc(_cac(_cac(loc, "Address"), "Country"), "IdentificationCode", invoice.delivery_country)
    for ac in invoice.allowances_charges:
        _allowance_charge(root, ac, cur)
    totals = invoice.totals()
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", totals.tax, cur)
    for sub in invoice.subtotals():
        el = _cac(tax_total, "TaxSubtotal")
        _amount(el, "TaxableAmount", sub.taxable, cur)
        _amount(el, "TaxAmount", sub.amount, cur)
        _tax_category(el, "TaxCategory", sub.tax, reasons=True)
    lmt = _cac(root, "LegalMonetaryTotal")
    _amount(lmt, "LineExtensionAmount", totals.line_extension, cur)
    _amount(lmt, "TaxExclusiveAmount", totals.tax_exclusive, cur)
    _amount(lmt, "TaxInclusiveAmount", totals.tax_inclusive, cur)
    if any(not a.charge for a in invoice.allowances_charges):
        _amount(lmt, "AllowanceTotalAmount", totals.allowances, cur)
    if any(a.charge for a in invoice.allowances_charges):
        _amount(lmt, "ChargeTotalAmount", totals.charges, cur)
    if invoice.paid:
        _amount(lmt, "PrepaidAmount", totals.prepaid, cur)
    _amount(lmt, "PayableAmount", totals.payable, cur)
    for line in invoice.lines:
        _line(root, line, cur, cn)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- reading -------------------------------------------------------------------------------


def _t(el: etree._Element, path: str) -> str | None:
    found = el.find(path, NS)
    return found.text.strip() if found is not None and found.text is not None else None


def _req(el: etree._Element, path: str) -> str:
    value = _t(el, path)
    if value is None:
        raise ValueError(f"{path} is missing")
    return value


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _read_tax(el: etree._Element, reasons: dict[tuple[str, Decimal], Tax] | None = None) -> Tax:
    tax = Tax(_req(el, "cbc:ID"), _dec(_t(el, "cbc:Percent")))
    found = (reasons or {}).get(tax.key)
    return found if found is not None else tax


def _read_party(root: etree._Element, role: str) -> Party:
    p = root.find(f"cac:{role}/cac:Party", NS)
    if p is None:
        raise ValueError(f"cac:{role} is missing")
    endpoint = p.find("cbc:EndpointID", NS)
    if endpoint is None or endpoint.text is None:
        raise ValueError(f"cac:{role}/cac:Party/cbc:EndpointID is missing")
    vat = next(iter(p.xpath("cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']", namespaces=NS)), None)
    return Party(
        name=_t(p, "cac:PartyLegalEntity/cbc:RegistrationName")
        or _req(p, "cac:PartyName/cbc:Name"),
        endpoint_scheme=endpoint.get("schemeID", ""),
        endpoint_id=endpoint.text.strip(),
        country=_req(p, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
        street=_t(p, "cac:PostalAddress/cbc:StreetName"),
        city=_t(p, "cac:PostalAddress/cbc:CityName"),
        postal_zone=_t(p, "cac:PostalAddress/cbc:PostalZone"),
        vat_id=_t(vat, "cbc:CompanyID") if vat is not None else None,
        company_id=_t(p, "cac:PartyLegalEntity/cbc:CompanyID"),
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def read(xml: bytes) -> Invoice:
    """The invoice a UBL 2.1 Invoice or CreditNote states (the business terms :func:`write`
    writes; others are ignored). Totals are not read: the model computes them, and the rules
    (BR-CO-*) are what proves a document's stated totals agree. ``ValueError`` names a
    missing element."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    if root.tag not in (f"{{{NS_INV}}}Invoice", f"{{{NS_CN}}}CreditNote"):
        raise ValueError(f"root element is {root.tag}, want {{{NS_INV}}}Invoice or CreditNote")
    cn = root.tag == f"{{{NS_CN}}}CreditNote"
    _, type_name, line_name, qty_name = _names(cn)
    reasons = {}
    for cat in root.iterfind("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS):
        tax = _read_tax(cat)
        reasons[tax.key] = Tax(
            tax.category,
            tax.rate,
            _t(cat, "cbc:TaxExemptionReasonCode"),
            _t(cat, "cbc:TaxExemptionReason"),
        )
    lines = []
    for el in root.iterfind(f"cac:{line_name}", NS):
        qty = el.find(f"cbc:{qty_name}", NS)
        if qty is None or qty.text is None:
            raise ValueError(f"cac:{line_name}/cbc:{qty_name} is missing")
        item = el.find("cac:Item", NS)
        if item is None:
            raise ValueError(f"cac:{line_name}/cac:Item is missing")
        cat = item.find("cac:ClassifiedTaxCategory", NS)
        if cat is None:
            raise ValueError("cac:Item/cac:ClassifiedTaxCategory is missing")
        lines.append(
            Line(
                id=_req(el, "cbc:ID"),
                name=_req(item, "cbc:Name"),
                quantity=Decimal(qty.text.strip()),
                unit_code=qty.get("unitCode", ""),
                price=Decimal(_req(el, "cac:Price/cbc:PriceAmount")),
                net_amount=Decimal(_req(el, "cbc:LineExtensionAmount")),
                tax=_read_tax(cat, reasons),
                seller_item_id=_t(item, "cac:SellersItemIdentification/cbc:ID"),
                hs_code=_t(item, "cac:CommodityClassification/cbc:ItemClassificationCode"),
                origin_country=_t(item, "cac:OriginCountry/cbc:IdentificationCode"),
            )
        )
    acs = []
    for el in root.iterfind("cac:AllowanceCharge", NS):
        cat = el.find("cac:TaxCategory", NS)
        if cat is None:
            raise ValueError("cac:AllowanceCharge/cac:TaxCategory is missing")
        acs.append(
            AllowanceCharge(
                charge=_req(el, "cbc:ChargeIndicator") == "true",
                amount=Decimal(_req(el, "cbc:Amount")),
                reason=_t(el, "cbc:AllowanceChargeReason") or "",
                reason_code=_t(el, "cbc:AllowanceChargeReasonCode") or "",
                tax=_read_tax(cat, reasons),
            )
        )
    prepaid = _dec(_t(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"))
    ref = root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    preceding = None
    if ref is not None:
        preceding = InvoiceReference(_req(ref, "cbc:ID"), _date(_t(ref, "cbc:IssueDate")))
    return Invoice(
        number=_req(root, "cbc:ID"),
        issue_date=date.fromisoformat(_req(root, "cbc:IssueDate")),
        currency=_req(root, "cbc:DocumentCurrencyCode"),
        order_reference=_t(root, "cac:OrderReference/cbc:ID") or "",
        seller=_read_party(root, "AccountingSupplierParty"),
        buyer=_read_party(root, "AccountingCustomerParty"),
        lines=tuple(lines),
        allowances_charges=tuple(acs),
        due_date=_date(_t(root, "cbc:DueDate")),
        note=_t(root, "cbc:Note"),
        delivery_country=_t(
            root, "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode"
        ),
        paid=prepaid is not None and prepaid != 0,
        type_code=_req(root, f"cbc:{type_name}"),
        credit_note=cn,
        preceding=preceding,
    )
