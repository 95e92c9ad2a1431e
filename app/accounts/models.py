"""The account table: the seller ("My account", source 002), its connection settings (source 004), its
credentials, and its customer settings (sources 000 and 001); plus its customer-number series."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.profile import STORED, SellerProfile
from app.accounts.settings import CustomerSettings
from app.db.base import Base, PerAccount, Timestamps, UTCDateTime, utcnow

#: The SellerProfile fields, each stored in a column of the same name.
SELLER_FIELDS: tuple[str, ...] = tuple(SellerProfile.model_fields)


class Account(Timestamps, Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("mode IN ('draft', 'automatic')", name="mode"),
        CheckConstraint("payment_terms_days >= 0", name="payment_terms_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)

    # Credentials (source 004): the key is stored as a salted scrypt hash, never in clear text.
    client_id: Mapped[str] = mapped_column(String(40), unique=True)
    client_key_hash: Mapped[str] = mapped_column(String(200))
    key_rotated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # The seller (SellerProfile).
    country: Mapped[str] = mapped_column(String(2))
    org_number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(500))
    trading_name: Mapped[str | None] = mapped_column(String(500))
    address: Mapped[str] = mapped_column(String(500))
    address2: Mapped[str | None] = mapped_column(String(500))
    postcode: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(500))
    vat_registered: Mapped[bool] = mapped_column(Boolean)
    foretaksregisteret: Mapped[bool] = mapped_column(Boolean)
    contact_name: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(500))
    bank_account: Mapped[str | None] = mapped_column(String(34))
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    fik_creditor: Mapped[str | None] = mapped_column(String(8))
    fik_card_type: Mapped[str] = mapped_column(String(2), default="71", server_default="71")
    delivery_terms: Mapped[str | None] = mapped_column(String(500))
    payment_terms_days: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    prepaid_account: Mapped[str | None] = mapped_column(String(50))
    department: Mapped[str | None] = mapped_column(String(50))
    location: Mapped[str | None] = mapped_column(String(50))

    # Booking and connection settings.
    #: The shop's payment-term id → days (source 003: a changed id no longer matches).
    payment_terms_map: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    mail_sender: Mapped[str | None] = mapped_column(String(500))
    mail_subject: Mapped[str] = mapped_column(String(500))
    mail_text: Mapped[str] = mapped_column(Text)
    #: Source 004: orders registered before this date are not processed.
    process_orders_from: Mapped[date | None] = mapped_column(Date)
    #: Source 003: drafts first (checked by hand), automatic booking later.
    mode: Mapped[Literal["draft", "automatic"]] = mapped_column(String(10), default="draft")
    #: A webshop ("shop") or a sign-up platform ("signup"): how private customers are identified by default.
    kind: Mapped[Literal["shop", "signup"]] = mapped_column(String(10), default="shop", server_default="shop")
    #: Customer identification, creation/update and numbering (app.accounts.settings.CustomerSettings).
    customer_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    number_series: Mapped[NumberSeries | None] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )

    def seller_profile(self) -> SellerProfile:
        """The seller a document is built with."""
        return SellerProfile.model_validate({f: getattr(self, f) for f in SELLER_FIELDS}, context=STORED)

    def customer_rules(self) -> CustomerSettings:
        return CustomerSettings.model_validate(self.customer_settings)

    def payment_days(self, shop_term_id: str) -> int | None:
        """Days for the shop's payment-term id, or None when the mapping has no such id."""
        return self.payment_terms_map.get(shop_term_id)

    def __repr__(self) -> str:
        return f"Account(id={self.id!r}, client_id={self.client_id!r}, name={self.name!r})"


class NumberSeries(PerAccount, Base):
    """The account's customer-number series (source 000, "the ERP controls the number"): prefix + next value.

    Numbers are taken with ``UPDATE ... SET next_value = next_value + 1 RETURNING`` in the transaction that
    inserts the customer, so a rolled-back insert gives its number back: the series has no gaps.
    """

    __tablename__ = "customer_number_series"
    __table_args__ = (CheckConstraint("next_value >= 1", name="next_value"),)

    prefix: Mapped[str] = mapped_column(String(20), default="")
    next_value: Mapped[int] = mapped_column(BigInteger)

    account: Mapped[Account] = relationship(back_populates="number_series")
