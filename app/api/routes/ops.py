"""``/healthz`` (the process answers), ``/readyz`` (it may take traffic) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.deps import SettingsDep
from app.api.outbox_gauges import outbox_rows
from app.api.problems import PROBLEM_JSON, problem
from app.api.readiness import run_checks
from app.codes import issue
from app.ops import metrics

router = APIRouter(tags=["ops"])


class Health(BaseModel):
    status: str


class CheckOut(BaseModel):
    ok: bool
    detail: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, CheckOut]


@router.get(
    "/healthz",
    summary="The process is up",
    description="Liveness: answers as long as the server process runs its event loop; checks nothing else.",
    response_model=Health,
)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The process may take traffic",
    description="200 when the database answers, the blob store (when configured) takes a write and the "
    "official rule sets are compiled; otherwise 503 (`application/problem+json`) naming the failed checks.",
    response_model=Readiness,
    responses={
        503: {
            "description": "Not ready: `issues[]` names each failed check (`ready.<check>`)",
            "content": {PROBLEM_JSON: {}},
        }
    },
)
async def readyz(request: Request, settings: SettingsDep) -> Response:
    checks = await run_checks(settings, request.app.state.validation)
    out: dict[str, Any] = {name: c.as_dict() for name, c in checks.items()}
    if all(c.ok for c in checks.values()):
        return JSONResponse({"status": "ready", "checks": out})
    failed = [name for name, c in checks.items() if not c.ok]
    return problem(
        503,
        "Not ready",
        [issue(f"ready.{name}", params={"detail": checks[name].detail}) for name in failed],
        "Failed: " + ", ".join(failed),
        request=request,
        extra={"checks": out},
        headers={"Retry-After": "5"},
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    description="Text exposition format 0.0.4: requests, latencies, documents produced, validation failures "
    "by rule id, validation engine crashes, outbox depth and mail attempts (read from the outbox table).",
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Metrics"}},
    response_class=Response,
)
def metrics_endpoint(settings: SettingsDep) -> Response:
    body, content_type = metrics.render(lambda: outbox_rows(settings.database_url))
    return Response(body, media_type=content_type)
