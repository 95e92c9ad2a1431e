"""Order processing for an account: preflight checks, the error log, the shop's order status, the trial
period, documents into the store, idempotent retries."""
