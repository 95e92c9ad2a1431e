"""The business groups of a UBL Invoice or CreditNote, each read on its own: tax category, address, party,
allowance or charge, period, payment means, line (EN 16931 UBL syntax binding; OIOUBL 2.1 where it differs).
"""

from __future__ import annotations

from typing import Literal, cast

from lxml import etree
from stdnum import iban

from app.document.model import (
    Address,
    AllowanceCharge,
    Contact,
    Line,
    Party,
    PaymentMeans,
    Period,
    TaxCategory,
)
from app.reader.nodes import NS, ZERO, Nodes

TaxCode = Literal["S", "Z", "E", "AE", "K", "G", "O", "L", "M"]
#: UNCL5305 VAT category codes EN 16931 uses (BT-95, BT-102, BT-118, BT-151)
UNCL5305: frozenset[str] = frozenset({"S", "Z", "E", "AE", "K", "G", "O", "L", "M"})
#: OIOUBL tax category ids (urn:oioubl:id:taxcategoryid-1.1) → UNCL5305
OIOUBL_TAX_CATEGORIES: dict[str, TaxCode] = {"StandardRated": "S", "ZeroRated": "Z", "ReverseCharge": "AE"}


class Parts(Nodes):
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
