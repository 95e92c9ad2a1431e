"""The account's catalogue over HTTP: known products and fee mappings (source 003)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter

from app.api.deps import Processor, ProcessorDep
from app.api.problems import CREDENTIALS_REFUSED, problem_answers
from app.catalogue import service
from app.catalogue.schemas import FeeList, ProductList
from app.processing.context import Context

T = TypeVar("T")

router = APIRouter(
    prefix="/v1/catalogue",
    tags=["catalogue"],
    responses=CREDENTIALS_REFUSED,
)


def _products(ctx: Context) -> dict[str, Any]:
    rows = sorted(service.products(ctx.session, ctx.account.id).values(), key=lambda p: p.product_number)
    return {"products": [service.product_out(p).model_dump(mode="json") for p in rows]}


def _fees(ctx: Context) -> dict[str, Any]:
    rows = sorted(service.fees(ctx.session, ctx.account.id).values(), key=lambda f: f.kind)
    return {"fees": [service.fee_out(f).model_dump(mode="json") for f in rows]}


def _replace(processor: Processor, save: Callable[[Context], object], answer: Callable[[Context], T]) -> T:
    """``save`` committed, then ``answer`` read after the commit, without the write lock."""
    processor.commit(save)
    return processor.query(answer)


@router.get("/products", summary="The products the ERP knows: shop product number ↔ ERP item, VAT, active")
def get_products(processor: ProcessorDep) -> dict[str, Any]:
    return processor.query(_products)


@router.put(
    "/products",
    summary="Replace the product catalogue",
    description="The whole list: products left out are removed. Source 003: an order with a product that "
    "is not here is `product.unknown`, with a deactivated one `product.inactive`, with another VAT rate "
    "`product.vat_mismatch`.",
    responses=problem_answers(422),
)
def put_products(processor: ProcessorDep, body: ProductList) -> dict[str, Any]:
    return _replace(
        processor,
        lambda ctx: service.save_products(ctx.session, ctx.account.id, body.products, replace_all=True),
        _products,
    )


@router.get("/fees", summary="Where each kind of fee is booked: an ERP item or a UNCL7161 charge code")
def get_fees(processor: ProcessorDep) -> dict[str, Any]:
    return processor.query(_fees)


@router.put(
    "/fees",
    summary="Replace the fee mappings",
    description="Source 003: a fee (freight, payment fee, card fee) without a mapping would go missing: "
    "`fee.unmapped`.",
    responses=problem_answers(422),
)
def put_fees(processor: ProcessorDep, body: FeeList) -> dict[str, Any]:
    return _replace(
        processor,
        lambda ctx: service.save_fees(ctx.session, ctx.account.id, body.fees, replace_all=True),
        _fees,
    )
