"""A validation pool split by rule-set family (``validation_oioubl_workers``): Peppol/EHF workers never
compile OIOUBL and the other way round, every document still gets its own rule set's verdict, and a
document sent to the wrong family (a guess from its first bytes) is answered by the right one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pool_hooks
import pytest
from apps import running_app

from app.validation.engine import Engine
from app.validation.rulesets import HEAD_SCAN, eager_rulesets, guess, head_fields

ROOT = Path(__file__).resolve().parents[2]
OIOUBL_INVOICE = "oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml"
PEPPOL_INVOICE = "peppol-2026.5/examples/billing/base-example.xml"


def _sheets(family: str) -> list[str]:
    """The stylesheets a worker of ``family`` compiles at warm-up (the others on first use)."""
    return sorted({s for rs in eager_rulesets() if rs.family == family for s in rs.stylesheets})


def test_split_pool_routes_by_family_and_keeps_every_verdict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, standards_dir: Path, validation_engine: Engine
) -> None:
    oioubl = (standards_dir / OIOUBL_INVOICE).read_bytes()
    # the CustomizationID pushed past the first bytes by a comment: the guess finds no rule set, so the
    # service sends it to the Peppol workers; their rule-set detection sends it on to the OIOUBL worker
    hidden = oioubl.replace(
        b"<cbc:CustomizationID>", b"<!--" + b"x" * HEAD_SCAN + b"-->\n<cbc:CustomizationID>", 1
    )
    guessed = [guess(*head_fields(data)) for data in (oioubl, hidden)]
    assert [rs.family if rs else None for rs in guessed] == ["oioubl", None]
    peppol = (standards_dir / PEPPOL_INVOICE).read_bytes()
    with running_app(
        monkeypatch, tmp_path, validation_workers=1, validation_oioubl_workers=1, validation_warm_up=True
    ) as client:
        service: Any = client.app.state.validation  # type: ignore[attr-defined]
        assert service.pool is not None and service.oioubl_pool is not None
        assert service.pool.wait_ready(300) and service.oioubl_pool.wait_ready(300)
        detail = client.get("/readyz").json()["checks"]["rulesets"]["detail"]
        assert detail.startswith("2/2 workers ready (1 of them OIOUBL only)")
        # warm-up compiled each family's stylesheets only
        assert service.pool.call_sync(pool_hooks.compiled) == _sheets("peppol")
        assert service.oioubl_pool.call_sync(pool_hooks.compiled) == _sheets("oioubl")

        for data in (oioubl, hidden, peppol):
            want = validation_engine.validate(data)
            got = client.post("/v1/validate", content=data).json()
            assert (got["valid"], got["ruleset"]) == (want.valid, want.ruleset)
            assert {i["code"] for i in got["issues"] if i["severity"] == "fatal"} == want.fatal_codes()
        assert want.ruleset == "peppol-billing"

        # generation: the customer's profile is chosen in the worker; an OIOUBL one is rerouted
        form = (ROOT / "fixtures/forms/invoices/dk-ean-public.json").read_bytes()
        answer = client.post("/v1/invoices", content=form)
        assert answer.status_code == 200, answer.text
        assert answer.headers["X-Nordubl-Profile"] == "oioubl"
        assert b"<cbc:CustomizationID>OIOUBL-2.1</cbc:CustomizationID>" in answer.content
        order = client.post("/v1/orders?profile=oioubl", content=form)
        assert order.status_code == 200 and order.headers["X-Nordubl-Profile"] == "oioubl"
        ehf = client.post("/v1/invoices?profile=ehf", content=form)
        assert ehf.status_code == 200 and ehf.headers["X-Nordubl-Profile"] == "ehf"

        # nothing was compiled outside a worker's family on the way
        assert service.pool.call_sync(pool_hooks.compiled) == _sheets("peppol")
        assert service.oioubl_pool.call_sync(pool_hooks.compiled) == _sheets("oioubl")
