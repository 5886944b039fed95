"""A file's time limit holds even when its first signal lands where Python drops exceptions."""

from __future__ import annotations

import signal
import sys
import time

import pytest

from searcher.index.pool import ParseTimeout, time_limit


class _SlowToDie:
    """Busy in ``__del__`` when the time is up: the exception raised there is printed and
    dropped by Python, as in a garbage collector's callback."""

    def __del__(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < 0.3:
            pass


class _Failing:
    def __del__(self) -> None:
        raise ValueError("a finaliser's own error")


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM timers")
def test_a_dropped_timeout_comes_again_and_is_not_printed(capfd, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(type(u.exc_value)))
    started = time.monotonic()
    with pytest.raises(ParseTimeout):
        with time_limit(0.1):
            _SlowToDie()  # dies at once, in __del__ when the first signal comes
            _Failing()  # an error that is not the time limit's still reaches the hook
            while time.monotonic() - started < 2.0:
                pass
    assert time.monotonic() - started < 1.0
    assert seen == [ValueError]
    assert "Exception ignored" not in capfd.readouterr().err
