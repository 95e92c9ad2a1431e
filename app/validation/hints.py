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
    "BR-CO-25": "A positive amount due needs a due date (BT-9) or payment terms (BT-20).",
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
