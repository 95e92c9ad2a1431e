"""Waits whose outcome does not depend on the machine's speed.

A test waits for a condition, never for a fixed time: it polls, returns as soon as the condition holds
(so a quiet machine is not slowed down), and gives up only after a generous cap. A long run (thousands of
mails, a stream of orders) waits as long as it keeps making measurable progress, and fails only when the
progress has stalled for a long window, or after a very generous overall cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Overall cap of a wait for one condition: reached only when something is wrong, not when it is slow.
CAP_S = 600.0


def wait_until(condition: Callable[[], object], what: str, *, cap: float = CAP_S, poll: float = 0.02) -> None:
    """Poll ``condition`` until it is true; :class:`AssertionError` naming ``what`` after ``cap`` seconds."""
    deadline = time.monotonic() + cap
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {cap:g} s: {what}")
        time.sleep(poll)


def wait_for_progress(
    remaining: Callable[[], int],
    what: str,
    *,
    stall: float = 300.0,
    cap: float = 4 * 3600.0,
    poll: float = 0.5,
) -> float:
    """Poll ``remaining()`` until it is 0. Keeps waiting while it goes down; fails when it has not gone
    down for ``stall`` seconds, or after ``cap`` seconds in all. Answers the seconds waited."""
    started = time.monotonic()
    best = remaining()
    progressed = started
    while best > 0:
        now = time.monotonic()
        if now - progressed > stall:
            raise AssertionError(f"{what}: {best} left, no progress for {stall:g} s")
        if now - started > cap:
            raise AssertionError(f"{what}: {best} left after {cap:g} s")
        time.sleep(poll)
        left = remaining()
        if left < best:
            best, progressed = left, time.monotonic()
    return time.monotonic() - started


class Progress:
    """A count shared by threads (e.g. answered requests), with the time it last grew: a thread that keeps
    retrying gives up only when nobody has made progress for a long window."""

    def __init__(self) -> None:
        self.count = 0
        self.last = time.monotonic()

    def step(self) -> None:
        self.count += 1  # a lost update under a race costs nothing: only the timestamp matters
        self.last = time.monotonic()

    def stalled_for(self) -> float:
        return time.monotonic() - self.last
