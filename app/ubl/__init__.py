"""UBL writers: a profile (ids, code maps) + a Jinja2 template in ``ubl_templates/`` → XML bytes."""
