"""The account's catalogue over HTTP: known products and fee mappings (source 003)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.deps import ProcessorDep
from app.api.problems import Problem
from app.catalogue import service
from app.catalogue.schemas import FeeList, ProductList
from app.processing.context import Context

router = APIRouter(
    prefix="/v1/catalogue",
    tags=["catalogue"],
    responses={401: {"model": Problem, "description": "No or wrong client credentials"}},
)


def _products(ctx: Context) -> dict[str, Any]:
    rows = sorted(service.products(ctx.session, ctx.account.id).values(), key=lambda p: p.product_number)
    return {"products": [service.product_out(p).model_dump(mode="json") for p in rows]}


def _fees(ctx: Context) -> dict[str, Any]:
    rows = sorted(service.fees(ctx.session, ctx.account.id).values(), key=lambda f: f.kind)
    return {"fees": [service.fee_out(f).model_dump(mode="json") for f in rows]}


@router.get("/products", summary="The products the ERP knows: shop product number ↔ ERP item, VAT, active")
def get_products(processor: ProcessorDep) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return _products(ctx)


@router.put(
    "/products",
    summary="Replace the product catalogue",
    description="The whole list: products left out are removed. Source 003: an order with a product that "
    "is not here is `product.unknown`, with a deactivated one `product.inactive`, with another VAT rate "
    "`product.vat_mismatch`.",
    responses={422: {"model": Problem}},
)
def put_products(processor: ProcessorDep, body: ProductList) -> dict[str, Any]:
    with processor.open() as ctx:
        service.save_products(ctx.session, ctx.account.id, body.products, replace_all=True)
        ctx.session.commit()
    with processor.open(read_only=True) as ctx:  # the answer is read after the commit, without the write lock
        return _products(ctx)


@router.get("/fees", summary="Where each kind of fee is booked: an ERP item or a UNCL7161 charge code")
def get_fees(processor: ProcessorDep) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return _fees(ctx)


@router.put(
    "/fees",
    summary="Replace the fee mappings",
    description="Source 003: a fee (freight, payment fee, card fee) without a mapping would go missing: "
    "`fee.unmapped`.",
    responses={422: {"model": Problem}},
)
def put_fees(processor: ProcessorDep, body: FeeList) -> dict[str, Any]:
    with processor.open() as ctx:
        service.save_fees(ctx.session, ctx.account.id, body.fees, replace_all=True)
        ctx.session.commit()
    with processor.open(read_only=True) as ctx:
        return _fees(ctx)
