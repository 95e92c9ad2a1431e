"""The codes of a request the service refuses before reading an order (``input.*``: its body, content
type, language, profile, logo) and of the batch loader's paths, files and archive entries
(:mod:`app.batch.loader`).
"""

from __future__ import annotations

from app.codes.code import Code
from app.i18n import NP_

CODES: dict[str, Code] = {
    "input.body_timeout": Code(
        "fatal",
        "body",
        NP_(
            "input.body_timeout",
            "The request body did not arrive within {seconds} s (upload_timeout_seconds); {received} bytes "
            "were received.",
        ),
        NP_(
            "input.body_timeout",
            "Send the body at a steady pace, or raise NORDUBL_UPLOAD_TIMEOUT_SECONDS on the server.",
        ),
        variants={
            "idle": (
                NP_(
                    "input.body_timeout:idle",
                    "Nothing of the request body arrived for {seconds} s (upload_idle_timeout_seconds) after "
                    "{received} bytes.",
                ),
                NP_(
                    "input.body_timeout:idle",
                    "Send the whole body without pausing (and the Content-Length it has), or raise "
                    "NORDUBL_UPLOAD_IDLE_TIMEOUT_SECONDS on the server.",
                ),
            ),
        },
    ),
    "input.content_type": Code(
        "fatal",
        "body",
        NP_("input.content_type", "The request's Content-Type is {content_type}."),
        NP_(
            "input.content_type",
            "Send multipart/form-data with the files (field name: files), or one archive as "
            "application/zip, or one document as application/xml.",
        ),
        variants={
            "missing": (
                NP_("input.content_type:missing", "The request's Content-Type is missing."),
                None,
            ),
        },
    ),
    # BG-3: a credit note names the invoice it corrects
    "input.credited_invoice_missing": Code(
        "fatal",
        "credited_invoice.id",
        NP_("input.credited_invoice_missing", "A credit note must name the invoice it corrects (BG-3)."),
        NP_(
            "input.credited_invoice_missing",
            "Give the number of the invoice being credited (--invoice-ref on the command line).",
        ),
    ),
    "input.csv": Code(
        "fatal",
        None,
        NP_("input.csv", "Line {line} has more cells than the header."),
        NP_("input.csv", "Quote cells that contain the separator."),
    ),
    "input.encoding": Code(
        "fatal",
        None,
        NP_("input.encoding", "The file is not UTF-8."),
        NP_("input.encoding", "Save it as UTF-8."),
    ),
    # DK-R-010 / DK-R-011: FIK +71 has 15 digits, +75 16
    "input.fik_payment_id": Code(
        "fatal",
        "payment_id",
        NP_("input.fik_payment_id", "FIK payment id '{value}' is not a +{card} payment id ({width} digits)."),
        NP_(
            "input.fik_payment_id",
            "Give the {width}-digit payment id of the payment slip, or leave payment_id out to have it made "
            "from the invoice number.",
        ),
    ),
    "input.lang": Code(
        "fatal",
        "lang",
        NP_("input.lang", "No PDF language '{value}'."),
        NP_("input.lang", "Use one of: nb, da, sv, en."),
    ),
    "input.logo": Code(
        "fatal",
        "logo",
        NP_("input.logo", "The logo is neither a PNG nor a JPEG."),
        NP_("input.logo", "Use a PNG or JPEG file."),
        variants={
            "size": (
                NP_("input.logo:size", "The logo is {size} bytes; the limit is {limit}."),
                NP_("input.logo:size", "Use a smaller PNG or JPEG (a few hundred kB is plenty)."),
            ),
            "unreadable": (
                NP_("input.logo:unreadable", "The logo cannot be read: {detail}"),
                NP_("input.logo:unreadable", "Use a PNG or JPEG file that an image program opens."),
            ),
            "pixels": (
                NP_("input.logo:pixels", "The logo is {width}×{height} pixels."),
                NP_("input.logo:pixels", "Use a logo of at most 4096×4096 pixels."),
            ),
        },
    ),
    # RFC 7578
    "input.multipart": Code(
        "fatal",
        "body",
        NP_("input.multipart", "The multipart body cannot be read: {detail}"),
        NP_("input.multipart", "Send the files as a form upload."),
    ),
    "input.no_documents": Code(
        "fatal",
        "files",
        NP_(
            "input.no_documents",
            "The upload holds no file to validate (archives are searched for *.xml entries).",
        ),
        NP_("input.no_documents", "Choose one or more UBL XML files, or a zip archive of them."),
    ),
    # OIOUBL F-LIB315: one subtotal per tax category
    "input.oioubl_vat_rates": Code(
        "fatal",
        None,
        NP_(
            "input.oioubl_vat_rates",
            "OIOUBL carries one standard VAT rate per invoice (F-LIB315); the form has {value}.",
        ),
        NP_(
            "input.oioubl_vat_rates", "Split the order into one invoice per VAT rate, or use profile peppol."
        ),
    ),
    "input.out_of_range": Code(
        "fatal",
        None,
        NP_(
            "input.out_of_range",
            "A number in the path or the query is larger than any identifier, count or offset can be.",
        ),
        NP_(
            "input.out_of_range",
            "Send a number below 2^63 (identifiers, limits and offsets are 64-bit integers).",
        ),
    ),
    "input.profile": Code(
        "fatal",
        "profile",
        NP_("input.profile", "No invoice profile '{value}'."),
        NP_("input.profile", "Use one of: {profiles}."),
        variants={
            "order": (
                NP_("input.profile:order", "No order profile '{value}'."),
                None,
            ),
            "creditnote": (
                NP_("input.profile:creditnote", "No credit note profile '{value}'."),
                None,
            ),
            # EHF-T01-B06901 / B03301: an EHF order's parties are identified by Norwegian org. numbers
            "ehf_order": (
                NP_(
                    "input.profile:ehf_order",
                    "An EHF order identifies the seller by a Norwegian organisation number (scheme 0192); "
                    "this account's seller is in {country}.",
                ),
                NP_(
                    "input.profile:ehf_order",
                    "Use profile peppol (Peppol BIS Order only) for a seller outside Norway, or leave the "
                    "profile out to have it chosen.",
                ),
            ),
        },
    ),
    # OIOUBL: the buyer is addressed by EAN (GLN, scheme 0088) or CVR
    "input.ean_missing": Code(
        "fatal",
        "customer.ean",
        NP_(
            "input.ean_missing",
            "An OIOUBL document is addressed to the customer's EAN (GLN) location number or CVR number; the "
            "form has neither.",
        ),
        NP_(
            "input.ean_missing",
            "Fill in the customer's 13-digit EAN number (or the Danish CVR number), or choose another profile.",
        ),
    ),
    # the request body (app/api/deps.py, field body) and one file of a batch (app/batch/loader.py)
    "input.too_large": Code(
        "fatal",
        None,
        NP_(
            "input.too_large", "The {what} is at least {size} bytes; the limit ({setting}) is {limit} bytes."
        ),
        NP_("input.too_large", "Send a smaller {what}, or raise NORDUBL_{setting_env} on the server."),
        variants={
            "file": (
                NP_(
                    "input.too_large:file", "The file is {size} bytes; the limit (max_xml_bytes) is {limit}."
                ),
                NP_("input.too_large:file", "Split the document, or raise NORDUBL_MAX_XML_BYTES."),
            ),
            "file_more": (
                NP_(
                    "input.too_large:file_more",
                    "The file is more than {size} bytes; the limit (max_xml_bytes) is {limit}.",
                ),
                NP_("input.too_large:file_more", "Split the document, or raise NORDUBL_MAX_XML_BYTES."),
            ),
            "entry": (
                NP_(
                    "input.too_large:entry",
                    "The entry declares {size} bytes; the limit (max_xml_bytes) is {limit}.",
                ),
                NP_("input.too_large:entry", "Split the document, or raise NORDUBL_MAX_XML_BYTES."),
            ),
        },
    ),
    # -- the batch loader's refusals (app/batch/loader.py): one path, file or archive entry each --
    "input.unreadable": Code(
        "fatal",
        None,
        NP_("input.unreadable", "The input cannot be read: {detail}."),
        NP_("input.unreadable", "Check the path and its permissions."),
        variants={
            "zip": (
                NP_(
                    "input.unreadable:zip", "The input cannot be read: not a readable zip archive ({detail})."
                ),
                None,
            ),
        },
    ),
    "input.too_many_files": Code(
        "fatal",
        None,
        NP_(
            "input.too_many_files",
            "More than {limit} files were given; the limit (batch_max_files) is {limit}. This file and every "
            "one after it were not validated.",
        ),
        NP_("input.too_many_files", "Validate in smaller batches, or raise NORDUBL_BATCH_MAX_FILES."),
        variants={
            # POST /v1/validate/batch (app/api/routes/batch.py)
            "http": (
                NP_(
                    "input.too_many_files:http",
                    "The batch holds at least {count} documents; the limit (batch_http_max_files) is {limit}.",
                ),
                NP_(
                    "input.too_many_files:http",
                    "Validate in smaller batches, or raise NORDUBL_BATCH_HTTP_MAX_FILES on the server.",
                ),
            ),
        },
    ),
    # APPNOTE.TXT 4.4.17: an entry name is a relative path
    "input.zip_absolute": Code(
        "fatal",
        None,
        NP_("input.zip_absolute", "The entry name '{entry_name}' is an absolute path."),
        NP_("input.zip_absolute", "Archive entries must be relative paths inside it."),
    ),
    "input.zip_traversal": Code(
        "fatal",
        None,
        NP_("input.zip_traversal", "The entry name '{entry_name}' climbs out of the archive ('..')."),
        NP_("input.zip_traversal", "Archive entries must be relative paths inside it."),
    ),
    "input.zip_symlink": Code(
        "fatal",
        None,
        NP_("input.zip_symlink", "The entry is a symbolic link."),
        NP_("input.zip_symlink", "Put the file itself in the archive."),
    ),
    "input.zip_overlap": Code(
        "fatal",
        None,
        NP_(
            "input.zip_overlap",
            "The entry's data overlaps another entry or the central directory (a zip bomb technique).",
        ),
        NP_("input.zip_overlap", "Re-create the archive with a standard zip tool."),
    ),
    # APPNOTE.TXT 4.4.4 bit 0
    "input.zip_encrypted": Code(
        "fatal",
        None,
        NP_("input.zip_encrypted", "The entry is encrypted."),
        NP_("input.zip_encrypted", "Send the archive unencrypted."),
    ),
    "input.zip_nested": Code(
        "fatal",
        None,
        NP_("input.zip_nested", "The entry is itself a zip archive; nested archives are not opened."),
        NP_("input.zip_nested", "Put the XML files directly in one archive."),
    ),
    # {detail}: zlib's or zipfile's words
    "input.zip_corrupt": Code(
        "fatal",
        None,
        NP_("input.zip_corrupt", "The entry cannot be decompressed: {detail}."),
        NP_(
            "input.zip_corrupt",
            "Re-create the archive with a standard zip tool (deflate or stored, no encryption).",
        ),
        variants={
            "header": (
                NP_(
                    "input.zip_corrupt:header",
                    "The entry has no valid local header at the offset the central directory gives.",
                ),
                NP_("input.zip_corrupt:header", "Re-create the archive."),
            ),
        },
    ),
    "input.zip_too_many_entries": Code(
        "fatal",
        None,
        NP_(
            "input.zip_too_many_entries",
            "The archive has {count} entries (or a central directory too large for the limit); the limit "
            "(zip_max_entries) is {limit}.",
        ),
        NP_("input.zip_too_many_entries", "Split the archive, or raise NORDUBL_ZIP_MAX_ENTRIES."),
    ),
    "input.zip_bomb": Code(
        "fatal",
        None,
        NP_(
            "input.zip_bomb",
            "The entry declares {size} bytes from {compressed} compressed (ratio {ratio}:1); the limit "
            "(zip_max_ratio) is {limit}:1.",
        ),
        NP_("input.zip_bomb", "Raise NORDUBL_ZIP_MAX_RATIO only for archives you trust."),
        variants={
            "inflates": (
                NP_(
                    "input.zip_bomb:inflates",
                    "The entry inflates to more than {size} bytes from {compressed} compressed (ratio "
                    "{ratio}:1); the limit (zip_max_ratio) is {limit}:1.",
                ),
                None,
            ),
            "past_declared": (
                NP_(
                    "input.zip_bomb:past_declared",
                    "The entry inflates past its declared size of {size} bytes.",
                ),
                NP_("input.zip_bomb:past_declared", "Re-create the archive with a standard zip tool."),
            ),
            "total": (
                NP_(
                    "input.zip_bomb:total",
                    "The archive decompresses to more than {limit} bytes in total; the limit is "
                    "zip_max_uncompressed_bytes.",
                ),
                NP_(
                    "input.zip_bomb:total",
                    "Split the archive, or raise NORDUBL_ZIP_MAX_UNCOMPRESSED_BYTES for archives you trust.",
                ),
            ),
            "archive_ratio": (
                NP_(
                    "input.zip_bomb:archive_ratio",
                    "The archive as a whole decompresses to more than {limit} times its {size} bytes; the "
                    "limit (zip_max_ratio) is {limit}:1.",
                ),
                NP_(
                    "input.zip_bomb:archive_ratio",
                    "Split the archive, or raise NORDUBL_ZIP_MAX_RATIO for archives you trust.",
                ),
            ),
        },
    ),
}
