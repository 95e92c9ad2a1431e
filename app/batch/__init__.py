"""Batch validation: many files, folders and .zip archives → one report per input, streamed.

The pipeline (each piece usable on its own, e.g. by an HTTP endpoint)::

    inputs = Loader(settings).iter_paths(paths)        # or Loader(settings).iter_zip(fileobj, name)
    with Checker(jobs=4, settings=settings) as checker:
        for result in checker.run(inputs):             # FileResult, in the order they finish
            reporter.add(result)                       # or result.report.as_dict()
"""

from app.batch.checker import Checker, check_one, validate_document
from app.batch.loader import Input, Loader, limit_files
from app.batch.reporters import REPORTERS, Reporter, get_reporter
from app.batch.result import FileResult, Tally
from app.batch.runner import validate_paths
from app.pool.process import WorkerStartError

__all__ = [
    "REPORTERS",
    "Checker",
    "FileResult",
    "Input",
    "Loader",
    "Reporter",
    "Tally",
    "WorkerStartError",
    "check_one",
    "get_reporter",
    "limit_files",
    "validate_document",
    "validate_paths",
]
