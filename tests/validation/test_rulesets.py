"""The rule-set table (app/validation/rulesets/): docs/validation.md shows it as the code has it, and
detection picks rows by exact root + CustomizationID, the ProfileID only where two rows share both."""

from __future__ import annotations

import pytest
from lxml import etree

from app.config import PROJECT_ROOT
from app.standards import load_manifest
from app.validation import rulesets
from app.validation.rulesets import (
    CBC,
    KINDS,
    UBL_NS_PREFIX,
    UnsupportedDocument,
    all_rulesets,
    detect,
    eager_rulesets,
    guess,
)

PAGE = PROJECT_ROOT / "docs" / "validation.md"


def doc(root: str, customization: str, profile: str = "") -> etree._Element:
    element = etree.Element(f"{{{UBL_NS_PREFIX}{root}-2}}{root}")
    etree.SubElement(element, f"{{{CBC}}}CustomizationID").text = customization
    if profile:
        etree.SubElement(element, f"{{{CBC}}}ProfileID").text = profile
    return element


def test_the_page_shows_the_table_as_the_code_has_it() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert page == rulesets.render_docs(page), (
        "docs/validation.md is out of date: run `.venv/bin/python -m app.validation.rulesets`"
    )
    for kind in KINDS:
        assert f"| `{kind.name}` |" in page


def test_every_row_is_installed_by_the_manifest() -> None:
    listed = {e.path for e in load_manifest()}
    for rs in all_rulesets():
        assert rs.xsd in listed, rs
        assert set(rs.stylesheets) <= listed, rs


def test_each_row_is_found_by_its_own_identifiers_and_by_the_guess() -> None:
    assert len({(rs.name, rs.document) for rs in all_rulesets()}) == len(all_rulesets())
    for kind in KINDS:
        for root in kind.roots:
            profile = kind.profiles[0] if kind.profiles else ""
            rs = detect(doc(root, kind.customization, profile))
            assert rs == kind.ruleset(root)
            assert guess(root.encode(), kind.customization.encode(), profile.encode()) == rs


def test_the_profile_chooses_only_between_rows_that_share_root_and_customization() -> None:
    ehf_order = "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
    g3 = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:{}:1.0"
    assert detect(doc("Order", ehf_order, g3.format("09"))).name == "ehf-advanced-order"
    assert detect(doc("Order", ehf_order, g3.format("02"))).name == "ehf-order"
    # a wrong ProfileID goes to the row that takes the rest, whose rules report it
    assert detect(doc("Order", ehf_order, "urn:x")).name == "ehf-order"
    catalogue = "urn:fdc:peppol.eu:poacc:trns:catalogue:3"
    assert detect(doc("Catalogue", catalogue, "urn:x")).name == "peppol-catalogue"


def test_the_customization_must_match_exactly() -> None:
    billing = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    assert detect(doc("Invoice", billing)).name == "peppol-billing"
    for near in (billing + ":1", billing.upper(), billing[:-1], "", "OIOUBL-2.0"):
        with pytest.raises(UnsupportedDocument):
            detect(doc("Invoice", near))
    with pytest.raises(UnsupportedDocument) as exc:  # the right identifier on the wrong root
        detect(doc("Order", billing))
    assert exc.value.root_name == "Order"


def test_a_specialisation_is_checked_by_the_rules_it_restricts_with_a_note() -> None:
    billing = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    rs = detect(doc("CreditNote", billing + "#compliant#urn:example.org:cius:1"))
    assert (rs.name, rs.document, rs.partial) == ("peppol-billing", "CreditNote", "urn:example.org:cius:1")
    italian = detect(doc("Invoice", billing + "#conformant#urn:www.agid.gov.it:trns:fattura:3"))
    assert (italian.name, italian.partial) == ("peppol-billing", "Italian CIUS (AgID)")
    # the EHF rows that extend Peppol billing are rows of their own, never a specialisation
    reminder = billing + "#conformant#urn:fdc:anskaffelser.no:2019:ehf:reminder:3.0"
    assert (detect(doc("Invoice", reminder)).name, detect(doc("Invoice", reminder)).partial) == (
        "ehf-reminder",
        None,
    )
    # an extension (":extended:") of a Peppol transaction is not a restriction
    with pytest.raises(UnsupportedDocument):
        detect(doc("Order", "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:example.org:x"))


def test_the_eager_rule_sets_are_the_ones_compiled_before_the_table_grew() -> None:
    eager = {rs.name for rs in eager_rulesets()}
    assert eager == {
        "peppol-billing",
        "peppol-order",
        "peppol-order-response",
        "ehf-order",
        "ehf-order-response",
        "ehf-advanced-order",
        "ehf-advanced-order-response",
        "ehf-advanced-order-change",
        "ehf-advanced-order-cancellation",
        *(f"oioubl-{d.lower()}" for d in rulesets.OIOUBL_DOCUMENTS),
    }
    assert len(all_rulesets()) - len(eager_rulesets()) == 21  # rule sets (row x root) compiled on first use
