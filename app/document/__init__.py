"""The business document: one profile-neutral model, computed once with Decimal."""
