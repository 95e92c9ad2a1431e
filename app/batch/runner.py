"""The batch pipeline for people: loader → checker → results → reporter, with a progress bar.

:func:`validate_paths` is what ``nordubl validate PATH...`` runs; it returns the exit status
(0 all valid, 1 any invalid, 2 usage or any unreadable input).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from app.batch.checker import Checker
from app.batch.loader import ZIP_SUFFIX, Loader, estimate_count
from app.batch.progress import Progress
from app.batch.reporters import get_reporter
from app.batch.result import EXIT_USAGE, Tally
from app.config import Settings, get_settings
from app.pool.process import WorkerStartError


def positive_int(text: str) -> int:
    """``--jobs``: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def effective_jobs(paths: Sequence[str], jobs: int | None) -> int:
    """``jobs`` (default: the CPU count), but no more workers than files when only files are given."""
    wanted = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    if all(not os.path.isdir(p) and not p.lower().endswith(ZIP_SUFFIX) for p in paths):
        return max(1, min(wanted, len(paths)))
    return wanted


def validate_paths(
    paths: Sequence[str],
    *,
    fmt: str = "text",
    jobs: int | None = None,
    progress: bool | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    settings: Settings | None = None,
    engine: str | None = None,
) -> int:
    """Validate every file, folder and archive in ``paths``; write the report; return the exit status.

    ``progress`` None means: a progress bar on ``err`` only when it is a terminal.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    settings = settings or get_settings()
    engine = engine or settings.validation_engine
    if engine == "jvm":  # refused at once, on one line, where no Java runtime (or JPype) is installed
        from app.validation.jvm import JvmUnavailable, shared_engine

        try:
            shared_engine(settings)
        except JvmUnavailable as exc:
            issue = exc.issues[0]
            print(f"nordubl validate: {issue.code}: {issue.message} {issue.hint}", file=err)
            return EXIT_USAGE
    reporter = get_reporter(fmt, out, err)
    if progress is None:
        progress = err.isatty()
    bar = Progress(err, estimate_count(paths, settings)) if progress else None
    tally = Tally()
    reporter.start()
    try:
        with Checker(effective_jobs(paths, jobs), settings=settings, engine=engine) as checker:
            for result in checker.run(Loader(settings).iter_paths(paths)):
                tally.add(result)
                if bar is not None:
                    bar.clear()
                reporter.add(result)
                if bar is not None:
                    bar.update(tally)
    except WorkerStartError as exc:
        if bar is not None:
            bar.clear()
        print(f"nordubl validate: {exc}", file=err)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (`nordubl validate … | head`): stop quietly
        _silence(out)
        return tally.exit_code
    if bar is not None:
        bar.clear()
    try:
        reporter.finish(tally)
    except BrokenPipeError:
        _silence(out)
    if tally.files == 0:
        print("nordubl validate: no files to validate (folders are searched for *.xml)", file=err)
        return EXIT_USAGE
    return tally.exit_code


def _silence(out: TextIO) -> None:
    """Point a closed standard output at /dev/null so the interpreter's final flush does not fail."""
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
