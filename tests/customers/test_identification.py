"""Source 001 (IEX): how customers are identified, created and updated — one test per option of the article.

Every test runs on SQLite and on PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import pytest
from dbfixtures import Database, count_customers, customer_row, new_account, resolve

from app.errors import NordublError

SERIES = {"number_series": {"prefix": "K", "next": 1001}}

# Valid identifiers: CVR 13585628 (DK), GLN 5798000000001 / 5790000000005 (GS1 check digits)
CVR = "13585628"
CVR2 = "25313763"
GLN_A = "5798000000001"
GLN_B = "5790000000005"


def _code(err: pytest.ExceptionInfo[NordublError]) -> tuple[str, str | None]:
    issue = err.value.issues[0]
    return issue.code, issue.field


def test_checks_whether_the_customer_exists_before_creating_it(db: Database) -> None:
    """The system checks whether the customer exists before creating a new one, so the same customer is never
    created twice."""
    acc = new_account(db, SERIES)
    first = resolve(db, acc.id, email="kari@example.dk")
    again = resolve(db, acc.id, email="kari@example.dk", first_name="Karina")
    assert (first.action, again.action) == ("created", "matched")
    assert again.id == first.id and again.number == first.number == "K1001"
    assert count_customers(db, acc.id) == 1


def test_b2c_customers_are_identified_by_their_email(db: Database) -> None:
    """B2C: private customers are identified by their e-mail (recommended: a required checkout field)."""
    acc = new_account(db, SERIES)
    a = resolve(db, acc.id, email="Kari@Example.DK", mobile="+4520123456")
    b = resolve(db, acc.id, email="kari@example.dk", mobile="+4530123456")  # same e-mail, other phone
    c = resolve(db, acc.id, email="ola@example.dk", mobile="+4520123456")  # other e-mail, same phone
    assert a.kind == "B2C" and a.identified_by == "customer.email"
    assert b.id == a.id and c.id != a.id
    assert count_customers(db, acc.id) == 2


def test_b2c_customers_can_be_identified_by_mobile_instead(db: Database) -> None:
    """The user chooses the identifying field: private persons by mobile number (source 002's sign-ups)."""
    acc = new_account(db, {**SERIES, "b2c": {"identify_by": "mobile"}})
    a = resolve(db, acc.id, mobile="20 12 34 56")
    b = resolve(db, acc.id, mobile="+45 20123456", email="new@example.dk")
    assert a.identified_by == "customer.mobile" and b.id == a.id
    assert customer_row(db, a.id)["phone"] == "+4520123456"


def test_chosen_field_empty_is_a_coded_error_naming_the_field(db: Database) -> None:
    """A customer without the identifying field cannot be looked up: the error names the field to fill in."""
    acc = new_account(db, {**SERIES, "b2c": {"identify_by": "mobile"}})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="kari@example.dk")
    assert _code(err) == ("customer.identifier_missing", "customer.mobile")
    assert count_customers(db, acc.id) == 0


def test_all_b2c_sales_can_be_booked_on_one_b2c_webshop_customer(db: Database) -> None:
    """Alternatively B2C customers are synchronised via one customer called e.g. "B2C webshop"; the real
    customer details still appear on the invoice (the form's customer block is left as it is)."""
    acc = new_account(db, {**SERIES, "b2c": {"identify_by": "shared", "shared_customer_name": "B2C webshop"}})
    a = resolve(db, acc.id, email="kari@example.dk")
    b = resolve(db, acc.id, email="ola@example.dk", first_name="Ola")
    company = resolve(db, acc.id, org_number=CVR, company_name="Firma ApS")  # B2B is not shared
    assert a.action == b.action == "shared"
    assert a.id == b.id and a.number == b.number == "K1001" and a.identified_by is None
    assert customer_row(db, a.id)["name"] == "B2C webshop"
    assert company.id != a.id and company.action == "created"


def test_shared_customer_with_a_fixed_number(db: Database) -> None:
    """The shared webshop customer can be the ERP's existing customer number: no series needed."""
    acc = new_account(db, {"b2c": {"identify_by": "shared", "shared_customer_number": "9000"}})
    a = resolve(db, acc.id, email="kari@example.dk")
    b = resolve(db, acc.id, mobile="+4520123456")
    assert a.number == b.number == "9000" and a.id == b.id and a.number_source == "fixed"


