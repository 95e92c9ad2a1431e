"""Accounts: the seller ("My account") and its settings."""
