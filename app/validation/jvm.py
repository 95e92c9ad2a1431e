"""The ``jvm`` validation engine: the official compiled Schematron on Saxon-HE 11.4 under HotSpot, in-process
through JPype, beside the saxonche engine (:mod:`app.validation.engine`).

One JVM per process (JPype cannot start a second one, nor restart it). :class:`JvmEngine` is the
:class:`~app.validation.engine.Engine` with two steps replaced: compiling a stylesheet (s9api
``XsltCompiler`` → ``XsltExecutable``) and running it (a new ``Xslt30Transformer`` per call). Everything
else — the safe parse, rule-set detection, the XSD stage with lxml, reading the SVRL, lines and hints —
is the saxonche engine's own code, so both give the same :class:`~app.validation.report.Report`.

Threads: an ``XsltExecutable`` and the ``Processor`` are immutable and thread-safe (s9api documentation),
so N threads share one compiled copy of every rule set; each call makes its own ``DocumentBuilder`` and
``Xslt30Transformer``, which are not. JPype releases the GIL while Java runs, so the threads validate in
parallel. lxml's ``XMLSchema`` collects the messages of ``validate()`` on the schema object, so the XSD
stage takes a lock per schema (it costs a few milliseconds against the rules' tens).

Hardening, the saxonche engine's own: the parser refuses any DOCTYPE (Xerces ``disallow-doctype-decl``)
and ``allowedProtocols`` (Saxon 11's ``Feature.ALLOWED_PROTOCOLS``) is ``none``; Saxon 11 needs one more
step, a collection finder that finds nothing (:func:`_no_collections`). So no ``doc()``,
``document()``, ``unparsed-text()``, ``collection()`` or ``json-doc()`` reads a file or URL named by the
input (tests/validation/test_saxon_hardening.py runs the same canaries on both engines). No resolver is written
in Python: Java never calls back into Python (a Java thread waiting for the GIL while the interpreter
exits would abort the process).

A Java failure that is not a Saxon error (``OutOfMemoryError``, ``StackOverflowError``, a bug's
``RuntimeException``) raises :class:`JvmFailure` (HTTP 503 ``engine.failed``): that call is answered, the
thread that made it goes on (JPype turns the Java throwable into a Python exception on the calling
thread; no thread dies) and so does the JVM, whose heap is reclaimed by the next collection. Saxon's own
errors (``SaxonApiException``: a stylesheet that does not compile or fails at run time) make the stage
``not_run``, as with saxonche.

The jar: Saxonica's signed Saxon-HE 11.4 (with its xmlresolver 4.4.3 jars) from the PyPI package
``saxonhe4py``, pinned in pyproject.toml; its SHA-256 is checked here before the JVM loads it
(:data:`JARS`). Saxon-HE 12 is not on PyPI as a jar, and Debian's ``libsaxonhe-java`` is 9.9.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lxml import etree

from app.codes import issue
from app.config import Settings, get_settings
from app.errors import NordublError
from app.validation.engine import ALLOWED_PROTOCOLS, DISALLOW_DOCTYPE, NO_PROTOCOLS, Engine
from app.validation.report import Report
from app.validation.rulesets import RuleSet, UnsupportedDocument, detect
from app.validation.xmlsafe import parse_untrusted

#: The jars loaded into the JVM, relative to the ``saxon_he`` folder of saxonhe4py 11.4.0, and their
#: SHA-256 (the Saxon jar is signed by Saxonica Limited: ``jarsigner -verify`` says so).
JARS = {
    "saxon-he-11.4.jar": "c5ee971031c9f3ed880fd5ae74d650933b005db1516d7f12cad29d32f54ab9cc",
    "lib/xmlresolver-4.4.3.jar": "66e952bf8c1f976a5b13233de4cb5275ef87c82c73674eac521875a5bca88d55",
    "lib/xmlresolver-4.4.3-data.jar": "9356596c921e043ccc1cc58e52d3d3226001ed0afda67c887ebd5a433a74fd24",
}
#: JVM garbage collectors by setting value (``jvm_gc``).
GC_OPTIONS = {"serial": "-XX:+UseSerialGC", "parallel": "-XX:+UseParallelGC", "g1": "-XX:+UseG1GC"}


class JvmUnavailable(NordublError):
    """The jvm engine was chosen where it cannot run (no JRE, no JPype, a jar that fails its check)."""


class JvmFailure(NordublError):
    """A Java failure other than a Saxon error in one validation (answered 503; the process goes on)."""


def jvm_unavailable(reason: str) -> JvmUnavailable:
    return JvmUnavailable(
        "The jvm validation engine is not available",
        [issue("engine.jvm_unavailable", params={"detail": reason})],
        503,
    )


def jvm_failure(detail: str) -> JvmFailure:
    return JvmFailure(
        "The validation engine failed",
        [issue("engine.failed", params={"detail": detail[:300]})],
        503,
    )


# -- the JVM (one per process) ------------------------------------------------------------------------

_start_lock = threading.Lock()
_java: _Java | None = None


class _Java:
    """The Java classes used, looked up once after the JVM started."""

    def __init__(self) -> None:
        import jpype

        self.jpype = jpype
        j = jpype.JClass
        self.Processor = j("net.sf.saxon.s9api.Processor")
        self.SaxonApiException = j("net.sf.saxon.s9api.SaxonApiException")
        self.Throwable = j("java.lang.Throwable")
        self.StreamSource = j("javax.xml.transform.stream.StreamSource")
        self.File = j("java.io.File")
        self.StringReader = j("java.io.StringReader")
        self.ByteArrayInputStream = j("java.io.ByteArrayInputStream")
        self.ByteArrayOutputStream = j("java.io.ByteArrayOutputStream")
        self.bytes = jpype.JArray(jpype.JByte)
        self.version = str(j("net.sf.saxon.Version").getProductVersion())


def saxon_he_dir() -> Path:
    """The ``saxon_he`` folder that saxonhe4py installs beside itself."""
    try:
        import saxonhe4py
    except ImportError as exc:
        raise jvm_unavailable(f"the Python package saxonhe4py is not installed ({exc})") from None
    return Path(saxonhe4py.SAXON_HE_JAR).parent


def classpath() -> list[str]:
    """The jars of :data:`JARS`, each checked against its SHA-256."""
    base = saxon_he_dir()
    jars = []
    for rel, digest in JARS.items():
        path = base / rel
        if not path.is_file():
            raise jvm_unavailable(f"{path} is missing (saxonhe4py==11.4.0 is the pinned package)")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise jvm_unavailable(f"{path} does not have the SHA-256 nordubl pins ({digest})")
        jars.append(str(path))
    return jars


def jvm_options(settings: Settings) -> list[str]:
    """The JVM's options from the settings (heap cap, young generation, collector, thread stack)."""
    return [
        f"-Xmx{settings.jvm_heap_mb}m",
        f"-Xmn{min(settings.jvm_young_mb, settings.jvm_heap_mb // 2)}m",
        GC_OPTIONS[settings.jvm_gc],
        f"-Xss{settings.jvm_thread_stack_kb}k",
        # No JVM handlers for SIGINT/SIGTERM/SIGHUP: the server's (uvicorn's) own stay in charge.
        "-Xrs",
        "-Djava.awt.headless=true",
    ]


