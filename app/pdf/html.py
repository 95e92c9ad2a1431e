"""The view → HTML step: a sandboxed, autoescaping Jinja environment over the bundled templates.

The sandbox refuses attribute access to anything unsafe and the template receives only dicts, lists and
strings (:mod:`app.pdf.view`), so document text can neither run code nor become markup, CSS or a URL.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render_html(view: dict[str, Any]) -> str:
    return environment().get_template("invoice.html").render(v=view)
