"""Hints for the OIOUBL rules (``DK-R-*``; OIOUBL 2.1 ``F-LIB*`` common, ``F-INV*`` invoice, ``F-CRN*``
credit note)."""

from __future__ import annotations

from app.i18n import NP_

HINTS: dict[str, str] = {
    # OIOUBL
    "F-INV031": NP_(
        "rule hint",
        "The party needs an EndpointID: the EAN/GLN location number for a public-sector buyer.",
    ),
    "F-INV133": NP_(
        "rule hint",
        "PayableAmount must equal the calculated total (lines − allowances + charges + VAT).",
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
}
