"""Webhooks: every processed order is posted to the account's URL, signed with HMAC-SHA256, from the
outbox (written with the order's document), retried with exponential backoff."""
