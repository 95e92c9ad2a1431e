"""Optional parts of the package: PostgreSQL (``nordubl[postgres]``: psycopg) and S3 / SES (``nordubl[s3]``:
boto3). SQLite and a folder need neither; a setting that names one of them without it installed is refused
with the one command that installs it, instead of an ImportError deep inside a request."""

from __future__ import annotations

import importlib
from types import ModuleType

from app.codes import issue
from app.errors import NordublError


def require(module: str, extra: str, setting: str, what: str) -> ModuleType:
    """``import module``, or a :class:`NordublError` naming ``setting`` and ``pip install 'nordubl[extra]'``."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module.split(".")[0]:
            raise  # something inside the module is broken: not a missing extra
        raise NordublError(
            f"{what} needs the {extra} extra",
            [issue("config.extra_missing", setting, params={"what": what, "module": module, "extra": extra})],
            status=503,
        ) from exc
