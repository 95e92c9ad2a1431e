"""Source 000 (Sharespine): who gives the customer number, and "Kundnummer saknas" (customer number missing).

One test per setting of the article, each on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest
from dbfixtures import Database, count_customers, new_account, resolve

from app.accounts.models import Account
from app.customers.numbers import allocate
from app.errors import NordublError

SERIES = {"prefix": "K", "next": 5000}


def _series_next(db: Database, account_id: int) -> int:
    return int(db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=account_id))


def test_erp_controls_the_number_the_series_assigns_it(db: Database) -> None:
    """ "Let the ERP control the customer number": the ERP's number series assigns it."""
    acc = new_account(db, {"number_strategy": "erp_series", "number_series": SERIES})
    a = resolve(db, acc.id, email="a@example.dk", customer_number="SHOP-1")  # the shop's number is ignored
    b = resolve(db, acc.id, email="b@example.dk")
    assert (a.number, b.number) == ("K5000", "K5001")
    assert a.number_source == b.number_source == "series"
    assert _series_next(db, acc.id) == 5002


def test_a_new_account_gets_a_customer_number_series(db: Database) -> None:
    """A new account on default settings numbers its first customer (it was refused with
    customer.number_missing until someone configured a series)."""
    acc = new_account(db)
    assert resolve(db, acc.id, email="first@example.no").number == "10000"
    assert resolve(db, acc.id, email="second@example.no").number == "10001"


def test_erp_controls_the_number_no_series_configured_customer_number_missing(db: Database) -> None:
    """If nothing is set up in the ERP, the customer number stays empty and the order fails with
    "customer number missing"; the message names the setting and what to configure."""
    acc = new_account(db, {"number_strategy": "erp_series", "number_series": None})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="a@example.dk")
    issue = err.value.issues[0]
    assert issue.code == "customer.number_missing"
    assert 'number_strategy = "erp_series"' in issue.message
    assert issue.field == "account.customers.number_series"
    assert issue.hint is not None and "customers.number_series" in issue.hint
    assert count_customers(db, acc.id) == 0


def test_external_system_controls_the_number_the_shops_number_comes_first(db: Database) -> None:
    """ "Let the external system control the customer number": the shop's number is used first."""
    acc = new_account(db, {"number_strategy": "external", "number_series": SERIES})
    a = resolve(db, acc.id, email="a@example.dk", customer_number="WEB-77")
    assert (a.number, a.number_source) == ("WEB-77", "shop")
    assert _series_next(db, acc.id) == 5000  # the series was not touched


def test_external_system_controls_the_number_shop_sends_none_erp_series_is_used(db: Database) -> None:
    """External system controls the number, shop sends none → the ERP series is used (secondarily)."""
    acc = new_account(db, {"number_strategy": "external", "number_series": SERIES})
    a = resolve(db, acc.id, email="a@example.dk")
    assert (a.number, a.number_source) == ("K5000", "series")


def test_external_system_neither_gives_a_number_customer_number_missing(db: Database) -> None:
    """If neither system creates a customer number, it stays empty: "customer number missing"."""
    acc = new_account(db, {"number_strategy": "external", "number_series": None})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="a@example.dk")
    issue = err.value.issues[0]
    assert issue.code == "customer.number_missing"
    assert "customer.customer_number" in issue.message and 'number_strategy = "external"' in issue.message
    assert issue.hint is not None and "customer.customer_number" in issue.hint
    assert resolve(db, acc.id, email="a@example.dk", customer_number="WEB-1").number == "WEB-1"


