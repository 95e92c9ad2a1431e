"""A one-line progress bar on a terminal (stderr), redrawn at most ten times a second."""

from __future__ import annotations

import time
from typing import TextIO

from app.batch.result import Tally

WIDTH = 24
_INTERVAL = 0.1
_CLEAR = "\r\x1b[K"  # carriage return + ECMA-48 "erase in line"


class Progress:
    def __init__(self, stream: TextIO, total: int | None = None) -> None:
        self.stream = stream
        self.total = total
        self._drawn = False
        self._last = 0.0

    def update(self, tally: Tally, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < _INTERVAL:
            return
        self._last = now
        rate = tally.files / tally.elapsed if tally.elapsed > 0 else 0.0
        done = tally.files
        if self.total:
            total = max(self.total, done)
            filled = WIDTH * done // total
            head = f"[{'#' * filled}{'-' * (WIDTH - filled)}] {done}/{total}"
        else:
            head = f"{done} files"
        bad = tally.invalid + tally.unreadable
        self.stream.write(f"{_CLEAR}{head}  {bad} not valid  {rate:.1f} files/s")
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the bar before other output reaches the terminal."""
        if self._drawn:
            self.stream.write(_CLEAR)
            self.stream.flush()
            self._drawn = False
