"""The validation engine: UBL XSD with lxml, then the official compiled Schematron with saxonche.

An :class:`Engine` owns one Saxon processor and compiles each stylesheet and each XSD once, lazily,
the first time a rule set is used. It is not thread-safe: use it from one thread of one process
(the CLI's workers are spawned processes; the API keeps its engine on one dedicated thread, see
:mod:`app.validation.service`). Saxon objects never cross a thread or a fork.

Saxon is hardened: the parser refuses any DOCTYPE, and ``allowedProtocols`` is restricted so no
stylesheet function (``doc()``, ``unparsed-text()``, ``collection()``) can read a file or URL named by
the input. Documents reach Saxon only after :func:`parse_untrusted` accepted them.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from lxml import etree

from app.codes import issue as coded_issue
from app.config import get_settings
from app.errors import NordublError
from app.issues import Issue, Severity
from app.validation import sbdh
from app.validation.budget import Budget, Deadline
from app.validation.calc import explain
from app.validation.hints import hint_for
from app.validation.locate import resolve
from app.validation.report import Report, Stage
from app.validation.rulesets import (
    CBC,
    UBL_NS_PREFIX,
    RuleSet,
    UnsupportedDocument,
    all_rulesets,
    detect,
    supported_list,
)
from app.validation.xmlsafe import parse_untrusted
from app.validation.xsdtext import describe

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_ID_IN_TEXT = re.compile(r"^\s*\[([^\]]+)\]\s*-?\s*")
# Saxon configuration features (https://www.saxonica.com/documentation12/configuration/config-features.html)
ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"
DISALLOW_DOCTYPE = (
    "http://saxon.sf.net/feature/parserFeature?uri=http://apache.org/xml/features/disallow-doctype-decl"
)
#: UBL 2.3 as ph-ubl ships it imports these by namespace only: a driver schema loads them first, with
#: their location (phive's ``UBL23Marshaller`` base XSDs; standards README, ``ubl-2.3/ph-xsds/``).
UBL23_BASE = (
    ("urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2", "CCTS_CCT_SchemaModule.xsd"),
    ("http://www.w3.org/2000/09/xmldsig#", "xmldsig-core-schema.xsd"),
    ("http://uri.etsi.org/01903/v1.3.2#", "XAdES01903v132-201601.xsd"),
    ("http://uri.etsi.org/01903/v1.4.1#", "XAdES01903v141-201601.xsd"),
)
# A protocol name that does not exist: no URI scheme is allowed (an empty value means "all").
NO_PROTOCOLS = "none"


class StandardsMissing(Exception):
    """The official artifacts are not installed (run ``nordubl standards install``)."""


class OutsideFamily(Exception):
    """The document needs a rule set of a family this engine does not hold (a split validation pool
    sends the call on to a worker of that family)."""

    def __init__(self, family: str) -> None:
        super().__init__(family)
        self.family = family


def new_processor() -> Any:
    """A hardened Saxon processor (see the module docstring)."""
    from saxonche import PySaxonProcessor

    proc = PySaxonProcessor(license=False)
    proc.set_configuration_property(DISALLOW_DOCTYPE, "true")
    proc.set_configuration_property(ALLOWED_PROTOCOLS, NO_PROTOCOLS)
    return proc


class Engine:
    def __init__(
        self,
        standards_dir: Path | None = None,
        max_bytes: int | None = None,
        families: frozenset[str] | None = None,
    ) -> None:
        settings = get_settings()
        #: Rule-set families this engine validates (None: all); others raise :class:`OutsideFamily`.
        self.families = families
        self.standards_dir = Path(standards_dir or settings.standards_dir)
        self.max_bytes = max_bytes if max_bytes is not None else settings.max_xml_bytes
        self._proc: Any = None
        self._xslt: dict[str, Any] = {}
        self._xsd: dict[str, etree.XMLSchema] = {}
        self._owner = threading.get_ident()

    # -- compiled artifacts (once per engine) -------------------------------------------------
    def _path(self, rel: str) -> Path:
        p = self.standards_dir / rel
        if not p.is_file():
            raise StandardsMissing(f"{p} is missing: run `nordubl standards install`")
        return p

    def _processor(self) -> Any:
        if self._proc is None:
            self._proc = new_processor()
        return self._proc

    def schema(self, rel: str) -> etree.XMLSchema:
        """The XSD of one main document (``ubl-2.1/maindoc/UBL-Invoice-2.1.xsd``), compiled alone."""
        if rel not in self._xsd:
            self._xsd[rel] = etree.XMLSchema(etree.parse(str(self._path(rel))))
        return self._xsd[rel]

    def schema_for(self, rs: RuleSet) -> etree.XMLSchema:
        """One compiled schema per UBL version, importing the main document XSD of every rule set of that
        version: the common components (CAC, CBC, code lists) are compiled once instead of once per
        document type (about 70 MB less per engine). A document's root element selects its declaration,
        so the verdict and the messages are those of its own main document XSD."""
        key = f"ubl-{rs.ubl_version}/*"
        if key not in self._xsd:
            self._path(rs.xsd)  # StandardsMissing when the document's own XSD is not installed
            others = {r.xsd for r in all_rulesets() if r.ubl_version == rs.ubl_version}
            docs = sorted({rel for rel in others if (self.standards_dir / rel).is_file()} | {rs.xsd})
            base = UBL23_BASE if rs.ubl_version == "2.3" else ()
            imports = "".join(
                f'<xsd:import namespace="{ns}" schemaLocation="ubl-2.3/ph-xsds/{loc}"/>' for ns, loc in base
            ) + "".join(
                f'<xsd:import namespace="{UBL_NS_PREFIX}{_document(rel)}-2" schemaLocation="{rel}"/>'
                for rel in docs
            )
            wrapper = (
                '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
                f'targetNamespace="urn:nordubl:ubl-{rs.ubl_version}">{imports}</xsd:schema>'
            )
            root = etree.fromstring(wrapper.encode(), base_url=str(self.standards_dir / "wrapper.xsd"))
            self._xsd[key] = etree.XMLSchema(etree.ElementTree(root))
        return self._xsd[key]

    def stylesheet(self, rel: str) -> Any:
        if rel not in self._xslt:
            self._xslt[rel] = self._compile(self._path(rel))
        return self._xslt[rel]

    # -- the three Saxon steps (the jvm engine, app/validation/jvm.py, replaces them) ------------------
    def _compile(self, path: Path) -> Any:
        return self._processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))

    def _input_node(self, root: etree._Element) -> Any:
        return self._processor().parse_xml(xml_text=etree.tostring(root, encoding="unicode"))

    def _transform(self, xslt: Any, node: Any) -> str | bytes | None:
        result: str | None = xslt.transform_to_string(xdm_node=node)
        return result

    def warm_up(self, rulesets: list[RuleSet]) -> None:
        for rs in rulesets:
            self.schema_for(rs)
            for sheet in rs.stylesheets:
                self.stylesheet(sheet)

    # -- validation -----------------------------------------------------------------------------
    def validate(self, data: bytes, filename: str | None = None, budget: Budget | None = None) -> Report:
        """Validate one document. Never raises for bad input: the report carries the issues. Within a
        ``budget`` (the API's uploads) a document that costs more raises
        :class:`~app.validation.budget.BudgetExceeded`."""
        self._check_thread()
        deadline = budget.clock() if budget is not None else None
        if budget is not None:
            budget.check_size(len(data))
        report = Report(filename=filename)
        envelope = None
        try:
            tree = parse_untrusted(data, self.max_bytes, envelope=True)
            if sbdh.is_envelope(tree.getroot()):  # the header checked, the UBL payload validated
                envelope = sbdh.unwrap(tree.getroot())
                tree = envelope.tree
        except NordublError as err:
            report.issues.extend(err.issues)
            report.stages.append(Stage("parse", "failed", err.issues[0].code))
            return report
        if budget is not None:
            budget.check_elements(data, tree)
        root = tree.getroot()
        try:
            rs = detect(root)
        except UnsupportedDocument as exc:
            self._unsupported(exc, tree, report)
            return report
        if self.families is not None and rs.family not in self.families:
            raise OutsideFamily(rs.family)
        report.ruleset, report.release, report.document = rs.name, rs.release, rs.document
        if envelope is not None:
            report.issues.extend(envelope.issues)
            bad = any(i.severity != "warning" for i in envelope.issues)
            report.stages.append(Stage("sbdh", "failed" if bad else "passed"))
        if rs.partial is not None:
            warning = coded_issue("ruleset.partial", params={"ruleset": rs.label, "what": rs.partial})
            report.issues.append(dataclasses.replace(warning, line=_line(_customization(root))))
        if deadline is not None:
            deadline.check("xsd")
        self._run_xsd(rs, tree, report)
        self.run_rules(rs, root, report, deadline)
        return report

    def _unsupported(self, exc: UnsupportedDocument, tree: etree._ElementTree, report: Report) -> None:
        """No installed rule set checks the document: say what it is, run only its UBL 2.1 XSD (where the
        root is a UBL document type) and fail the ``ruleset`` stage, so it never reads as valid."""
        root = tree.getroot()
        report.document = exc.root_name
        what = exc.what or "a specification no installed rule set knows"
        params = {
            "document": exc.root_name,
            "what": what,
            "customization": exc.customization,
            "supported": supported_list(),
        }
        issue = coded_issue("ruleset.unsupported", value=exc.customization or None, params=params)
        where = _customization(root)
        report.issues.append(dataclasses.replace(issue, line=_line(where if where is not None else root)))
        report.stages.append(Stage("ruleset", "failed", "unsupported"))
        rel = f"ubl-2.1/maindoc/UBL-{exc.root_name}-2.1.xsd"
        if not (self.standards_dir / rel).is_file():
            report.stages.append(Stage("xsd", "not_run", f"{exc.root_name} is not a UBL 2.1 document type"))
            return
        # the shared UBL 2.1 schema where it holds this document type (Invoice, Order …), else its own
        shared = rel in {r.xsd for r in all_rulesets()}
        as_ruleset = RuleSet("unsupported", "", exc.root_name, "2.1", ())
        self._check_schema(self.schema_for(as_ruleset) if shared else self.schema(rel), tree, report)

    def _run_xsd(self, rs: RuleSet, tree: etree._ElementTree, report: Report) -> None:
        try:
            schema = self.schema_for(rs)
        except (StandardsMissing, etree.XMLSchemaParseError) as exc:
            report.stages.append(Stage("xsd", "not_run", str(exc)))
            report.issues.append(coded_issue("engine.not_run", params={"variant": "xsd", "detail": str(exc)}))
            return
        self._check_schema(schema, tree, report)

    @staticmethod
    def _check_schema(schema: etree.XMLSchema, tree: etree._ElementTree, report: Report) -> None:
        if schema.validate(tree):
            report.stages.append(Stage("xsd", "passed"))
            return
        report.stages.append(Stage("xsd", "failed"))
        for e in cast(Iterable[Any], schema.error_log):
            code = "xsd." + e.type_name.lower().removeprefix("schemav_").removeprefix("schemav")
            message, expected = describe(e.message)  # cbc:IssueDate, and what is expected, in words
            report.issues.append(
                Issue(
                    code,
                    "fatal",
                    message,
                    xpath=e.path,
                    line=e.line or None,
                    hint=hint_for(code),
                    expected=expected,
                )
            )

    def run_rules(
        self, rs: RuleSet, root: etree._Element, report: Report, deadline: Deadline | None = None
    ) -> None:
        """Run every stylesheet of the rule set on ``root``; a stylesheet that fails to run is ``not_run``.
        With a ``deadline``, no stylesheet starts once it has passed
        (:class:`~app.validation.budget.BudgetExceeded`)."""
        node = None
        for sheet in rs.stylesheets:
            name = sheet.rsplit("/", 1)[-1]
            if deadline is not None:
                deadline.check(name)
            try:
                xslt = self.stylesheet(sheet)
                if node is None:
                    node = self._input_node(root)
                svrl = self._transform(xslt, node)
                if not svrl:
                    raise RuntimeError("the stylesheet produced no output")
                # Output that is not an SVRL report means no rule was checked: "did not run" too.
                found = self._read_svrl(svrl if isinstance(svrl, bytes) else svrl.encode("utf-8"), root)
            except NordublError:  # the engine itself failed (jvm: JvmFailure, 503), not the stylesheet
                raise
            except Exception as exc:  # Saxon raises its own error types; any of them means "did not run"
                report.stages.append(Stage(name, "not_run", str(exc)[:500]))
                report.issues.append(
                    coded_issue("engine.not_run", params={"stage": name, "detail": str(exc)[:300]})
                )
                continue
            report.issues.extend(found)
            failed = any(i.severity in ("fatal", "error") for i in found)
            report.stages.append(Stage(name, "failed" if failed else "passed"))

    @staticmethod
    def _read_svrl(svrl: bytes, root: etree._Element) -> list[Issue]:
        out: list[Issue] = []
        doc = etree.fromstring(svrl, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
        if doc.tag != f"{SVRL}schematron-output":  # ISO Schematron annex D: the SVRL root element
            raise ValueError(f"the stylesheet wrote {doc.tag}, not an SVRL report")
        for el in doc.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report", "Error"):
            if el.tag == "Error":  # OIOUBL's own multi-language check writes <Error> elements
                text = (el.findtext("Description") or "").strip()
                location = (el.findtext("Xpath") or "").strip()
                flag = None
            else:
                text = " ".join("".join(str(x) for x in t.itertext()) for t in el.iter(f"{SVRL}text")).strip()
                location = el.get("location") or ""
                flag = (el.get("flag") or "").lower() or None
            m = _ID_IN_TEXT.match(text)
            code = el.get("id") or (m.group(1) if m else "schematron")
            message = text[m.end() :] if m else text
            severity: Severity
            if flag in ("warning", "information"):
                severity = "warning"
            elif flag == "error":
                severity = "error"
            elif flag is None and code.startswith("W-"):  # OIOUBL marks warnings by a "W-" rule id
                severity = "warning"
            else:
                severity = "fatal"
            node, xpath = resolve(root, location) if location else (None, None)
            found, expected = explain(code, node) or (None, None)  # calculation rules: found vs expected
            out.append(
                Issue(
                    code=code,
                    severity=severity,
                    message=" ".join(message.split()),
                    xpath=xpath,
                    line=_line(node),
                    hint=hint_for(code),
                    value=_value(node),
                    found=found,
                    expected=expected,
                )
            )
        return out

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("an Engine must stay on the thread that created it (Saxon is not thread-safe)")


def _document(rel: str) -> str:
    """``ubl-2.1/maindoc/UBL-Invoice-2.1.xsd`` → ``Invoice``."""
    return rel.rsplit("/", 1)[-1].removeprefix("UBL-").rsplit("-", 1)[0]


def _customization(root: etree._Element) -> etree._Element | None:
    return root.find(f"{{{CBC}}}CustomizationID")


def _line(node: etree._Element | None) -> int | None:
    line = node.sourceline if node is not None else None
    return line if isinstance(line, int) else None


def _value(node: etree._Element | None) -> str | None:
    if node is None or len(node):
        return None
    text = (node.text or "").strip()
    return text[:200] or None


_engines = threading.local()


def default_engine() -> Engine:
    """This thread's engine (one per thread of a process; the API uses a single thread)."""
    eng: Engine | None = getattr(_engines, "engine", None)
    if eng is None:
        eng = Engine()
        _engines.engine = eng
    return eng


def validate(data: bytes, filename: str | None = None) -> Report:
    """Validate one UBL document with the official rules; see :meth:`Engine.validate`."""
    return default_engine().validate(data, filename)
