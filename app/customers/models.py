"""The customer tables: one customer per identity within an account, and the EAN numbers of a customer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import AccountRow, Base, Timestamps, UTCDateTime, utcnow


class CustomerRecord(AccountRow, Timestamps, Base):
    """A customer of an account, as the ERP knows it.

    ``(account_id, id_type, id_value)`` is the identity the customer was found by (source 001: "check whether
    the customer exists before creating it"); it is unique, so concurrent identical sign-ups meet in the
    database and only one of them creates the customer.
    """

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("account_id", "id_type", "id_value"),
        UniqueConstraint("account_id", "number"),
    )

    kind: Mapped[str] = mapped_column(String(3))
    #: email | mobile | org_number | ean | customer_number | shared | one_time
    id_type: Mapped[str] = mapped_column(String(20))
    id_value: Mapped[str] = mapped_column(String(500))
    number: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(500))
    org_number: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(500))
    address2: Mapped[str | None] = mapped_column(String(500))
    postcode: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(2))
    customer_group: Mapped[str | None] = mapped_column(String(500))
    shop_customer_number: Mapped[str | None] = mapped_column(String(500))

    eans: Mapped[list[CustomerEan]] = relationship(
        back_populates="customer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CustomerEan.id",
    )

    def __repr__(self) -> str:
        return f"CustomerRecord(id={self.id!r}, number={self.number!r}, {self.id_type}={self.id_value!r})"


class CustomerEan(AccountRow, Base):
    """One EAN/GLN location number of a customer: a public body has one per department (source 001)."""

    __tablename__ = "customer_eans"
    __table_args__ = (UniqueConstraint("account_id", "ean"), Index(None, "customer_id"))

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    ean: Mapped[str] = mapped_column(String(13))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[CustomerRecord] = relationship(back_populates="eans")
