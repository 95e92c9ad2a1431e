"""The process model of the image, for real: uvicorn with validation in a spawned pool process. Saxon
holds the interpreter lock while it transforms, so only a validation outside the API process leaves the
server free to answer while a large document is checked (and uvicorn's own health ping, which kills a
worker that stays silent for 5 s)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from server import Api


def big_invoice(standards_dir: Path, lines: int) -> bytes:
    src = (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_text()
    m = re.search(r"<cac:InvoiceLine>.*?</cac:InvoiceLine>", src, re.S)
    assert m
    return (src[: m.start()] + m.group(0) * lines + src[m.end() :]).encode()


def test_probes_answer_while_a_large_document_is_validated(tmp_path: Path, standards_dir: Path) -> None:
    api = Api(
        tmp_path / "api.log",
        workers=1,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        blob_dir=tmp_path / "blobs",
        validation_workers=1,
        validation_warm_up="false",
        validation_budget_elements=1_000_000,  # the 12,000-line document is over the default budget
        validation_budget_seconds=600,
        log_level="WARNING",
    )
    try:
        api.wait_ready()
        small = (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes()
        assert api.request("POST", "/v1/validate", small)[0] == 200  # the billing rules are compiled
        doc = big_invoice(standards_dir, 12000)  # seconds of Saxon work
        result: dict[str, Any] = {}

        def validate() -> None:
            started = time.monotonic()
            try:
                status, _, body = api.request("POST", "/v1/validate", doc)
                result["status"], result["body"] = status, body
            except (OSError, http.client.HTTPException) as exc:
                result["error"] = repr(exc)
            result["seconds"] = time.monotonic() - started

        t = threading.Thread(target=validate)
        t.start()
        time.sleep(0.5)
        gaps = []
        while t.is_alive():
            started = time.monotonic()
            assert api.request("GET", "/healthz")[0] == 200
            gaps.append(time.monotonic() - started)
            time.sleep(0.1)
        t.join()
        assert "error" not in result, result
        assert result["status"] == 200 and b'"ruleset":"peppol-billing"' in result["body"].replace(b" ", b"")
        assert result["seconds"] > 3, "the document must keep Saxon busy for seconds to prove anything"
        # the API kept answering while Saxon worked: many answers during the validation, none of them
        # waiting for it (relative to the validation's own duration, so a loaded machine does not matter)
        assert len(gaps) >= 10 and max(gaps) < result["seconds"] / 3, (
            len(gaps),
            max(gaps),
            result["seconds"],
        )
        assert api.alive()
    finally:
        api.stop()
    if "Child process" in api.log() and "died" in api.log():
        pytest.fail("uvicorn killed a worker:\n" + api.log())


def test_metrics_of_several_server_processes_are_summed(tmp_path: Path) -> None:
    """``uvicorn --workers 2`` with PROMETHEUS_MULTIPROC_DIR (as in the compose file): whichever process
    answers the scrape, it counts the requests of both."""
    import os

    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    try:
        api = Api(
            tmp_path / "api.log",
            workers=2,
            database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
            blob_dir=tmp_path / "blobs",
            validation_warm_up="false",
            log_level="WARNING",
        )
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
    try:
        api.wait_ready()
        for _ in range(40):
            assert api.request("GET", "/healthz", headers={"Connection": "close"})[0] == 200
        files = {p.name.rsplit("_", 1)[-1] for p in metrics_dir.glob("counter_*.db")}
        assert len(files) == 2, files  # both processes counted requests
        seen = set()
        for _ in range(10):
            _, _, body = api.request("GET", "/metrics", headers={"Connection": "close"})
            line = next(
                x
                for x in body.decode().splitlines()
                if x.startswith('nordubl_http_requests_total{method="GET",route="/healthz"')
            )
            seen.add(float(line.rsplit(" ", 1)[1]))
        assert seen == {40.0}, seen
    finally:
        api.stop()