def java(settings: Settings | None = None) -> _Java:
    """Start this process's JVM once (later calls return it; its options are those of the first call)."""
    global _java
    with _start_lock:
        if _java is not None:
            return _java
        settings = settings or get_settings()
        try:
            import jpype
        except ImportError as exc:
            raise jvm_unavailable(f"the Python package JPype1 is not installed ({exc})") from None
        if not jpype.isJVMStarted():
            jars = classpath()
            try:
                path = str(settings.jvm_path) if settings.jvm_path else jpype.getDefaultJVMPath()
            except jpype.JVMNotFoundException as exc:
                raise jvm_unavailable(f"no Java runtime found ({exc})") from None
            if not Path(path).is_file():
                raise jvm_unavailable(f"no Java runtime at {path} (setting jvm_path)")
            try:
                jpype.startJVM(
                    *jvm_options(settings),
                    jvmpath=path,
                    classpath=jars,
                    convertStrings=False,
                    interrupt=False,
                )
            except OSError as exc:
                raise jvm_unavailable(f"the JVM did not start ({exc})") from None
        _java = _Java()
        return _java


def _no_collections(j: _Java, config: Any) -> Any:
    """A ``CollectionFinder`` that answers every ``collection()`` and ``uri-collection()`` with an empty
    collection. Saxon 11's ``allowedProtocols`` does not cover collections (12's does: the canary test
    ``collection`` fails without this). Written in Java, not Python (see the module docstring):
    ``java.beans.EventHandler`` is the JDK's own InvocationHandler, answering each call with a fixed
    object's getter, here an ``AtomicReference`` holding one empty collection."""
    jpype = j.jpype
    empty = jpype.JClass("net.sf.saxon.resource.ExplicitCollection")(
        config, "urn:nordubl:no-collections", jpype.JClass("java.util.ArrayList")()
    )
    holder = jpype.JClass("java.util.concurrent.atomic.AtomicReference")(empty)
    finder = jpype.JClass("net.sf.saxon.lib.CollectionFinder")
    return jpype.JClass("java.beans.EventHandler").create(finder.class_, holder, "get")


