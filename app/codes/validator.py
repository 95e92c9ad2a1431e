"""The validator's codes: documents refused before any rule ran (``xml.*``), the API's validation budget
(``validation.*``), the engine that could not run (``engine.*``), the SBDH envelope (``sbdh.*``) and the
rule sets that check a document (``ruleset.*``).
"""

from __future__ import annotations

from app.codes.code import Code
from app.i18n import NP_

CODES: dict[str, Code] = {
    # the validator: a document no installed rule set checks (app/validation/rulesets/)
    "ruleset.unsupported": Code(
        "fatal",
        "cbc:CustomizationID",
        NP_(
            "ruleset.unsupported",
            "No installed rule set checks this {document}: {what} (CustomizationID \u201c{customization}\u201d). "
            "Only the UBL schema (XSD) was checked, so the document is not reported as valid.",
        ),
        NP_(
            "ruleset.unsupported",
            "Validate it with a validator for {what}. The rule sets installed here: {supported}.",
        ),
    ),
    # the validator: a national specialisation checked by the rules it specialises only
    "ruleset.partial": Code(
        "warning",
        "cbc:CustomizationID",
        NP_(
            "ruleset.partial",
            "Checked with {ruleset} only: the document follows {what}, a specialisation of it whose own "
            "national rules are not installed and were not run.",
        ),
        NP_(
            "ruleset.partial",
            "Have the national rules of {what} checked by their own validator as well before sending the "
            "document.",
        ),
    ),
    # -- the validator's own codes: documents refused before any rule ran (app/validation/xmlsafe.py) --
    "xml.too_large": Code(
        "fatal",
        None,
        NP_("xml.too_large", "The document is {size} bytes; the limit (max_xml_bytes) is {limit}."),
        NP_("xml.too_large", "Split the document or raise NORDUBL_MAX_XML_BYTES."),
    ),
    "xml.empty": Code(
        "fatal",
        None,
        NP_("xml.empty", "The file is empty."),
        NP_("xml.empty", "Send a UBL XML document."),
    ),
    # XXE and entity expansion: a DOCTYPE is refused before parsing
    "xml.doctype_forbidden": Code(
        "fatal",
        None,
        NP_("xml.doctype_forbidden", "The document has a DOCTYPE declaration; UBL documents never need one."),
        NP_("xml.doctype_forbidden", "Remove the <!DOCTYPE …> declaration (and any entity declarations)."),
    ),
    # {detail}: libxml2's words
    "xml.malformed": Code(
        "fatal",
        None,
        NP_("xml.malformed", "The file is not well-formed XML: {detail}"),
        NP_("xml.malformed", "Fix the XML syntax."),
        variants={
            "unparsable": (
                NP_("xml.malformed:unparsable", "The file could not be parsed: {detail}"),
                NP_("xml.malformed:unparsable", "Send the raw bytes."),
            ),
        },
    ),
    "xml.encoding": Code(
        "fatal",
        None,
        NP_("xml.encoding", "The file is not well-formed XML: {detail}"),
        NP_("xml.encoding", "Fix the XML syntax."),
    ),
    "xml.not_ubl": Code(
        "fatal",
        None,
        NP_("xml.not_ubl", "The root element {element} is not a UBL document."),
        NP_(
            "xml.not_ubl",
            "Send a UBL 2.1 Invoice, CreditNote, Order or OrderResponse (root in the UBL namespace).",
        ),
        variants={
            # an SBDH envelope (app/validation/sbdh.py) holds exactly one UBL document
            "envelope_empty": (
                NP_(
                    "xml.not_ubl:envelope_empty",
                    "The StandardBusinessDocument (SBDH envelope) holds no UBL document; it must hold exactly "
                    "one.",
                ),
                NP_(
                    "xml.not_ubl:envelope_empty",
                    "Put one UBL document (Invoice, CreditNote, Order …) after the header.",
                ),
            ),
            "envelope_many": (
                NP_(
                    "xml.not_ubl:envelope_many",
                    "The StandardBusinessDocument (SBDH envelope) holds {count} UBL documents; it must hold "
                    "exactly one.",
                ),
                NP_(
                    "xml.not_ubl:envelope_many",
                    "Put one UBL document (Invoice, CreditNote, Order …) after the header.",
                ),
            ),
        },
    ),
    # libxml2's limits without XML_PARSE_HUGE (parserInternals.h)
    "xml.too_deep": Code(
        "fatal",
        None,
        NP_(
            "xml.too_deep",
            "The elements are nested more than {limit} levels deep (the parser's limit); a UBL document nests "
            "about 10 levels.",
        ),
        NP_(
            "xml.too_deep",
            "Check that every element is closed where it should be: an unclosed start tag repeated in a loop "
            "nests each element inside the previous one.",
        ),
    ),
    "xml.text_too_long": Code(
        "fatal",
        None,
        NP_(
            "xml.text_too_long",
            "A text or attribute value is longer than {limit} characters (the parser's limit for one value).",
        ),
        NP_(
            "xml.text_too_long",
            "Shorten the value: an attachment belongs in cbc:EmbeddedDocumentBinaryObject, base64-encoded, and "
            "should stay well below this size; or link it with cbc:URI.",
        ),
    ),
    "xml.name_too_long": Code(
        "fatal",
        None,
        NP_(
            "xml.name_too_long",
            "An element or attribute name is longer than {limit} characters (the parser's limit).",
        ),
        NP_(
            "xml.name_too_long",
            "Use the UBL element names (cbc:…, cac:…): none is longer than a few dozen characters.",
        ),
    ),
    # jdk.xml.elementAttributeLimit
    "xml.too_many_attributes": Code(
        "fatal",
        None,
        NP_(
            "xml.too_many_attributes",
            "The element {element} has {count} attributes; an XML parser accepts at most {limit} on one "
            "element (jdk.xml.elementAttributeLimit).",
        ),
        NP_("xml.too_many_attributes", "Remove the extra attributes: a UBL element has at most a few."),
    ),
    # -- the API's validation budget (app/validation/budget.py) --
    "validation.too_large": Code(
        "fatal",
        "body",
        NP_(
            "validation.too_large",
            "The document is {size} bytes; this service validates at most {limit} bytes per document "
            "(validation_budget_bytes).",
        ),
        NP_(
            "validation.too_large",
            "Split the document into smaller ones, or validate it without a budget on your own machine: "
            "`nordubl validate FILE`.",
        ),
    ),
    "validation.too_many_elements": Code(
        "fatal",
        "body",
        NP_(
            "validation.too_many_elements",
            "The document has {count} elements; this service validates at most {limit} per document "
            "(validation_budget_elements), which keeps the official rules within a few seconds.",
        ),
        NP_(
            "validation.too_many_elements",
            "Split the document into smaller ones (an invoice of 10,000 lines has about 230,000 elements), or "
            "validate it without a budget on your own machine: `nordubl validate FILE`.",
        ),
    ),
    "validation.over_budget": Code(
        "fatal",
        "body",
        NP_(
            "validation.over_budget",
            "Validating the document took {spent} s before the stage {stage}; this service spends at most "
            "{seconds} s on one document (validation_budget_seconds).",
        ),
        NP_(
            "validation.over_budget",
            "Split the document into smaller ones, or validate it without a budget on your own machine: "
            "`nordubl validate FILE`.",
        ),
    ),
    # -- the validation engine itself (app/validation/engine.py, pool.py, jvm.py; app/batch/) --
    # {detail}: the exception's words (Saxon's, lxml's, the missing file)
    "engine.not_run": Code(
        "fatal",
        None,
        NP_("engine.not_run", "The rule stage {stage} did not run: {detail}"),
        NP_(
            "engine.not_run",
            "Run nordubl standards install (an official artifact may be missing or damaged); if the stage "
            "still does not run, report the document to the maintainers.",
        ),
        variants={
            "xsd": (NP_("engine.not_run:xsd", "The XSD stage did not run: {detail}"), None),
        },
    ),
    # one file of a batch (app/batch/result.py): the batch goes on without it
    "engine.crashed": Code(
        "fatal",
        None,
        NP_("engine.crashed", "The validation engine failed: {detail}"),
        NP_(
            "engine.crashed",
            "Validate this file on its own; if it crashes again, report the file to the maintainers.",
        ),
        variants={
            "worker_died": (
                NP_(
                    "engine.crashed:worker_died",
                    "The worker process died while validating this file ({reason}).",
                ),
                None,
            ),
            # the engine's own refusal of this file, its messages as {detail}
            "refused": (NP_("engine.crashed:refused", "{detail}"), None),
            # the validation pool (app/validation/pool.py, 503): a retry goes to a fresh worker
            "pool": (
                NP_(
                    "engine.crashed:pool",
                    "The validation worker stopped while handling this request ({detail}); it has been "
                    "replaced and nothing was produced.",
                ),
                NP_(
                    "engine.crashed:pool",
                    "Retry the request (with the same Idempotency-Key where the endpoint takes one).",
                ),
            ),
        },
    ),
    "engine.jvm_unavailable": Code(
        "fatal",
        "validation_engine",
        NP_(
            "engine.jvm_unavailable",
            "The jvm validation engine (setting validation_engine) cannot start: {detail}",
        ),
        NP_(
            "engine.jvm_unavailable",
            "Install a Java 17 runtime (Debian: apt-get install openjdk-17-jre-headless; "
            "scripts/install-system.sh ci does it) and the jvm extra (pip install 'nordubl[jvm]': JPype1, "
            "saxonhe4py), or validate with the saxonche engine (NORDUBL_VALIDATION_ENGINE=saxonche, --engine "
            "saxonche).",
        ),
    ),
    "engine.failed": Code(
        "fatal",
        None,
        NP_(
            "engine.failed",
            "The validation engine failed on this document ({detail}); nothing was produced and the service "
            "goes on.",
        ),
        NP_(
            "engine.failed",
            "Retry the request; if it fails again, the document needs more than the engine's heap "
            "(NORDUBL_JVM_HEAP_MB) or stack (NORDUBL_JVM_THREAD_STACK_KB).",
        ),
    ),
    # -- the SBDH envelope (app/validation/sbdh.py; Peppol Business Message Envelope 2.0) --
    "sbdh.missing": Code(
        "error",
        None,
        NP_("sbdh.missing", "The SBDH header has no {path}."),
        NP_(
            "sbdh.missing",
            "Correct the StandardBusinessDocumentHeader, or send the UBL document without the envelope.",
        ),
        variants={
            "header": (NP_("sbdh.missing:header", "The StandardBusinessDocumentHeader is missing."), None),
            "scope": (
                NP_("sbdh.missing:scope", "The SBDH header has no BusinessScope/Scope of Type {scope}."),
                None,
            ),
        },
    ),
    "sbdh.mismatch": Code(
        "error",
        None,
        NP_(
            "sbdh.mismatch",
            "DocumentIdentification/Standard is '{found}', but the payload is in {namespace}.",
        ),
        NP_(
            "sbdh.mismatch",
            "Correct the StandardBusinessDocumentHeader, or send the UBL document without the envelope.",
        ),
        variants={
            "type": (
                NP_(
                    "sbdh.mismatch:type",
                    "DocumentIdentification/Type is '{found}', but the payload is a {element}.",
                ),
                None,
            ),
            # Peppol Policy for use of identifiers §5: <root namespace>::<root name>##<CustomizationID>::<version>
            "documentid": (
                NP_(
                    "sbdh.mismatch:documentid",
                    "The DOCUMENTID scope names '{found}', but the payload is {namespace}::{element}.",
                ),
                None,
            ),
            "customization": (
                NP_(
                    "sbdh.mismatch:customization",
                    "The DOCUMENTID scope names the CustomizationID '{found}', but the payload's is "
                    "'{customization}'.",
                ),
                None,
            ),
            "processid": (
                NP_(
                    "sbdh.mismatch:processid",
                    "The PROCESSID scope is '{found}', but the payload's ProfileID is '{profile}'.",
                ),
                None,
            ),
        },
    ),
    "sbdh.unwrapped": Code(
        "warning",
        None,
        NP_(
            "sbdh.unwrapped",
            "The file is an SBDH envelope: its {element} payload (line {line}) was validated, and the header "
            "checked.",
        ),
        NP_("sbdh.unwrapped", "Nothing to fix: a note that the envelope was taken off."),
        variants={
            "no_line": (
                NP_(
                    "sbdh.unwrapped:no_line",
                    "The file is an SBDH envelope: its {element} payload (after the header) was validated, "
                    "and the header checked.",
                ),
                None,
            ),
        },
    ),
}
