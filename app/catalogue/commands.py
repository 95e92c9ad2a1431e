"""``nordubl catalogue import|show``: load an account's products or fee mappings from a JSON or CSV file.

CSV has a header row: products ``product_number,erp_item,name,vat_rate,active``, fees
``kind,item,charge_code,reason`` (``,`` or ``;`` separated; ``12,5`` is read as 12.5).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Literal, TextIO, cast

from sqlalchemy.orm import Session

from app.accounts.commands import EXIT_USAGE, in_session
from app.catalogue import service
from app.catalogue.schemas import FeeIn, ProductIn


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["import", "show"])
    parser.add_argument("file", nargs="?", help="JSON or CSV file (import)")
    parser.add_argument("--account", required=True, help="account id or client id")
    parser.add_argument("--fees", action="store_true", help="the file holds fee mappings (default: products)")
    parser.add_argument("--format", choices=["json", "csv"], help="file format (default: from the file name)")
    parser.add_argument(
        "--replace", action="store_true", help="remove what the file does not name (default: add and update)"
    )
    parser.add_argument("--database-url", help="default: NORDUBL_DATABASE_URL")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from app.accounts.service import find_account

    what: Literal["products", "fees"] = "fees" if args.fees else "products"
    name = f"catalogue {args.action}"
    data = b""
    fmt: Literal["json", "csv"] = "json"
    if args.action == "import":
        if not args.file:
            print(f"{name}: give the file to import", file=sys.stderr)
            return EXIT_USAGE
        path = Path(args.file)
        fmt = cast(
            Literal["json", "csv"], args.format or ("csv" if path.suffix.lower() == ".csv" else "json")
        )
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{name}: fatal input.unreadable {path}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE

    def work(session: Session) -> None:
        account = find_account(session, args.account)
        if args.action == "import":
            items = service.parse_file(data, what, fmt)
            if what == "products":
                total = service.save_products(
                    session, account.id, cast(list[ProductIn], items), replace_all=args.replace
                )
            else:
                total = service.save_fees(
                    session, account.id, cast(list[FeeIn], items), replace_all=args.replace
                )
            session.commit()
            print(f"{name}: {len(items)} {what} read; the account has {total} {what}", file=out)
        else:
            if what == "products":
                rows = sorted(service.products(session, account.id).values(), key=lambda p: p.product_number)
                body = {"products": [service.product_out(p).model_dump(mode="json") for p in rows]}
            else:
                fees = sorted(service.fees(session, account.id).values(), key=lambda f: f.kind)
                body = {"fees": [service.fee_out(f).model_dump(mode="json") for f in fees]}
            json.dump(body, out, indent=1, ensure_ascii=False)
            out.write("\n")

    return in_session(name, args.database_url, work)
