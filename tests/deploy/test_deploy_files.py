"""The deployment files cannot rot: docker-compose.yml, the Dockerfile, scripts/install-system.sh and CI
are read here and checked against the code they start (no Docker daemon needed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.cli import build_parser
from app.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
INSTALL = ROOT / "scripts" / "install-system.sh"
SETTINGS_ENV = {f"NORDUBL_{name.upper()}" for name in Settings.model_fields}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}")


def interpolate(text: str) -> str:
    """Compose's ``${VAR:-default}`` / ``${VAR:?message}`` / ``${VAR}`` with nothing set in the environment."""
    return _VAR.sub(
        lambda m: m.group(3) if m.group(2) == "-" else ("required" if m.group(2) == "?" else ""), text
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def ours(service: dict[str, Any]) -> bool:
    """Services running the nordubl image (built from this repository)."""
    return "build" in service


def resolve_command(argv: list[str]) -> str:
    """Parse ``argv`` exactly as the container's entry point will; answer what it runs."""
    program, args = argv[0], argv[1:]
    found = list(entry_points(group="console_scripts", name=program))
    assert found, f"{program} is not an installed entry point"
    if program == "nordubl":
        assert found[0].value == "app.cli:main"
        ns = build_parser().parse_args(args)  # exits (SystemExit) on an unknown sub-command or option
        assert callable(ns.func)
        return f"nordubl {ns.command}"
    if program == "uvicorn":
        command = found[0].load()
        ctx = command.make_context("uvicorn", list(args))
        module, _, attr = ctx.params["app"].partition(":")
        app = getattr(__import__(module, fromlist=[attr]), attr)
        from fastapi import FastAPI

        assert isinstance(app, FastAPI)
        assert ctx.params["workers"] is None or ctx.params["workers"] >= 1
        return f"uvicorn {ctx.params['app']}"
    raise AssertionError(f"no check for entry point {program}")


def test_compose_has_the_production_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"api", "worker", "webhooks", "postgres", "migrate", "minio", "bucket"} <= set(services)
    assert {name for name, s in services.items() if ours(s)} == {"api", "worker", "webhooks", "migrate"}
    assert services["postgres"]["image"].startswith("postgres:15")
    # migrate runs once; api and the workers start only after it succeeded (and after the bucket exists)
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "worker", "webhooks"):
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully", name
        assert deps["bucket"]["condition"] == "service_completed_successfully", name
    # the API's health check is its readiness; metrics of all its processes are summed
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["api"]["environment"]["PROMETHEUS_MULTIPROC_DIR"] in " ".join(services["api"]["tmpfs"])


@pytest.mark.parametrize("service", ["api", "worker", "webhooks", "migrate"])
def test_every_command_resolves_to_a_real_entry_point(compose: dict[str, Any], service: str) -> None:
    argv = [interpolate(str(a)) for a in compose["services"][service]["command"]]
    expected = {
        "api": "uvicorn app.api.main:app",
        "worker": "nordubl worker",
        "webhooks": "nordubl webhooks",
        "migrate": "nordubl db",
    }
    assert resolve_command(argv) == expected[service]


def test_the_dockerfile_default_command_resolves() -> None:
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE.read_text(), re.M)
    assert cmd
    assert resolve_command(json.loads(cmd.group(1))) == "uvicorn app.api.main:app"


def test_a_wrong_command_is_caught() -> None:
    with pytest.raises(SystemExit):
        resolve_command(["nordubl", "no-such-command"])
    with pytest.raises(AssertionError):
        resolve_command(["no-such-program"])


def test_every_nordubl_variable_is_a_setting(compose: dict[str, Any]) -> None:
    texts = {p.name: p.read_text() for p in (COMPOSE, DOCKERFILE, ROOT / "docs" / "deploy.env.example")}
    for name, text in texts.items():
        used = set(re.findall(r"\bNORDUBL_[A-Z0-9_]+\b", text))
        assert used, name
        assert used <= SETTINGS_ENV, f"{name}: not settings: {sorted(used - SETTINGS_ENV)}"
    # and the values given in compose are accepted by the model (types, enumerations)
    env = {}
    for service in ("api", "worker", "migrate"):
        for key, value in compose["services"][service]["environment"].items():
            if key.startswith("NORDUBL_"):
                env[key.removeprefix("NORDUBL_").lower()] = interpolate(str(value))
    settings = Settings(**env)
    assert settings.database_url.startswith("postgresql+psycopg://nordubl:")
    assert settings.blob_s3_bucket and settings.blob_s3_endpoint_url == "http://minio:9000"
    assert settings.log_format == "json" and settings.validation_memory_mb == 3072


