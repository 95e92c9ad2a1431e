"""The generated matrix: every seller × customer × document × variant, through the CLI and through the HTTP API.

Dimensions (tests/matrix/matrixcases.py builds the forms; 3 × 6 × 3 × 6 = 324 cases per runner):

* seller: ``NO``, ``DK``, ``SE`` — fixtures/accounts/demo-no.json, demo-dk.json (IBAN, no BIC, da, 30 days),
  demo-se.json (IBAN + BIC, sv);
* customer: ``private`` (a person in the seller's country: name, e-mail, mobile, address),
  ``company_contact`` (a company of the seller's country with a valid org. number / CVR and a contact),
  ``company_no_contact`` (the same without the first_name/last_name keys), ``dk_public_ean`` (a Danish
  public body: EAN/GLN, requisition number, reference person, CVR), ``foreign_private`` (a person in DE),
  ``cross_border_company`` (NO seller → Danish company, DK → Swedish, SE → Norwegian);
* document: ``order``, ``invoice``, ``creditnote`` (of the invoice of the same form);
* variant: ``plain`` (two lines at 25 %), ``prepaid_card`` (paid by card), ``vat_inclusive``
  (prices_include_vat, one cent to place), ``fees`` (freight and payment fee), ``half_cent`` (VAT of exactly
  half a cent per rate: 18.10 × 25 % = 4.525 → 4.53), ``mixed_rates`` (25 % and NO 15 % / DK 0 % / SE 12 %).

No form has a reference field (external_invoice_reference, customer_number, payment_id, invoice_number)
except the EAN customer's requisition number: the service fills the buyer reference (BT-10) itself.

Runners:

* ``test_cli[...]``: each form in a temporary folder, ``app.cli.main`` in-process with ``--account`` naming
  the seller's file (``order`` without ``--profile``: the service picks it; a credit note with
  ``--credit-note --invoice-ref`` the invoice number the same form gets, its order id); the XML file or the
  refusal lines (``code`` and ``[field …]`` of each issue line, and the exit code).
* ``test_http[...]``: one fresh account per seller on default settings (only the seller profile: no
  catalogue, no customer-number series, no processing settings), SQLite; per customer × variant
  ``POST /v1/shop-orders`` (the order), ``PUT /v1/orders/{id}/status`` ``completed`` (the invoice, the
  default invoice status) and then ``cancelled`` (the credit note, a default cancel status); every stored
  document (drafts included) fetched from ``GET /v1/documents/{id}.xml``. When a step is refused, the later
  documents of that order cannot exist and are refused with the same issues.

Every case gives a document or is refused with an issue (code and field) listed in
:data:`matrixcases.EXPECTED_REFUSALS` — today none (a Danish EAN customer of a NO or SE seller with
``mixed_rates`` gets Peppol BIS, as OIOUBL carries one standard VAT rate per document). Every document goes through the independent oracle, all of them
in one call per run (the module fixture ``verdicts``), and is read back (matrixcases.readback): the amount
to pay against the form's sum computed here (half-up VAT per rate, fees, prepaid), due date and seller's
account on an unpaid invoice, the buyer's identifier and scheme, the reference fields, the seller's
endpoint scheme, the profile.

The fixtures generate the whole matrix before the first test runs, so ``-k`` still pays for all of it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import ADMIN_KEY, Database
from goldens import ORACLE, assert_golden, oracle
from matrixcases import (
    CASES,
    COMPANY,
    CUSTOMERS,
    DOCUMENTS,
    EAN_CUSTOMER,
    FORMS,
    NS,
    PRIVATE,
    SELLER_FILES,
    SELLERS,
    VARIANTS,
    Case,
    expected_amounts,
    expected_refusal,
    readback,
    write_form,
)
from shopfixtures import make_app

from app import cli
from app.validation.engine import Engine

SELLER_JSON: dict[str, dict[str, Any]] = {
    c: json.loads(p.read_text("utf-8")) for c, p in SELLER_FILES.items()
}

Issue = tuple[str, str | None]  # (code, field)


@dataclass
class Outcome:
    """What one case gave: a document file, or the issues it was refused with."""

    path: Path | None
    issues: list[Issue] = field(default_factory=list)
    #: exit code / HTTP status and the printed lines, for the failure message
    detail: str = ""
    #: the step that refused it (HTTP: a later document inherits the refusal of the order or the invoice)
    stage: str | None = None
    #: the invoice number a credit note must name
    credited: str | None = None


# -- the CLI runner -------------------------------------------------------------------------------------

_LINE = re.compile(r"^(?P<where>.+?): (?P<severity>fatal|error|warning) (?P<code>\S+) (?P<rest>.*)$")
_FIELD = re.compile(r" \[field (?P<field>\S+?)\](?: — |$)")


def issue_lines(text: str) -> list[Issue]:
    """The (code, field) of each issue line ``file: severity code message [field f] — hint``."""
    out: list[Issue] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m and m["severity"] in ("fatal", "error"):
            f = _FIELD.search(m["rest"])
            out.append((m["code"], f["field"] if f else None))
    return list(dict.fromkeys(out))


def run_cli(case: Case, form_path: Path, out_dir: Path) -> Outcome:
    out = out_dir / f"{case}.xml"
    oid = FORMS[case.form_key]["order_id"]
    argv = [
        "order" if case.document == "order" else "invoice",
        str(form_path),
        "--account",
        str(SELLER_FILES[case.seller]),
        "-o",
        str(out),
    ]
    if case.document == "creditnote":
        argv[2:2] = ["--credit-note", "--invoice-ref", oid]
    err, stdout = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            code = cli.main(argv, out=stdout)
    except Exception as exc:  # an engineer's change may crash a case: report it, run the others
        return Outcome(None, [("exception", type(exc).__name__)], f"{type(exc).__name__}: {exc}")
    printed = err.getvalue().strip()
    credited = oid if case.document == "creditnote" else None
    if code == cli.EXIT_OK and out.is_file():
        return Outcome(out, detail=printed, credited=credited)
    issues = issue_lines(printed) or [(f"exit-{code}", None)]
    return Outcome(None, issues, f"exit {code}: {printed[:1500]}")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix")


@pytest.fixture(scope="module")
def cli_outcomes(workdir: Path, validation_engine: Engine) -> dict[Case, Outcome]:
    """Every case through ``nordubl order`` / ``nordubl invoice`` (in-process, the session's engine)."""
    forms, out = workdir / "forms", workdir / "cli"
    forms.mkdir()
    out.mkdir()
    return {case: run_cli(case, write_form(forms, case.form_key), out) for case in CASES}


# -- the HTTP runner ------------------------------------------------------------------------------------


def _problem(r: Any) -> list[Issue]:
    try:
        body = r.json()
    except ValueError:
        return [(f"http-{r.status_code}", None)]
    issues = [(i.get("code"), i.get("field")) for i in body.get("issues", []) if isinstance(i, dict)]
    return list(dict.fromkeys(issues)) or [(f"http-{r.status_code}", None)]


class HttpRunner:
    def __init__(self, client: Any, out_dir: Path) -> None:
        self.client = client
        self.out_dir = out_dir

    def account(self, seller: str) -> tuple[str, str]:
        """A new user's account: the seller profile and nothing else."""
        r = self.client.post(
            "/v1/admin/accounts",
            json={"seller": SELLER_JSON[seller]},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        assert r.status_code == 201, r.text
        return (r.json()["client_id"], r.json()["client_key"])

    def _fetch(self, auth: tuple[str, str], case: Case, doc: dict[str, Any], credited: str | None) -> Outcome:
        r = self.client.get(f"/v1/documents/{doc['id']}.xml", auth=auth)
        if r.status_code != 200:
            return Outcome(None, _problem(r), f"GET {doc['id']}.xml: {r.status_code} {r.text[:500]}")
        path = self.out_dir / f"{case}.xml"
        path.write_bytes(r.content)
        return Outcome(path, detail=f"document {doc['id']} ({doc.get('status')})", credited=credited)

    def _step(self, r: Any, kind: str) -> tuple[dict[str, Any] | None, Outcome | None]:
        """The newest document of ``kind`` the answer created, or the refusal."""
        if r.status_code not in (200, 201):
            return None, Outcome(None, _problem(r), f"{r.status_code}: {r.text[:1500]}", stage=kind)
        body = r.json()
        created = set(body.get("created", []))
        docs = [d for d in body.get("documents", []) if d.get("kind") == kind and d.get("id") in created]
        if not docs:
            issue = ("no-document", None)
            return None, Outcome(
                None, [issue], f"{r.status_code} without a new {kind}: {r.text[:1500]}", kind
            )
        return docs[-1], None

    def order(self, auth: tuple[str, str], seller: str, customer: str, variant: str) -> dict[str, Outcome]:
        """One shop order through its three documents."""
        form = FORMS[(seller, customer, variant)]
        case = {d: Case(seller, customer, d, variant) for d in DOCUMENTS}
        out: dict[str, Outcome] = {}

        def inherit(refusal: Outcome, docs: tuple[str, ...]) -> None:
            for d in docs:
                out[d] = Outcome(
                    None, refusal.issues, f"(refused at the {refusal.stage}) {refusal.detail}", refusal.stage
                )

        r = self.client.post("/v1/shop-orders", json=form, auth=auth)
        doc, refusal = self._step(r, "order")
        if refusal is not None:
            inherit(refusal, DOCUMENTS)
            return out
        assert doc is not None
        out["order"] = self._fetch(auth, case["order"], doc, None)

        path = f"/v1/orders/{form['order_id']}/status"
        r = self.client.put(path, json={"status": "completed"}, auth=auth)
        invoice, refusal = self._step(r, "invoice")
        if refusal is not None:
            inherit(refusal, ("invoice", "creditnote"))
            return out
        assert invoice is not None
        out["invoice"] = self._fetch(auth, case["invoice"], invoice, None)

        r = self.client.put(path, json={"status": "cancelled"}, auth=auth)
        credit, refusal = self._step(r, "creditnote")
        if refusal is not None:
            inherit(refusal, ("creditnote",))
            return out
        assert credit is not None
        out["creditnote"] = self._fetch(auth, case["creditnote"], credit, invoice.get("number"))
        return out


@pytest.fixture(scope="module")
def http_outcomes(workdir: Path) -> Iterator[dict[Case, Outcome]]:
    """Every case through the HTTP API: the real application on its own SQLite database."""
    from fastapi.testclient import TestClient

    from app.db import dispose_engines, make_engine
    from app.db.migrate import upgrade
    from app.processing.clock import ManualClock

    url = f"sqlite:///{workdir / 'matrix.db'}"
    engine = make_engine(url)
    upgrade(engine)
    blobs = workdir / "blobs"
    out = workdir / "http"
    out.mkdir()
    app, _ = make_app(
        Database("sqlite", url, engine), blobs, ManualClock(datetime(2026, 11, 21, 9, tzinfo=UTC))
    )
    client = TestClient(app)
    try:
        runner = HttpRunner(client, out)
        outcomes: dict[Case, Outcome] = {}
        for seller in SELLERS:
            auth = runner.account(seller)
            for customer in CUSTOMERS:
                for variant in VARIANTS:
                    try:
                        got = runner.order(auth, seller, customer, variant)
                    except Exception as exc:  # report it, run the other orders
                        failed = Outcome(
                            None, [("exception", type(exc).__name__)], f"{type(exc).__name__}: {exc}"
                        )
                        got = {d: failed for d in DOCUMENTS}
                    for d, outcome in got.items():
                        outcomes[Case(seller, customer, d, variant)] = outcome
        assert set(outcomes) == set(CASES)
        yield outcomes
    finally:
        client.close()
        app.state.validation.close()
        dispose_engines()
        engine.dispose()


# -- the oracle, once over every document ---------------------------------------------------------------


@pytest.fixture(scope="module")
def verdicts(
    cli_outcomes: dict[Case, Outcome], http_outcomes: dict[Case, Outcome]
) -> dict[str, dict[str, Any]]:
    """The independent oracle's verdict per file, for the documents of both runners in one call."""
    assert ORACLE.is_file(), f"the oracle {ORACLE} is missing"
    files = [o.path for runs in (cli_outcomes, http_outcomes) for o in runs.values() if o.path is not None]
    if not files:
        return {}
    returncode, results = oracle(files)
    assert returncode in (0, 1), results
    assert len(results) == len(files)
    return {r["file"]: r for r in results}


def _rule(fatal: str) -> str:
    """An oracle finding without its line number (XSD:12:message → XSD:message)."""
    if fatal.startswith("XSD:"):
        return "XSD:" + fatal.split(":", 2)[-1][:90]
    return fatal


def judge(case: Case, outcome: Outcome, verdicts: dict[str, dict[str, Any]]) -> None:
    problems: list[str] = []
    expected = expected_refusal(case)
    if outcome.path is None:
        if expected is not None and expected in outcome.issues:
            return
        where = f" at the {outcome.stage}" if outcome.stage and outcome.stage != case.document else ""
        got = ", ".join(f"{c} [{f}]" for c, f in outcome.issues)
        want = f" (expected {expected[0]} [{expected[1]}])" if expected else ""
        problems.append(f"refused{where}: {got}{want}")
    else:
        if expected is not None:
            problems.append(f"not refused: expected {expected[0]} [{expected[1]}], got a document")
        verdict = verdicts[str(outcome.path)]
        if not verdict["pass"]:
            problems.append("oracle: " + ", ".join(sorted({_rule(f) for f in verdict["fatal"]})))
        form = FORMS[case.form_key]
        problems += readback(
            case, form, outcome.path.read_bytes(), SELLER_JSON[case.seller], outcome.credited
        )
    assert not problems, "\n".join(problems) + f"\n[{outcome.detail[:1500]}]"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_cli(case: Case, cli_outcomes: dict[Case, Outcome], verdicts: dict[str, dict[str, Any]]) -> None:
    judge(case, cli_outcomes[case], verdicts)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_http(case: Case, http_outcomes: dict[Case, Outcome], verdicts: dict[str, dict[str, Any]]) -> None:
    judge(case, http_outcomes[case], verdicts)


def test_matrix_data_is_valid() -> None:
    """The matrix's own data: every identifier valid for its country, every case generated once."""
    import phonenumbers
    from stdnum import ean
    from stdnum.dk import cvr
    from stdnum.no import orgnr
    from stdnum.se import orgnr as se_orgnr

    check = {"NO": orgnr.is_valid, "DK": cvr.is_valid, "SE": se_orgnr.is_valid}
    for country, company in COMPANY.items():
        assert check[country](company["org_number"]), company
    for seller in SELLER_JSON.values():
        assert check[seller["country"]](seller["org_number"]), seller
    assert cvr.is_valid(EAN_CUSTOMER["org_number"])
    assert ean.is_valid(EAN_CUSTOMER["ean"])
    for country, person in PRIVATE.items():
        number = phonenumbers.parse(person["mobile"], country)
        assert phonenumbers.is_valid_number(number), person
        assert phonenumbers.region_code_for_number(number) == country, person
    assert SELLER_JSON["DK"].get("iban") == "DK5000400440116243" and "bic" not in SELLER_JSON["DK"]
    assert SELLER_JSON["SE"].get("iban") and SELLER_JSON["SE"].get("bic")
    assert len(CASES) == len(set(CASES)) == 3 * 6 * 3 * 6
    assert {f["order_id"] for f in FORMS.values()}.__len__() == len(FORMS)
    for f in FORMS.values():
        c = f["customer"]
        assert "external_invoice_reference" not in c and "customer_number" not in c
        assert ("ean_requisition" in c) == ("ean" in c)


def test_expected_amounts_are_computed_half_up() -> None:
    """The harness's own arithmetic, on the variants whose rounding matters."""
    d = Decimal
    half = expected_amounts(FORMS[("NO", "company_contact", "half_cent")])
    assert half.by_rate == {d("25"): (d("18.10"), d("4.53"))}  # 4.525: half-up, not half-even (4.52)
    mixed = expected_amounts(FORMS[("NO", "company_contact", "mixed_rates")])
    assert mixed.by_rate == {d("25"): (d("499.00"), d("124.75")), d("15"): (d("20.30"), d("3.05"))}
    fees = expected_amounts(FORMS[("SE", "private", "fees")])
    assert fees.before_prepaid == d("2958.75")  # (2189.00 + 149.00 + 29.00) × 1.25
    gross = expected_amounts(FORMS[("DK", "private", "vat_inclusive")])
    assert gross.before_prepaid == d("133.32") and gross.by_rate == {d("25"): (d("106.65"), d("0"))}
    paid = expected_amounts(FORMS[("DK", "private", "prepaid_card")])
    assert (
        paid.payable("invoice", "peppol"),
        paid.payable("creditnote", "peppol"),
        paid.payable("order", "peppol"),
        paid.payable("order", "oioubl"),  # no PrepaidPayment in an OIOUBL order (F-ORD121)
    ) == (d("0.00"), d("2736.25"), d("0.00"), d("2736.25"))


# One wrong detail per mutation, on an unpaid EHF/Peppol invoice to a Norwegian company: the read-back must
# name it (tag of the problem line). Each is an XPath, the attribute (None: the text) and the new value
# (None: the element is removed).
MUTATIONS: list[tuple[str, str, str | None, str | None]] = [
    ("payable:", "cac:LegalMonetaryTotal/cbc:PayableAmount", None, "1.00"),
    ("vat:", "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", None, "4.52"),
    ("due-date:", "cbc:DueDate", None, None),
    ("payee-account:", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", None, "12345678903"),
    (
        "buyer-id:",
        "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
        "schemeID",
        "0007",
    ),
    ("buyer-reference:", "cbc:BuyerReference", None, None),
    ("seller-endpoint:", "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "schemeID", "0184"),
    ("profile:", "cbc:CustomizationID", None, "OIOUBL-2.1"),
]


@pytest.mark.parametrize(
    ("tag", "path", "attribute", "value"), MUTATIONS, ids=[m[0].rstrip(":") for m in MUTATIONS]
)
def test_readback_names_a_wrong_detail(
    tag: str, path: str, attribute: str | None, value: str | None, cli_outcomes: dict[Case, Outcome]
) -> None:
    """The checks are not vacuous: a generated document with one detail changed gets a new problem with the
    check's tag (whatever the untouched document's own problems are)."""
    from lxml import etree

    case = Case("NO", "company_contact", "invoice", "half_cent")
    outcome = cli_outcomes[case]
    assert outcome.path is not None, f"no document of {case} to change: {outcome.issues}"
    form, seller = FORMS[case.form_key], SELLER_JSON["NO"]
    xml = outcome.path.read_bytes()
    before = set(readback(case, form, xml, seller, None))
    root = etree.fromstring(xml)
    node = root.find(path, NS)
    assert node is not None, f"{path} is not in the document: the mutation cannot be made"
    if value is None:
        node.getparent().remove(node)
    elif attribute:
        node.set(attribute, value)
    else:
        node.text = value
    after = set(readback(case, form, etree.tostring(root), seller, None))
    assert [p for p in after - before if p.startswith(tag)], (tag, sorted(after - before))


# -- golden samples ------------------------------------------------------------------------------------

#: A sample of the matrix kept as golden files (fixtures/expected/matrix/): one per seller country and per
#: kind of buyer identification, payment means and profile choice; each passes the oracle (verdicts above
#: and tests/golden).
GOLDEN_SAMPLE = (
    ("NO", "private", "invoice", "plain"),  # BBAN 30, private buyer: the seller's endpoint stands in
    ("NO", "company_no_contact", "order", "fees"),  # EHF order with its fees as charges
    ("DK", "private", "invoice", "fees"),  # Danish private buyer: no PartyIdentification (DK-R-013)
    ("DK", "company_contact", "invoice", "plain"),  # OIOUBL, 42 DK:BANK from the IBAN, due date
    ("DK", "dk_public_ean", "order", "vat_inclusive"),  # OIOUBL order with a rounding amount (F-ORD122)
    ("DK", "company_no_contact", "creditnote", "plain"),  # OIOUBL credit note, no contact person
    ("SE", "dk_public_ean", "invoice", "mixed_rates"),  # EAN buyer with two rates: Peppol BIS, GLN 0088
    ("SE", "cross_border_company", "invoice", "prepaid_card"),  # prepaid: 48, nothing to pay, NO company
)
GOLDEN_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "expected" / "matrix"


@pytest.mark.parametrize("key", GOLDEN_SAMPLE, ids=["-".join(k) for k in GOLDEN_SAMPLE])
def test_matrix_sample_matches_golden(
    key: tuple[str, str, str, str], cli_outcomes: dict[Case, Outcome]
) -> None:
    seller, customer, document, variant = key
    outcome = cli_outcomes[Case(seller, customer, document, variant)]
    assert outcome.path is not None, outcome.detail
    assert_golden(GOLDEN_DIR / f"{'-'.join(key)}.xml", outcome.path.read_bytes())