def new_processor(hardened: bool = True) -> Any:
    """An s9api ``Processor`` (Saxon-HE); ``hardened``: see the module docstring (False only for tests'
    control runs)."""
    j = java()
    proc = j.Processor(False)
    if hardened:
        config = proc.getUnderlyingConfiguration()
        config.setConfigurationProperty(DISALLOW_DOCTYPE, j.jpype.JBoolean(True))
        config.setConfigurationProperty(ALLOWED_PROTOCOLS, NO_PROTOCOLS)
        config.setCollectionFinder(_no_collections(j, config))
    return proc


def compile_file(proc: Any, path: Path) -> Any:
    """Compile a stylesheet file into a thread-safe ``XsltExecutable`` (one compiler per call: an
    ``XsltCompiler`` is not thread-safe)."""
    j = java()
    return proc.newXsltCompiler().compile(j.StreamSource(j.File(str(path))))


def compile_text(proc: Any, text: str) -> Any:
    j = java()
    return proc.newXsltCompiler().compile(j.StreamSource(j.StringReader(text)))


def parse(proc: Any, data: bytes, builder: Any = None) -> Any:
    """A Saxon document node from XML bytes, through the processor's (hardened) parser; ``builder``: a
    ``DocumentBuilder`` of ``proc`` to reuse (one per thread: it is not thread-safe)."""
    j = java()
    builder = builder if builder is not None else proc.newDocumentBuilder()
    return builder.build(j.StreamSource(j.ByteArrayInputStream(j.bytes(data))))


def transform_to_bytes(executable: Any, node: Any) -> bytes:
    """Run a compiled stylesheet on a document node, as saxonche's ``transform_to_string(xdm_node=…)``
    (the node is the global context item and templates are applied to it), serialized as UTF-8 bytes.
    Bytes, not a string: JPype turns a Java ``String`` into a Python ``str`` character by character,
    which cost 0.9 ms of the 4.5 ms of the two Peppol stylesheets on an official example; a byte array
    comes over in one copy (docs/performance.md)."""
    j = java()
    transformer = executable.load30()
    out = j.ByteArrayOutputStream()
    transformer.setGlobalContextItem(node)
    transformer.applyTemplates(node, executable.getProcessor().newSerializer(out))
    return bytes(out.toByteArray())


def transform_to_string(executable: Any, node: Any) -> str:
    """:func:`transform_to_bytes`, decoded."""
    return transform_to_bytes(executable, node).decode("utf-8")


