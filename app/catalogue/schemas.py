"""The catalogue's input contract (API, CLI import): products and fee mappings."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.forms.models import FeeKind

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
Code = Annotated[str, Field(min_length=1, max_length=100)]


class ProductIn(BaseModel):
    model_config = _STRICT

    product_number: Code = Field(
        description="The shop's product number (the form's products[].product_number)"
    )
    erp_item: Code | None = Field(None, description="The ERP's item number; default: the product number")
    name: Annotated[str, Field(min_length=1, max_length=500)]
    vat_rate: Decimal = Field(ge=0, le=100, max_digits=6, decimal_places=3, description="VAT rate in percent")
    active: bool = Field(
        True, description="A deactivated product is a finding when it is ordered (source 003)"
    )
    origin: Literal["import", "order"] | None = Field(
        None, description="Read only (what GET answers, ignored here): imported, or created from an order"
    )


class ProductOut(ProductIn):
    erp_item: Code


class FeeIn(BaseModel):
    model_config = _STRICT

    kind: FeeKind = Field(description="The form's fees[].kind")
    item: Code | None = Field(None, description="ERP item the fee is booked on: it becomes an invoice line")
    charge_code: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,3}$")] | None = Field(
        None, description="UNCL7161 charge reason code (FC freight, ABK miscellaneous …): a document charge"
    )
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = Field(
        None, description="Line name or charge reason text; default: the fee's description"
    )

    @model_validator(mode="after")
    def _one_target(self) -> FeeIn:
        if (self.item is None) == (self.charge_code is None):
            raise ValueError("give either item (an ERP item) or charge_code (a UNCL7161 code), not both")
        return self


class ProductList(BaseModel):
    model_config = _STRICT

    products: list[ProductIn] = Field(max_length=100_000)


class FeeList(BaseModel):
    model_config = _STRICT

    fees: list[FeeIn] = Field(max_length=100)
