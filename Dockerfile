# syntax=docker/dockerfile:1.7
# nordubl service image: the API (uvicorn), the worker (`nordubl worker`) and the migrations
# (`nordubl db upgrade`) all run from it; docker-compose.yml wires them together (docs/deploy.md).
#
# The official artifacts are installed and hash-checked (app/standards_manifest.json) at build time:
#   docker build -t nordubl .                                   (downloads them from upstream)
#   docker build --build-context standards=../shared/standards \
#                --build-arg STANDARDS=mirror -t nordubl .      (copies them from a local mirror)
#
# System packages come from scripts/install-system.sh, the same script CI runs, so the two cannot drift.
ARG STANDARDS=download
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/nordubl
COPY scripts/install-system.sh /usr/local/sbin/install-system.sh
RUN INSTALL_SYSTEM_CLEAN=1 /usr/local/sbin/install-system.sh image

# -- build: a virtual environment with the package and its S3 and PostgreSQL extras ---------------------
FROM base AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY app app
RUN pip install --no-cache-dir -e '.[all]' \
 && python -m compileall -q app

# -- the official artifacts, from upstream or from a mirror; `install` checks every SHA-256 ----------
FROM build AS standards-download
RUN nordubl standards install --download --target /srv/nordubl/xsd/standards

FROM build AS standards-mirror
COPY --from=standards . /mirror
RUN nordubl standards install --from /mirror --target /srv/nordubl/xsd/standards

FROM standards-${STANDARDS} AS standards

# -- runtime: no compiler, no pip cache, a non-root user ---------------------------------------------
FROM base AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /srv/nordubl --no-create-home nordubl \
 && mkdir -p /srv/nordubl/var /run/nordubl-metrics \
 && chown nordubl:nordubl /srv/nordubl/var /run/nordubl-metrics
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv/nordubl /srv/nordubl
COPY --from=standards /srv/nordubl/xsd/standards /srv/nordubl/xsd/standards
COPY fixtures/accounts fixtures/accounts
# Validation on the jvm engine: one JVM in the API process, two threads (one per core here) sharing its
# compiled rules; it did 1.29-1.46 x the requests per CPU-second of two saxonche worker processes, in half
# the memory (docs/performance.md). NORDUBL_VALIDATION_ENGINE=saxonche goes back to
# NORDUBL_VALIDATION_WORKERS spawned saxonche processes (docs/deploy.md, "Validation engines" and
# "Process model").
ENV PATH=/opt/venv/bin:$PATH \
    NORDUBL_STANDARDS_DIR=/srv/nordubl/xsd/standards \
    NORDUBL_HOST=0.0.0.0 \
    NORDUBL_VALIDATION_ENGINE=jvm \
    NORDUBL_VALIDATION_THREADS=2 \
    NORDUBL_VALIDATION_WORKERS=2
# Fail the build if any installed artifact differs from the manifest.
RUN nordubl standards verify
USER nordubl
EXPOSE 8000
# Liveness of the API; compose replaces it with /readyz for the api service and disables it for the worker.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["uvicorn", "app.api.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "1", "--no-access-log"]
