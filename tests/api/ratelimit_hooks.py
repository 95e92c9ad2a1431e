"""What one API process of the shared rate-limit tests does (module level: spawned processes import it).

Each process makes its own application (``create_app``, lifespan included) with its own database engine
over the same database, waits at the barrier for the other process, then sends requests from several
threads at once and reports the status codes it got.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

NOT_UBL = b"<x/>"  # answered at once (xml.not_ubl, 200 for /v1/validate): no rule set is compiled


def serve_requests(fields: dict[str, Any], start: Any, requests: int, threads: int, out: Any) -> None:
    from fastapi.testclient import TestClient

    import app.api.main as main
    from app.config import Settings, settings_dependency

    settings = Settings(**fields)
    main.get_settings = lambda: settings  # the lifespan's settings too (a process of its own)
    application = main.create_app()
    application.dependency_overrides[settings_dependency] = lambda: settings
    statuses: list[int] = []
    lock = threading.Lock()
    from app.db import get_engine

    get_engine(settings.database_url)  # this process's engine, made (SQLite: migrated) before the race
    with TestClient(application) as client:
        assert client.get("/healthz").status_code == 200  # started; not a limited route: takes no token

        def one(_: int) -> None:
            r = client.post("/v1/validate", content=NOT_UBL, headers={"Content-Type": "application/xml"})
            with lock:
                statuses.append(r.status_code)

        start.wait()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, range(requests)))
    out.put(statuses)
