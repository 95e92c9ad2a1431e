"""The standards installer: copies from a mirror, checks every SHA-256, refuses what differs; the manifest
covers every file the rule sets need."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from app.config import get_settings
from app.standards import MANIFEST, StandardsError, install, load_manifest, sha256_file, verify
from app.validation.rulesets import all_rulesets

XS = "{http://www.w3.org/2001/XMLSchema}"
SAMPLE = (
    "ubl-2.1/maindoc/UBL-Order-2.1.xsd",
    "peppol-2026.5/xslt/PEPPOLBIS-T76.xslt",
    "peppol-2026.5/examples/order/Order_Example.xml",
)


@pytest.fixture(scope="module")
def mirror() -> Path:
    path = get_settings().standards_mirror
    assert (path / SAMPLE[0]).is_file(), f"the mirror {path} is missing"
    return path


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """A manifest of three real entries."""
    entries = {e.path: e for e in load_manifest()}
    data = {"files": [vars(entries[p]) for p in SAMPLE]}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_install_copies_and_checks(mirror: Path, manifest: Path, tmp_path: Path) -> None:
    target = tmp_path / "standards"
    assert install(target, mirror, manifest) == 3
    for rel in SAMPLE:
        assert (target / rel).read_bytes() == (mirror / rel).read_bytes()
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == sorted(
        SAMPLE
    )
    assert verify(target, manifest) == []


def test_reinstall_is_a_no_op(mirror: Path, manifest: Path, tmp_path: Path) -> None:
    target = tmp_path / "standards"
    install(target, mirror, manifest)
    stamps = {rel: (target / rel).stat().st_mtime_ns for rel in SAMPLE}
    assert install(target, mirror, manifest) == 0
    assert {rel: (target / rel).stat().st_mtime_ns for rel in SAMPLE} == stamps


def test_install_repairs_an_altered_file(mirror: Path, manifest: Path, tmp_path: Path) -> None:
    target = tmp_path / "standards"
    install(target, mirror, manifest)
    (target / SAMPLE[1]).write_text("tampered", encoding="utf-8")
    assert install(target, mirror, manifest) == 1
    assert verify(target, manifest) == []


def test_tampered_mirror_file_is_refused(mirror: Path, manifest: Path, tmp_path: Path) -> None:
    bad_mirror = tmp_path / "mirror"
    for rel in SAMPLE:
        (bad_mirror / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror / rel, bad_mirror / rel)
    tampered = bad_mirror / SAMPLE[1]
    tampered.write_bytes(tampered.read_bytes().replace(b"PEPPOL-T76-R001", b"PEPPOL-T76-X001"))
    target = tmp_path / "standards"

    with pytest.raises(StandardsError, match=re.escape(SAMPLE[1])):
        install(target, bad_mirror, manifest)

    assert not (target / SAMPLE[1]).exists()
    # The good files landed; no temporary file is left behind.
    assert (target / SAMPLE[0]).is_file()
    assert (target / SAMPLE[2]).is_file()
    assert not [p for p in target.rglob(".part-*")]


def test_file_missing_from_mirror_is_refused(mirror: Path, manifest: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with pytest.raises(StandardsError, match="not in the mirror"):
        install(tmp_path / "standards", empty, manifest)


def test_verify_reports_altered_and_missing(mirror: Path, manifest: Path, tmp_path: Path) -> None:
    target = tmp_path / "standards"
    install(target, mirror, manifest)
    (target / SAMPLE[0]).write_bytes((target / SAMPLE[0]).read_bytes() + b"\n")
    (target / SAMPLE[2]).unlink()
    assert sorted(verify(target, manifest)) == sorted(
        [f"{SAMPLE[0]}: hash differs from the manifest", f"{SAMPLE[2]}: missing"]
    )


# -- the real manifest ---------------------------------------------------------------------------


def _schema_closure(root: Path, rel: str) -> set[str]:
    """``rel`` and every schema it reaches through xs:import, xs:include, xs:redefine (recursively)."""
    seen: set[str] = set()
    todo = [rel]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        path = root / current
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for el in tree.iter(f"{XS}import", f"{XS}include", f"{XS}redefine", f"{XS}override"):
            location = el.get("schemaLocation")
            if location:
                assert "://" not in location, f"{current} imports a remote schema {location}"
                todo.append((path.parent / location).resolve().relative_to(root.resolve()).as_posix())
    return seen


def test_manifest_covers_every_rule_set(standards_dir: Path) -> None:
    entries = {e.path: e for e in load_manifest()}
    needed: set[str] = set()
    for rs in all_rulesets():
        needed.update(rs.stylesheets)
        needed.update(_schema_closure(standards_dir, rs.xsd))
    # Both UBL versions, all their common modules, and every stylesheet of the rule sets.
    assert {p.split("/", 1)[0] for p in needed} >= {"ubl-2.1", "ubl-2.2", "peppol-2026.5", "ehf-2023-02"}
    assert "ubl-2.1/common/UBL-CommonBasicComponents-2.1.xsd" in needed
    assert "ubl-2.2/common/UBL-CommonBasicComponents-2.2.xsd" in needed
    missing = sorted(needed - entries.keys())
    assert not missing, f"not in {MANIFEST.name}: {missing}"
    for rel in sorted(needed):
        assert re.fullmatch(r"[0-9a-f]{64}", entries[rel].sha256), rel
        assert entries[rel].url.startswith("https://raw.githubusercontent.com/"), rel


def test_manifest_entries_are_well_formed() -> None:
    entries = load_manifest()
    assert len({e.path for e in entries}) == len(entries)
    for e in entries:
        assert re.fullmatch(r"[0-9a-f]{64}", e.sha256), e.path
        assert e.size > 0, e.path
        assert not e.path.startswith("/") and ".." not in e.path.split("/"), e.path


def test_installed_standards_match_the_manifest(standards_dir: Path) -> None:
    assert verify(standards_dir) == []
    # Spot check that verify() hashes what is on disk.
    entry = next(e for e in load_manifest() if e.path == SAMPLE[1])
    assert sha256_file(standards_dir / entry.path) == entry.sha256
