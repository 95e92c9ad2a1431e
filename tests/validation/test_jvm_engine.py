"""The jvm engine (app/validation/jvm.py): threads sharing one JVM's compiled rules, Java failures answered
as coded errors, the jar's hash check, and a clear refusal where no Java runtime is installed.

Every test that needs the JVM takes the session's ``jvm_engine`` fixture (skips where no Java runtime is
installed); the refusal tests run without one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from app.config import get_settings
from app.errors import NordublError
from app.validation import jvm
from app.validation.engine import Engine

EXAMPLES = get_settings().standards_dir / "peppol-2026.5" / "examples"
DOCS = {
    "billing": EXAMPLES / "billing" / "base-example.xml",
    "order": EXAMPLES / "order" / "Order_Example.xml",
    "order-response": EXAMPLES / "order-response" / "OrderResponse_Example.xml",
}


def _broken_invoice() -> bytes:
    return DOCS["billing"].read_bytes().replace(b"<cbc:ID>Snippet1</cbc:ID>", b"", 1)


def test_threads_share_one_compiled_copy_and_agree_with_one_thread(jvm_engine: Engine) -> None:
    """4 threads × 3 documents at once on a fresh engine: each stylesheet is compiled once, and every
    report is the one a single thread gets."""
    engine = jvm.JvmEngine(jvm_engine.standards_dir)
    compiled: Counter[str] = Counter()
    compile_file = engine._compile

    def counting(path: Path) -> Any:
        compiled[path.name] += 1
        return compile_file(path)

    engine._compile = counting  # type: ignore[method-assign]
    inputs = [p.read_bytes() for p in DOCS.values()] + [_broken_invoice()]
    start = threading.Barrier(4)

    def run(i: int) -> list[dict[str, Any]]:
        start.wait()  # all four threads ask for the same stylesheets at the same moment
        return [engine.validate(data).as_dict() for data in inputs[i % 2 :] + inputs[: i % 2]]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(4)))

    assert compiled == Counter(
        {
            "CEN-EN16931-UBL.xslt": 1,
            "PEPPOL-EN16931-UBL.xslt": 1,
            "PEPPOLBIS-T01.xslt": 1,
            "PEPPOLBIS-T76.xslt": 1,
        }
    )
    serial = {d: jvm_engine.validate(d).as_dict() for d in inputs}
    for i, got in enumerate(results):
        order = inputs[i % 2 :] + inputs[: i % 2]
        assert got == [serial[d] for d in order]
    assert [r["valid"] for r in results[0]] == [True, True, True, False]


def test_warm_up_compiles_in_parallel(jvm_engine: Engine) -> None:
    from app.validation.rulesets import detect
    from app.validation.xmlsafe import parse_untrusted

    engine = jvm.JvmEngine(jvm_engine.standards_dir)
    rulesets = [detect(parse_untrusted(p.read_bytes()).getroot()) for p in DOCS.values()]
    engine.warm_up_parallel(rulesets, 2)
    assert set(engine._xslt) == {s for rs in rulesets for s in rs.stylesheets}


def _oom(*args: Any) -> Any:
    """A real java.lang.OutOfMemoryError thrown inside the JVM on this thread (a 16 GiB array)."""
    import jpype

    return jpype.JArray(jpype.JLong)(2**31 - 16)


def _runtime_exception(*args: Any) -> Any:
    """A java.lang.NumberFormatException thrown by Java code."""
    import jpype

    return jpype.JClass("java.lang.Integer").parseInt("forced failure")


@pytest.mark.parametrize("fault", [_oom, _runtime_exception], ids=["OutOfMemoryError", "RuntimeException"])
def test_a_java_failure_is_a_coded_503_and_the_engine_goes_on(
    fault: Any, jvm_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = DOCS["billing"].read_bytes()
    with monkeypatch.context() as m:
        m.setattr(jvm, "transform_to_bytes", fault)
        with pytest.raises(jvm.JvmFailure) as err:
            jvm_engine.validate(data)
    assert err.value.status == 503
    (issue,) = err.value.issues
    assert issue.code == "engine.failed"
    assert ("OutOfMemoryError" if fault is _oom else "NumberFormatException") in issue.message
    assert jvm_engine.validate(data).valid  # the same engine, the same thread: the next call succeeds


def test_a_saxon_error_is_not_run_not_a_failure(jvm_engine: Engine, tmp_path: Path) -> None:
    """A stylesheet that fails at run time is Saxon's own error: the stage is not_run (as with saxonche)."""
    sheet = tmp_path / "bad.xslt"
    sheet.write_text(
        "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:template match='/'><xsl:sequence select=\"error((), 'broken')\"/></xsl:template>"
        "</xsl:stylesheet>",
        encoding="utf-8",
    )
    assert isinstance(jvm_engine, jvm.JvmEngine)
    xslt = jvm_engine._compile(sheet)
    node = jvm_engine._input_node(__import__("lxml.etree").etree.fromstring(b"<r/>"))
    with pytest.raises(Exception, match="broken") as err:
        jvm_engine._transform(xslt, node)
    assert not isinstance(err.value, NordublError)


