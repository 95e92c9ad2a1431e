"""Command line: ``nordubl standards install``, ``nordubl validate``, ``nordubl order``, ``nordubl serve``.

Exit codes: 0 valid, 1 invalid, 2 usage or unreadable input. Issues print one per line as
``file:line: severity code message`` (or ``--format json``). File names and messages are printed with
their control characters escaped (:func:`app.terminal.printable`): a name cannot move the cursor or
start a line of its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from app.config import get_settings
from app.errors import NordublError
from app.terminal import issue_line, printable

if TYPE_CHECKING:
    from app.accounts.profile import SellerProfile
    from app.forms.models import RegistrationForm
    from app.service import Generated

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _cmd_standards(args: argparse.Namespace, out: TextIO) -> int:
    from app import standards

    settings = get_settings()
    target = Path(args.target or settings.standards_dir)
    if args.action == "verify":
        problems = standards.verify(target)
        for p in problems:
            print(p, file=out)
        return EXIT_INVALID if problems else EXIT_OK
    if args.offline_url:
        mirror = None
    else:
        mirror = Path(args.source) if args.source else settings.standards_mirror
        if not mirror.is_dir():
            print(f"no mirror at {mirror}; downloading from upstream", file=sys.stderr)
            mirror = None
    try:
        n = standards.install(target, mirror)
    except standards.StandardsError as exc:
        print(f"standards: {exc}", file=sys.stderr)
        return EXIT_INVALID
    total = len(standards.load_manifest())
    print(f"standards: {total} files verified in {target} ({n} installed now)", file=out)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from app.batch import validate_paths

    return validate_paths(
        args.paths, fmt=args.format, jobs=args.jobs, progress=args.progress, out=out, engine=args.engine
    )


def _generate(
    args: argparse.Namespace, out: TextIO, make: Callable[[RegistrationForm, SellerProfile], Generated]
) -> int:
    """Form file → ``make(form, seller)`` → XML on stdout or ``-o``; issues one per line on stderr."""
    from app.accounts.profile import load_seller
    from app.forms.loader import load_form_bytes

    try:
        raw = Path(args.form).read_bytes()
    except OSError as exc:
        print(printable(f"{args.form}: fatal input.unreadable {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_USAGE
    try:
        form = load_form_bytes(raw)
        seller = load_seller(Path(args.account) if args.account else get_settings().account_file)
        result = make(form, seller)
    except NordublError as err:
        for issue in err.issues:
            # a line in the generated XML means nothing to the form's author: the field says where
            print(issue_line(args.form, replace(issue, line=None)), file=sys.stderr)
        return EXIT_USAGE if err.status == 400 else EXIT_INVALID
    if result.choice is not None:
        print(printable(f"{args.form}: {result.profile} ({result.choice.reason})"), file=sys.stderr)
    if args.output:
        Path(args.output).write_bytes(result.xml)
    else:
        out.write(result.xml.decode("utf-8"))
    return EXIT_OK


def _cmd_order(args: argparse.Namespace, out: TextIO) -> int:
    from app.service import make_order

    return _generate(args, out, lambda form, seller: make_order(form, seller, profile=args.profile))


def _cmd_invoice(args: argparse.Namespace, out: TextIO) -> int:
    from app.service import make_invoice

    return _generate(
        args,
        out,
        lambda form, seller: make_invoice(
            form, seller, profile=args.profile, credit_note=args.credit_note, invoice_ref=args.invoice_ref
        ),
    )


def _cmd_pdf(args: argparse.Namespace, out: TextIO) -> int:
    from app.pdf.render import render_pdf

    try:
        xml = Path(args.document).read_bytes()
        logo = Path(args.logo).read_bytes() if args.logo else None
    except OSError as exc:
        print(printable(f"{exc.filename}: fatal input.unreadable {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_USAGE
    try:
        pdf = render_pdf(xml, args.lang, logo)
    except NordublError as err:
        for issue in err.issues:
            print(issue_line(args.document, issue), file=sys.stderr)
        return EXIT_USAGE if err.status == 400 else EXIT_INVALID
    Path(args.output).write_bytes(pdf)
    print(printable(f"{args.document}: {args.output} ({len(pdf)} bytes)"), file=sys.stderr)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run("app.api.main:app", host=args.host or settings.host, port=args.port or settings.port)
    return EXIT_OK


def _cmd_accounts(args: argparse.Namespace, out: TextIO) -> int:
    from app.accounts import commands

    return commands.run(args, out)


def _cmd_catalogue(args: argparse.Namespace, out: TextIO) -> int:
    from app.catalogue import commands

    return commands.run(args, out)


def _cmd_webhooks(args: argparse.Namespace, out: TextIO) -> int:
    from app.webhooks import commands

    return commands.run(args, out)


def _cmd_worker(args: argparse.Namespace, out: TextIO) -> int:
    from app.worker import main as worker_main

    return worker_main(get_settings(), once=args.once, transport=args.transport, out=out)


def _cmd_db(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.engine import make_url

    from app.config import normalise_database_url
    from app.db import make_engine
    from app.db.migrate import current, head, upgrade

    url = normalise_database_url(args.database_url) if args.database_url else get_settings().database_url
    engine = make_engine(url)
    try:
        if args.action == "upgrade":
            upgrade(engine, args.revision)
        where = make_url(url).render_as_string(hide_password=True)
        print(f"{where}: at revision {current(engine) or 'none'} (newest: {head()})", file=out)
    finally:
        engine.dispose()
    return EXIT_OK


def version_text() -> str:
    """``nordubl 0.1.0`` and, one per line, the releases of the official rules the manifest pins."""
    from app import __version__
    from app.standards import load_manifest

    releases = sorted({entry.version for entry in load_manifest() if entry.version})
    return "\n".join([f"nordubl {__version__}", "rules:", *(f"  {r}" for r in releases)])


def _form_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    kind: Literal["order", "invoice"],
    help: str,
    profile_help: str,
) -> argparse.ArgumentParser:
    """``nordubl order|invoice FORM [--profile …]``: a form turned into a document of ``kind``."""
    from app.profiles import names_for

    command = sub.add_parser(kind, help=help)
    command.add_argument("form")
    command.add_argument("--profile", choices=names_for(kind), help=profile_help)
    return command


def _seller_and_output(command: argparse.ArgumentParser) -> None:
    command.add_argument("--account", help="seller profile JSON (default: NORDUBL_ACCOUNT_FILE)")
    command.add_argument("-o", "--output")


def build_parser() -> argparse.ArgumentParser:

    p = argparse.ArgumentParser(
        prog="nordubl",
        description="Officially valid UBL documents (EHF, Peppol BIS, OIOUBL) from sign-up and webshop\n"
        "orders, and their validation against the official rules.",
        formatter_class=argparse.RawDescriptionHelpFormatter,  # --version prints one release per line
    )
    p.add_argument("--version", action="version", version=version_text())
    sub = p.add_subparsers(dest="command", required=True)

    st = sub.add_parser("standards", help="install or verify the official artifacts")
    st.add_argument("action", choices=["install", "verify"])
    st.add_argument(
        "--from", dest="source", help="a local mirror (default: ../shared/standards when present)"
    )
    st.add_argument("--download", dest="offline_url", action="store_true", help="download from upstream")
    st.add_argument("--target", help="install folder (default: NORDUBL_STANDARDS_DIR)")
    st.set_defaults(func=_cmd_standards)

    from app.batch.reporters import REPORTERS
    from app.batch.runner import positive_int

    va = sub.add_parser(
        "validate",
        help="validate UBL files, folders (*.xml and *.zip, recursively) and .zip archives against the official rules",
        description="Exit 0 all valid, 1 any invalid, 2 usage or any unreadable input.",
    )
    va.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder or a .zip archive")
    va.add_argument(
        "--format", choices=sorted(REPORTERS), default="text", help="report format (default: text)"
    )
    va.add_argument(
        "-j", "--jobs", type=positive_int, default=None, help="worker processes (default: the number of CPUs)"
    )
    va.add_argument(
        "--engine",
        choices=("saxonche", "jvm"),
        default=None,
        help="saxonche: worker processes; jvm: threads sharing one Java VM (Saxon-HE on a Java runtime; "
        "1.3-1.5x faster on large documents, about even on small ones). Default: NORDUBL_VALIDATION_ENGINE (saxonche)",
    )
    va.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only when stderr is a terminal)",
    )
    va.set_defaults(func=_cmd_validate)

    od = _form_command(
        sub,
        "order",
        "turn a registration form (JSON) into a validated order",
        "force a profile (default: EHF for a Norwegian seller, Peppol T01 for others, OIOUBL for "
        "Danish EAN customers)",
    )
    _seller_and_output(od)
    od.set_defaults(func=_cmd_order)

    iv = _form_command(
        sub,
        "invoice",
        "turn a form (JSON) into a validated invoice or credit note",
        "force a profile (default: chosen per customer)",
    )
    iv.add_argument("--credit-note", action="store_true", help="write a credit note")
    iv.add_argument("--invoice-ref", help="the invoice a credit note corrects (default: credited_invoice.id)")
    _seller_and_output(iv)
    iv.set_defaults(func=_cmd_invoice)

    pd = sub.add_parser(
        "pdf",
        help="render a UBL invoice or credit note as a PDF/A-3b with the XML embedded",
        description="The XML is rendered as it is: run `nordubl validate` first for files of unknown origin.",
    )
    pd.add_argument("document", metavar="INVOICE.xml")
    pd.add_argument(
        "--lang", choices=["nb", "da", "sv", "en"], default="nb", help="labels and formats (default: nb)"
    )
    pd.add_argument("--logo", help="a PNG or JPEG printed in the header")
    pd.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    pd.set_defaults(func=_cmd_pdf)

    sv = sub.add_parser("serve", help="run the HTTP API")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    sv.set_defaults(func=_cmd_serve)

    from app.accounts.commands import add_arguments as add_account_arguments

    ac = sub.add_parser("accounts", help="create, show, update accounts; rotate their client keys")
    add_account_arguments(ac)
    ac.set_defaults(func=_cmd_accounts)

    from app.catalogue.commands import add_arguments as add_catalogue_arguments

    cat = sub.add_parser("catalogue", help="import or show an account's products and fee mappings")
    add_catalogue_arguments(cat)
    cat.set_defaults(func=_cmd_catalogue)

    from app.webhooks.commands import add_arguments as add_webhook_arguments

    wh = sub.add_parser("webhooks", help="post the due webhook rows of the outbox")
    add_webhook_arguments(wh)
    wh.set_defaults(func=_cmd_webhooks)

    dbp = sub.add_parser("db", help="database schema: apply the migrations (upgrade) or show the revision")
    dbp.add_argument("action", choices=["upgrade", "current"])
    dbp.add_argument("--revision", default="head", help="target revision of upgrade (default: head)")
    dbp.add_argument("--database-url", help="default: NORDUBL_DATABASE_URL")
    dbp.set_defaults(func=_cmd_db)

    wk = sub.add_parser(
        "worker",
        help="send the invoice mail waiting in the outbox (SMTP, SES or .eml files)",
        description="Runs until SIGTERM/SIGINT (the mail in hand is finished first). A mail is never handed "
        "over twice automatically: one whose worker stopped mid-hand-over becomes 'unknown'.",
    )
    wk.add_argument("--once", action="store_true", help="send every mail due now, then exit")
    wk.add_argument(
        "--transport", choices=["file", "smtp", "ses"], help="default: NORDUBL_MAIL_TRANSPORT (file)"
    )
    wk.set_defaults(func=_cmd_worker)
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    result: int = args.func(args, out or sys.stdout)
    return result


if __name__ == "__main__":
    sys.exit(main())
