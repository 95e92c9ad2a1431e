"""Hints for the EN 16931 rules (``BR-*``, ``BR-CO-*``, ``BR-CL-*``, the VAT categories): totals,
parties and identifiers, code lists, mandatory content, the VAT breakdown, allowances and charges."""

from __future__ import annotations

from app.i18n import NP_

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
}
