# nordubl service image. The official artifacts are installed and hash-checked at build time:
#   docker build -t nordubl .                                   (downloads them from upstream)
#   docker build --build-context standards=../shared/standards \
#                --build-arg STANDARDS=mirror -t nordubl .      (copies them from a local mirror)
ARG STANDARDS=download

FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/nordubl

FROM base AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY app app
COPY ubl_templates ubl_templates
COPY xsd/manifest.json xsd/manifest.json
RUN pip install --no-cache-dir -e .   # editable: templates and manifest stay beside the package

FROM build AS standards-download
RUN nordubl standards install --download --target /srv/nordubl/xsd/standards

FROM build AS standards-mirror
COPY --from=standards . /mirror
RUN nordubl standards install --from /mirror --target /srv/nordubl/xsd/standards

FROM standards-${STANDARDS} AS standards

FROM base AS runtime
RUN useradd --system --uid 10001 --home /srv/nordubl nordubl
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv/nordubl /srv/nordubl
COPY --from=standards /srv/nordubl/xsd/standards /srv/nordubl/xsd/standards
COPY fixtures/accounts fixtures/accounts
ENV PATH=/opt/venv/bin:$PATH \
    NORDUBL_STANDARDS_DIR=/srv/nordubl/xsd/standards \
    NORDUBL_HOST=0.0.0.0
USER nordubl
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
CMD ["nordubl", "serve"]
