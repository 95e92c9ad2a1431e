"""One-sentence hints for the rules people trip over most, keyed by the published rule id.

The hints are ours (the rule texts are the official ones): English msgids (msgctxt "rule hint"), which the
page shows in its language (:func:`translated`).
"""

from __future__ import annotations

from app.i18n import NP_, translator

HINTS: dict[str, str] = {
    # Totals (EN 16931 calculation rules)
    "BR-CO-10": NP_(
        "rule hint",
        "Make LineExtensionAmount the exact sum of the line net amounts (each rounded to 2 decimals).",
    ),
    "BR-CO-11": NP_(
        "rule hint",
        "Make AllowanceTotalAmount the sum of the document-level allowances.",
    ),
    "BR-CO-12": NP_(
        "rule hint",
        "Make ChargeTotalAmount the sum of the document-level charges.",
    ),
    "BR-CO-13": NP_(
        "rule hint",
        "TaxExclusiveAmount must be line total − allowances + charges.",
    ),
    "BR-CO-14": NP_(
        "rule hint",
        "The invoice VAT total must be the sum of the VAT category amounts.",
    ),
    "BR-CO-15": NP_(
        "rule hint",
        "TaxInclusiveAmount must be TaxExclusiveAmount + the VAT total.",
    ),
    "BR-CO-16": NP_(
        "rule hint",
        "PayableAmount must be TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount.",
    ),
    "BR-CO-17": NP_(
        "rule hint",
        "Each VAT category amount must be its taxable amount × rate, rounded to 2 decimals.",
    ),
    "BR-S-08": NP_(
        "rule hint",
        "The taxable amount of each standard-rate VAT breakdown must sum the lines of that rate.",
    ),
    "BR-S-09": NP_(
        "rule hint",
        "The standard-rate VAT amount must be its taxable amount × rate.",
    ),
    "PEPPOL-EN16931-R120": NP_(
        "rule hint",
        "The line net amount must be quantity × (price ÷ base quantity) + charges − allowances.",
    ),
    "PEPPOL-EN16931-R121": NP_(
        "rule hint",
        "Base quantity must be a positive number above zero.",
    ),
    # Parties and identifiers
    "PEPPOL-EN16931-R003": NP_(
        "rule hint",
        "Give a buyer reference (BT-10) or an order reference (BT-13): the customer's "
        "reference field of the form.",
    ),
    "PEPPOL-EN16931-R010": NP_(
        "rule hint",
        "The buyer needs an electronic address (EndpointID), e.g. the organisation number.",
    ),
    "PEPPOL-EN16931-R020": NP_(
        "rule hint",
        "The seller needs an electronic address (EndpointID), e.g. the organisation number.",
    ),
    "PEPPOL-COMMON-R040": NP_(
        "rule hint",
        "A GLN (scheme 0088) must have a valid check digit.",
    ),
    "PEPPOL-COMMON-R041": NP_(
        "rule hint",
        "A Norwegian organisation number (scheme 0192) is 9 digits with a valid check digit.",
    ),
    "PEPPOL-EN16931-CL008": NP_(
        "rule hint",
        "Use a scheme id from the Peppol EAS list (0192 for Norway, 0184 Denmark, 0088 GLN).",
    ),
    "NO-R-001": NP_(
        "rule hint",
        "A Norwegian seller's VAT number is NO + 9-digit organisation number + MVA (NO999999999MVA).",
    ),
    "NO-R-002": NP_(
        "rule hint",
        "A Norwegian seller registered in the Register of Business Enterprises must state "
        "'Foretaksregisteret' as legal form (BT-33).",
    ),
    # VAT categories and code lists
    "BR-S-05": NP_(
        "rule hint",
        "A standard-rated line (S) needs a VAT rate above zero.",
    ),
    "BR-Z-05": NP_(
        "rule hint",
        "A zero-rated line (Z) must have VAT rate 0.",
    ),
    "BR-E-10": NP_(
        "rule hint",
        "An exempt VAT breakdown (E) needs an exemption reason or reason code.",
    ),
    "PEPPOL-EN16931-P0100": NP_(
        "rule hint",
        "Use an invoice type code from the UNCL1001 subset Peppol allows (380 is the usual one).",
    ),
    "BR-CL-03": NP_(
        "rule hint",
        "Use an ISO 4217 currency code (NOK, DKK, SEK, EUR).",
    ),
    "BR-CL-14": NP_(
        "rule hint",
        "Use an ISO 3166-1 alpha-2 country code (NO, DK, SE).",
    ),
    "BR-CL-23": NP_(
        "rule hint",
        "Use a unit code from UN/ECE Rec. 20 (EA for pieces, HUR for hours).",
    ),
    # Orders
    "PEPPOL-T01-R003": NP_(
        "rule hint",
        "State every amount in the order's currency (DocumentCurrencyCode).",
    ),
    "PEPPOL-T01-R004": NP_(
        "rule hint",
        "Order quantities cannot be negative; send a credit note for returns.",
    ),
    # Mandatory content (EN 16931 BR-01 … BR-27)
    "BR-01": NP_(
        "rule hint",
        "Add the specification identifier (cbc:CustomizationID, BT-24).",
    ),
    "BR-02": NP_(
        "rule hint",
        "Add the invoice number (cbc:ID, BT-1).",
    ),
    "BR-03": NP_(
        "rule hint",
        "Add the issue date (cbc:IssueDate, BT-2), written YYYY-MM-DD.",
    ),
    "BR-04": NP_(
        "rule hint",
        "Add the type code (cbc:InvoiceTypeCode or cbc:CreditNoteTypeCode, BT-3).",
    ),
    "BR-05": NP_(
        "rule hint",
        "Add the document currency (cbc:DocumentCurrencyCode, BT-5), e.g. NOK.",
    ),
    "BR-06": NP_(
        "rule hint",
        "Give the seller's name (cac:PartyLegalEntity/cbc:RegistrationName, BT-27).",
    ),
    "BR-07": NP_(
        "rule hint",
        "Give the buyer's name (cac:PartyLegalEntity/cbc:RegistrationName, BT-44).",
    ),
    "BR-08": NP_(
        "rule hint",
        "Give the seller's postal address (cac:PostalAddress).",
    ),
    "BR-10": NP_(
        "rule hint",
        "Give the buyer's postal address (cac:PostalAddress, BG-8).",
    ),
    "BR-11": NP_(
        "rule hint",
        "Give the buyer's country code (cac:Country/cbc:IdentificationCode, BT-55).",
    ),
    "BR-16": NP_(
        "rule hint",
        "The document needs at least one line (cac:InvoiceLine or cac:CreditNoteLine, BG-25).",
    ),
    "BR-21": NP_(
        "rule hint",
        "Give every line an identifier (cbc:ID, BT-126).",
    ),
    "BR-22": NP_(
        "rule hint",
        "Give every line its quantity (cbc:InvoicedQuantity or cbc:CreditedQuantity, BT-129).",
    ),
    "BR-23": NP_(
        "rule hint",
        "Give the line quantity a unit (the unitCode attribute, BT-130), e.g. EA.",
    ),
    "BR-24": NP_(
        "rule hint",
        "Give every line its net amount (cbc:LineExtensionAmount, BT-131).",
    ),
    "BR-25": NP_(
        "rule hint",
        "Give every line an item name (cac:Item/cbc:Name, BT-153).",
    ),
    "BR-26": NP_(
        "rule hint",
        "Give every line its net price (cac:Price/cbc:PriceAmount, BT-146).",
    ),
    "BR-27": NP_(
        "rule hint",
        "The item net price (BT-146) cannot be negative; use a negative quantity for a reduction.",
    ),
    "BR-CO-09": NP_(
        "rule hint",
        "Start each VAT identifier with the ISO 3166-1 alpha-2 code of the country that issued it "
        "(NO…MVA, DK…, SE…; Greece uses EL).",
    ),
    "BR-CO-18": NP_(
        "rule hint",
        "Add the VAT breakdown: cac:TaxTotal with at least one cac:TaxSubtotal (BG-23).",
    ),
    "BR-CO-26": NP_(
        "rule hint",
        "Identify the seller by an identifier (BT-29), a legal registration identifier (BT-30, e.g. "
        "the organisation number) or a VAT identifier (BT-31).",
    ),
    "BR-S-02": NP_(
        "rule hint",
        "Standard-rated lines need the seller's VAT identifier (BT-31), tax registration identifier "
        "(BT-32) or tax representative's VAT identifier (BT-63).",
    ),
    "BR-61": NP_(
        "rule hint",
        "Credit transfer (payment means 30 or 58) needs the account to pay to "
        "(cac:PayeeFinancialAccount/cbc:ID, BT-84).",
    ),
    "BR-62": NP_(
        "rule hint",
        "Add the schemeID attribute to the seller's EndpointID (BT-34), e.g. 0192 for a Norwegian "
        "organisation number.",
    ),
    "BR-63": NP_(
        "rule hint",
        "Add the schemeID attribute to the buyer's EndpointID (BT-49), e.g. 0192 for a Norwegian "
        "organisation number.",
    ),
    "BR-CL-04": NP_(
        "rule hint",
        "Use an ISO 4217 alpha-3 currency code (NOK, DKK, SEK, EUR).",
    ),
    "BR-CL-10": NP_(
        "rule hint",
        "Use a scheme id from the ISO 6523 ICD list (0192 Norwegian organisation number, 0184 "
        "Danish CVR, 0007 Swedish organisation number, 0088 GLN).",
    ),
    "BR-CL-16": NP_(
        "rule hint",
        "Use a payment means code from UNCL4461 (30 credit transfer, 58 SEPA credit transfer, "
        "48 bank card, 49 direct debit).",
    ),
    "BR-CL-18": NP_(
        "rule hint",
        "Use a VAT category code from UNCL5305 (S standard, Z zero rated, E exempt, AE reverse "
        "charge, K intra-community, G export, O outside the scope of VAT).",
    ),
    "BR-CL-25": NP_(
        "rule hint",
        "Use an EndpointID scheme from the EAS list (0192 Norway, 0184 Denmark, 0007 Sweden, 0088 GLN).",
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
    # OIOUBL
    "F-INV031": NP_(
        "rule hint",
        "The party needs an EndpointID: the EAN/GLN location number for a public-sector buyer.",
    ),
    "F-INV133": NP_(
        "rule hint",
        "PayableAmount must equal the calculated total (lines − allowances + charges + VAT).",
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
    # OIOUBL 2.1 (F-LIB: common rules, F-INV: invoice, F-CRN: credit note)
    "F-LIB196": NP_(
        "rule hint",
        "An SE number (schemeID DK:SE) is DK followed by 8 digits (DK12345678).",
    ),
    "F-LIB001": NP_("rule hint", "Set cbc:UBLVersionID to 2.1."),
    "F-LIB197": NP_(
        "rule hint",
        "Use a TaxTypeCode from the OIOUBL list taxtypecode-1.2 (e.g. StandardRated, ZeroRated).",
    ),
    "F-LIB306": NP_(
        "rule hint",
        "Give exactly one cac:TaxTotal for VAT (TaxScheme/cbc:ID 63, cbc:Name Moms).",
    ),
    "F-LIB181": NP_("rule hint", "A GLN (schemeID GLN) is 13 digits with a valid check digit."),
    "F-LIB185": NP_("rule hint", "A GLN (schemeID GLN) is 13 digits with a valid check digit."),
    "F-LIB180": NP_("rule hint", "A CVR number (schemeID DK:CVR) is DK followed by 8 digits (DK12345678)."),
    "F-LIB184": NP_("rule hint", "A CVR number (schemeID DK:CVR) is DK followed by 8 digits (DK12345678)."),
    "F-LIB190": NP_("rule hint", "A CVR number (schemeID DK:CVR) is DK followed by 8 digits (DK12345678)."),
    "F-LIB183": NP_(
        "rule hint",
        "Use an EndpointID schemeID from the OIOUBL list (GLN, DK:CVR, DK:P, DK:SE …).",
    ),
    "F-LIB033": NP_("rule hint", "Give a StructuredDK address its postal code (cbc:PostalZone)."),
    "F-LIB034": NP_(
        "rule hint",
        "Give a StructuredDK address a street name (cbc:StreetName) or a post box (cbc:Postbox).",
    ),
    "F-LIB035": NP_(
        "rule hint",
        "Give a StructuredDK address a building number (cbc:BuildingNumber) or a post box (cbc:Postbox).",
    ),
    "F-LIB014": NP_("rule hint", "Write the amount with exactly 2 decimals (e.g. 1250.00)."),
    "F-LIB250": NP_("rule hint", "Write the amount with exactly 2 decimals (e.g. 1250.00)."),
    "F-LIB261": NP_("rule hint", "Write the amount with exactly 2 decimals (e.g. 1250.00)."),
    "F-LIB263": NP_("rule hint", "Write the amount with exactly 2 decimals (e.g. 1250.00)."),
    "F-LIB198": NP_(
        "rule hint",
        "Write the name of the tax scheme in TaxScheme/cbc:Name: Moms when TaxScheme/cbc:ID is 63.",
    ),
    "F-LIB199": NP_(
        "rule hint",
        "Write the name of the tax scheme in TaxScheme/cbc:Name: Moms when TaxScheme/cbc:ID is 63.",
    ),
    "F-LIB187": NP_("rule hint", "Give cbc:CompanyID its value, e.g. the CVR number DK12345678."),
    "F-LIB193": NP_("rule hint", "Give cbc:CompanyID its value, e.g. the CVR number DK12345678."),
    "F-LIB189": NP_(
        "rule hint",
        "Use a CompanyID schemeID from the OIOUBL list (DK:CVR for a Danish company, DK:SE for an SE number).",
    ),
    "F-LIB195": NP_(
        "rule hint",
        "Use a CompanyID schemeID from the OIOUBL list (DK:CVR for a Danish company, DK:SE for an SE number).",
    ),
    "F-LIB025": NP_(
        "rule hint",
        "Use an AddressFormatCode from the OIOUBL list (StructuredDK, StructuredLax, StructuredID or Unstructured).",
    ),
    "F-LIB027": NP_(
        "rule hint",
        "Use an AddressFormatCode from the OIOUBL list (StructuredDK, StructuredLax, StructuredID or Unstructured).",
    ),
    "F-LIB026": NP_(
        "rule hint",
        "Set the listID of cbc:AddressFormatCode to urn:oioubl:codelist:addressformatcode-1.1.",
    ),
    "F-LIB401": NP_(
        "rule hint",
        "Make each TaxSubtotal/TaxAmount its taxable amount × percent ÷ 100 (within ±1).",
    ),
    "F-LIB402": NP_(
        "rule hint",
        "Make each TaxSubtotal's TaxableAmount the sum of the line amounts of its tax category.",
    ),
    "F-LIB006": NP_(
        "rule hint",
        "Write cbc:UUID as 8-4-4-4-12 hexadecimal digits (e.g. 6E09886B-DC6E-439F-82D1-7CCAC7F4E3B1).",
    ),
    "F-LIB382": NP_(
        "rule hint",
        "A StandardRated tax category needs cbc:Percent above 0 (25 for Danish VAT).",
    ),
    "F-LIB065": NP_("rule hint", "Give cac:TaxScheme its identifier (cbc:ID, 63 for VAT)."),
    "F-LIB066": NP_("rule hint", "Give cac:TaxScheme its name (cbc:Name, Moms for VAT)."),
    "F-LIB070": NP_(
        "rule hint",
        "Use one of the schemeIDs the message lists for TaxScheme/cbc:ID (urn:oioubl:id:taxschemeid-…).",
    ),
    "F-LIB213": NP_("rule hint", "Give cac:Country its code (cbc:IdentificationCode: DK, NO, SE …)."),
    "F-LIB259": NP_("rule hint", "Give cbc:TaxableAmount its value: the amount the tax is calculated on."),
    "F-INV137": NP_(
        "rule hint",
        "Give the line its quantity (cbc:InvoicedQuantity or cbc:CreditedQuantity) with a unitCode.",
    ),
    "F-CRN196": NP_(
        "rule hint",
        "Give the line its quantity (cbc:InvoicedQuantity or cbc:CreditedQuantity) with a unitCode.",
    ),
    "F-INV340": NP_("rule hint", "Make the line amount quantity × (price ÷ base quantity), within ±1."),
    "F-CRN210": NP_("rule hint", "Make the line amount quantity × (price ÷ base quantity), within ±1."),
    "F-INV127": NP_(
        "rule hint",
        "In OIOUBL, TaxExclusiveAmount is the VAT total: make it the sum of the TaxSubtotal/TaxAmount elements.",
    ),
    "F-CRN073": NP_(
        "rule hint",
        "In OIOUBL, TaxExclusiveAmount is the VAT total: make it the sum of the TaxSubtotal/TaxAmount elements.",
    ),
    "F-INV128": NP_(
        "rule hint",
        "TaxInclusiveAmount must be the lines + VAT + charges − allowances + rounding.",
    ),
    "F-CRN074": NP_(
        "rule hint",
        "TaxInclusiveAmount must be the lines + VAT + charges − allowances + rounding.",
    ),
    "F-INV126": NP_(
        "rule hint",
        "Make LineExtensionAmount the sum of the line amounts (lines free of charge left out).",
    ),
    "F-CRN072": NP_(
        "rule hint",
        "Make LineExtensionAmount the sum of the line amounts (lines free of charge left out).",
    ),
    "F-INV134": NP_(
        "rule hint",
        "Make the payment terms' amount (cac:PaymentTerms/cbc:Amount, or their sum) equal PayableAmount.",
    ),
    "F-LIB311": NP_(
        "rule hint",
        "Write the bank's registration number (cac:FinancialInstitutionBranch/cbc:ID) as digits only.",
    ),
    "F-INV011": NP_("rule hint", "Use an invoice type code from the OIOUBL list (380 for an invoice)."),
    # EN 16931 VAT breakdown and parties (more)
    "BR-S-01": NP_(
        "rule hint",
        "Give a standard-rated VAT breakdown (cac:TaxSubtotal with category S) exactly when a line, "
        "allowance or charge is standard rated (S).",
    ),
    "BR-E-08": NP_(
        "rule hint",
        "Make the taxable amount of the exempt VAT breakdown (E) the sum of the exempt lines + charges "
        "− allowances.",
    ),
    "BR-46": NP_(
        "rule hint",
        "Give every VAT breakdown its tax amount (cac:TaxSubtotal/cbc:TaxAmount, BT-117).",
    ),
    "BR-47": NP_(
        "rule hint",
        "Give every VAT breakdown its category (cac:TaxSubtotal/cac:TaxCategory/cbc:ID, BT-118) "
        "with cac:TaxScheme/cbc:ID VAT.",
    ),
    "BR-48": NP_(
        "rule hint",
        "Give every VAT breakdown its rate (cac:TaxCategory/cbc:Percent, BT-119), unless its "
        "category is O (not subject to VAT).",
    ),
    "BR-09": NP_(
        "rule hint",
        "Give the seller's country code (cac:PostalAddress/cac:Country/cbc:IdentificationCode, BT-40).",
    ),
    "BR-49": NP_(
        "rule hint",
        "Give each payment instruction its code (cac:PaymentMeans/cbc:PaymentMeansCode, BT-81), "
        "e.g. 30 for a credit transfer.",
    ),
    "BR-52": NP_(
        "rule hint",
        "Give each supporting document its reference (cac:AdditionalDocumentReference/cbc:ID, BT-122).",
    ),
    "UBL-SR-13": NP_(
        "rule hint",
        "Give the seller at most one tax registration besides VAT (cac:PartyTaxScheme whose "
        "cac:TaxScheme/cbc:ID is not VAT).",
    ),
    "UBL-SR-53": NP_(
        "rule hint",
        "Give each cac:PartyTaxScheme both the VAT identifier (cbc:CompanyID) and cac:TaxScheme/cbc:ID, "
        "or remove it.",
    ),
    # Allowances and charges (also EHF-REMINDER-B11901), order totals
    "PEPPOL-EN16931-R043": NP_(
        "rule hint",
        "Set cbc:ChargeIndicator of each allowance or charge to true (a charge) or false (an allowance).",
    ),
    "PEPPOL-T01-R008": NP_(
        "rule hint",
        "Make cac:AnticipatedMonetaryTotal/cbc:LineExtensionAmount the exact sum of the order lines' "
        "cbc:LineExtensionAmount.",
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
_SHARED = {
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
for _text, _codes in _SHARED.items():
    for _code in _codes:
        HINTS.setdefault(_code, _text)  # a hint naming the party (e.g. EHF-P09-RES-B03301) stays
#: Rules whose fix reads as another's: the same text (one translation).
_SAME_AS = {
    "PEPPOL-COMMON-R001": "PEPPOL-EN16931-R008",
    "EHF-COMMON-R002": "PEPPOL-EN16931-R008",
    "PEPPOL-T01-R024": "PEPPOL-EN16931-R120",
    "PEPPOL-T01-R019": "PEPPOL-EN16931-R046",
    "PEPPOL-T01-R016": "BR-CO-16",
    "PEPPOL-T01-R017": "BR-CO-15",
    "PEPPOL-T01-R030": "BR-S-05",
    "EHF-P09-RES-B01101": "BR-CL-03",
    "F-LIB385": "BR-CO-14",
    "F-LIB301": "BR-CL-14",
    "F-CRN079": "F-INV133",
    "PEPPOL-T111-B00104": "PEPPOL-T01-B00104",
    "PEPPOL-T76-B04201": "EHF-T76-B04001",
    "PEPPOL-EN16931-F001": "PEPPOL-COMMON-R030",
    "BR-CL-17": "BR-CL-18",
    "EHF-REMINDER-B10901": "BR-CL-16",
    "EHF-REMINDER-B11901": "PEPPOL-EN16931-R043",
}
HINTS.update({code: HINTS[other] for code, other in _SAME_AS.items()})


XSD_HINT = NP_(
    "rule hint", "Fix the element named in the message: it is missing, misplaced or has the wrong type."
)


def hint_for(code: str) -> str | None:
    if code in HINTS:
        return HINTS[code]
    if code.startswith("xsd."):
        return XSD_HINT
    return None


def translated(lang: str) -> dict[str, str]:
    """Every hint's English → its text in ``lang`` (the page translates the hints of a report with it)."""
    t = translator(lang)
    return {hint: t.pgettext("rule hint", hint) for hint in (*HINTS.values(), XSD_HINT)}
