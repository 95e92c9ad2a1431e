"""One-sentence hints for the rules people trip over most, keyed by the published rule id."""

from __future__ import annotations

HINTS: dict[str, str] = {
    # Totals (EN 16931 calculation rules)
    "BR-CO-10": "Make LineExtensionAmount the exact sum of the line net amounts (each rounded to 2 decimals).",
    "BR-CO-11": "Make AllowanceTotalAmount the sum of the document-level allowances.",
    "BR-CO-12": "Make ChargeTotalAmount the sum of the document-level charges.",
    "BR-CO-13": "TaxExclusiveAmount must be line total − allowances + charges.",
    "BR-CO-14": "The invoice VAT total must be the sum of the VAT category amounts.",
    "BR-CO-15": "TaxInclusiveAmount must be TaxExclusiveAmount + the VAT total.",
    "BR-CO-16": "PayableAmount must be TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount.",
    "BR-CO-17": "Each VAT category amount must be its taxable amount × rate, rounded to 2 decimals.",
    "BR-S-08": "The taxable amount of each standard-rate VAT breakdown must sum the lines of that rate.",
    "BR-S-09": "The standard-rate VAT amount must be its taxable amount × rate.",
    "PEPPOL-EN16931-R120": "The line net amount must be quantity × (price ÷ base quantity) + charges − allowances.",
    "PEPPOL-EN16931-R121": "Base quantity must be a positive number above zero.",
    # Parties and identifiers
    "PEPPOL-EN16931-R003": "Give a buyer reference (BT-10) or an order reference (BT-13): the customer's "
    "reference field of the form.",
    "PEPPOL-EN16931-R010": "The buyer needs an electronic address (EndpointID), e.g. the organisation number.",
    "PEPPOL-EN16931-R020": "The seller needs an electronic address (EndpointID), e.g. the organisation number.",
    "PEPPOL-COMMON-R040": "A GLN (scheme 0088) must have a valid check digit.",
    "PEPPOL-COMMON-R041": "A Norwegian organisation number (scheme 0192) is 9 digits with a valid check digit.",
    "PEPPOL-EN16931-CL008": "Use a scheme id from the Peppol EAS list (0192 for Norway, 0184 Denmark, 0088 GLN).",
    "NO-R-001": "A Norwegian seller's VAT number is NO + 9-digit organisation number + MVA (NO999999999MVA).",
    "NO-R-002": "A Norwegian seller registered in the Register of Business Enterprises must state "
    "'Foretaksregisteret' as legal form (BT-33).",
    # VAT categories and code lists
    "BR-S-05": "A standard-rated line (S) needs a VAT rate above zero.",
    "BR-Z-05": "A zero-rated line (Z) must have VAT rate 0.",
    "BR-E-10": "An exempt VAT breakdown (E) needs an exemption reason or reason code.",
    "PEPPOL-EN16931-P0100": "Use an invoice type code from the UNCL1001 subset Peppol allows (380 is the usual one).",
    "BR-CL-03": "Use an ISO 4217 currency code (NOK, DKK, SEK, EUR).",
    "BR-CL-14": "Use an ISO 3166-1 alpha-2 country code (NO, DK, SE).",
    "BR-CL-23": "Use a unit code from UN/ECE Rec. 20 (EA for pieces, HUR for hours).",
    # Orders
    "PEPPOL-T01-R003": "State every amount in the order's currency (DocumentCurrencyCode).",
    "PEPPOL-T01-R004": "Order quantities cannot be negative; send a credit note for returns.",
    # Mandatory content (EN 16931 BR-01 … BR-27)
    "BR-01": "Add the specification identifier (cbc:CustomizationID, BT-24).",
    "BR-02": "Add the invoice number (cbc:ID, BT-1).",
    "BR-03": "Add the issue date (cbc:IssueDate, BT-2), written YYYY-MM-DD.",
    "BR-04": "Add the type code (cbc:InvoiceTypeCode or cbc:CreditNoteTypeCode, BT-3).",
    "BR-05": "Add the document currency (cbc:DocumentCurrencyCode, BT-5), e.g. NOK.",
    "BR-06": "Give the seller's name (cac:PartyLegalEntity/cbc:RegistrationName, BT-27).",
    "BR-07": "Give the buyer's name (cac:PartyLegalEntity/cbc:RegistrationName, BT-44).",
    "BR-08": "Give the seller's postal address (cac:PostalAddress).",
    "BR-10": "Give the buyer's postal address (cac:PostalAddress, BG-8).",
    "BR-11": "Give the buyer's country code (cac:Country/cbc:IdentificationCode, BT-55).",
    "BR-16": "The document needs at least one line (cac:InvoiceLine or cac:CreditNoteLine, BG-25).",
    "BR-21": "Give every line an identifier (cbc:ID, BT-126).",
    "BR-22": "Give every line its quantity (cbc:InvoicedQuantity or cbc:CreditedQuantity, BT-129).",
    "BR-23": "Give the line quantity a unit (the unitCode attribute, BT-130), e.g. EA.",
    "BR-24": "Give every line its net amount (cbc:LineExtensionAmount, BT-131).",
    "BR-25": "Give every line an item name (cac:Item/cbc:Name, BT-153).",
    "BR-26": "Give every line its net price (cac:Price/cbc:PriceAmount, BT-146).",
    "BR-27": "The item net price (BT-146) cannot be negative; use a negative quantity for a reduction.",
    "BR-CO-09": "Start each VAT identifier with the ISO 3166-1 alpha-2 code of the country that issued it "
    "(NO…MVA, DK…, SE…; Greece uses EL).",
    "BR-CO-18": "Add the VAT breakdown: cac:TaxTotal with at least one cac:TaxSubtotal (BG-23).",
    "BR-CO-26": "Identify the seller by an identifier (BT-29), a legal registration identifier (BT-30, e.g. "
    "the organisation number) or a VAT identifier (BT-31).",
    "BR-S-02": "Standard-rated lines need the seller's VAT identifier (BT-31), tax registration identifier "
    "(BT-32) or tax representative's VAT identifier (BT-63).",
    "BR-61": "Credit transfer (payment means 30 or 58) needs the account to pay to "
    "(cac:PayeeFinancialAccount/cbc:ID, BT-84).",
    "BR-62": "Add the schemeID attribute to the seller's EndpointID (BT-34), e.g. 0192 for a Norwegian "
    "organisation number.",
    "BR-63": "Add the schemeID attribute to the buyer's EndpointID (BT-49), e.g. 0192 for a Norwegian "
    "organisation number.",
    "BR-CL-04": "Use an ISO 4217 alpha-3 currency code (NOK, DKK, SEK, EUR).",
    "BR-CL-10": "Use a scheme id from the ISO 6523 ICD list (0192 Norwegian organisation number, 0184 "
    "Danish CVR, 0007 Swedish organisation number, 0088 GLN).",
    "BR-CL-16": "Use a payment means code from UNCL4461 (30 credit transfer, 58 SEPA credit transfer, "
    "48 bank card, 49 direct debit).",
    "BR-CL-18": "Use a VAT category code from UNCL5305 (S standard, Z zero rated, E exempt, AE reverse "
    "charge, K intra-community, G export, O outside the scope of VAT).",
    "BR-CL-25": "Use an EndpointID scheme from the EAS list (0192 Norway, 0184 Denmark, 0007 Sweden, 0088 GLN).",
    # Peppol BIS Billing 3.0
    "PEPPOL-EN16931-R001": "Add the business process (cbc:ProfileID), e.g. "
    "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
    "PEPPOL-EN16931-R002": "Put the document-level notes into one cbc:Note (several are allowed only "
    "between German buyer and seller).",
    "PEPPOL-EN16931-R004": "Start cbc:CustomizationID with "
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0.",
    "PEPPOL-EN16931-R008": "Remove elements that have neither text nor child elements, or give them a value.",
    "PEPPOL-EN16931-R040": "Make the allowance or charge amount equal base amount × percentage ÷ 100 "
    "(within 0.02).",
    "PEPPOL-EN16931-R041": "Give the base amount (cbc:BaseAmount) whenever the percentage is given.",
    "PEPPOL-EN16931-R042": "Give the percentage (cbc:MultiplierFactorNumeric) whenever the base amount is given.",
    "PEPPOL-EN16931-R044": "A price may only carry an allowance: set its cbc:ChargeIndicator to false.",
    "PEPPOL-EN16931-R046": "Make the net price (cbc:PriceAmount) the gross price (cbc:BaseAmount) minus the "
    "price allowance (cbc:Amount).",
    "PEPPOL-EN16931-R053": "Give exactly one cac:TaxTotal with cac:TaxSubtotal elements.",
    "PEPPOL-EN16931-R061": "Direct debit (payment means 49 or 59) needs the mandate reference "
    "(cac:PaymentMandate/cbc:ID, BT-89).",
    "PEPPOL-EN16931-R110": "Start each line's period (cac:InvoicePeriod) within the invoice period.",
    "PEPPOL-EN16931-R111": "End each line's period (cac:InvoicePeriod) within the invoice period.",
    "PEPPOL-EN16931-R130": "Give the price base quantity (BT-149) the same unitCode as the invoiced quantity.",
    "PEPPOL-EN16931-CL007": "Use an ISO 4217 currency code (NOK, DKK, SEK, EUR).",
    "PEPPOL-COMMON-R042": "A Danish CVR number (scheme 0184) is 8 digits, or DK followed by 8 digits.",
    "PEPPOL-COMMON-R049": "A Swedish organisation number (scheme 0007) is 10 digits with a valid check digit.",
    "DK-R-002": "A Danish seller must give its CVR number as legal entity "
    "(cac:PartyLegalEntity/cbc:CompanyID).",
    "DK-R-005": "A Danish seller may only use payment means 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or 97.",
    "DK-R-014": "A Danish seller's legal entity (cac:PartyLegalEntity/cbc:CompanyID) needs schemeID 0184 (CVR).",
    # OIOUBL
    "F-INV031": "The party needs an EndpointID: the EAN/GLN location number for a public-sector buyer.",
    "F-INV133": "PayableAmount must equal the calculated total (lines − allowances + charges + VAT).",
}


def hint_for(code: str) -> str | None:
    if code in HINTS:
        return HINTS[code]
    if code.startswith("xsd."):
        return "Fix the element named in the message: it is missing, misplaced or has the wrong type."
    return None
