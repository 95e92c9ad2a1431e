"""The validation page: one server-rendered HTML page (Jinja2) with a little vanilla JavaScript."""
