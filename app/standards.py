"""The official artifacts: a manifest (upstream, version, SHA-256) and an installer that verifies them.

The files are never committed. ``nordubl standards install`` copies them from a local mirror (default
``../shared/standards``) or, without one, downloads each from its upstream repository at the pinned
commit; every file's SHA-256 is checked and a file whose hash differs is refused (nothing is written
for it and the command fails).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).resolve().parent / "standards_manifest.json"  # package data: ships in the wheel

#: Upstream of every mirror folder: repository, pinned commit, path of the folder there, version.
#: The longest matching prefix wins.
SOURCES: dict[str, dict[str, str]] = {
    "ubl-2.1/": {
        "repo": "anskaffelser/validation-ubl",
        "commit": "1704679653388eb010b87344cb6a948e74ce1ea4",
        "upstream": "ubl-2.1/",
        "version": "UBL 2.1 (OASIS)",
    },
    "ubl-2.2/": {
        "repo": "anskaffelser/validation-ubl",
        "commit": "1704679653388eb010b87344cb6a948e74ce1ea4",
        "upstream": "ubl-2.2/",
        "version": "UBL 2.2 OS (OASIS)",
    },
    # UBL 2.3 as ph-ubl ships it (Peppol T114, T115, T116): not loadable alone, see UBL23_BASE in the engine
    "ubl-2.3/": {
        "repo": "phax/ph-ubl",
        "commit": "4171aae6bee05fa569fa1cd1e3d91e58ed9467a3",
        "upstream": "ph-ubl23/src/main/resources/external/schemas/ubl23/",
        "version": "UBL 2.3 OS (OASIS, ph-ubl)",
    },
    "ubl-2.3/ph-xsds/CCTS_CCT_SchemaModule.xsd": {
        "repo": "phax/ph-xsds",
        "commit": "ce196657ec90546b264a568629eb57631d037701",
        "upstream": "ph-xsds-ccts-cct-schemamodule/src/main/resources/schemas/CCTS_CCT_SchemaModule.xsd",
        "version": "ph-xsds (UN/CEFACT CCTS)",
    },
    "ubl-2.3/ph-xsds/xmldsig-core-schema.xsd": {
        "repo": "phax/ph-xsds",
        "commit": "ce196657ec90546b264a568629eb57631d037701",
        "upstream": "ph-xsds-xmldsig/src/main/resources/schemas/xmldsig-core-schema.xsd",
        "version": "ph-xsds (W3C xmldsig)",
    },
    "ubl-2.3/ph-xsds/XAdES01903v132-201601.xsd": {
        "repo": "phax/ph-xsds",
        "commit": "ce196657ec90546b264a568629eb57631d037701",
        "upstream": "ph-xsds-xades132/src/main/resources/schemas/XAdES01903v132-201601.xsd",
        "version": "ph-xsds (ETSI XAdES 1.3.2)",
    },
    "ubl-2.3/ph-xsds/XAdES01903v141-201601.xsd": {
        "repo": "phax/ph-xsds",
        "commit": "ce196657ec90546b264a568629eb57631d037701",
        "upstream": "ph-xsds-xades141/src/main/resources/schemas/XAdES01903v141-201601.xsd",
        "version": "ph-xsds (ETSI XAdES 1.4.1)",
    },
    "peppol-2026.5/xslt/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-peppol/src/main/resources/external/schematron/openpeppol/2026.5/xslt/",
        "version": "Peppol 2026.5",
    },
    "peppol-2026.5/sch/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-peppol/src/test/resources/external/rule-source/openpeppol/2026.5/",
        "version": "Peppol 2026.5",
    },
    "peppol-2026.5/examples/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-peppol/src/test/resources/external/test-files/openpeppol/2026.5/",
        "version": "Peppol 2026.5",
    },
    "peppol-2026.5/examples/billing-NO/": {
        "repo": "OpenPEPPOL/peppol-bis-invoice-3",
        "commit": "78d7f7dfa223f39f8ebd8d35c127f2690e646322",
        "upstream": "rules/national-examples/NO/",
        "version": "BIS Billing 3.0.19",
    },
    "peppol-2026.5/unit/unit-UBL-": {
        "repo": "OpenPEPPOL/peppol-bis-invoice-3",
        "commit": "78d7f7dfa223f39f8ebd8d35c127f2690e646322",
        "upstream": "rules/unit-UBL-",
        "version": "BIS Billing 3.0.19",
    },
    "peppol-2026.5/unit/unit-order": {
        "repo": "OpenPEPPOL/poacc-upgrade-3",
        "commit": "0e7e5c790f786350fafb6384c46ca40d3db0b777",
        "upstream": "rules/unit-order",
        "version": "POACC 3.0.15",
    },
    "peppol-2026.5/unit/unit-": {
        "repo": "OpenPEPPOL/poacc-upgrade-3",
        "commit": "0e7e5c790f786350fafb6384c46ca40d3db0b777",
        "upstream": "rules/unit-",
        "version": "POACC 3.0.15",
    },
    "peppol-2026.5/codelist/": {
        "repo": "OpenPEPPOL/peppol-bis-invoice-3",
        "commit": "78d7f7dfa223f39f8ebd8d35c127f2690e646322",
        "upstream": "structure/codelist/",
        "version": "BIS Billing 3.0.19",
    },
    "ehf-2023-02/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-ehf/src/main/resources/external/schematron/2023-02/",
        "version": "EHF Post-Award G3 2023-02",
    },
    "ehf-2023-02/sch/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-ehf/src/test/resources/external/rule-source/2023-02/",
        "version": "EHF Post-Award G3 2023-02",
    },
    "ehf-2023-02/examples/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-ehf/src/test/resources/external/test-files/2023-02/",
        "version": "EHF Post-Award G3 2023-02",
    },
    "ehf-2026-09/": {
        "repo": "phax/phive-rules",
        "commit": "4dcbc8f7a9f8759a84cb707e61fa67682df333d7",
        "upstream": "phive-rules-ehf/src/test/resources/external/test-files/2026-09/",
        "version": "EHF Post-Award G3 2026-09",
    },
    "oioubl-1.17.2/": {
        "repo": "phax/phive-rules",
        "commit": "432f0e9a8cff5c03d06625abe7a5fd8e7e346a64",
        "upstream": "phive-rules-oioubl/src/main/resources/external/schematron/oioubl/1.17.2/",
        "version": "OIOUBL 2.1 schematron 1.17.2",
    },
}


class StandardsError(Exception):
    """Installation failed: a missing file, a hash mismatch or an unreachable source."""


@dataclass(frozen=True)
class Entry:
    path: str
    sha256: str
    size: int
    url: str
    version: str


def _source_for(path: str) -> dict[str, str]:
    best = max((p for p in SOURCES if path.startswith(p)), key=len, default=None)
    if best is None:
        raise StandardsError(f"no upstream source is declared for {path}")
    return {**SOURCES[best], "prefix": best}


def upstream_url(path: str) -> str:
    src = _source_for(path)
    rest = path[len(src["prefix"]) :]
    return f"https://raw.githubusercontent.com/{src['repo']}/{src['commit']}/{src['upstream']}{rest}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_manifest(manifest: Path = MANIFEST) -> list[Entry]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return [Entry(**e) for e in data["files"]]


def build_manifest(mirror: Path, manifest: Path = MANIFEST) -> int:
    """Write the manifest from a trusted mirror (a maintainer step, run when a release is adopted).

    A file already listed keeps its upstream URL: where a mirror folder gathers files from several
    upstream folders (``peppol-2026.5/examples/``), the URL was set to the upstream file with the same
    content (git blob), which the folder mapping of :data:`SOURCES` cannot express."""
    known = {e.path: e.url for e in load_manifest(manifest)} if manifest.is_file() else {}
    files: list[dict[str, Any]] = []
    for p in sorted(mirror.rglob("*")):
        if not p.is_file() or p.name == "README.md":
            continue
        rel = p.relative_to(mirror).as_posix()
        src = _source_for(rel)
        files.append(
            {
                "path": rel,
                "sha256": sha256_file(p),
                "size": p.stat().st_size,
                "url": known.get(rel) or upstream_url(rel),
                "version": src["version"],
            }
        )
    manifest.write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")
    return len(files)


def _fetch(entry: Entry, mirror: Path | None, tmp: Path) -> None:
    if mirror is not None:
        src = mirror / entry.path
        if not src.is_file():
            raise StandardsError(f"{entry.path}: not in the mirror {mirror}")
        shutil.copyfile(src, tmp)
        return
    if not entry.url.startswith("https://"):
        raise StandardsError(f"{entry.path}: refusing non-https source {entry.url}")
    with urllib.request.urlopen(entry.url, timeout=60) as resp, tmp.open("wb") as out:  # noqa: S310
        shutil.copyfileobj(resp, out)


def install(target: Path, mirror: Path | None, manifest: Path = MANIFEST) -> int:
    """Install every manifest file into ``target``; returns how many were copied or downloaded.

    Files already present with the right hash are kept. Each file lands through a temporary file
    that is renamed into place only after its hash matched.
    """
    entries = load_manifest(manifest)
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    bad: list[str] = []
    for entry in entries:
        dest = target / entry.path
        if dest.is_file() and sha256_file(dest) == entry.sha256:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        os.close(fd)
        tmp = Path(name)
        try:
            _fetch(entry, mirror, tmp)
            digest = sha256_file(tmp)
            if digest != entry.sha256:
                bad.append(f"{entry.path}: SHA-256 {digest} differs from the manifest's {entry.sha256}")
                continue
            tmp.replace(dest)
            written += 1
        finally:
            tmp.unlink(missing_ok=True)
    if bad:
        raise StandardsError("refused files whose hash differs:\n  " + "\n  ".join(bad))
    return written


def verify(target: Path, manifest: Path = MANIFEST) -> list[str]:
    """Problems with an installed tree (missing or altered files); empty when all is well."""
    problems = []
    for entry in load_manifest(manifest):
        p = target / entry.path
        if not p.is_file():
            problems.append(f"{entry.path}: missing")
        elif sha256_file(p) != entry.sha256:
            problems.append(f"{entry.path}: hash differs from the manifest")
    return problems
