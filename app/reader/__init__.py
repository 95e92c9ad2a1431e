"""UBL → :class:`~app.document.model.BusinessDocument`: read any Peppol BIS Billing 3 / EHF / OIOUBL 2.1
invoice or credit note, ours or uploaded, back into the profile-neutral business model."""

from app.reader.ubl import read_document, read_tree

__all__ = ["read_document", "read_tree"]
