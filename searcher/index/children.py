"""The processes a run starts (parse workers, segment writers) end with it.

A child forked by a run holds copies of the run's descriptors, the index's ``LOCK`` among
them, whose ``flock`` lasts as long as any copy is open: a worker that outlived a killed
run (blocked, waiting for work that never came) kept the index locked, and the next run
failed, naming the dead parent. So a child lets go of the lock's descriptor at once, asks
the kernel to kill it when its parent dies (Linux), and leaves by itself when it finds its
parent gone (elsewhere, and between files).
"""

from __future__ import annotations

import os
import signal
import sys

#: prctl(2)'s option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def tie_to_parent(parent: int) -> None:
    """In a child of process ``parent``: die with it, and hold none of its index locks."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: polling the parent still ends it
            pass
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)
    from .store import release_inherited_locks

    release_inherited_locks()


def parent_gone(parent: int) -> bool:
    """Has process ``parent`` (this one's parent when it started) died?"""
    return os.getppid() != parent
