"""Reporters: write the stream of :class:`~app.batch.result.FileResult` as text, JSON, JUnit XML or a
summary. Registered by name in :data:`REPORTERS` (``--format NAME``); each one writes its document to
``out`` as results arrive (nothing but totals is kept in memory) and is closed by :meth:`finish`.

``text``
    One line per issue, ``file:line: severity code [rule set release] message (found …; expected …)
    [field …] — hint`` (the format of :func:`app.terminal.issue_line`; the rule set is ``[no rule set]`` for an
    input refused before one was chosen); valid files without warnings print nothing. A final summary line goes
    to ``err``: ``nordubl validate: 600 files: 540 valid, 55 invalid, 5 unreadable (12.3 s)``.

Every format shows a file name's control characters escaped, so a name such as
``"a\\x1b[2J\\n1 files, 1 valid.xml"`` cannot clear the screen or print a line of its own: ``text`` and
``summary`` as ``\\x1b`` and ``\\n`` (:func:`app.terminal.printable`), ``json`` and ``junit`` as their
own escapes (``\\u001b``, ``&#10;``), which decode to the name itself.

``json``
    A JSON list, one object per input and per line, each exactly
    :meth:`app.validation.report.Report.as_dict`::

        [{"file": "in/a.xml",            # the input's name; zip entries as "archive.zip!inner/a.xml"
          "valid": false,
          "ruleset": "peppol-billing", "release": "2026.5", "document": "Invoice",   # null if refused
          "counts": {"fatal": 1, "error": 0, "warning": 2},
          "stages": [{"name": "xsd", "status": "passed"},
                     {"name": "CEN-EN16931-UBL.xslt", "status": "failed"}],
          "issues": [{"code": "BR-CO-15", "severity": "fatal", "message": "…",
                      "xpath": "/Invoice", "line": 2, "hint": "…", "value": "…"}]}]

    Keys of an issue with no value are left out. An input refused before validation has one stage
    ``{"name": "input", "status": "failed", "detail": CODE}`` and one ``input.*`` issue; a file whose
    worker died has the stage ``engine`` (``not_run``) and the issue ``engine.crashed``.

``junit``
    JUnit XML for CI systems: one ``<testsuite name="nordubl validate">`` with one ``<testcase>`` per
    input (``name`` = the input's name, ``time`` = seconds in the engine). An invalid document has one
    ``<failure type="FIRST-CODE" message="…">`` whose text lists every fatal/error issue, one per line;
    an input that could not be validated (refused, unreadable, engine crashed or a stage not run) has an
    ``<error>`` instead; warnings go to ``<system-out>``.

``csv``
    RFC 4180, one line per issue (one with empty issue fields for a file without issues), under the
    header ``file,verdict,ruleset,release,document,severity,code,line,xpath,value,found,expected,message,
    hint``: every line names the rule set and release. A cell that a spreadsheet would read as a formula
    (``= + - @``, tab or carriage return at its start or after a separator) gets a leading ``'`` (OWASP
    "CSV injection"), as the page's CSV does; control characters are escaped as in ``text``.

``summary``
    Two tables: files per verdict (valid, invalid, unreadable, total) and, per rule id and severity,
    how many files had it and how many times it fired, most frequent first::

        verdict       files
        valid           540
        …
        code                                severity   files  issues
        BR-CO-15                            fatal         12      12
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from app.batch.result import FileResult, Tally
from app.issues import Issue
from app.terminal import issue_line, printable

#: Characters XML 1.0 cannot carry (§2.2 Char), replaced in JUnit output.
_NOT_XML_CHAR = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Characters XML and JSON carry raw but a terminal acts on: DEL, C1 controls (U+009B is CSI), line and
#: paragraph separators, bidi formatting (Unicode TR #9). Written as character references / JSON escapes.
_DISPLAY_CONTROL = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SPOOL_BYTES = 8 * 1024 * 1024


class Reporter:
    """Base class: ``start()``, then ``add(result)`` per input, then ``finish(tally)``."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err

    def start(self) -> None:
        return None

    def add(self, result: FileResult) -> None:
        raise NotImplementedError

    def finish(self, tally: Tally) -> None:
        return None


REPORTERS: dict[str, type[Reporter]] = {}


def register(name: str) -> Callable[[type[Reporter]], type[Reporter]]:
    def deco(cls: type[Reporter]) -> type[Reporter]:
        REPORTERS[name] = cls
        return cls

    return deco


def applied(result: FileResult) -> str:
    """The rule set and release a report's lines name (``peppol-billing 2026.5``)."""
    return result.report.label or "no rule set"


def get_reporter(name: str, out: TextIO, err: TextIO) -> Reporter:
    try:
        return REPORTERS[name](out, err)
    except KeyError:
        raise ValueError(f"unknown report format {name!r}; choose from {', '.join(REPORTERS)}") from None


@register("text")
class TextReporter(Reporter):
    def add(self, result: FileResult) -> None:
        report = result.report
        for issue in report.issues:
            print(issue_line(result.name, issue, applied(result)), file=self.out)
        if not report.issues and not report.valid:  # a stage that did not run fails the file
            line = (
                f"{printable(result.name)}: fatal engine.not_run [{applied(result)}] a rule stage did not run"
            )
            print(line, file=self.out)

    def finish(self, tally: Tally) -> None:
        self.out.flush()
        print(f"nordubl validate: {tally.line()}", file=self.err)


