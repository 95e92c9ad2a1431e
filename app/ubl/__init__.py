"""UBL writers: a profile (ids, code maps) + a Jinja2 template in ``app/ubl/templates/`` → XML bytes."""
