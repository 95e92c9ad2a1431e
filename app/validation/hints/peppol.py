"""Hints for the Peppol BIS and EHF rules (``PEPPOL-*``, ``EHF-*``, ``NO-R-*``, ``UBL-*``): billing,
ordering (T01, T76, EHF-P09), the Invoice Response (T111), and the post-award structure rules that ask for
the same element of a party (:data:`SHARED`)."""

from __future__ import annotations

from app.i18n import NP_

HINTS: dict[str, str] = {
    # Orders
    "PEPPOL-T01-R003": NP_(
        "rule hint",
        "State every amount in the order's currency (DocumentCurrencyCode).",
    ),
    "PEPPOL-T01-R004": NP_(
        "rule hint",
        "Order quantities cannot be negative; send a credit note for returns.",
    ),
    # Peppol BIS Billing 3.0
    "PEPPOL-EN16931-R001": NP_(
        "rule hint",
        "Add the business process (cbc:ProfileID), e.g. urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
    ),
    "PEPPOL-EN16931-R002": NP_(
        "rule hint",
        "Put the document-level notes into one cbc:Note (several are allowed only "
        "between German buyer and seller).",
    ),
    "PEPPOL-EN16931-R004": NP_(
        "rule hint",
        "Start cbc:CustomizationID with "
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0.",
    ),
    "PEPPOL-EN16931-R008": NP_(
        "rule hint",
        "Remove elements that have neither text nor child elements, or give them a value.",
    ),
    "PEPPOL-EN16931-R040": NP_(
        "rule hint",
        "Make the allowance or charge amount equal base amount × percentage ÷ 100 (within 0.02).",
    ),
    "PEPPOL-EN16931-R041": NP_(
        "rule hint",
        "Give the base amount (cbc:BaseAmount) whenever the percentage is given.",
    ),
    "PEPPOL-EN16931-R042": NP_(
        "rule hint",
        "Give the percentage (cbc:MultiplierFactorNumeric) whenever the base amount is given.",
    ),
    "PEPPOL-EN16931-R044": NP_(
        "rule hint",
        "A price may only carry an allowance: set its cbc:ChargeIndicator to false.",
    ),
    "PEPPOL-EN16931-R046": NP_(
        "rule hint",
        "Make the net price (cbc:PriceAmount) the gross price (cbc:BaseAmount) minus the "
        "price allowance (cbc:Amount).",
    ),
    "PEPPOL-EN16931-R053": NP_(
        "rule hint",
        "Give exactly one cac:TaxTotal with cac:TaxSubtotal elements.",
    ),
    "PEPPOL-EN16931-R061": NP_(
        "rule hint",
        "Direct debit (payment means 49 or 59) needs the mandate reference "
        "(cac:PaymentMandate/cbc:ID, BT-89).",
    ),
    "PEPPOL-EN16931-R110": NP_(
        "rule hint",
        "Start each line's period (cac:InvoicePeriod) within the invoice period.",
    ),
    "PEPPOL-EN16931-R111": NP_(
        "rule hint",
        "End each line's period (cac:InvoicePeriod) within the invoice period.",
    ),
    "PEPPOL-EN16931-R130": NP_(
        "rule hint",
        "Give the price base quantity (BT-149) the same unitCode as the invoiced quantity.",
    ),
    "PEPPOL-EN16931-CL007": NP_(
        "rule hint",
        "Use an ISO 4217 currency code (NOK, DKK, SEK, EUR).",
    ),
    "PEPPOL-COMMON-R042": NP_(
        "rule hint",
        "A Danish CVR number (scheme 0184) is 8 digits, or DK followed by 8 digits.",
    ),
    "PEPPOL-COMMON-R049": NP_(
        "rule hint",
        "A Swedish organisation number (scheme 0007) is 10 digits with a valid check digit.",
    ),
    "DK-R-002": NP_(
        "rule hint",
        "A Danish seller must give its CVR number as legal entity (cac:PartyLegalEntity/cbc:CompanyID).",
    ),
    "DK-R-005": NP_(
        "rule hint",
        "A Danish seller may only use payment means 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or 97.",
    ),
    "DK-R-014": NP_(
        "rule hint",
        "A Danish seller's legal entity (cac:PartyLegalEntity/cbc:CompanyID) needs schemeID 0184 (CVR).",
    ),
    # Peppol BIS Billing 3.0 and EN 16931 (more)
    "PEPPOL-EN16931-R007": NP_(
        "rule hint",
        "Use an approved business process in cbc:ProfileID, e.g. urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
    ),
    "PEPPOL-EN16931-R051": NP_(
        "rule hint",
        "Give every amount's currencyID the invoice currency (cbc:DocumentCurrencyCode); only the VAT total in accounting currency may differ.",
    ),
    "BR-CO-04": NP_(
        "rule hint",
        "Give every line a VAT category (cac:Item/cac:ClassifiedTaxCategory/cbc:ID, BT-151), e.g. S.",
    ),
    "UBL-SR-48": NP_("rule hint", "Give every line exactly one cac:ClassifiedTaxCategory."),
    "BR-18": NP_(
        "rule hint",
        "Give the seller's tax representative a name (cac:TaxRepresentativeParty/cac:PartyName/cbc:Name, BT-62).",
    ),
    "BR-19": NP_(
        "rule hint",
        "Give the seller's tax representative a postal address (cac:TaxRepresentativeParty/cac:PostalAddress, BG-12).",
    ),
    "PEPPOL-COMMON-R030": NP_("rule hint", "Write dates as YYYY-MM-DD (e.g. 2026-05-31)."),
    "UBL-CR-679": NP_("rule hint", "Remove the schemeID attribute from cac:ClassifiedTaxCategory/cbc:ID."),
    # Peppol and EHF ordering (T01, T76, EHF-P09)
    "EHF-P09-RES-B06501": NP_(
        "rule hint",
        "Give the substituted line item its identifier (cac:SellerSubstitutedLineItem/cbc:ID).",
    ),
    "PEPPOL-T01-B00101": NP_(
        "rule hint",
        "Add the specification identifier (cbc:CustomizationID), e.g. urn:fdc:peppol.eu:poacc:trns:order:3.",
    ),
    "PEPPOL-T01-B00102": NP_(
        "rule hint",
        "Add the business process (cbc:ProfileID), e.g. urn:fdc:peppol.eu:poacc:bis:ordering:3.",
    ),
    "PEPPOL-T01-B00103": NP_("rule hint", "Add the order number (cbc:ID)."),
    "PEPPOL-T01-B00104": NP_("rule hint", "Add the issue date (cbc:IssueDate), written YYYY-MM-DD."),
    "EHF-P09-RES-B00104": NP_("rule hint", "Add the issue date (cbc:IssueDate), written YYYY-MM-DD."),
    "PEPPOL-T01-B00105": NP_("rule hint", "Add the document currency (cbc:DocumentCurrencyCode), e.g. NOK."),
    "EHF-P09-RES-B00106": NP_("rule hint", "Add the document currency (cbc:DocumentCurrencyCode), e.g. NOK."),
    "PEPPOL-T01-B00106": NP_("rule hint", "Add the buyer (cac:BuyerCustomerParty)."),
    "PEPPOL-T01-B00107": NP_("rule hint", "Add the seller (cac:SellerSupplierParty)."),
    "PEPPOL-T01-B00108": NP_("rule hint", "Add at least one order line (cac:OrderLine)."),
    "PEPPOL-T01-R001": NP_(
        "rule hint",
        "Give each order line an identifier (cac:LineItem/cbc:ID) used only once in the order.",
    ),
    "PEPPOL-T01-R002": NP_(
        "rule hint",
        "State until when the order is valid (cac:ValidityPeriod/cbc:EndDate).",
    ),
    "PEPPOL-T01-B23901": NP_("rule hint", "Give the order line an identifier (cac:LineItem/cbc:ID)."),
    "PEPPOL-T01-B23902": NP_(
        "rule hint",
        "Give the order line its ordered quantity (cac:LineItem/cbc:Quantity) with a unitCode.",
    ),
    "PEPPOL-T01-R013": NP_(
        "rule hint",
        "Give the order line its ordered quantity (cac:LineItem/cbc:Quantity) with a unitCode.",
    ),
    "PEPPOL-T01-B23903": NP_(
        "rule hint",
        "Describe the ordered item (cac:LineItem/cac:Item, at least its cbc:Name).",
    ),
    "PEPPOL-T01-R023": NP_(
        "rule hint",
        "Give each allowance a reason (cbc:AllowanceChargeReason) or a reason code (cbc:AllowanceChargeReasonCode).",
    ),
    "PEPPOL-T01-R005": NP_("rule hint", "An item's net price cannot be negative."),
    "PEPPOL-T01-R029": NP_(
        "rule hint",
        "Give each VAT category its rate (cbc:Percent), unless the order is not subject to VAT.",
    ),
    "PEPPOL-T76-R004": NP_(
        "rule hint",
        "Make the delivery period's end date the same as or later than its start date.",
    ),
    "PEPPOL-T76-R005": NP_("rule hint", "State every amount of the order response in one currency."),
    "EHF-P09-RES-B04301": NP_(
        "rule hint",
        "Use a line status code from UNCL1229 (e.g. 5 accepted, 7 not accepted, 3 changed).",
    ),
    "EHF-T76-B04001": NP_(
        "rule hint",
        "Use a line status code from UNCL1229 (e.g. 5 accepted, 7 not accepted, 3 changed).",
    ),
    "EHF-P09-RES-B02101": NP_(
        "rule hint",
        "Give the seller's party identification its identifier (cac:PartyIdentification/cbc:ID).",
    ),
    "EHF-P09-RES-B03301": NP_(
        "rule hint",
        "Give the buyer's legal name (cac:PartyLegalEntity/cbc:RegistrationName).",
    ),
    "EHF-P09-RES-B05601": NP_("rule hint", "Give the line's item a name (cac:Item/cbc:Name)."),
    "EHF-COMMON-R003": NP_(
        "rule hint",
        "A Norwegian organisation number is 9 digits and nothing else (no spaces, no MVA).",
    ),
    # Peppol Invoice Response (T111)
    "PEPPOL-T111-B00102": NP_(
        "rule hint",
        "Add the business process (cbc:ProfileID), e.g. urn:fdc:peppol.eu:poacc:bis:invoice_response:3.",
    ),
    "PEPPOL-T111-R008": NP_(
        "rule hint",
        "Set cbc:ProfileID to urn:fdc:peppol.eu:poacc:bis:invoice_response:3 "
        "(or urn:peppol:bis:billing_with_response).",
    ),
    "PEPPOL-T111-B00103": NP_("rule hint", "Add the response's identifier (cbc:ID)."),
    "PEPPOL-T111-B02901": NP_(
        "rule hint",
        "Give the invoice's status (cac:Response/cbc:ResponseCode), e.g. AP accepted, RE rejected, PD paid.",
    ),
    "PEPPOL-T111-B03001": NP_(
        "rule hint",
        "Use an invoice status code from the UNCL4343 subset in cbc:ResponseCode: AB, IP, UQ, CA, RE, AP or PD.",
    ),
    "PEPPOL-T111-B03301": NP_(
        "rule hint",
        "Use an OpenPeppol status reason (NON, REF, LEG, REC, QUA, DEL, PRI, QTY, ITM, PAY, UNR, FIN, PPD, "
        "OTH) or action code (NOA, PIN, NIN, CNF, CNP, CNA, OTH) in cbc:StatusReasonCode.",
    ),
    "PEPPOL-T111-B03901": NP_(
        "rule hint",
        "Name the invoice the response is about (cac:DocumentReference/cbc:ID: its invoice number).",
    ),
    "PEPPOL-T111-B03902": NP_(
        "rule hint",
        "Give the referenced document its type (cac:DocumentReference/cbc:DocumentTypeCode): 380 for an "
        "invoice, 381 for a credit note.",
    ),
    "PEPPOL-T111-B04201": NP_(
        "rule hint",
        "Use a document type code from UNCL1001 in cbc:DocumentTypeCode (380 invoice, 381 credit note).",
    ),
    # EHF Advanced Ordering response (EHF-P09-RES)
    "EHF-P09-RES-B08301": NP_(
        "rule hint",
        "Give each additional item property its name (cac:AdditionalItemProperty/cbc:Name).",
    ),
    "EHF-P09-RES-B09201": NP_(
        "rule hint",
        "Give the order line reference the line number of the order (cac:OrderLineReference/cbc:LineID).",
    ),
}

