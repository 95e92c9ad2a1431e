"""Validation: UBL XSD (lxml) + the official compiled Schematron (saxonche) → :class:`Report`."""

from app.validation.engine import Engine, default_engine, validate
from app.validation.report import Report, Stage

__all__ = ["Engine", "Report", "Stage", "default_engine", "validate"]
