"""The tests' waits: they end when the condition holds, keep going while there is progress, and fail on a
stall (``tests/waiting.py``)."""

from __future__ import annotations

import itertools

import pytest
from waiting import wait_for_progress, wait_until


def test_a_wait_for_progress_goes_on_while_the_count_goes_down() -> None:
    left = itertools.count(50, -1)  # one less at every poll: progress every time, however slow the machine
    wait_for_progress(lambda: next(left), "the count", stall=60, poll=0)
    assert next(left) < 0


def test_a_wait_for_progress_fails_on_a_stall_and_names_what_is_left() -> None:
    with pytest.raises(AssertionError, match=r"the mails: 3 left, no progress for 0.05 s"):
        wait_for_progress(lambda: 3, "the mails", stall=0.05, poll=0.01)


def test_a_count_that_goes_up_again_is_no_progress() -> None:
    values = iter([5, 4, 6, 5, 7, 6] + [8] * 1000)
    with pytest.raises(AssertionError, match=r"4 left"):
        wait_for_progress(lambda: next(values), "the rows", stall=0.05, poll=0.001)


def test_wait_until_returns_at_once_and_fails_after_its_cap() -> None:
    calls = itertools.count()
    wait_until(lambda: next(calls) >= 3, "three polls", poll=0)
    assert next(calls) == 4
    with pytest.raises(AssertionError, match=r"not within 0.05 s: never"):
        wait_until(lambda: False, "never", cap=0.05, poll=0.01)
