"""Helpers of the PDF tests: the official examples and our own invoices, text and attachments of a PDF,
page 1 as a PNG (pdftoppm)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf

from app.config import PROJECT_ROOT, get_settings

STANDARDS = get_settings().standards_dir
#: every official billing example: Peppol BIS Billing 3, the Norwegian (EHF) one, OIOUBL invoices and credit notes
EXAMPLES = [
    *sorted(STANDARDS.glob("peppol-2026.5/examples/billing/*.xml")),
    *sorted(STANDARDS.glob("peppol-2026.5/examples/billing-NO/*.xml")),
    *sorted(STANDARDS.glob("oioubl-1.17.2/examples/OIOUBL_Invoice*.xml")),
    *sorted(STANDARDS.glob("oioubl-1.17.2/examples/OIOUBL_CreditNote*.xml")),
]
OWN = PROJECT_ROOT / "fixtures" / "expected" / "invoices"
#: five of our own invoices: each profile, each language's country, a credit note, a prepaid one
OWN_INVOICES = {
    "no-b2b-kid.ehf.xml": "nb",
    "no-b2b-credit-partial.ehf.xml": "nb",
    "se-b2b.peppol.xml": "sv",
    "dk-ean-fees-discount.oioubl.xml": "da",
    "no-b2c-prepaid-vipps.peppol.xml": "en",
}


def example_id(path: Path) -> str:
    return path.stem


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def flat(text: str) -> str:
    """All white space (line breaks, no-break spaces) as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def page_texts(pdf: bytes) -> list[str]:
    return [flat(p.extract_text()) for p in reader(pdf).pages]


def attachments(pdf: bytes) -> dict[str, list[bytes]]:
    return {name: list(data) for name, data in reader(pdf).attachments.items()}


def page1_png(pdf: bytes, folder: Path, dpi: int = 60) -> Path:
    """Page 1 as a PNG through poppler's pdftoppm (the PDF must be readable by another renderer too)."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: apt-get install poppler-utils"
    src = folder / "doc.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(src),
            str(folder / "page1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return folder / "page1.png"
