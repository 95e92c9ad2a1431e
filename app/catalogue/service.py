"""Read, replace and import the catalogue; parse JSON and CSV files of products or fees."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.catalogue.models import CatalogueProduct, FeeMapping
from app.catalogue.schemas import FeeIn, FeeList, ProductIn, ProductList, ProductOut
from app.codes import issue
from app.db.base import utcnow
from app.errors import NordublError
from app.forms.loader import pydantic_issues
from app.issues import Issue

What = Literal["products", "fees"]


def rate_text(rate: Decimal) -> str:
    """A VAT rate as stored: no exponent, no trailing zeros ("25", "12.5")."""
    text = format(rate.normalize(), "f")
    return text


def products(session: Session, account_id: int) -> dict[str, CatalogueProduct]:
    rows = session.scalars(select(CatalogueProduct).where(CatalogueProduct.account_id == account_id))
    return {p.product_number: p for p in rows}


def fees(session: Session, account_id: int) -> dict[str, FeeMapping]:
    rows = session.scalars(select(FeeMapping).where(FeeMapping.account_id == account_id))
    return {f.kind: f for f in rows}


def product_out(p: CatalogueProduct) -> ProductOut:
    return ProductOut(
        product_number=p.product_number,
        erp_item=p.erp_item,
        name=p.name,
        vat_rate=Decimal(p.vat_rate),
        active=p.active,
        origin=p.origin,
    )


def fee_out(f: FeeMapping) -> FeeIn:
    return FeeIn(kind=f.kind, item=f.item, charge_code=f.charge_code, reason=f.reason)


def _duplicates(keys: Sequence[str], what: str, key: str) -> None:
    seen: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k in seen:
            raise NordublError.of(
                "catalogue.duplicate",
                f"{what}[{i}].{key}",
                title="The catalogue is invalid",
                value=k,
                other=f"{what}[{seen[k]}]",
            )
        seen[k] = i


def save_products(
    session: Session,
    account_id: int,
    items: Sequence[ProductIn],
    *,
    replace_all: bool,
    origin: str = "import",
) -> int:
    """Insert or update the given products; with ``replace_all`` also delete the account's others.
    Answers how many products the account has afterwards. Flushes; the caller commits."""
    _duplicates([p.product_number for p in items], "products", "product_number")
    current = products(session, account_id)
    now = utcnow()
    for p in items:
        row = current.get(p.product_number)
        values = {
            "erp_item": p.erp_item or p.product_number,
            "name": p.name,
            "vat_rate": rate_text(p.vat_rate),
            "active": p.active,
        }
        if row is None:
            session.add(
                CatalogueProduct(
                    account_id=account_id,
                    product_number=p.product_number,
                    origin=origin,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
        else:
            for k, v in values.items():
                setattr(row, k, v)
            row.origin = origin if origin == "import" else row.origin
    if replace_all:
        keep = {p.product_number for p in items}
        gone = [n for n in current if n not in keep]
        if gone:
            session.execute(
                delete(CatalogueProduct).where(
                    CatalogueProduct.account_id == account_id, CatalogueProduct.product_number.in_(gone)
                )
            )
    session.flush()
    return len(products(session, account_id))


def save_fees(session: Session, account_id: int, items: Sequence[FeeIn], *, replace_all: bool) -> int:
    _duplicates([f.kind for f in items], "fees", "kind")
    current = fees(session, account_id)
    now = utcnow()
    for f in items:
        row = current.get(f.kind)
        values = {"item": f.item, "charge_code": f.charge_code, "reason": f.reason}
        if row is None:
            session.add(
                FeeMapping(account_id=account_id, kind=f.kind, created_at=now, updated_at=now, **values)
            )
        else:
            for k, v in values.items():
                setattr(row, k, v)
    if replace_all:
        keep = {f.kind for f in items}
        gone = [k for k in current if k not in keep]
        if gone:
            session.execute(
                delete(FeeMapping).where(FeeMapping.account_id == account_id, FeeMapping.kind.in_(gone))
            )
    session.flush()
    return len(fees(session, account_id))


# -- files (CLI import) ----------------------------------------------------------------------------------

_CSV_BOOL = {
    "1": True,
    "true": True,
    "yes": True,
    "ja": True,
    "0": False,
    "false": False,
    "no": False,
    "nej": False,
    "nei": False,
}


def _invalid(issues: list[Issue]) -> NordublError:
    return NordublError("The catalogue file is invalid", issues)


def _csv_rows(text: str, what: What) -> list[dict[str, Any]]:
    """CSV with a header row (``,`` or ``;`` separated); empty cells are left out."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows: list[dict[str, Any]] = []
    for row in reader:
        item: dict[str, Any] = {}
        for k, v in row.items():
            if k is None:
                raise _invalid(
                    [issue("input.csv", f"{what}[{len(rows)}]", params={"line": str(reader.line_num)})]
                )
            key = k.strip()
            value = (v or "").strip()
            if not key or not value:
                continue
            if key == "active":
                item[key] = _CSV_BOOL.get(value.lower(), value)
            elif key == "vat_rate":
                item[key] = value.replace(",", ".")  # "12,5" in Nordic spreadsheets
            else:
                item[key] = value
        rows.append(item)
    return rows


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _invalid(pydantic_issues(list(exc.errors()))) from None


def parse_file(data: bytes, what: What, fmt: Literal["json", "csv"]) -> list[ProductIn] | list[FeeIn]:
    """Products or fees from a JSON file (a list, or ``{"products": [...]}`` / ``{"fees": [...]}``) or a
    CSV file with a header row. Issues name the entry (``products[3].vat_rate``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid([issue("input.encoding", what)]) from None
    if fmt == "json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _invalid(
                [issue("input.json", what, params={"detail": exc.msg, "line": str(exc.lineno)})]
            ) from None
        body = loaded if isinstance(loaded, dict) else {what: loaded}
    else:
        body = {what: _csv_rows(text, what)}
    if what == "products":
        result: ProductList = _validate(ProductList, body)
        return result.products
    fee_list: FeeList = _validate(FeeList, body)
    return fee_list.fees


def with_field_prefix(issues: list[Issue], prefix: str) -> list[Issue]:
    return [replace(i, field=f"{prefix}.{i.field}" if i.field else prefix) for i in issues]
