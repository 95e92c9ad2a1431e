"""Read a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0, EHF Billing 3.0, OIOUBL 2.1) into the
business model. The XML is parsed with the project's safe parser; the reader never writes or validates.

Values are kept as the document states them (amounts are not re-rounded): a document read back and written
again carries the same business terms. OIOUBL differs from Peppol in a few places, each handled here:
``TaxExclusiveAmount`` holds the total VAT, ``TaxInclusiveAmount`` includes the rounding amount (F-INV128),
lines carry their VAT category in a line ``TaxTotal``, tax categories have names (``StandardRated``), the
due date stands in ``PaymentMeans/PaymentDueDate`` and Danish payment data (DK:BANK, FIK) has its own fields.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from app.document.model import (
    BillingReference,
    BusinessDocument,
    Delivery,
    DocumentKind,
    DocumentReference,
    Payee,
    TaxSubtotal,
    Totals,
)
from app.reader.nodes import NS, refuse
from app.reader.parts import Parts
from app.validation.xmlsafe import parse_untrusted

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

#: references a PDF shows, by the element that carries them (EN 16931 UBL syntax binding)
_REFERENCES = (
    ("cac:ProjectReference/cbc:ID", "BT-11"),
    ("cac:ContractDocumentReference/cbc:ID", "BT-12"),
    ("cac:OrderReference/cbc:SalesOrderID", "BT-14"),
    ("cac:ReceiptDocumentReference/cbc:ID", "BT-15"),
    ("cac:DespatchDocumentReference/cbc:ID", "BT-16"),
    ("cac:OriginatorDocumentReference/cbc:ID", "BT-17"),
)


class _Reader(Parts):
    def references(self) -> tuple[DocumentReference, ...]:
        root = self.root
        out = [DocumentReference(term, v) for path, term in _REFERENCES if (v := self.text(root, path))]
        for ref in root.findall("cac:BillingReference/cac:InvoiceDocumentReference", NS)[1:]:
            if ident := self.text(ref, "cbc:ID"):
                out.append(DocumentReference("BT-25", ident))  # BG-3 repeated: further preceding invoices
        for ref in root.findall("cac:AdditionalDocumentReference", NS):
            ident = self.text(ref, "cbc:ID")
            if not ident:
                continue
            # BT-18: an AdditionalDocumentReference with DocumentTypeCode 130 is the invoiced object
            term = "BT-18" if self.text(ref, "cbc:DocumentTypeCode") == "130" else "BT-122"
            out.append(DocumentReference(term, ident, self.text(ref, "cbc:DocumentDescription")))
        return tuple(out)

    def tax_totals(
        self, currency: str, tax_currency: str | None
    ) -> tuple[etree._Element | None, Decimal | None]:
        """The TaxTotal in the document currency (BT-110, BG-23) and the VAT in the accounting currency
        (BT-111, BR-53): the one with subtotals is the document's when the currency ids do not tell."""
        totals = self.root.findall("cac:TaxTotal", NS)
        main = accounting = None
        for t in totals:
            cur = t.find("cbc:TaxAmount", NS)
            cur_id = cur.get("currencyID") if cur is not None else None
            if tax_currency and tax_currency != currency and cur_id == tax_currency:
                accounting = t
            elif main is None:
                main = t
        return main, self.decimal(accounting, "cbc:TaxAmount") if accounting is not None else None

    def totals(self, monetary: etree._Element, tax_total_el: etree._Element | None) -> Totals:
        """BG-22 from ``LegalMonetaryTotal`` and the document currency's ``TaxTotal``."""
        line_ext = self.amount(monetary, "cbc:LineExtensionAmount")
        allowance_total = self.amount(monetary, "cbc:AllowanceTotalAmount")
        charge_total = self.amount(monetary, "cbc:ChargeTotalAmount")
        rounding = self.amount(monetary, "cbc:PayableRoundingAmount")
        tax_inclusive = self.amount(monetary, "cbc:TaxInclusiveAmount")
        tax_total = self.amount(tax_total_el, "cbc:TaxAmount")
        if self.oioubl:
            # OIOUBL: TaxExclusiveAmount is the total VAT and TaxInclusiveAmount includes the rounding
            # amount (F-INV128); EN 16931's BT-109 and BT-112 are derived from them.
            tax_exclusive = line_ext - allowance_total + charge_total
            tax_inclusive -= rounding
        else:
            tax_exclusive = self.amount(monetary, "cbc:TaxExclusiveAmount")
        return Totals(
            line_extension=line_ext,  # BT-106
            allowance_total=allowance_total,  # BT-107
            charge_total=charge_total,  # BT-108
            tax_exclusive=tax_exclusive,  # BT-109
            tax_total=tax_total,  # BT-110
            tax_inclusive=tax_inclusive,  # BT-112
            prepaid=self.amount(monetary, "cbc:PrepaidAmount"),  # BT-113
            rounding=rounding,  # BT-114
            payable=self.amount(monetary, "cbc:PayableAmount"),  # BT-115
        )

    # -- the document -----------------------------------------------------------------------------------
    def document(self) -> BusinessDocument:
        root = self.root
        ns = etree.QName(root).namespace
        local = etree.QName(root).localname
        if (ns, local) == (INVOICE_NS, "Invoice"):
            kind: DocumentKind = "invoice"
        elif (ns, local) == (CREDIT_NOTE_NS, "CreditNote"):
            kind = "creditnote"
        else:
            raise refuse("reader.unsupported", root, element=local)
        credit = kind == "creditnote"
        doc_id = self.required("cbc:ID", "id")  # BT-1
        issue = self.date(root, "cbc:IssueDate")
        if issue is None:
            raise refuse("reader.missing", root, variant="issue_date")  # BT-2
        currency = self.required("cbc:DocumentCurrencyCode", "currency")  # BT-5
        seller_el = root.find("cac:AccountingSupplierParty/cac:Party", NS)
        buyer_el = root.find("cac:AccountingCustomerParty/cac:Party", NS)
        if seller_el is None or buyer_el is None:
            raise refuse("reader.missing", root, variant="parties")  # BG-4, BG-7
        monetary = root.find("cac:LegalMonetaryTotal", NS)
        if monetary is None or monetary.find("cbc:PayableAmount", NS) is None:
            raise refuse("reader.missing", root)  # BT-115

        means = [self.payment_means(pm) for pm in root.findall("cac:PaymentMeans", NS)]
        tax_currency = self.text(root, "cbc:TaxCurrencyCode")
        tax_total_el, tax_accounting = self.tax_totals(currency, tax_currency)

        totals = self.totals(monetary, tax_total_el)
        due = self.due_date()  # BT-9 (CreditNote, OIOUBL: PaymentMeans/PaymentDueDate)
        billing = root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
        order_ref = self.text(root, "cac:OrderReference/cbc:ID")  # BT-13
        buyer_ref = self.text(root, "cbc:BuyerReference")  # BT-10
        if self.oioubl and buyer_ref is None:
            buyer_ref = self.text(root, "cac:OrderReference/cbc:CustomerReference")

        delivery_el = root.find("cac:Delivery", NS)
        delivery = None
        if delivery_el is not None:
            addr_el = delivery_el.find("cac:DeliveryLocation/cac:Address", NS)
            delivery = Delivery(
                actual_date=self.date(delivery_el, "cbc:ActualDeliveryDate"),  # BT-72
                location_id=self.ident(delivery_el, "cac:DeliveryLocation/cbc:ID"),  # BT-71
                address=self.address(addr_el) if addr_el is not None else None,  # BG-15
                party_name=self.text(delivery_el, "cac:DeliveryParty/cac:PartyName/cbc:Name"),  # BT-70
            )
        payee_el = root.find("cac:PayeeParty", NS)
        payee = None
        if payee_el is not None:
            payee = Payee(
                self.text(payee_el, "cac:PartyName/cbc:Name") or "",  # BT-59
                self.ident(payee_el, "cac:PartyIdentification/cbc:ID"),  # BT-60
                self.ident(payee_el, "cac:PartyLegalEntity/cbc:CompanyID"),  # BT-61
            )
        rep_el = root.find("cac:TaxRepresentativeParty", NS)
        line_tag = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
        return BusinessDocument.of(
            kind,
            doc_id,  # BT-1
            issue,  # BT-2
            currency,  # BT-5
            self.party(seller_el),  # BG-4
            self.party(buyer_el),  # BG-7
            [self.line(el, credit) for el in root.findall(line_tag, NS)],  # BG-25
            [
                TaxSubtotal(
                    self.tax_category(s.find("cac:TaxCategory", NS)),  # BT-118 / BT-119 / BT-120 / BT-121
                    self.amount(s, "cbc:TaxableAmount"),  # BT-116
                    self.amount(s, "cbc:TaxAmount"),  # BT-117
                )
                for s in (tax_total_el.findall("cac:TaxSubtotal", NS) if tax_total_el is not None else [])
            ],
            totals,
            notes=self.texts(root, "cbc:Note"),  # BT-22
            buyer_reference=buyer_ref,
            order_reference=order_ref,
            payment_terms="\n".join(self.texts(root, "cac:PaymentTerms/cbc:Note")) or None,  # BT-20
            accounting_cost=self.text(root, "cbc:AccountingCost"),  # BT-19
            payment_reference=next((m.payment_id for m in means if m.payment_id), None),  # BT-83
            allowance_charges=[
                self.allowance_charge(a, True) for a in root.findall("cac:AllowanceCharge", NS)
            ],  # BG-20 / BG-21
            due_date=due,
            payment_means=means[0] if means else None,  # BG-16
            billing_reference=(
                BillingReference(self.text(billing, "cbc:ID") or "", self.date(billing, "cbc:IssueDate"))
                if billing is not None
                else None
            ),  # BG-3
            uuid=self.text(root, "cbc:UUID"),
            customization_id=self.text(root, "cbc:CustomizationID"),  # BT-24
            profile_id=self.text(root, "cbc:ProfileID"),  # BT-23
            type_code=self.text(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"),  # BT-3
            tax_point_date=self.date(root, "cbc:TaxPointDate"),  # BT-7
            tax_currency=tax_currency,  # BT-6
            tax_total_accounting=tax_accounting,  # BT-111
            invoice_period=self.period(root.find("cac:InvoicePeriod", NS)),  # BG-14
            delivery=delivery,
            references=self.references(),
            payee=payee,
            tax_representative=self.party(rep_el) if rep_el is not None else None,  # BG-11
            other_payment_means=tuple(means[1:]),
            credit_reason=self.text(root, "cac:DiscrepancyResponse/cbc:Description"),
        )


def read_tree(root: etree._Element) -> BusinessDocument:
    """Read a parsed UBL Invoice or CreditNote; raises :class:`NordublError` (``reader.*``) otherwise."""
    return _Reader(root).document()


def read_document(data: bytes, max_bytes: int | None = None) -> BusinessDocument:
    """Parse untrusted bytes with the safe parser (``xml.*`` issues) and read them (``reader.*`` issues)."""
    return read_tree(parse_untrusted(data, max_bytes).getroot())
