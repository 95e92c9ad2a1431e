"""Customers: classify (B2C / B2B / EAN), identify, create or update, and number them (sources 000, 001)."""