def test_the_jars_are_the_pinned_ones() -> None:
    jars = jvm.classpath()
    assert [Path(j).name for j in jars] == [Path(rel).name for rel in jvm.JARS]


def test_a_jar_that_fails_its_hash_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(jvm.JARS, "saxon-he-11.4.jar", "0" * 64)
    with pytest.raises(jvm.JvmUnavailable) as err:
        jvm.classpath()
    (issue,) = err.value.issues
    assert issue.code == "engine.jvm_unavailable" and "SHA-256" in issue.message


def test_jvm_options_come_from_the_settings() -> None:
    settings = get_settings().model_copy(
        update={"jvm_heap_mb": 768, "jvm_gc": "g1", "jvm_thread_stack_kb": 2048}
    )
    opts = jvm.jvm_options(settings)
    assert {"-Xmx768m", "-Xmn64m", "-XX:+UseG1GC", "-Xss2048k", "-Xrs"} <= set(opts)
    small = settings.model_copy(update={"jvm_heap_mb": 96, "jvm_young_mb": 80})
    assert "-Xmn48m" in jvm.jvm_options(small)  # never more than half the heap


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


def test_cli_refuses_the_jvm_engine_without_a_java_runtime(tmp_path: Path) -> None:
    """Where no Java runtime is found (here: the configured libjvm.so does not exist), ``--engine jvm`` is
    refused on one line with its code and the fix; exit 2, nothing validated."""
    r = _cli(
        "validate", "--engine", "jvm", str(DOCS["billing"]), NORDUBL_JVM_PATH=str(tmp_path / "libjvm.so")
    )
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "engine.jvm_unavailable" in lines[0] and "openjdk-17-jre-headless" in lines[0]
    assert "--engine saxonche" in lines[0]
    assert r.stdout == ""


def test_cli_validates_with_the_jvm_engine(jvm_engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(_broken_invoice())
    r = _cli("validate", "--engine", "jvm", "-j", "2", "--format", "json", str(DOCS["billing"]), str(bad))
    assert r.returncode == 1, r.stderr
    saxonche = _cli(
        "validate", "--engine", "saxonche", "-j", "1", "--format", "json", str(DOCS["billing"]), str(bad)
    )
    assert saxonche.returncode == 1, saxonche.stderr
    assert _without_timings(r.stdout) == _without_timings(saxonche.stdout)


def _without_timings(out: str) -> Any:
    import json

    doc = json.loads(out)

    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if "second" not in k and k not in ("ms", "elapsed")}
        if isinstance(x, list):
            return sorted((strip(v) for v in x), key=repr)
        return x

    return strip(doc)


def test_the_document_builder_each_thread_keeps_refuses_a_doctype(jvm_engine: Engine) -> None:
    """The engine keeps one DocumentBuilder per thread (app/validation/jvm.py, ``_input_node``); it is the
    hardened processor's, so a DOCTYPE (here an external entity naming a file) is refused by it too."""
    assert isinstance(jvm_engine, jvm.JvmEngine)
    jvm_engine._input_node(etree.fromstring(b"<r/>"))
    builder = jvm_engine._builders.builder
    hostile = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    with pytest.raises(Exception, match="DOCTYPE") as err:
        jvm.parse(jvm_engine._proc, hostile, builder)
    assert "root:" not in str(err.value)
    assert jvm_engine._builders.builder is builder  # kept for the thread's next document
