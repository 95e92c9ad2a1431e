"""Read a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0, EHF Billing 3.0, OIOUBL 2.1) into the
business model. The XML is parsed with the project's safe parser; the reader never writes or validates.

Values are kept as the document states them (amounts are not re-rounded): a document read back and written
again carries the same business terms. OIOUBL differs from Peppol in a few places, each handled here:
``TaxExclusiveAmount`` holds the total VAT, ``TaxInclusiveAmount`` includes the rounding amount (F-INV128),
lines carry their VAT category in a line ``TaxTotal``, tax categories have names (``StandardRated``), the
due date stands in ``PaymentMeans/PaymentDueDate`` and Danish payment data (DK:BANK, FIK) has its own fields.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal, cast

from lxml import etree
from stdnum import iban

from app import codes
from app.document.model import (
    Address,
    AllowanceCharge,
    BillingReference,
    BusinessDocument,
    Contact,
    Delivery,
    DocumentKind,
    DocumentReference,
    Identifier,
    Line,
    Party,
    Payee,
    PaymentMeans,
    Period,
    TaxCategory,
    TaxSubtotal,
    Totals,
)
from app.errors import NordublError
from app.forms import identifiers
from app.validation.xmlsafe import parse_untrusted

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {"cbc": CBC, "cac": CAC}
ZERO = Decimal("0")

TaxCode = Literal["S", "Z", "E", "AE", "K", "G", "O", "L", "M"]
#: UNCL5305 VAT category codes EN 16931 uses (BT-95, BT-102, BT-118, BT-151)
UNCL5305: frozenset[str] = frozenset({"S", "Z", "E", "AE", "K", "G", "O", "L", "M"})
#: OIOUBL tax category ids (urn:oioubl:id:taxcategoryid-1.1) → UNCL5305
OIOUBL_TAX_CATEGORIES: dict[str, TaxCode] = {"StandardRated": "S", "ZeroRated": "Z", "ReverseCharge": "AE"}
#: OIOUBL party identifier schemes → the ISO 6523 ICD codes the business model uses (the one two-way table)
OIOUBL_SCHEMES = identifiers.ICD_BY_OIOUBL

#: references a PDF shows, by the element that carries them (EN 16931 UBL syntax binding)
_REFERENCES = (
    ("cac:ProjectReference/cbc:ID", "BT-11"),
    ("cac:ContractDocumentReference/cbc:ID", "BT-12"),
    ("cac:OrderReference/cbc:SalesOrderID", "BT-14"),
    ("cac:ReceiptDocumentReference/cbc:ID", "BT-15"),
    ("cac:DespatchDocumentReference/cbc:ID", "BT-16"),
    ("cac:OriginatorDocumentReference/cbc:ID", "BT-17"),
)


def _refuse(
    code: str, node: etree._Element | None = None, value: str | None = None, **params: str
) -> NordublError:
    """The reader's refusal ``code`` (``reader.*``, :mod:`app.codes`) about ``node``."""
    line = node.sourceline if node is not None and isinstance(node.sourceline, int) else None
    xpath = node.getroottree().getpath(node) if node is not None else None
    return NordublError(
        "The document cannot be read as an invoice or credit note",
        [codes.issue(code, value=value, params=params, xpath=xpath, line=line)],
    )


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.oioubl = (self.text(root, "cbc:CustomizationID") or "").startswith("OIOUBL-2")

    # -- primitives -----------------------------------------------------------------------------------
    @staticmethod
    def text(el: etree._Element | None, path: str) -> str | None:
        """The stripped text at ``path`` below ``el``; None when absent or empty."""
        if el is None:
            return None
        node = el.find(path, NS)
        if node is None or node.text is None:
            return None
        value = node.text.strip()
        return value or None

    @staticmethod
    def texts(el: etree._Element, path: str) -> list[str]:
        return [n.text.strip() for n in el.findall(path, NS) if n.text and n.text.strip()]

    def ident(self, el: etree._Element | None, path: str) -> Identifier | None:
        node = el.find(path, NS) if el is not None else None
        if node is None or not (node.text or "").strip():
            return None
        return self.identifier(node)

    def identifier(self, node: etree._Element) -> Identifier:
        value, scheme = (node.text or "").strip(), node.get("schemeID")
        if self.oioubl and scheme in OIOUBL_SCHEMES:
            if scheme == "DK:CVR" and value.upper().startswith("DK"):
                value = value[2:]  # OIOUBL writes a CVR number with its country prefix
            scheme = OIOUBL_SCHEMES[scheme]
        return Identifier(value, scheme)

    def decimal(self, el: etree._Element | None, path: str) -> Decimal | None:
        node = el.find(path, NS) if el is not None else None
        if node is None or not (node.text or "").strip():
            return None
        raw = (node.text or "").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise _refuse("reader.number", node, raw, element=etree.QName(node).localname) from None
        if not value.is_finite():
            raise _refuse("reader.number", node, raw, element=etree.QName(node).localname)
        return value

    def amount(self, el: etree._Element | None, path: str) -> Decimal:
        value = self.decimal(el, path)
        return ZERO if value is None else value

    def date(self, el: etree._Element | None, path: str) -> date | None:
        node = el.find(path, NS) if el is not None else None
        if node is None or not (node.text or "").strip():
            return None
        raw = (node.text or "").strip()
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            raise _refuse("reader.date", node, raw, element=etree.QName(node).localname) from None

    def required(self, path: str, variant: str) -> str:
        """The text at ``path``; refused as ``reader.missing`` of ``variant`` when there is none."""
        value = self.text(self.root, path)
        if value is None:
            raise _refuse("reader.missing", self.root, variant=variant)
        return value

    # -- building blocks --------------------------------------------------------------------------------
    def tax_category(self, el: etree._Element | None) -> TaxCategory:
        raw = self.text(el, "cbc:ID") or "S"
        # OIOUBL names its categories (StandardRated …); anything unknown prints as exempt
        code = raw if raw in UNCL5305 else OIOUBL_TAX_CATEGORIES.get(raw, "E")
        percent = self.decimal(el, "cbc:Percent")
        return TaxCategory(
            cast(TaxCode, code),
            ZERO if percent is None else percent,  # BR-O-05 etc.: category O carries no rate
            self.text(el, "cbc:TaxExemptionReason"),  # BT-120
            self.text(el, "cbc:TaxExemptionReasonCode"),  # BT-121
        )

    def address(self, el: etree._Element | None) -> Address:
        street = self.text(el, "cbc:StreetName")
        number = self.text(el, "cbc:BuildingNumber")  # OIOUBL StructuredDK keeps the number apart
        if street and number:
            street = f"{street} {number}"
        return Address(
            street=street,  # BT-35 / BT-50 / BT-75
            additional=self.text(el, "cbc:AdditionalStreetName"),  # BT-36 / BT-51 / BT-76
            city=self.text(el, "cbc:CityName"),  # BT-37 / BT-52 / BT-77
            postcode=self.text(el, "cbc:PostalZone"),  # BT-38 / BT-53 / BT-78
            country=self.text(el, "cac:Country/cbc:IdentificationCode") or "",  # BT-40 / BT-55 / BT-80
            subdivision=self.text(el, "cbc:CountrySubentity"),
            line3=self.text(el, "cac:AddressLine/cbc:Line"),
        )

    def party(self, el: etree._Element) -> Party:
        name = self.text(el, "cac:PartyName/cbc:Name")
        registration = self.text(el, "cac:PartyLegalEntity/cbc:RegistrationName")
        vat_id = legal_form = None
        for scheme in el.findall("cac:PartyTaxScheme", NS):
            company = self.text(scheme, "cbc:CompanyID")
            if self.text(scheme, "cac:TaxScheme/cbc:ID") == "TAX":
                legal_form = legal_form or company  # NO-R-002: "Foretaksregisteret"
            else:
                vat_id = vat_id or company  # BT-31 / BT-48 (OIOUBL: TaxScheme 63 "Moms")
        contact_el = el.find("cac:Contact", NS)
        contact = None
        if contact_el is not None:
            contact = Contact(
                self.text(contact_el, "cbc:Name"),  # BT-41 / BT-56
                self.text(contact_el, "cbc:Telephone"),  # BT-42 / BT-57
                self.text(contact_el, "cbc:ElectronicMail"),  # BT-43 / BT-58
            )
            if not (contact.name or contact.phone or contact.email):
                contact = None
        return Party(
            name=name or registration or "",
            registration_name=registration or name or "",
            endpoint=self.ident(el, "cbc:EndpointID"),
            identifiers=tuple(
                self.identifier(n)
                for n in el.findall("cac:PartyIdentification/cbc:ID", NS)
                if (n.text or "").strip()
            ),
            legal_id=self.ident(el, "cac:PartyLegalEntity/cbc:CompanyID"),
            legal_form=legal_form,
            vat_id=vat_id,
            address=self.address(el.find("cac:PostalAddress", NS)),
            contact=contact,
            company_legal_form=self.text(el, "cac:PartyLegalEntity/cbc:CompanyLegalForm"),
        )

    def allowance_charge(self, el: etree._Element, document_level: bool) -> AllowanceCharge:
        tax = el.find("cac:TaxCategory", NS)
        return AllowanceCharge(
            charge=(self.text(el, "cbc:ChargeIndicator") or "").lower() == "true",
            amount=self.amount(el, "cbc:Amount"),  # BT-92 / BT-99 / BT-136 / BT-141
            reason=self.text(el, "cbc:AllowanceChargeReason"),  # BT-97 / BT-104 / BT-139 / BT-144
            reason_code=self.text(el, "cbc:AllowanceChargeReasonCode"),  # BT-98 / BT-105 / BT-140 / BT-145
            tax=self.tax_category(tax) if document_level and tax is not None else None,  # BT-95 / BT-102
            percent=self.decimal(el, "cbc:MultiplierFactorNumeric"),  # BT-94 / BT-101 / BT-138 / BT-143
            base_amount=self.decimal(el, "cbc:BaseAmount"),  # BT-93 / BT-100 / BT-137 / BT-142
        )

    def period(self, el: etree._Element | None) -> Period | None:
        if el is None:
            return None
        start, end = self.date(el, "cbc:StartDate"), self.date(el, "cbc:EndDate")
        return Period(start, end) if start or end else None

    def payment_means(self, el: etree._Element) -> PaymentMeans:
        account = self.text(el, "cac:PayeeFinancialAccount/cbc:ID")
        channel = self.text(el, "cbc:PaymentChannelCode")
        code_el = el.find("cbc:PaymentMeansCode", NS)
        bic = self.text(el, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") or self.text(
            el, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID"
        )
        code = self.text(el, "cbc:PaymentMeansCode") or "1"
        payment_id = self.text(el, "cbc:PaymentID")
        instruction = self.text(el, "cbc:InstructionID")
        creditor = self.text(el, "cac:CreditAccount/cbc:AccountID")
        card, hash_, fik_id = (payment_id or "").partition("#")
        if channel is None and code == "93" and hash_ and card in ("71", "73", "75"):
            # Peppol BIS for Danish sellers writes FIK as 93 with PaymentID "71#<payment id>" and the
            # creditor number as the account (DK-R-010): the same terms as OIOUBL's DK:FIK
            channel, payment_id, instruction, creditor = "DK:FIK", card, fik_id or None, account
            account = None
        elif channel is None and code == "42" and bic and bic.isdigit() and len(bic) == 4:
            # DK-R-006: a Danish account with its 4-digit registration number as the branch
            channel = "DK:BANK"
        return PaymentMeans(
            code=code,  # BT-81
            account=account,  # BT-84
            account_is_iban=channel == "IBAN" or (account is not None and iban.is_valid(account)),
            bic=bic,  # BT-86
            payment_id=payment_id,  # BT-83
            name=(code_el.get("name") or None) if code_el is not None else None,  # BT-82
            account_name=self.text(el, "cac:PayeeFinancialAccount/cbc:Name"),  # BT-85
            card_number=self.text(el, "cac:CardAccount/cbc:PrimaryAccountNumberID"),  # BT-87
            mandate=self.text(el, "cac:PaymentMandate/cbc:ID"),  # BT-89
            debited_account=self.text(el, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),  # BT-91
            channel=channel,
            instruction_id=instruction,
            creditor_account=creditor,
        )

    def line(self, el: etree._Element, credit: bool) -> Line:
        item = el.find("cac:Item", NS)
        price = el.find("cac:Price", NS)
        qty_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
        qty_el = el.find(qty_tag, NS)
        classified = item.find("cac:ClassifiedTaxCategory", NS) if item is not None else None
        if classified is None:  # OIOUBL: the line's category stands in its TaxTotal
            classified = el.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
        price_ac = price.find("cac:AllowanceCharge", NS) if price is not None else None
        name = self.text(item, "cbc:Name")
        description = self.text(item, "cbc:Description")
        return Line(
            id=self.text(el, "cbc:ID") or "",  # BT-126
            quantity=self.amount(el, qty_tag),  # BT-129
            unit_code=(qty_el.get("unitCode") or "") if qty_el is not None else "",  # BT-130
            net_amount=self.amount(el, "cbc:LineExtensionAmount"),  # BT-131
            price=self.amount(price, "cbc:PriceAmount"),  # BT-146
            name=name or description or "",  # BT-153
            seller_item_id=self.text(item, "cac:SellersItemIdentification/cbc:ID"),  # BT-155
            tax=self.tax_category(classified),  # BT-151 / BT-152
            note=self.text(el, "cbc:Note"),  # BT-127
            allowances=tuple(self.allowance_charge(a, False) for a in el.findall("cac:AllowanceCharge", NS)),
            line_tax=self.decimal(el, "cac:TaxTotal/cbc:TaxAmount"),
            description=description if description != name else None,  # BT-154
            buyer_item_id=self.text(item, "cac:BuyersItemIdentification/cbc:ID"),  # BT-156
            standard_item_id=self.ident(item, "cac:StandardItemIdentification/cbc:ID"),  # BT-157
            base_quantity=self.decimal(price, "cbc:BaseQuantity"),  # BT-149
            gross_price=self.decimal(price_ac, "cbc:BaseAmount"),  # BT-148
            price_discount=self.decimal(price_ac, "cbc:Amount"),  # BT-147
            period=self.period(el.find("cac:InvoicePeriod", NS)),  # BG-26
            order_line_reference=self.text(el, "cac:OrderLineReference/cbc:LineID"),  # BT-132
            accounting_cost=self.text(el, "cbc:AccountingCost"),  # BT-133
            attributes=tuple(
                (self.text(p, "cbc:Name") or "", self.text(p, "cbc:Value") or "")
                for p in (item.findall("cac:AdditionalItemProperty", NS) if item is not None else [])
            ),  # BG-32
        )

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
            raise _refuse("reader.unsupported", root, element=local)
        credit = kind == "creditnote"
        doc_id = self.required("cbc:ID", "id")  # BT-1
        issue = self.date(root, "cbc:IssueDate")
        if issue is None:
            raise _refuse("reader.missing", root, variant="issue_date")  # BT-2
        currency = self.required("cbc:DocumentCurrencyCode", "currency")  # BT-5
        seller_el = root.find("cac:AccountingSupplierParty/cac:Party", NS)
        buyer_el = root.find("cac:AccountingCustomerParty/cac:Party", NS)
        if seller_el is None or buyer_el is None:
            raise _refuse("reader.missing", root, variant="parties")  # BG-4, BG-7
        monetary = root.find("cac:LegalMonetaryTotal", NS)
        if monetary is None or monetary.find("cbc:PayableAmount", NS) is None:
            raise _refuse("reader.missing", root)  # BT-115

        means = [self.payment_means(pm) for pm in root.findall("cac:PaymentMeans", NS)]
        tax_currency = self.text(root, "cbc:TaxCurrencyCode")
        tax_total_el, tax_accounting = self.tax_totals(currency, tax_currency)

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
        totals = Totals(
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

        due = self.date(root, "cbc:DueDate")  # BT-9 (Invoice)
        if due is None:  # CreditNote and OIOUBL: the first payment means' due date
            due = next(
                (
                    d
                    for pm in root.findall("cac:PaymentMeans", NS)
                    if (d := self.date(pm, "cbc:PaymentDueDate"))
                ),
                None,
            )
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
        return BusinessDocument(
            kind=kind,
            id=doc_id,  # BT-1
            issue_date=issue,  # BT-2
            currency=currency,  # BT-5
            seller=self.party(seller_el),  # BG-4
            buyer=self.party(buyer_el),  # BG-7
            lines=tuple(self.line(el, credit) for el in root.findall(line_tag, NS)),  # BG-25
            tax_subtotals=tuple(
                TaxSubtotal(
                    self.tax_category(s.find("cac:TaxCategory", NS)),  # BT-118 / BT-119 / BT-120 / BT-121
                    self.amount(s, "cbc:TaxableAmount"),  # BT-116
                    self.amount(s, "cbc:TaxAmount"),  # BT-117
                )
                for s in (tax_total_el.findall("cac:TaxSubtotal", NS) if tax_total_el is not None else [])
            ),
            totals=totals,
            notes=tuple(self.texts(root, "cbc:Note")),  # BT-22
            buyer_reference=buyer_ref,
            order_reference=order_ref,
            payment_terms="\n".join(self.texts(root, "cac:PaymentTerms/cbc:Note")) or None,  # BT-20
            accounting_cost=self.text(root, "cbc:AccountingCost"),  # BT-19
            payment_reference=next((m.payment_id for m in means if m.payment_id), None),  # BT-83
            allowance_charges=tuple(
                self.allowance_charge(a, True) for a in root.findall("cac:AllowanceCharge", NS)
            ),  # BG-20 / BG-21
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
