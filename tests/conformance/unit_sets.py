"""Reader for the official rule unit tests (``<testSet>`` files of the Peppol/VEFA validator)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"


@dataclass(frozen=True)
class UnitTest:
    file: Path
    index: int
    success: frozenset[str]
    error: frozenset[str]
    warning: frozenset[str]
    document: etree._Element
    #: The testSet's ``configuration`` attribute: the validator configuration (stylesheet) it was written
    #: for (``peppolbis-t19-base-3.0``); empty where the file names none.
    configuration: str = ""

    @property
    def id(self) -> str:
        return f"{self.file.parent.name}/{self.file.stem}#{self.index}"


def load(folder: Path) -> list[UnitTest]:
    out: list[UnitTest] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    for f in sorted(folder.rglob("*.xml")):
        root = etree.parse(str(f), parser).getroot()
        for i, test in enumerate(root.iter(f"{VEFA}test"), 1):
            assertion = test.find(f"{VEFA}assert")
            docs = [c for c in test if isinstance(c.tag, str) and not c.tag.startswith(VEFA)]
            if assertion is None or len(docs) != 1:
                continue

            def ids(kind: str, a: etree._Element = assertion) -> frozenset[str]:
                return frozenset(
                    (e.text or "").strip() for e in a.iter(f"{VEFA}{kind}") if (e.text or "").strip()
                )

            doc = etree.fromstring(etree.tostring(copy.deepcopy(docs[0])))
            config = root.get("configuration", "")
            out.append(UnitTest(f, i, ids("success"), ids("error"), ids("warning"), doc, config))
    return out