def test_b2b_customers_are_identified_by_cvr_and_a_filled_cvr_marks_b2b(db: Database) -> None:
    """B2B: business customers are identified by their CVR number; a filled CVR field is what tells the
    integration that the customer is a B2B customer."""
    acc = new_account(db, SERIES)
    a = resolve(db, acc.id, org_number="DK 13 58 56 28", company_name="Firma ApS", email="a@firma.dk")
    b = resolve(db, acc.id, org_number=CVR, company_name="Firma ApS", email="b@firma.dk")
    person = resolve(db, acc.id, email="a@firma.dk")
    assert a.kind == "B2B" and a.identified_by == "customer.org_number"
    assert b.id == a.id
    assert person.kind == "B2C" and person.id != a.id
    assert customer_row(db, a.id)["org_number"] == CVR


def test_the_shop_may_carry_the_cvr_in_a_custom_field(db: Database) -> None:
    """On the webshop module you name the custom field used for the CVR number, as the shop often has none."""
    acc = new_account(db, {**SERIES, "company_number_field": "cvr"})
    a = resolve(
        db, acc.id, email="a@firma.dk", company_name="Firma ApS", custom_fields={"cvr": "13 58 56 28"}
    )
    b = resolve(db, acc.id, org_number=CVR, company_name="Firma ApS")
    other_key = resolve(db, acc.id, email="x@firma.dk", custom_fields={"vat": CVR})
    assert a.kind == "B2B" and a.identified_by == "customer.custom_fields.cvr"
    assert b.id == a.id
    assert other_key.kind == "B2C"  # only the named field counts


def test_bad_cvr_in_the_custom_field_is_a_coded_error_naming_that_field(db: Database) -> None:
    """Input requirements on the CVR field: a CVR with 7 digits is refused, naming the custom field."""
    acc = new_account(db, {**SERIES, "company_number_field": "cvr"})
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, email="a@firma.dk", custom_fields={"cvr": "1358562"})
    issue = err.value.issues[0]
    assert (issue.code, issue.field, issue.value) == (
        "input.identifier",
        "customer.custom_fields.cvr",
        "1358562",
    )
    assert issue.hint is not None and "8 digits" in issue.hint
    assert count_customers(db, acc.id) == 0


def test_ean_customers_are_identified_by_ean_and_only_the_ean_marks_them(db: Database) -> None:
    """EAN: public customers are identified by EAN number; only the EAN number has to be filled for the
    customer to be handled as an EAN customer."""
    acc = new_account(db, SERIES)
    a = resolve(db, acc.id, ean=GLN_A, email="indkob@kommune.dk")
    b = resolve(db, acc.id, ean=GLN_A, email="other@kommune.dk", org_number=CVR2)
    assert a.kind == "EAN" and a.identified_by == "customer.ean" and a.ean == GLN_A
    assert b.id == a.id and b.kind == "EAN"
    assert customer_row(db, a.id)["eans"] == [GLN_A]


def test_the_ean_field_can_be_a_custom_field_and_a_bad_gln_suggests_the_check_digit(db: Database) -> None:
    """Likewise you name the fields used for EAN numbers; a wrong check digit is refused with the corrected
    number suggested."""
    acc = new_account(db, {**SERIES, "ean_field": "ean_nr"})
    ok = resolve(db, acc.id, custom_fields={"ean_nr": GLN_A})
    assert ok.kind == "EAN" and ok.ean == GLN_A and ok.identified_by == "customer.custom_fields.ean_nr"
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, custom_fields={"ean_nr": "5798000000002"})
    issue = err.value.issues[0]
    assert (issue.code, issue.field) == ("input.identifier", "customer.custom_fields.ean_nr")
    assert issue.hint is not None and GLN_A in issue.hint


