"""``nordubl accounts create|show|update|rotate-key|list``: the admin API's operations on the command line.

Settings come from a JSON file (the admin API's document) and/or flags; ``update`` applies them as a
JSON merge patch. The client key is printed once, by ``create`` and ``rotate-key``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.models import Account
from app.errors import NordublError
from app.issues import Issue

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_SELLER_FLAGS = ("country", "org_number", "name", "address", "postcode", "city", "email", "phone")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["create", "show", "update", "rotate-key", "list"])
    parser.add_argument("account", nargs="?", help="account id or client id (show, update, rotate-key)")
    parser.add_argument(
        "--file", "-f", help="settings as JSON (the admin API's document; a patch for update)"
    )
    for flag in _SELLER_FLAGS:
        parser.add_argument(f"--{flag.replace('_', '-')}", dest=flag, help=f"seller.{flag}")
    parser.add_argument("--mode", choices=["draft", "automatic"])
    parser.add_argument(
        "--number-strategy", choices=["erp_series", "external", "one_time_fixed", "one_time_new"]
    )
    parser.add_argument("--number-series", metavar="PREFIX:NEXT", help="customer-number series, e.g. K:10001")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--database-url", help="default: NORDUBL_DATABASE_URL")


def _document(args: argparse.Namespace) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if args.file:
        loaded = json.loads(Path(args.file).read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError(f"{args.file}: a JSON object is expected")
        data = loaded
    seller = {f: getattr(args, f) for f in _SELLER_FLAGS if getattr(args, f) is not None}
    if seller:
        data["seller"] = {**(data.get("seller") or {}), **seller}
    if args.mode:
        data["mode"] = args.mode
    customers: dict[str, Any] = dict(data.get("customers") or {})
    if args.number_strategy:
        customers["number_strategy"] = args.number_strategy
    if args.number_series:
        prefix, sep, start = args.number_series.rpartition(":")
        if not sep or not start.isdigit():
            raise ValueError(
                f"--number-series {args.number_series}: write it as PREFIX:NEXT (K:10001, or :1)"
            )
        customers["number_series"] = {"prefix": prefix, "next": int(start)}
    if customers:
        data["customers"] = customers
    return data


def _print_account(account: Account, out: TextIO, fmt: str, key: str | None = None) -> None:
    body = service.as_dict(account)
    if fmt == "json":
        if key is not None:
            body["client_key"] = key
        json.dump(body, out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    if key is not None:
        print(f"account:    {account.id} ({account.name})", file=out)
        print(f"client_id:  {account.client_id}", file=out)
        print(f"client_key: {key}", file=out)
        print("The client key is shown this once: store it now (rotate-key makes a new one).", file=out)
        return
    json.dump(body, out, indent=1, ensure_ascii=False)
    out.write("\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    name = f"accounts {args.action}"
    if args.action in ("show", "update", "rotate-key") and not args.account:
        print(f"{name}: give the account id or client id", file=sys.stderr)
        return EXIT_USAGE
    try:
        document = _document(args) if args.action in ("create", "update") else {}
    except (OSError, ValueError) as exc:
        print(f"{name}: fatal input.unreadable {exc}", file=sys.stderr)
        return EXIT_USAGE

    def work(session: Session) -> None:
        if args.action == "create":
            account, key = service.create_account(session, service.parse_settings(document))
            session.commit()
            _print_account(account, out, args.format, key)
        elif args.action == "list":
            for account in session.scalars(select(Account).order_by(Account.id)):
                print(f"{account.id}\t{account.client_id}\t{account.org_number}\t{account.name}", file=out)
        else:
            account = service.find_account(session, args.account)
            if args.action == "show":
                _print_account(account, out, args.format)
            elif args.action == "update":
                service.update_account(session, account, document)
                session.commit()
                _print_account(account, out, args.format)
            else:
                key = service.rotate_key(session, account)
                session.commit()
                _print_account(account, out, args.format, key)

    return in_session(name, args.database_url, work)


def in_session(name: str, database_url: str | None, work: Callable[[Session], None]) -> int:
    """Run ``work`` in a session of the database (``database_url``, else NORDUBL_DATABASE_URL): exit 0; an
    operation refused with a NordublError is rolled back and printed, one line per issue on stderr (exit 1)."""
    from app.config import get_settings, normalise_database_url
    from app.db import get_engine, session_factory

    url = normalise_database_url(database_url) if database_url else get_settings().database_url
    with session_factory(get_engine(url))() as session:
        try:
            work(session)
        except NordublError as err:
            session.rollback()
            for issue in err.issues:
                print(issue_text(name, issue), file=sys.stderr)
            return EXIT_INVALID
    return EXIT_OK


def issue_text(name: str, issue: Issue) -> str:
    """``command: severity code message [field …] — hint``: one line of a refused command."""
    extra = f" [field {issue.field}]" if issue.field else ""
    hint = f" — {issue.hint}" if issue.hint else ""
    return f"{name}: {issue.severity} {issue.code} {issue.message}{extra}{hint}"
