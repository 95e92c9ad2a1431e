"""The catalogue of codes as a reference: the rows of the ``/problems`` page and of ``docs/problems.md``.

    python -m app.codes_reference > docs/problems.md

Each problem's ``type`` (:func:`app.api.problems.problem_type`) is ``/problems/{code}``; the page lists
every code of :mod:`app.codes` with its severity, the form field or setting it names, its message and hint
(``{placeholders}`` stand for the values of the request) and whether an account may make it a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.codes import CODES, templates
from app.i18n import N_, SOURCE, translator

#: The page's own words (the catalogue's texts come from app.codes).
LABELS: dict[str, str] = {
    "title": N_("Problem types"),
    "intro": N_(
        "Every refusal of the service is an application/problem+json answer whose type names its code. "
        "Each code below says what went wrong, which field or setting it names, and how to fix it; "
        "{placeholders} stand for the values of the request."
    ),
    "rules": N_("Official rules"),
    "rules_text": N_(
        "Issues with a published rule id (BR-CO-15, PEPPOL-EN16931-R010, NO-R-002, F-INV046) or an xsd.* "
        "code come from the official rules and the UBL schemas: their texts are quoted as published, in "
        "English. A problem refused by them has the type /problems#rules."
    ),
    "severity": N_("Severity"),
    "field": N_("Field or setting"),
    "message": N_("Message"),
    "hint": N_("How to fix it"),
    "configurable": N_("An account may make it a warning"),
    "variant": N_("When"),
    "all": N_("All problem types"),
    "yes": N_("yes"),
    "no": N_("no"),
}


@dataclass(frozen=True)
class Variant:
    name: str
    message: str
    hint: str


@dataclass(frozen=True)
class Entry:
    code: str
    severity: str
    field: str
    message: str
    hint: str
    configurable: bool
    variants: tuple[Variant, ...]


def entries(lang: str = SOURCE, only: str | None = None) -> Iterator[Entry]:
    """Every catalogued code (or ``only`` that one), its texts in ``lang``, sorted by code."""
    for code in sorted(CODES):
        if only is not None and code != only:
            continue
        c = CODES[code]
        variants = tuple(Variant(name, *templates(code, lang, name)) for name in sorted(c.variants))
        yield Entry(code, c.severity, c.field or "", *templates(code, lang), c.configurable, variants)


def labels(lang: str) -> dict[str, str]:
    t = translator(lang)
    return {key: t.gettext(msgid) for key, msgid in LABELS.items()}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """docs/problems.md: the catalogue in English, one section per code (its anchor is the code)."""
    words = labels(SOURCE)
    out = [
        "<!-- Written by `python -m app.codes_reference > docs/problems.md`: edit app/codes/, not this "
        "page. -->",
        f"# {words['title']}",
        "",
        words["intro"],
        "The service serves the same list, in the language the browser asks for, at `GET /problems`, and "
        "each code at `GET /problems/{code}`.",
        "",
        f"## {words['rules']}",
        "",
        words["rules_text"],
        "",
    ]
    for e in entries():
        out += [
            f"## `{e.code}`",
            "",
            f"| {words['severity']} | {words['field']} | {words['configurable']} |",
            "|---|---|---|",
            f"| {e.severity} | {('`' + e.field + '`') if e.field else '—'} | "
            f"{words['yes'] if e.configurable else words['no']} |",
            "",
            f"**{words['message']}:** {_cell(e.message)}",
            "",
            f"**{words['hint']}:** {_cell(e.hint)}",
            "",
        ]
        if e.variants:
            out += [f"| {words['variant']} | {words['message']} | {words['hint']} |", "|---|---|---|"]
            out += [f"| `{v.name}` | {_cell(v.message)} | {_cell(v.hint)} |" for v in e.variants]
            out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
