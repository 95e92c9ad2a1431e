"""The loader: folders, files and archives → inputs; every hostile archive refused with its own code."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import zipcraft

from app.batch.loader import RATIO_FLOOR_BYTES, Input, Loader, estimate_count
from app.batch.zipscan import read_central_directory
from app.config import Settings

XML = b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'


def settings(**limits: int) -> Settings:
    return Settings(**limits)  # type: ignore[arg-type]


def load(*paths: Path | str, **limits: int) -> list[Input]:
    return list(Loader(settings(**limits)).iter_paths([str(p) for p in paths]))


def by_name(items: list[Input]) -> dict[str, Input]:
    names = Counter(i.name for i in items)
    assert max(names.values(), default=1) == 1, f"reported twice: {names.most_common(3)}"
    return {i.name: i for i in items}


def code(item: Input) -> str | None:
    return item.issue.code if item.issue else None


def write_zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


# -- files and folders ------------------------------------------------------------------------------
def test_folder_is_walked_recursively_for_xml_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    for rel in ("z.xml", "a.XML", "b/c.xml", "b/deep/d.xml", "notes.txt", "b/e.json"):
        (tmp_path / rel).write_bytes(XML)
    items = load(tmp_path)
    assert [Path(i.name).relative_to(tmp_path).as_posix() for i in items] == [
        "a.XML",
        "z.xml",
        "b/c.xml",
        "b/deep/d.xml",
    ]
    assert all(i.data == XML and i.issue is None for i in items)


def test_a_zip_inside_a_folder_is_opened_like_one_given_explicitly(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.xml").write_bytes(XML)
    write_zip(tmp_path / "sub" / "in.ZIP", {"x.xml": XML, "dir/y.xml": XML, "readme.txt": b"hi"})
    (tmp_path / "sub" / "broken.zip").write_bytes(b"no central directory")
    items = load(tmp_path)
    names = [Path(i.name).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["a.xml", "sub/broken.zip", "sub/in.ZIP!x.xml", "sub/in.ZIP!dir/y.xml"]
    assert code(items[1]) == "input.unreadable"  # reported, never skipped
    assert [i.data for i in items[2:]] == [XML, XML]
    # as given explicitly, and counted for the progress bar
    assert [i.name for i in load(tmp_path / "sub" / "in.ZIP")] == [i.name for i in items[2:]]
    assert estimate_count([str(tmp_path)], settings()) == 4


def test_explicit_file_is_read_whatever_its_name_and_a_file_reached_twice_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    doc = tmp_path / "sub" / "order.ubl"
    doc.write_bytes(XML)
    inner = tmp_path / "sub" / "x.xml"
    inner.write_bytes(XML)
    items = load(doc, tmp_path, inner, doc)
    assert [i.name for i in items] == [str(doc), str(inner)]


def test_missing_path_and_unreadable_folder_are_inputs_with_a_code(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    items = by_name(load(missing))
    assert code(items[str(missing)]) == "input.unreadable"
    assert "No such file" in items[str(missing)].issue.message  # type: ignore[union-attr]
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0)
        try:
            assert code(by_name(load(locked))[str(locked)]) == "input.unreadable"
        finally:
            locked.chmod(stat.S_IRWXU)


def test_dangling_symlink_in_a_folder_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "gone.xml").symlink_to(tmp_path / "missing-target.xml")
    items = load(tmp_path)
    assert [(Path(i.name).name, code(i)) for i in items] == [("gone.xml", "input.unreadable")]


def test_file_over_max_xml_bytes_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b" " * 5000 + b"</a>")
    (item,) = load(big, max_xml_bytes=1000)
    assert code(item) == "input.too_large"
    assert item.data is None
    assert "max_xml_bytes" in item.issue.message and "NORDUBL_MAX_XML_BYTES" in (item.issue.hint or "")  # type: ignore[union-attr]


def test_batch_max_files_refuses_the_rest_once(tmp_path: Path) -> None:
    for n in range(12):
        (tmp_path / f"f{n:02}.xml").write_bytes(XML)
    items = load(tmp_path, batch_max_files=5)
    assert [code(i) for i in items] == [None] * 5 + ["input.too_many_files"]
    assert items[-1].name.endswith("f05.xml")
    assert "batch_max_files" in items[-1].issue.message  # type: ignore[union-attr]


# -- archives ----------------------------------------------------------------------------------------
def test_zip_entries_are_named_archive_bang_path_and_only_xml_is_validated(tmp_path: Path) -> None:
    z = write_zip(tmp_path / "in.zip", {"a.xml": XML, "dir/b.xml": XML, "readme.txt": b"hi", "dir/": b""})
    items = load(z)
    assert [(i.name, i.data) for i in items] == [(f"{z}!a.xml", XML), (f"{z}!dir/b.xml", XML)]


def test_not_a_zip_is_unreadable(tmp_path: Path) -> None:
    z = tmp_path / "broken.zip"
    z.write_bytes(b"this is not an archive")
    (item,) = load(z)
    assert code(item) == "input.unreadable"


def test_zip_bomb_ratio_1000_to_1_is_refused_before_decompressing(tmp_path: Path) -> None:
    payload = b"<a>" + b"\0" * (8 * 1024 * 1024) + b"</a>"
    z = write_zip(tmp_path / "bomb.zip", {"bomb.xml": payload, "ok.xml": XML})
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("bomb.xml")
        assert info.file_size / info.compress_size > 900  # the archive really is 1000:1
    items = by_name(load(z))
    bomb = items[f"{z}!bomb.xml"]
    assert code(bomb) == "input.zip_bomb"
    assert "zip_max_ratio" in bomb.issue.message and bomb.data is None  # type: ignore[union-attr]
    assert items[f"{z}!ok.xml"].data == XML  # the rest of the archive goes on


def test_entries_under_the_ratio_floor_still_count_toward_the_whole_archive_ratio(tmp_path: Path) -> None:
    small = b"<a>" + b"\0" * (RATIO_FLOOR_BYTES - 16) + b"</a>"
    z = write_zip(tmp_path / "many.zip", {f"{n}.xml": small for n in range(4)})
    items = load(z)
    codes = [code(i) for i in items]
    assert codes[0] is None  # 1 MiB from ~1 KiB: too small to matter alone
    assert "input.zip_bomb" in codes
    refused = next(i for i in items if code(i) == "input.zip_bomb")
    assert "as a whole" in refused.issue.message  # type: ignore[union-attr]


def test_archive_total_is_capped_by_zip_max_uncompressed_bytes(tmp_path: Path) -> None:
    doc = os.urandom(3000).hex().encode()  # 6000 bytes that do not compress much
    z = write_zip(tmp_path / "total.zip", {f"{n}.xml": doc for n in range(5)})
    items = load(z, zip_max_uncompressed_bytes=13_000)
    assert [code(i) for i in items] == [None, None, "input.zip_bomb", "input.zip_bomb", "input.zip_bomb"]
    assert "zip_max_uncompressed_bytes" in items[2].issue.message  # type: ignore[union-attr]


def test_entry_inflating_past_its_declared_size_is_never_returned(tmp_path: Path) -> None:
    e = zipcraft.deflated("liar.xml", b"<a>" + b"x" * 200_000 + b"</a>")
    e.size = 100  # the headers claim 100 bytes; the stream holds 200 kB
    z = tmp_path / "liar.zip"
    z.write_bytes(zipcraft.build([e], [e]))
    (item,) = load(z)
    assert item.data is None
    # zipfile stops at the declared size and the CRC-32 then fails: refused, never truncated silently
    assert code(item) == "input.zip_corrupt"


def test_overlapping_entries_sharing_one_local_header_are_refused(tmp_path: Path) -> None:
    a = zipcraft.stored("a.xml", XML)
    b = zipcraft.stored("b.xml", XML)
    b.offset = 0  # a second central record pointing at a's local header
    z = tmp_path / "overlap.zip"
    z.write_bytes(zipcraft.build([a], [a, b]))
    items = by_name(load(z))
    assert {n: code(i) for n, i in items.items()} == {
        f"{z}!a.xml": "input.zip_overlap",
        f"{z}!b.xml": "input.zip_overlap",
    }


def test_entry_whose_data_runs_into_the_next_header_or_the_directory_overlaps(tmp_path: Path) -> None:
    a = zipcraft.stored("a.xml", XML)
    b = zipcraft.stored("b.xml", XML)
    c = zipcraft.stored("c.xml", XML)
    raw = bytearray(zipcraft.build([a, b, c], [a, b, c]))
    # make a's compressed size in the central directory cover b's local header (Fifield's construction)
    cd_start = raw.index(b"PK\x01\x02")
    raw[cd_start + 20 : cd_start + 24] = (len(XML) + 40).to_bytes(4, "little")
    z = tmp_path / "kernel.zip"
    z.write_bytes(bytes(raw))
    codes = {n.rsplit("!", 1)[1]: code(i) for n, i in by_name(load(z)).items()}
    assert codes == {"a.xml": "input.zip_overlap", "b.xml": "input.zip_overlap", "c.xml": None}


def test_traversal_absolute_and_symlink_entries_are_refused_per_entry(tmp_path: Path) -> None:
    z = tmp_path / "names.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("../../etc/passwd", b"root:x:0:0")
        zf.writestr("ok/../../up.xml", XML)
        zf.writestr("..\\windows.xml", XML)
        zf.writestr("/etc/abs.xml", XML)
        zf.writestr("C:/abs.xml", XML)
        link = zipfile.ZipInfo("link.xml")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("fine.xml", XML)
    codes = {n.split("!", 1)[1]: code(i) for n, i in by_name(load(z)).items()}
    assert codes == {
        "../../etc/passwd": "input.zip_traversal",
        "ok/../../up.xml": "input.zip_traversal",
        "..\\windows.xml": "input.zip_traversal",
        "/etc/abs.xml": "input.zip_absolute",
        "C:/abs.xml": "input.zip_absolute",
        "link.xml": "input.zip_symlink",
        "fine.xml": None,
    }


def test_nested_archives_are_reported_not_opened(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.xml", XML)
    z = write_zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue(), "disguised.xml": inner.getvalue()})
    codes = {n: code(i) for n, i in by_name(load(z)).items()}
    assert codes == {f"{z}!inner.zip": "input.zip_nested", f"{z}!disguised.xml": "input.zip_nested"}


def test_encrypted_and_corrupt_entries(tmp_path: Path) -> None:
    z = tmp_path / "odd.zip"
    secret = zipcraft.stored("secret.xml", XML)
    secret.flags = 0x1  # zipfile itself cannot write this flag
    flipped = zipcraft.stored("flipped.xml", XML)
    raw = bytearray(zipcraft.build([secret, flipped], [secret, flipped]))
    at = raw.index(b"Order", raw.index(b"flipped.xml"))
    raw[at] ^= 0xFF  # one stored byte changed: the CRC-32 no longer matches
    z.write_bytes(bytes(raw))
    codes = {n.split("!", 1)[1]: code(i) for n, i in by_name(load(z)).items()}
    assert codes == {"secret.xml": "input.zip_encrypted", "flipped.xml": "input.zip_corrupt"}


def test_ten_thousand_tiny_entries(tmp_path: Path) -> None:
    z = tmp_path / "tiny.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
        for n in range(10_000):
            zf.writestr(f"d/{n:05}.xml", b"<a/>")
    with z.open("rb") as fh:
        assert read_central_directory(fh).entries == 10_000
    # over zip_max_entries: the archive is refused whole, from its end record, before any entry is parsed
    (refused,) = load(z, zip_max_entries=9_999)
    assert (refused.name, code(refused)) == (str(z), "input.zip_too_many_entries")
    assert "zip_max_entries" in refused.issue.message  # type: ignore[union-attr]
    # within the limits: every entry once, in order
    items = load(z, zip_max_entries=10_000)
    assert len(items) == 10_000
    assert items[0].name == f"{z}!d/00000.xml" and items[-1].name == f"{z}!d/09999.xml"
    assert all(i.data == b"<a/>" for i in items)
    # over batch_max_files: the first ones, then one refusal
    items = load(z, batch_max_files=100)
    assert len(items) == 101 and code(items[-1]) == "input.too_many_files"
    assert estimate_count([str(z)], settings()) == 10_000


def test_a_central_directory_larger_than_its_end_record_admits_is_refused(tmp_path: Path) -> None:
    entries = [zipcraft.stored(f"{n}.xml", b"<a/>") for n in range(30)]
    raw = bytearray(zipcraft.build(entries, entries))
    eocd = raw.rindex(b"PK\x05\x06")
    raw[eocd + 8 : eocd + 12] = (2).to_bytes(2, "little") * 2  # it now claims 2 entries
    z = tmp_path / "lying-count.zip"
    z.write_bytes(bytes(raw))
    (item,) = load(z, zip_max_entries=10)
    assert code(item) == "input.zip_too_many_entries"
    assert item.data is None


def test_loader_is_lazy(tmp_path: Path) -> None:
    z = tmp_path / "lazy.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for n in range(50):
            zf.writestr(f"{n}.xml", XML)
    it = Loader(settings()).iter_paths([str(z)])
    first = next(it)
    assert first.name.endswith("!0.xml")
    it.close()  # closes the archive; nothing else was decompressed


@pytest.mark.parametrize("name", ["a.zip", "A.ZIP"])
def test_archive_suffix_any_case(tmp_path: Path, name: str) -> None:
    z = write_zip(tmp_path / name, {"x.xml": XML})
    assert [i.name for i in load(z)] == [f"{z}!x.xml"]


def test_entry_names_are_cut_to_255_characters_like_uploaded_names(tmp_path: Path) -> None:
    """Issue 18 (12): a zip entry's name is kept for display at most as long as a multipart file name."""
    long = "d/" + "n" * 400 + ".xml"
    archive = write_zip(tmp_path / "a.zip", {long: XML, "a\x1b[2J\n1 files, 1 valid.xml": XML})
    names = [i.name for i in load(archive)]
    assert names == [f"{archive}!{long[:255]}", f"{archive}!a\x1b[2J\n1 files, 1 valid.xml"]
    assert len(names[0]) == len(f"{archive}!") + 255
