"""The package works outside the checkout: a wheel built from it holds the UBL templates, the standards
manifest, the migrations and the page; installed into a fresh virtual environment in a folder of its own,
it installs the official artifacts from the mirror, generates an order and an invoice that pass its own
validator, and renders a PDF. The optional extras name themselves when a setting needs them."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT, get_settings

CAP_S = 900  # a cap for a hang, not a speed requirement
#: Every file of the package that is not Python: each must be in the wheel.
DATA = [
    p
    for p in (PROJECT_ROOT / "app").rglob("*")
    if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(PROJECT_ROOT)],
        check=True,
        timeout=CAP_S,
        capture_output=True,
    )
    [built] = out.glob("nordubl-*.whl")
    return built


def test_the_wheel_holds_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "app/standards_manifest.json",
        "app/ubl/templates/invoice.xml",
        "app/ubl/templates/order.xml",
        "app/ubl/templates/oioubl_invoice.xml",
        "app/migrations/env.py",
        "app/web/templates/validate.html",
        *(f"app/{p.relative_to(PROJECT_ROOT / 'app').as_posix()}" for p in DATA),
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "fixtures/", "xsd/standards/"))]


def test_the_installed_wheel_works_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=CAP_S)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=CAP_S,
    )
    # the dependencies: the ones this environment has, read after the venv's own site-packages (so the
    # wheel's app, not the checkout's, is imported); no network needed
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    (site / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORDUBL_")}
    env["NORDUBL_ACCOUNT_FILE"] = str(PROJECT_ROOT / "fixtures/accounts/demo-no.json")
    mirror = get_settings().standards_mirror

    def nordubl(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "nordubl"), *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=CAP_S,
        )

    where = subprocess.run(
        [str(python), "-c", "import app, app.config; print(app.__file__); print(app.config.PROJECT_ROOT)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=CAP_S,
    ).stdout.split()
    assert where[0].startswith(str(venv)) and Path(where[1]) == work, where

    done = nordubl("standards", "install", "--from", str(mirror))
    assert done.returncode == 0, done.stderr
    assert (work / "xsd" / "standards" / "ubl-2.1").is_dir()  # beside the work, never in site-packages

    form = PROJECT_ROOT / "fixtures/forms/no-company-single.json"
    assert nordubl("order", str(form), "-o", "order.xml").returncode == 0
    invoice = PROJECT_ROOT / "fixtures/forms/invoices/no-b2b-single.json"
    done = nordubl("invoice", str(invoice), "-o", "invoice.xml")
    assert done.returncode == 0, done.stderr
    done = nordubl("validate", "order.xml", "invoice.xml")
    assert done.returncode == 0 and "2 files: 2 valid" in done.stderr, done.stderr
    done = nordubl("pdf", "invoice.xml", "--lang", "nb", "-o", "invoice.pdf")
    assert done.returncode == 0, done.stderr
    assert (work / "invoice.pdf").read_bytes().startswith(b"%PDF-")
    assert not (work / "var").exists() or (work / "var").is_dir()


@pytest.mark.parametrize(
    ("module", "extra", "make"),
    [
        (
            "psycopg",
            "postgres",
            lambda: __import__("app.db", fromlist=["make_engine"]).make_engine(
                "postgresql+psycopg://u@127.0.0.1:1/x"
            ),
        ),
        (
            "boto3",
            "s3",
            lambda: __import__("app.store.blobs", fromlist=["S3BlobStore"]).S3BlobStore("bucket"),
        ),
    ],
)
def test_a_missing_extra_names_itself(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str, make: object
) -> None:
    from app.errors import NordublError

    monkeypatch.setitem(sys.modules, module, None)  # import fails as if the extra were not installed
    with pytest.raises(NordublError) as refused:
        make()  # type: ignore[operator]
    [issue] = refused.value.issues
    assert issue.code == "config.extra_missing"
    assert f"pip install 'nordubl[{extra}]'" in (issue.hint or "")
