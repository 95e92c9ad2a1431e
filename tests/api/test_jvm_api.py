"""The API on the jvm engine (``validation_engine = "jvm"``): /readyz waits for the parallel compile, a Java
failure in one validation answers that request 503 problem+json and the process goes on.

Skips where no Java runtime is installed (the ``jvm_engine`` fixture).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from started import start_app
from waiting import wait_until

from app.config import get_settings
from app.validation import jvm
from app.validation.engine import Engine
from app.validation.rulesets import eager_rulesets

BASE = (
    get_settings().standards_dir / "peppol-2026.5" / "examples" / "billing" / "base-example.xml"
).read_bytes()
XML = {"Content-Type": "application/xml"}
PROBLEM = "application/problem+json"


@pytest.fixture()
def jvm_app(jvm_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``make(**settings)``: the application on the jvm engine, 2 validation threads."""
    with contextlib.ExitStack() as stack:

        def make(**fields: Any) -> Any:
            return start_app(
                stack,
                monkeypatch,
                **{
                    "rate_limit_store": "memory",
                    "validation_engine": "jvm",
                    "validation_threads": 2,
                    **fields,
                },
            )

        yield make


def test_readyz_waits_for_the_compile(jvm_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    started = threading.Event()
    compile_all = jvm.JvmEngine.warm_up_parallel

    def held(self: jvm.JvmEngine, rulesets: Any, threads: int) -> None:
        started.set()
        assert release.wait(300)
        compile_all(self, rulesets, threads)

    monkeypatch.setattr(jvm.JvmEngine, "warm_up_parallel", held)
    client = jvm_app(validation_warm_up=True, jvm_jit_warm_up_rounds=0)
    assert started.wait(300)
    r = client.get("/readyz")
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == PROBLEM
    assert "compiling" in r.text
    release.set()
    wait_until(lambda: client.get("/readyz").status_code == 200, what="/readyz after the compile")
    assert client.post("/v1/validate", content=BASE, headers=XML).json()["valid"] is True


@pytest.fixture()
def unfrozen() -> Iterator[None]:
    """The warm-up freezes the collector's objects (jvm.settle); the other tests run unfrozen."""
    yield
    gc.unfreeze()


def test_readyz_waits_for_the_jit_warm_up(
    jvm_app: Any, monkeypatch: pytest.MonkeyPatch, unfrozen: None
) -> None:
    """After the compile, the official examples of the eager rule sets are validated
    ``jvm_jit_warm_up_rounds`` times before /readyz answers 200; then the collector's objects are frozen."""
    release = threading.Event()
    started = threading.Event()
    warm = jvm.JvmEngine.warm_jit
    seen: list[int] = []

    def held(self: jvm.JvmEngine, rulesets: Any, rounds: int, stop: Any) -> int:
        started.set()
        assert release.wait(300)
        validate = self.validate

        def counted(data: bytes, *args: Any) -> Any:
            report = validate(data, *args)
            seen.append(int(report.valid))
            return report

        monkeypatch.setattr(self, "validate", counted)
        return warm(self, rulesets, rounds, stop)

    monkeypatch.setattr(jvm.JvmEngine, "warm_jit", held)
    client = jvm_app(validation_warm_up=True, jvm_jit_warm_up_rounds=2)
    assert started.wait(300)
    r = client.get("/readyz")
    assert r.status_code == 503, r.text
    assert "warming the JIT" in r.text
    release.set()
    wait_until(lambda: client.get("/readyz").status_code == 200, what="/readyz after the JIT warm-up")
    settings = get_settings()
    examples = jvm.warm_up_documents(settings.standards_dir, eager_rulesets(), settings.max_xml_bytes)
    assert len(examples) >= 20  # the Peppol, EHF and OIOUBL examples of the rule sets compiled at start
    assert len(seen) == 2 * len(examples)
    detail = client.get("/readyz").json()["checks"]["rulesets"]["detail"]
    assert detail == f"compiled; the JIT warmed on {2 * len(examples)} documents"
    assert gc.get_freeze_count() > 0


def _oom_once(real: Any) -> Any:
    calls = {"n": 0}

    def transform(xslt: Any, node: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            import jpype

            jpype.JArray(jpype.JLong)(2**31 - 16)  # java.lang.OutOfMemoryError, thrown by the JVM
        return real(xslt, node)

    return transform


def test_an_out_of_memory_error_answers_503_and_the_next_request_succeeds(
    jvm_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jvm, "transform_to_bytes", _oom_once(jvm.transform_to_bytes))
    client = jvm_app()
    r = client.post("/v1/validate", content=BASE, headers=XML)
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == PROBLEM
    (issue,) = r.json()["issues"]
    assert issue["code"] == "engine.failed"
    assert "OutOfMemoryError" in issue["message"]
    assert issue["hint"]

    again = client.post("/v1/validate", content=BASE, headers=XML)
    assert again.status_code == 200, again.text
    assert again.json()["valid"] is True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_threads_validate_at_once(jvm_app: Any) -> None:
    """Requests in flight together on the 2 validation threads all get their own right answer."""
    client = jvm_app()
    broken = BASE.replace(b"<cbc:ID>Snippet1</cbc:ID>", b"", 1)
    bodies = [BASE, broken] * 4
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda b: client.post("/v1/validate", content=b, headers=XML), bodies))
    assert [a.status_code for a in answers] == [200] * len(bodies)
    assert [a.json()["valid"] for a in answers] == [True, False] * 4
