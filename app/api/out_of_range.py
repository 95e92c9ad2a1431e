"""Numbers too large for the machine, from any route: 422 problem+json instead of 500.

A query or path parameter declared as a plain ``int`` takes any number of digits. Three places refuse
an enormous one by raising, deep inside a request, what reads as a crash: Python's ``int()`` beyond
4,300 digits (while the router converts a ``{id:int}`` path segment), the SQLite driver binding an
integer wider than 64 bits, and PostgreSQL comparing one with a ``bigint`` column ("out of range").
Each of these means the request carried a number no row can have: the caller's error, answered as
such. Anything else raised stays an internal error (500, see :mod:`app.api.middleware`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from app.api.problems import problem
from app.codes import issue

_SIGNS = (
    "exceeds the limit",  # int('9' * 5000): ValueError, sys.get_int_max_str_digits()
    "too large to convert",  # sqlite3: OverflowError binding a parameter
    "int too big to convert",
    "out of range",  # PostgreSQL: numeric_value_out_of_range (22003), psycopg DataError
    "numericvalueoutofrange",
)


def is_out_of_range(exc: BaseException) -> bool:
    text = f"{type(exc.__cause__ or exc).__name__} {exc}".lower()
    return any(sign in text for sign in _SIGNS)


def out_of_range(request: Request, exc: Exception) -> JSONResponse:
    if not is_out_of_range(exc):
        raise exc  # a real failure: the middleware answers 500 and logs it
    return problem(
        422,
        "A number in the request is out of range",
        [issue("input.out_of_range")],
        request=request,
    )


def install(app: FastAPI) -> None:
    for kind in (OverflowError, ValueError, DataError):
        app.add_exception_handler(kind, out_of_range)