class JvmEngine(Engine):
    """The :class:`~app.validation.engine.Engine` on Saxon-HE under HotSpot, shared by threads."""

    def __init__(
        self,
        standards_dir: Path | None = None,
        max_bytes: int | None = None,
        families: frozenset[str] | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(standards_dir, max_bytes, families)
        self._java = java(settings)
        self._proc = new_processor()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._builders = threading.local()

    @property
    def version(self) -> str:
        return self._java.version

    def _run_xsd(self, rs: RuleSet, tree: etree._ElementTree, report: Report) -> None:
        # lxml's XMLSchema collects the messages of validate() in one error log on the schema object:
        # one validation at a time per schema (the XSD stage is a few ms against the rules' tens).
        with self._lock_for(f"xsd:{rs.ubl_version}"):
            super()._run_xsd(rs, tree, report)

    def _lock_for(self, key: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(key, threading.Lock())

    def _check_thread(self) -> None:
        """Any thread may validate: the compiled stylesheets are shared (see the module docstring)."""

    def stylesheet(self, rel: str) -> Any:
        if rel in self._xslt:
            return self._xslt[rel]
        with self._lock_for(rel):  # two threads asking for the same sheet compile it once
            return super().stylesheet(rel)

    def _compile(self, path: Path) -> Any:
        return self._guard(lambda: compile_file(self._proc, path))

    def _input_node(self, root: etree._Element) -> Any:
        data = etree.tostring(root, encoding="utf-8")
        builder = getattr(self._builders, "builder", None)
        if builder is None:  # one per thread, kept: a new DocumentBuilder per document cost 0.3 ms
            builder = self._builders.builder = self._proc.newDocumentBuilder()
        return self._guard(lambda: parse(self._proc, data, builder))

    def _transform(self, xslt: Any, node: Any) -> bytes | None:
        svrl: bytes = self._guard(lambda: transform_to_bytes(xslt, node))
        return svrl

    def _guard(self, call: Callable[[], Any]) -> Any:
        """Saxon's errors pass through (the stage is ``not_run``); any other Java throwable is
        :class:`JvmFailure`."""
        j = self._java
        try:
            return call()
        except j.SaxonApiException:
            raise
        except j.Throwable as exc:
            raise jvm_failure(f"{exc.getClass().getName()}: {exc.getMessage()}") from None

    def warm_up_parallel(self, rulesets: list[RuleSet], threads: int) -> None:
        """Compile every stylesheet of ``rulesets`` on ``threads`` threads at once (the XSD of the calling
        thread too); raises the first failure."""
        sheets = list(dict.fromkeys(sheet for rs in rulesets for sheet in rs.stylesheets))
        with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="jvm-compile") as ex:
            futures = [ex.submit(self.stylesheet, sheet) for sheet in sheets]
            for rs in rulesets:
                with self._lock_for(f"xsd:{rs.ubl_version}"):
                    self.schema_for(rs)
            for f in futures:
                f.result()

    def warm_jit(self, rulesets: list[RuleSet], rounds: int, stop: Callable[[], bool] = lambda: False) -> int:
        """Validate the installed official examples of ``rulesets`` ``rounds`` times (setting
        ``jvm_jit_warm_up_rounds``), so that HotSpot compiles Saxon's hot paths before the first request
        rather than during the first minutes of traffic; returns the documents validated. ``stop()``
        ends it early (the service is closing)."""
        docs = warm_up_documents(self.standards_dir, rulesets, self.max_bytes)
        done = 0
        for _ in range(rounds):
            for data in docs:
                if stop():
                    return done
                self.validate(data)
                done += 1
        return done


def warm_up_documents(standards_dir: Path, rulesets: list[RuleSet], max_bytes: int) -> list[bytes]:
    """The official examples installed with the standards (``*/examples/**/*.xml``) that one of
    ``rulesets`` validates, in path order."""
    names = {rs.name for rs in rulesets}
    out = []
    for path in sorted(standards_dir.glob("*/examples/**/*.xml")):
        data = path.read_bytes()
        try:
            if detect(parse_untrusted(data, max_bytes).getroot()).name in names:
                out.append(data)
        except (NordublError, UnsupportedDocument):  # not UBL, or no rule set of ours: not a warm-up
            continue
    return out


def settle() -> None:
    """Move every object alive now (the application, its compiled schemas and rules) into the Python
    collector's permanent generation (``gc.freeze``), once the engine is ready. JPype links the two
    collectors: every time the Java collector has run, it runs a full Python collection
    (``PyGC_Collect`` in ``JPGarbageCollection::triggered``, jpype native/common/jp_gc.cpp), under the
    interpreter lock; frozen objects are not traversed by it. Measured on the official examples: 4.10 →
    3.44 ms per document (docs/performance.md). Objects made later are collected as before."""
    gc.collect()
    gc.freeze()


_shared: JvmEngine | None = None
_shared_lock = threading.Lock()


def shared_engine(settings: Settings | None = None) -> JvmEngine:
    """This process's JvmEngine (one per process: every thread shares its compiled stylesheets)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            settings = settings or get_settings()
            _shared = JvmEngine(settings.standards_dir, settings.max_xml_bytes, settings=settings)
        return _shared


def validation_threads(settings: Settings, n: int) -> ThreadPoolExecutor:
    """``n`` threads to validate on, all started now with the configured stack (``jvm_thread_stack_kb``;
    JPype attaches each to the JVM as a daemon thread on its first call)."""
    previous = threading.stack_size(settings.jvm_thread_stack_kb * 1024)
    try:
        pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="jvm")
        # The executor starts a thread per submitted call while none is idle: n calls that wait for
        # each other start all n, here, while the stack size is set.
        barrier = threading.Barrier(n)
        for f in [pool.submit(barrier.wait) for _ in range(n)]:
            f.result()
    finally:
        threading.stack_size(previous)
    return pool
