"""The document store: every produced document as a database row (metadata) and a blob (its XML), the
account's gap-free invoice numbers, and the outbox the mail and webhook workers read."""
