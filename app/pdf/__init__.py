"""PDF invoices: a stored UBL invoice or credit note rendered to PDF/A-3b with the XML embedded.

``render_pdf(xml, lang, logo, draft=...)`` is the one entry point; ``TEMPLATE_VERSION`` and the draft flag
belong in any cache key.
"""

from app.pdf.render import TEMPLATE_VERSION, render_pdf

__all__ = ["TEMPLATE_VERSION", "render_pdf"]
