"""Catalogue tables: the account's known products and its fee mappings."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import AccountRow, Base, Timestamps


class CatalogueProduct(AccountRow, Timestamps, Base):
    """A product the ERP knows: the shop's product number (``products[].product_number``) ↔ the ERP item."""

    __tablename__ = "catalogue_products"
    __table_args__ = (UniqueConstraint("account_id", "product_number"),)

    product_number: Mapped[str] = mapped_column(String(100))
    erp_item: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(500))
    #: VAT rate in percent as a decimal string ("25", "15", "0").
    vat_rate: Mapped[str] = mapped_column(String(10))
    #: Source 003: a deactivated product can still be bought through a search engine's old link.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: ``import`` (API / CLI) or ``order`` (created on the fly from an order).
    origin: Mapped[str] = mapped_column(String(10), default="import")


class FeeMapping(AccountRow, Timestamps, Base):
    """Where a kind of fee goes (source 003: freight, payment fee, card fee "not defined as products, so the
    fee goes missing"): an ERP item (the fee becomes an invoice line) or a UNCL7161 charge reason code (a
    document-level charge)."""

    __tablename__ = "catalogue_fees"
    __table_args__ = (
        UniqueConstraint("account_id", "kind"),
        CheckConstraint("(item IS NULL) <> (charge_code IS NULL)", name="target"),
    )

    #: The form's ``fees[].kind``: freight, payment, card, other.
    kind: Mapped[str] = mapped_column(String(20))
    item: Mapped[str | None] = mapped_column(String(100))
    charge_code: Mapped[str | None] = mapped_column(String(3))
    #: Line name (item) or charge reason text (BT-104); default: the fee's own description.
    reason: Mapped[str | None] = mapped_column(String(500))
