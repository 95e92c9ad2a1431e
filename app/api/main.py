"""The FastAPI application: routers gathered here, problem+json for every error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.api import http as server_answers
from app.api import leftovers, openapi, out_of_range, problems
from app.api.middleware import RequestContextMiddleware
from app.api.routes import (
    account_settings,
    accounts,
    batch,
    catalogue,
    customers,
    documents,
    error_log,
    invoices,
    ops,
    orders,
    page,
    pdf_download,
    render,
    shop_orders,
    validate,
)
from app.api.routes import mail as mail_routes
from app.api.routes import problems as problem_pages
from app.api.unstorable import refuse_unstorable
from app.config import get_settings
from app.errors import NordublError
from app.ops import metrics
from app.ops.logs import configure_logging
from app.validation.service import ValidationService


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    metrics.sweep_dead_processes()
    leftovers.sweep()  # temporary folders of API processes that were killed (kill -9 runs no cleanup)
    app.state.validation = ValidationService(settings)
    if settings.validation_warm_up:
        app.state.validation.start_warm_up()  # /readyz answers 503 until the rule sets are compiled
    try:
        yield
    finally:
        app.state.validation.close()


#: The groups of /docs, in this order, each with what it is for.
TAGS = [
    {
        "name": "validation",
        "description": "Validate UBL documents against the official XSD and Schematron "
        "rules: one document, or many (files or zip archives) with a job for large batches. Anonymous.",
    },
    {
        "name": "orders",
        "description": "A sign-up or an order as an EHF / Peppol BIS / OIOUBL order. "
        "Anonymous (the demo seller) or with an account's credentials (stored, numbered).",
    },
    {
        "name": "invoices",
        "description": "An invoice or a credit note from a form, the profile chosen per "
        "customer. Anonymous (the demo seller) or with an account's credentials.",
    },
    {
        "name": "processing",
        "description": "An account's shop orders: processing by order status, a preview, "
        "the processing settings, the trial period and automatic mode, the webhook, payment terms and the "
        "error log.",
    },
    {
        "name": "documents",
        "description": "The account's stored documents: list, XML, PDF, approval of drafts.",
    },
    {
        "name": "mail",
        "description": "The invoice mail: its state per document, resending, the outbox, options.",
    },
    {"name": "customers", "description": "The account's customers: list, one, and finding or creating one."},
    {"name": "catalogue", "description": "The account's products and how fees map to products or charges."},
    {"name": "accounts", "description": "The calling account's own settings."},
    {
        "name": "admin",
        "description": "The operator's API (Authorization: Bearer NORDUBL_ADMIN_KEY): "
        "accounts, their keys and their processing settings.",
    },
    {"name": "pdf", "description": "A UBL invoice or credit note rendered as PDF/A-3b, the XML embedded."},
    {"name": "ops", "description": "Liveness, readiness and Prometheus metrics."},
]

server_answers.install()  # uvicorn's own 400 answer as problem+json


def create_app() -> FastAPI:
    # FastAPI with /docs (Swagger UI) served from the package's own copy, not a CDN: the API's documentation
    # opens on a machine without internet access. No /redoc: its standalone bundle still loads its logo
    # from cdn.redoc.ly.
    app = FastAPIOffline(
        redoc_url=None,
        title="nordubl",
        version=__version__,
        description="Officially valid UBL documents (EHF, Peppol BIS, OIOUBL) from sign-up and webshop orders.",
        lifespan=lifespan,
        # operationId = the route function's name (create_shop_order), not FastAPI's generated
        # create_shop_order_v1_shop_orders_post: stable for generated clients
        generate_unique_id_function=lambda route: route.name,
        openapi_tags=TAGS,
        # first of every route's dependencies: NUL and lone surrogates never reach authentication or a query
        dependencies=[Depends(refuse_unstorable)],
    )
    app.add_exception_handler(NordublError, problems.nordubl_error_handler)
    app.add_exception_handler(RequestValidationError, problems.validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, problems.http_error_handler)
    out_of_range.install(app)  # numbers too large for a 64-bit column or for int(): 422, not 500
    app.include_router(validate.router)
    app.include_router(batch.router)
    app.include_router(orders.router)
    app.include_router(invoices.router)
    app.include_router(accounts.router)
    app.include_router(accounts.admin_router)
    app.include_router(customers.router)
    app.include_router(render.router)
    app.include_router(shop_orders.router)
    app.include_router(account_settings.router)
    app.include_router(error_log.router)
    # before documents.router: its "/{id}" and "/{id}.xml" must never be the ones to answer "/{id}.pdf"
    app.include_router(pdf_download.router)
    app.include_router(documents.router)
    app.include_router(mail_routes.router)
    app.include_router(catalogue.router)
    app.include_router(page.router)
    app.include_router(problem_pages.router)
    app.include_router(ops.router)
    app.add_middleware(RequestContextMiddleware)  # outermost: request id, access log, metrics
    openapi.install(app)  # every operation documents its problem+json answers, 500 and the rest
    return app


app = create_app()
