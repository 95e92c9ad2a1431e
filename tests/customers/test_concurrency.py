"""Concurrent sign-ups, on SQLite and on PostgreSQL: threads, each with its own session and connection."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from dbfixtures import Database, count_customers, new_account, resolve
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from waiting import CAP_S

from app.accounts.models import Account
from app.customers import resolve as resolve_module
from app.customers.resolve import ResolvedCustomer, resolve_customer
from app.forms.models import Customer


def _run_together(
    db: Database, account_id: int, customers: list[Customer], workers: int
) -> list[ResolvedCustomer]:
    """Resolve every customer in its own thread and session; the threads start at one barrier."""
    barrier = threading.Barrier(min(workers, len(customers)))

    def one(customer: Customer) -> ResolvedCustomer:
        with db.session() as session:
            account = session.get(Account, account_id)
            session.rollback()  # start the race from no open transaction
            assert account is not None
            if len(customers) <= workers:
                barrier.wait(timeout=CAP_S)
            result = resolve_customer(session, account, customer)
            session.commit()
            return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, customers))


def _customer(**fields: Any) -> Customer:
    return Customer.model_validate({"first_name": "Kari", "last_name": "Nordmann", "country": "DK", **fields})


def test_50_concurrent_identical_sign_ups_create_exactly_one_customer_with_one_number(db: Database) -> None:
    """The same customer signing up 50 times at once is created once: the unique identity decides, the others
    find it; the series gives exactly one number."""
    acc = new_account(db, {"number_series": {"prefix": "", "next": 100}})
    refused: list[str] = []

    def on_error(context: ExceptionContext) -> None:
        refused.append(type(context.original_exception).__name__)

    event.listen(db.engine, "handle_error", on_error)
    try:
        results = _run_together(db, acc.id, [_customer(email="kari@example.dk")] * 50, workers=50)
    finally:
        event.remove(db.engine, "handle_error", on_error)
    if db.backend == "postgresql":
        # the race was real: inserts lost to the unique constraint and fetched the winner instead
        assert refused and set(refused) == {"UniqueViolation"}
    else:
        assert refused == []  # SQLite: BEGIN IMMEDIATE queues the transactions, none loses a race
    assert len({r.id for r in results}) == 1
    assert {r.number for r in results} == {"100"}
    assert Counter(r.action for r in results) == {"created": 1, "matched": 49}
    assert count_customers(db, acc.id) == 1
    assert db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=acc.id) == 101


def test_50_concurrent_identical_ean_orders_create_one_customer_with_the_ean_once(db: Database) -> None:
    """The same for an EAN customer: one customer, its EAN stored once."""
    acc = new_account(db, {"number_series": {"prefix": "E", "next": 1}})
    results = _run_together(db, acc.id, [_customer(ean="5798000000001")] * 50, workers=50)
    assert len({r.id for r in results}) == 1 and {r.number for r in results} == {"E1"}
    assert db.scalar("SELECT count(*) FROM customer_eans WHERE account_id = :a", a=acc.id) == 1


def test_200_concurrent_new_customers_get_200_distinct_gap_free_numbers(db: Database) -> None:
    """Strategy "the ERP's series controls the number": 200 new customers at once get 200 distinct numbers
    with no gap, and the series ends right after the last one."""
    start = 10_000
    acc = new_account(db, {"number_series": {"prefix": "K", "next": start}})
    customers = [_customer(email=f"guest{i}@example.dk") for i in range(200)]
    results = _run_together(db, acc.id, customers, workers=40)
    numbers = sorted(int(r.number.removeprefix("K")) for r in results)
    assert numbers == list(range(start, start + 200))
    assert {r.action for r in results} == {"created"}
    assert count_customers(db, acc.id) == 200
    assert (
        db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=acc.id)
        == start + 200
    )


def test_concurrent_sign_ups_of_two_accounts_do_not_share_numbers_or_customers(db: Database) -> None:
    """Each account has its own series and its own customers, also under load."""
    a = new_account(db, {"number_series": {"prefix": "A", "next": 1}})
    b = new_account(db, {"number_series": {"prefix": "B", "next": 1}})
    jobs: list[Callable[[], list[ResolvedCustomer]]] = [
        lambda: _run_together(db, a.id, [_customer(email="same@example.dk")] * 10, workers=10),
        lambda: _run_together(db, b.id, [_customer(email="same@example.dk")] * 10, workers=10),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        ra, rb = (f.result() for f in [pool.submit(j) for j in jobs])
    assert {r.number for r in ra} == {"A1"} and {r.number for r in rb} == {"B1"}
    assert count_customers(db, a.id) == count_customers(db, b.id) == 1


def test_an_insert_that_loses_the_race_fetches_the_winner_and_gives_its_number_back(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Insert-or-fetch, made deterministic: the look-up misses a customer that another sign-up has just
    committed; the insert hits the unique constraint, the savepoint takes back the number, the winner is
    returned."""
    acc = new_account(db, {"number_series": {"prefix": "", "next": 100}})
    winner = resolve(db, acc.id, email="kari@example.dk")
    real_lookup = resolve_module._lookup
    calls: list[str] = []

    def stale_once(*args: Any) -> Any:
        calls.append(args[2])
        return None if len(calls) == 1 else real_lookup(*args)

    monkeypatch.setattr(resolve_module, "_lookup", stale_once)
    loser = resolve(db, acc.id, email="kari@example.dk")
    assert calls == ["email", "email"]
    assert (loser.id, loser.number, loser.action) == (winner.id, "100", "matched")
    assert count_customers(db, acc.id) == 1
    assert db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=acc.id) == 101
