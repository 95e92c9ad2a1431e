"""Settings: one model, read from the environment (prefix ``NORDUBL_``) with embedded defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_mirror() -> Path:
    return PROJECT_ROOT.parent / "shared" / "standards"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NORDUBL_", extra="ignore")

    #: Where ``nordubl standards install`` puts the official artifacts and where validation reads them.
    standards_dir: Path = Field(default=PROJECT_ROOT / "xsd" / "standards")
    #: A local mirror of the official artifacts (copied from instead of downloading).
    standards_mirror: Path = Field(default_factory=_default_mirror)
    #: Seller profile used when a request names none (a JSON file; the database comes later).
    account_file: Path = Field(default=PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json")
    #: Largest XML document accepted by /v1/validate and the CLI, in bytes.
    max_xml_bytes: int = 64 * 1024 * 1024
    #: Largest JSON form accepted by /v1/orders, in bytes.
    max_form_bytes: int = 2 * 1024 * 1024
    #: Batch validation (``nordubl validate PATH...``): most files one run accepts; the rest are refused.
    batch_max_files: int = 100_000
    #: Most bytes one .zip archive may decompress to, all its entries together (declared and actual).
    zip_max_uncompressed_bytes: int = 2 * 1024 * 1024 * 1024
    #: Highest compression ratio (uncompressed : compressed) of an archive entry and of a whole archive.
    zip_max_ratio: int = 200
    #: Most entries in one .zip archive's central directory; an archive with more is refused whole.
    zip_max_entries: int = 20_000
    #: Host and port for ``nordubl serve``.
    host: str = "127.0.0.1"
    port: int = 8000


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