def test_a_public_body_has_one_customer_with_an_ean_per_department(db: Database) -> None:
    """A public customer has several EAN numbers (one per department): one customer, many EANs; the EAN is
    chosen per order and carried on that invoice."""
    acc = new_account(db, {**SERIES, "ean": {"identify_by": "org_number"}})
    school = resolve(db, acc.id, org_number=CVR2, ean=GLN_A, company_name="Kommune, skolen")
    library = resolve(db, acc.id, org_number=CVR2, ean=GLN_B, company_name="Kommune, biblioteket")
    assert school.id == library.id and school.number == library.number
    assert (school.ean, library.ean) == (GLN_A, GLN_B)
    assert sorted(customer_row(db, school.id)["eans"]) == sorted([GLN_A, GLN_B])
    # identified by EAN afterwards, either department's EAN finds the one customer
    from app.accounts.models import Account
    from app.accounts.service import update_account

    with db.session() as session:
        account = session.get(Account, acc.id)
        assert account is not None
        update_account(session, account, {"customers": {"ean": {"identify_by": "ean"}}})
        session.commit()
    by_ean = resolve(db, acc.id, ean=GLN_B)
    assert by_ean.id == school.id and by_ean.ean == GLN_B and by_ean.identified_by == "customer.ean"
    assert count_customers(db, acc.id) == 1


def test_creation_off_the_customer_must_already_exist(db: Database) -> None:
    """If creation of customers is switched off, customers must already exist, or no invoice can be made:
    ``customer.must_exist`` names the field used to look up."""
    acc = new_account(db, {**SERIES, "b2b": {"identify_by": "org_number"}})
    known = resolve(db, acc.id, org_number=CVR, company_name="Firma ApS")
    from app.accounts.models import Account
    from app.accounts.service import update_account

    with db.session() as session:
        account = session.get(Account, acc.id)
        assert account is not None
        update_account(session, account, {"customers": {"create": False}})
        session.commit()
    assert resolve(db, acc.id, org_number=CVR, company_name="Firma ApS").id == known.id
    with pytest.raises(NordublError) as err:
        resolve(db, acc.id, org_number=CVR2, company_name="Ny ApS")
    issue = err.value.issues[0]
    assert (issue.code, issue.field, issue.value) == ("customer.must_exist", "customer.org_number", CVR2)
    assert count_customers(db, acc.id) == 1
    assert db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=acc.id) == 1002


def test_update_off_leaves_an_existing_customer_as_it_is(db: Database) -> None:
    """Updating customers is not required: with update off, a known customer is matched, not changed."""
    acc = new_account(db, SERIES)
    a = resolve(db, acc.id, email="kari@example.dk", mobile="+4520123456", city="Aarhus")
    b = resolve(db, acc.id, email="kari@example.dk", mobile="+4530123456", city="Odense", last_name="Hansen")
    row = customer_row(db, a.id)
    assert b.action == "matched"
    assert (row["phone"], row["city"], row["name"]) == ("+4520123456", "Aarhus", "Kari Nordmann")


def test_update_on_changes_only_the_fields_switched_on(db: Database) -> None:
    """You control which specific fields may be updated, e.g. name, phone, customer group …"""
    acc = new_account(
        db,
        {
            **SERIES,
            "update": True,
            "update_fields": ["name", "phone", "customer_group"],
            "b2c": {"customer_group": "Webshop private"},
        },
    )
    a = resolve(db, acc.id, email="kari@example.dk", mobile="+4520123456", city="Aarhus")
    assert customer_row(db, a.id)["customer_group"] == "Webshop private"
    b = resolve(db, acc.id, email="kari@example.dk", mobile="+4530123456", city="Odense", last_name="Hansen")
    row = customer_row(db, a.id)
    assert b.action == "updated" and b.id == a.id
    assert (row["phone"], row["name"]) == ("+4530123456", "Kari Hansen")
    assert row["city"] == "Aarhus"  # address is not switched on
    same = resolve(db, acc.id, email="kari@example.dk", mobile="+4530123456", last_name="Hansen")
    assert same.action == "matched"  # nothing to change


def test_each_customer_type_has_its_own_identifying_field(db: Database) -> None:
    """Separate handling of B2C, B2B and EAN customers, each identified on its own field."""
    acc = new_account(db, {**SERIES, "b2c": {"identify_by": "mobile"}})
    person = resolve(db, acc.id, mobile="+4520123456", email="kari@example.dk")
    company = resolve(db, acc.id, org_number=CVR, mobile="+4520123456", email="kari@example.dk")
    public = resolve(db, acc.id, ean=GLN_A, org_number=CVR, mobile="+4520123456")
    assert [r.kind for r in (person, company, public)] == ["B2C", "B2B", "EAN"]
    assert [r.identified_by for r in (person, company, public)] == [
        "customer.mobile",
        "customer.org_number",
        "customer.ean",
    ]
    assert len({person.id, company.id, public.id}) == 3
