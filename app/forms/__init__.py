"""The input contract: a registration form or webshop order, as a pydantic model."""