@register("json")
class JsonReporter(Reporter):
    def start(self) -> None:
        self._first = True
        self.out.write("[")

    def add(self, result: FileResult) -> None:
        self.out.write("\n" if self._first else ",\n")
        self._first = False
        # one input per line: still one JSON document, and greppable, and written by the C encoder; C0
        # controls are escaped by the encoder (RFC 8259 §7), the other display controls here, as \uXXXX
        text = json.dumps(result.report.as_dict(), ensure_ascii=False)
        self.out.write(_DISPLAY_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))

    def finish(self, tally: Tally) -> None:
        self.out.write("\n]\n")


def _xml(text: str) -> str:
    """Character data: the three characters XML 1.0 reserves there escaped (§2.4), the rest kept."""
    text = _NOT_XML_CHAR.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _DISPLAY_CONTROL.sub(lambda m: f"&#x{ord(m.group()):x};", text)  # §4.1 character references


def _attr(text: str) -> str:
    """A double-quoted attribute value (§3.3.3: white space other than a space is escaped too)."""
    value = _xml(text).replace('"', "&quot;")
    return '"' + value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


@register("junit")
class JunitReporter(Reporter):
    """Test cases are spooled (in memory up to 8 MiB, then a temporary file) so the totals can lead."""

    def start(self) -> None:
        # closed in finish(), after the cases are copied out
        self._cases = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8"
        )
        self._failures = 0
        self._errors = 0

    def add(self, result: FileResult) -> None:
        report = result.report
        bad = [i for i in report.issues if i.severity in ("fatal", "error")]
        warnings = [i for i in report.issues if i.severity == "warning"]
        could_not_run = result.verdict == "unreadable" or any(
            s.name in ("input", "engine") or s.status == "not_run" for s in report.stages
        )
        w = self._cases.write
        w(
            f'    <testcase classname="nordubl.validate" name={_attr(result.name)} time="{result.seconds:.3f}">\n'
        )
        if not report.valid:
            tag = "error" if could_not_run else "failure"
            if tag == "error":
                self._errors += 1
            else:
                self._failures += 1
            first = bad[0].code if bad else "engine.not_run"
            codes = sorted({i.code for i in bad}) or ["engine.not_run"]
            message = f"{len(bad)} issue(s): {', '.join(codes[:10])}" + (" …" if len(codes) > 10 else "")
            body = "\n".join(issue_line(result.name, i, applied(result)) for i in bad)
            body = body or "a rule stage did not run"
            w(f"      <{tag} type={_attr(first)} message={_attr(message)}>{_xml(body)}</{tag}>\n")
        if warnings:
            text = "\n".join(issue_line(result.name, i, applied(result)) for i in warnings)
            w(f"      <system-out>{_xml(text)}</system-out>\n")
        w("    </testcase>\n")

    def finish(self, tally: Tally) -> None:
        counts = f'tests="{tally.files}" failures="{self._failures}" errors="{self._errors}"'
        seconds = f'time="{tally.elapsed:.3f}"'
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="nordubl validate" {counts} {seconds}>\n')
        self.out.write(f'  <testsuite name="nordubl validate" {counts} skipped="0" {seconds}>\n')
        self._cases.seek(0)
        while chunk := self._cases.read(1 << 16):
            self.out.write(chunk)
        self._cases.close()
        self.out.write("  </testsuite>\n</testsuites>\n")


#: OWASP "CSV injection": a cell starting with one of these is a formula to a spreadsheet; so is the text
#: after a separator a reader may split on (";", tab, a line break) inside the cell (the page's rules,
#: app/web/static/validate.js csvField).
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n][ \"']*)(?=[=+\-@\t\r])")
CSV_FIELDS = (
    "file",
    "verdict",
    "ruleset",
    "release",
    "document",
    "severity",
    "code",
    "line",
    "xpath",
    "value",
    "found",
    "expected",
    "message",
    "hint",
)


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    if _FORMULA_START.match(text):
        text = "'" + text
    return printable(text)


@register("csv")
class CsvReporter(Reporter):
    def start(self) -> None:
        self._writer = csv.writer(self.out, lineterminator="\r\n")
        self._writer.writerow(CSV_FIELDS)

    def add(self, result: FileResult) -> None:
        report = result.report
        base = [result.name, report.verdict, report.ruleset, report.release, report.document]
        issues: list[Issue | None] = list(report.issues) or [None]
        for issue in issues:
            fields = (
                [
                    issue.severity,
                    issue.code,
                    issue.line,
                    issue.xpath,
                    issue.value,
                    issue.found,
                    issue.expected,
                    issue.message,
                    issue.hint,
                ]
                if issue is not None
                else [None] * 9
            )
            self._writer.writerow([_csv_cell(v) for v in [*base, *fields]])


@register("summary")
class SummaryReporter(Reporter):
    def start(self) -> None:
        self._files: Counter[tuple[str, str]] = Counter()
        self._issues: Counter[tuple[str, str]] = Counter()

    def add(self, result: FileResult) -> None:
        keys = [(i.code, i.severity) for i in result.report.issues]
        self._issues.update(keys)
        self._files.update(set(keys))

    def finish(self, tally: Tally) -> None:
        print(f"{'verdict':<12}{'files':>7}", file=self.out)
        for verdict, n in (
            ("valid", tally.valid),
            ("invalid", tally.invalid),
            *([("unsupported", tally.unsupported)] if tally.unsupported else []),
            ("unreadable", tally.unreadable),
            ("total", tally.files),
        ):
            print(f"{verdict:<12}{n:>7}", file=self.out)
        print(file=self.out)
        print(f"{'code':<39} {'severity':<9}{'files':>7}{'issues':>8}", file=self.out)
        for (code, severity), files in sorted(self._files.items(), key=lambda kv: (-kv[1], kv[0])):
            line = f"{printable(code):<39} {severity:<9}{files:>7} {self._issues[code, severity]:>7}"
            print(line, file=self.out)
