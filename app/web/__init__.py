"""The validation page: one server-rendered HTML page (Jinja2) with a little vanilla JavaScript.

This package holds what the page is made of (templates, static files, its words); its router is
:mod:`app.api.routes.page`.
"""

from pathlib import Path

#: The folder of ``templates/`` and ``static/``.
FOLDER = Path(__file__).resolve().parent