def test_all_one_time_customers_on_one_fixed_customer_number(db: Database) -> None:
    """ "Put all one-time customers on the following customer number": every guest is booked on one number."""
    acc = new_account(db, {"number_strategy": "one_time_fixed", "one_time_customer_number": "999"})
    a = resolve(db, acc.id, email="a@example.dk")
    b = resolve(db, acc.id, email="b@example.dk", org_number="13585628")
    assert a.number == b.number == "999" and a.id == b.id
    assert a.action == b.action == "shared" and a.number_source == "fixed"
    # a customer the shop knows by its own number is not a one-time customer
    member = resolve(db, acc.id, email="c@example.dk", customer_number="M-12")
    assert (member.number, member.action) == ("M-12", "created")
    assert count_customers(db, acc.id) == 2


def test_one_fixed_number_not_configured_customer_number_missing(db: Database) -> None:
    """The fixed-number setting without a number gives "customer number missing", naming the setting."""
    acc = new_account(db, {"number_strategy": "one_time_fixed", "number_series": SERIES})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="a@example.dk")
    issue = err.value.issues[0]
    assert (issue.code, issue.field) == (
        "customer.number_missing",
        "account.customers.one_time_customer_number",
    )
    assert issue.hint is not None and "one_time_customer_number" in issue.hint


def test_a_new_customer_for_every_one_time_customer(db: Database) -> None:
    """ "Create a new customer for every one-time customer": each order creates a new customer number."""
    acc = new_account(db, {"number_strategy": "one_time_new", "number_series": SERIES})
    a = resolve(db, acc.id, email="a@example.dk")
    b = resolve(db, acc.id, email="a@example.dk")  # the same guest ordering again
    assert (a.number, b.number) == ("K5000", "K5001")
    assert a.id != b.id and a.action == b.action == "created"
    assert count_customers(db, acc.id) == 2


def test_a_new_customer_for_every_one_time_customer_needs_a_working_series(db: Database) -> None:
    """That setting needs the customer-number series to be set up correctly, else "customer number missing"."""
    acc = new_account(db, {"number_strategy": "one_time_new", "number_series": None})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="a@example.dk")
    issue = err.value.issues[0]
    assert issue.code == "customer.number_missing" and "needs a number series" in issue.message


def test_a_new_customer_for_every_one_time_customer_requires_creation_on() -> None:
    """The setting contradicts "creation off": the settings are refused as a whole."""
    from dbfixtures import SELLER_DK

    from app.accounts.service import parse_settings

    with pytest.raises(NordublError) as err:
        parse_settings(
            {"seller": SELLER_DK, "customers": {"number_strategy": "one_time_new", "create": False}}
        )
    assert err.value.issues[0].field == "customers"


def test_shared_customer_without_fixed_number_and_without_series_customer_number_missing(
    db: Database,
) -> None:
    """A shared "B2C webshop" customer needs a number too: a fixed one, or the series."""
    acc = new_account(db, {"b2c": {"identify_by": "shared"}, "number_series": None})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="a@example.dk")
    issue = err.value.issues[0]
    assert issue.code == "customer.number_missing" and "customers.b2c.shared_customer_number" in issue.message


def test_a_shop_number_already_used_by_another_customer_is_refused(db: Database) -> None:
    """The ERP has one customer per number: a shop number that belongs to someone else is a coded error."""
    acc = new_account(db, {"number_strategy": "external", "number_series": SERIES})
    resolve(db, acc.id, email="a@example.dk", customer_number="WEB-1")
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="b@example.dk", customer_number="WEB-1")
    issue = err.value.issues[0]
    assert (issue.code, issue.field, issue.value) == (
        "customer.number_taken",
        "customer.customer_number",
        "WEB-1",
    )
    assert count_customers(db, acc.id) == 1


def test_a_rolled_back_order_gives_its_number_back(db: Database) -> None:
    """The number is taken in the transaction that stores the customer: a rollback leaves no gap."""
    acc = new_account(db, {"number_series": SERIES})
    with db.session() as session:
        assert allocate(session, acc.id) == "K5000"
        session.rollback()
    with db.session() as session:
        account = session.get(Account, acc.id)
        assert account is not None
        assert allocate(session, acc.id) == "K5000"
        session.commit()
    assert _series_next(db, acc.id) == 5001