def test_the_dockerfile_installs_through_the_shared_script() -> None:
    text = DOCKERFILE.read_text()
    assert "COPY scripts/install-system.sh /usr/local/sbin/install-system.sh" in text
    assert re.search(r"^RUN .*install-system\.sh image$", text, re.M)  # runtime + the Java runtime
    assert "apt-get" not in text  # every package goes through the script
    stages = re.findall(r"^FROM (\S+) AS (\S+)$", text, re.M)
    assert [s for _, s in stages][-1] == "runtime" and len(stages) >= 5
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in text
    assert re.search(r"^USER nordubl$", text, re.M) and "--uid 10001" in text
    assert "HEALTHCHECK" in text and "nordubl standards verify" in text
    assert "nordubl standards install --download" in text and "--from /mirror" in text


def test_ci_runs_the_same_script_before_the_tests() -> None:
    run = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in run.splitlines() if line.strip() and not line.startswith("#")]
    install = lines.index("scripts/install-system.sh ci")
    assert install < lines.index("make test")
    assert "apt-get" not in run


def test_install_script_groups_and_modes() -> None:
    subprocess.run(["sh", "-n", str(INSTALL)], check=True)

    def listing(group: str) -> list[str]:
        out = subprocess.run([str(INSTALL), "--list", group], check=True, capture_output=True, text=True)
        return out.stdout.split()

    runtime, image, ci = listing("runtime"), listing("image"), listing("ci")
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"} <= set(runtime)
    assert set(runtime) < set(image) < set(ci) and {"postgresql", "chromium", "poppler-utils"} <= set(ci)
    assert set(image) - set(runtime) == {"openjdk-17-jre-headless"}  # the jvm validation engine
    bad = subprocess.run([str(INSTALL), "nothing"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr
    check = subprocess.run([str(INSTALL), "--check", "runtime"], capture_output=True, text=True)
    assert check.returncode in (0, 1)
    assert ("all runtime packages present" in check.stdout) == (check.returncode == 0)
    if check.returncode == 1:
        assert "missing:" in check.stderr


def test_the_image_has_what_weasyprint_and_the_fonts_need_here() -> None:
    """CI ran the script: the runtime group is installed on this machine (the same list as the image)."""
    check = subprocess.run([str(INSTALL), "--check", "runtime"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    families = subprocess.run(["fc-list", ":lang=nb", "family"], check=True, capture_output=True, text=True)
    assert "DejaVu Sans" in families.stdout  # æ, ø, å (and the Danish and Swedish letters)


def test_every_compose_variable_has_a_default_or_a_message() -> None:
    """``docker compose up`` either works with nothing set or names the secret that is missing."""
    found = list(_VAR.finditer(COMPOSE.read_text()))
    assert found
    for m in found:
        assert m.group(2) in ("-", "?"), m.group(0)
        if m.group(2) == "?":
            assert m.group(3).startswith("set "), m.group(0)


def _dry_make(target: str, tmp_path: Path) -> list[str]:
    """The commands ``make TARGET`` would run on a fresh machine (no venv yet), in order."""
    venv = tmp_path / "venv-that-does-not-exist"
    # a make of its own, not a sub-make of the one running the tests (CI runs `make test`)
    env = {
        k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")
    }
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    return [line.replace(str(venv), ".venv") for line in done.stdout.splitlines()]


def test_make_run_installs_the_runtime_only_and_make_test_everything(tmp_path: Path) -> None:
    run = _dry_make("run", tmp_path)
    assert run[0] == "scripts/install-system.sh runtime"
    assert ".venv/bin/pip install --quiet -e ." in run and not any("[test]" in line for line in run)
    assert run[-2:] == [".venv/bin/nordubl standards install", ".venv/bin/nordubl serve"]

    test = _dry_make("test", tmp_path)
    assert test[0] == "scripts/install-system.sh ci"
    assert ".venv/bin/pip install --quiet -e '.[test]'" in test
    assert test.index(".venv/bin/nordubl standards install") < test.index(
        ".venv/bin/pytest -q -p no:cacheprovider"
    )


def test_the_image_and_compose_validate_on_the_jvm_engine() -> None:
    """The jvm engine is the image's and compose's default (docs/performance.md, #17's figures); the image
    installs its Java runtime (``install-system.sh image``); saxonche stays one setting away."""
    env = dict(re.findall(r"(NORDUBL_[A-Z_]+)=(\S+)", DOCKERFILE.read_text()))
    assert env["NORDUBL_VALIDATION_ENGINE"] == "jvm" and env["NORDUBL_VALIDATION_THREADS"] == "2"
    Settings(validation_engine=env["NORDUBL_VALIDATION_ENGINE"])  # a value the settings accept
    api = yaml.safe_load(COMPOSE.read_text())["services"]["api"]["environment"]
    assert api["NORDUBL_VALIDATION_ENGINE"] == "${VALIDATION_ENGINE:-jvm}"
    assert api["NORDUBL_VALIDATION_THREADS"] == "${VALIDATION_THREADS:-2}"
    assert (
        Settings.model_fields["validation_engine"].default == "saxonche"
    )  # make run, and wherever no Java runtime is installed