#: The post-award structure rules (``…-B…``, generated from each transaction's data model) are numbered per
#: transaction and per place: those that ask for the same element of a party share one text. Each tuple is
#: every assert of the installed Peppol and EHF Schematron whose text is "Element 'cbc:EndpointID' MUST be
#: provided." (in cac:SenderParty, cac:ReceiverParty, cac:BuyerCustomerParty/cac:Party …), resp.
#: "Element 'cbc:RegistrationName' MUST be provided." (in the party's cac:PartyLegalEntity).
SHARED: dict[str, tuple[str, ...]] = {
    NP_(
        "rule hint",
        "Give the party its electronic address (cbc:EndpointID with a schemeID, e.g. 0192 for a "
        "Norwegian organisation number).",
    ): (
        "EHF-P09-CAN-B02601",
        "EHF-P09-CAN-B06101",
        "EHF-P09-CHA-B03401",
        "EHF-P09-CHA-B06901",
        "EHF-P09-INIT-B03401",
        "EHF-P09-INIT-B06901",
        "EHF-P09-RES-B01801",
        "EHF-P09-RES-B02701",
        "EHF-PR-B05001",
        "EHF-REMINDER-B02001",
        "EHF-REMINDER-B05201",
        "EHF-T01-B03301",
        "EHF-T01-B06801",
        "EHF-T110-B02701",
        "EHF-T110-B05001",
        "EHF-T16-B01101",
        "EHF-T16-B03401",
        "EHF-T19-B01601",
        "EHF-T19-B04001",
        "EHF-T58-B00801",
        "EHF-T58-B01601",
        "EHF-T76-B01501",
        "EHF-T76-B02401",
        "PEPPOL-T01-B03701",
        "PEPPOL-T01-B07201",
        "PEPPOL-T110-B02701",
        "PEPPOL-T110-B05201",
        "PEPPOL-T111-B00801",
        "PEPPOL-T111-B02001",
        "PEPPOL-T114-B03301",
        "PEPPOL-T114-B06801",
        "PEPPOL-T115-B02501",
        "PEPPOL-T115-B06001",
        "PEPPOL-T116-B01701",
        "PEPPOL-T116-B02601",
        "PEPPOL-T16-B02001",
        "PEPPOL-T16-B04301",
        "PEPPOL-T19-B01601",
        "PEPPOL-T19-B04001",
        "PEPPOL-T58-B00801",
        "PEPPOL-T58-B01601",
        "PEPPOL-T71-B00701",
        "PEPPOL-T71-B01001",
        "PEPPOL-T76-B01501",
        "PEPPOL-T76-B02401",
    ),
    NP_(
        "rule hint",
        "Give the party's legal name (cac:PartyLegalEntity/cbc:RegistrationName).",
    ): (
        "EHF-P09-CAN-B04801",
        "EHF-P09-CAN-B07901",
        "EHF-P09-CHA-B05601",
        "EHF-P09-CHA-B08701",
        "EHF-P09-CHA-B13301",
        "EHF-P09-INIT-B05601",
        "EHF-P09-INIT-B08701",
        "EHF-P09-INIT-B13301",
        "EHF-P09-RES-B02401",
        "EHF-P09-RES-B03301",
        "EHF-REMINDER-B04201",
        "EHF-REMINDER-B07401",
        "EHF-T01-B05501",
        "EHF-T01-B08601",
        "EHF-T01-B13201",
        "EHF-T110-B04301",
        "EHF-T110-B06601",
        "EHF-T16-B02701",
        "EHF-T16-B05001",
        "EHF-T19-B03201",
        "EHF-T19-B05601",
        "EHF-T58-B01401",
        "EHF-T58-B02201",
        "EHF-T76-B02101",
        "EHF-T76-B03001",
        "EHF-T77-B01901",
        "EHF-T77-B02701",
        "PEPPOL-T01-B05901",
        "PEPPOL-T01-B09001",
        "PEPPOL-T01-B13601",
        "PEPPOL-T110-B04301",
        "PEPPOL-T110-B06801",
        "PEPPOL-T111-B01401",
        "PEPPOL-T111-B02601",
        "PEPPOL-T114-B05501",
        "PEPPOL-T114-B08601",
        "PEPPOL-T114-B13201",
        "PEPPOL-T115-B04701",
        "PEPPOL-T115-B07801",
        "PEPPOL-T116-B02301",
        "PEPPOL-T116-B03201",
        "PEPPOL-T16-B03601",
        "PEPPOL-T16-B05901",
        "PEPPOL-T19-B03201",
        "PEPPOL-T19-B05601",
        "PEPPOL-T58-B01401",
        "PEPPOL-T58-B02201",
        "PEPPOL-T76-B02101",
        "PEPPOL-T76-B03001",
        "PEPPOL-T77-B01901",
        "PEPPOL-T77-B02701",
    ),
}
