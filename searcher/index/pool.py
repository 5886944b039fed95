"""Parsing on every core, in worker processes that can neither stall a run nor outlive it.

Each file has a time limit (:func:`time_limit`; how long, by kind of file:
:func:`searcher.ingest.readers.parse_seconds`): past it, the parse is interrupted and the
file reported, and the run goes on. The interruption is a signal, which Python acts on
between two steps of its own; a step in C (a regular expression) is not interrupted, so the
parent also keeps watch: each worker tells, in memory they share, which file it is on and
since when, and one that is still on it :data:`GRACE` seconds past the limit is killed, that
file reported, and a new worker takes the rest of its batches. A worker that dies on a file
(a crash, the kernel's out-of-memory killer) costs that file only, the same way.

Files go to a worker in batches and come back a batch at a time (a message a file cost the
parent four times the CPU); workers die with the run (see :mod:`.children`) and ignore
Ctrl-C, which the run handles.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from .children import parent_gone, tie_to_parent

T = TypeVar("T")
#: Seconds past a file's limit a worker is given before it is killed.
GRACE = 5.0
#: Seconds a new worker is given to get ready (imports) before its first file's time starts.
READY_SECONDS = 60.0
#: Files sent to a worker at a time; it answers a batch at a time, and has two in hand.
BATCH = 16
#: Seconds between the signals that end a block whose time is up (see :func:`time_limit`).
REPEAT = 0.05
#: What a worker's shared state says when it is on no file: getting ready, or waiting.
_PREPARING, _IDLE = -2, -1


class ParseTimeout(BaseException):
    """A file's time is up. Not an ``Exception``: the parsers' own ``except Exception``
    must not swallow it."""


class TimedOut(str):
    """The reason a job was lost when its worker was killed for running past its limit."""


def too_slow_reason(limit: float | None) -> str:
    """Why a file over its time limit was skipped (the words are the same wherever its
    parse was stopped: by its own signal, or by the parent killing its worker)."""
    return f"took longer than {limit:g} s to parse; skipped"


def can_time_out_here() -> bool:
    """Can :func:`time_limit` stop a block in this thread? Only the main thread gets signals;
    elsewhere a file's time is kept by parsing it in a worker process (see
    :func:`~searcher.index.build.read_all`)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ParseTimeout` in the block when it has run ``seconds`` (wall time).

    By ``SIGALRM``, so only in the main thread (elsewhere the block runs unbounded: Python
    delivers signals to the main thread only); a handler and timer set before are put back,
    the timer less the time spent here. Once the time is up the signal comes again every
    :data:`REPEAT` seconds until the block is left: an exception raised where Python cannot
    pass it on (a garbage collector's callback, a ``__del__``) is dropped (and not printed:
    the block's own unraisable hook), and the block would otherwise run to its end."""
    if not seconds or seconds <= 0 or not can_time_out_here():
        yield
        return
    armed = [True]

    def expire(signum: int, frame: Any) -> None:
        if armed[0]:
            raise ParseTimeout(seconds)

    hook = sys.unraisablehook

    def dropped(unraisable: Any) -> None:
        # Raised in a collector's callback or a __del__: not printed (the signal comes
        # again); anything else goes to the hook there was.
        if not isinstance(unraisable.exc_value, ParseTimeout):
            hook(unraisable)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    sys.unraisablehook = dropped
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        try:
            yield
        finally:
            armed[0] = False  # the signal may still come: it does nothing now
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), interval)


def parse_in_pool(jobs: list[tuple], work: Callable[..., T], workers: int,
                  limit: Callable[[tuple], float], failed: Callable[[tuple, str], T],
                  prepare: Callable[[], None] | None = None) -> Iterator[T]:
    """``work(*job, limit(job))`` for each job, in worker processes, yielded in the jobs'
    order. A job whose worker was killed past its limit, or died, yields
    ``failed(job, reason)`` (a :class:`TimedOut` reason for the first). ``prepare()`` runs in each worker first (imports, not counted
    in any file's time)."""
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    todo: deque[tuple[int, tuple, float]] = deque(
        (index, job, limit(job)) for index, job in enumerate(jobs))
    done: dict[int, T] = {}
    pool = [_Worker(context, work, prepare) for _ in range(min(workers, len(jobs)))]
    following = 0
    try:
        while following < len(jobs):
            for worker in pool:
                worker.feed(todo)
            busy = [w for w in pool if w.assigned]
            ready = multiprocessing.connection.wait([w.conn for w in busy], timeout=0.25)
            for worker in busy:
                reason = worker.receive(done) if worker.conn in ready else worker.overdue()
                if reason is not None:  # the file it was on is lost, not the others
                    lost = worker.lost()
                    if lost is not None:
                        done[lost[0]] = failed(lost[1], reason)
                    todo.extendleft(reversed([a for a in worker.assigned if a is not lost]))
                    worker.stop(kill=True)
                    pool[pool.index(worker)] = _Worker(context, work, prepare)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        for worker in pool:
            worker.stop(kill=following < len(jobs))


class _Worker:
    """One worker process, the jobs sent to it and not answered yet, in order, and what it
    says it is doing: ``state`` holds the index of the job it is on (or ``_PREPARING``,
    ``_IDLE``) and when it started it (``time.monotonic_ns``, the same clock for every
    process)."""

    def __init__(self, context, work: Callable[..., Any], prepare: Callable[[], None] | None):
        self.conn, theirs = context.Pipe(duplex=True)
        self.state = context.RawArray("q", [_PREPARING, time.monotonic_ns()])
        self.process = context.Process(target=_serve, daemon=True, args=(
            theirs, self.state, work, prepare, os.getpid()))
        self.process.start()
        theirs.close()
        self.assigned: deque[tuple[int, tuple, float]] = deque()  # (index, job, limit)
        self.sent = 0  # when the last batch was sent (monotonic_ns)

    def feed(self, todo: deque) -> None:
        """Send a batch when it has one in hand or less, so that it never waits."""
        if todo and len(self.assigned) <= BATCH:
            batch = [todo.popleft() for _ in range(min(BATCH, len(todo)))]
            self.assigned.extend(batch)
            self.conn.send(batch)
            self.sent = time.monotonic_ns()

    def receive(self, done: dict[int, Any]) -> str | None:
        """Take the answers waiting; a reason if the worker died instead."""
        try:
            while self.assigned and self.conn.poll():
                for index, result in self.conn.recv():
                    expected, _, _ = self.assigned.popleft()
                    assert index == expected, (index, expected)
                    done[index] = result
        except (EOFError, OSError):
            self.process.join(1)
            code = self.process.exitcode
            how = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
            return f"the parsing process died on it ({how}); skipped"
        return None

    def overdue(self) -> str | None:
        """Why the worker is given up, if it has been at its file too long (or at getting
        ready, or has not taken the work in hand: stopped, as no parse could stop it)."""
        on, since = self.state
        now = time.monotonic_ns()
        if on == _PREPARING:
            late = (now - since) / 1e9 > READY_SECONDS
            return "the parsing process never got ready; skipped" if late else None
        if on == _IDLE:
            late = (now - max(since, self.sent)) / 1e9 > self.assigned[0][2] + GRACE
            return "the parsing process stopped taking work" if late else None
        job = next((a for a in self.assigned if a[0] == on), None)
        if job is not None and job[2] and (now - since) / 1e9 > job[2] + GRACE:
            return TimedOut(too_slow_reason(job[2]))
        return None

    def lost(self) -> tuple[int, tuple, float] | None:
        """The job it was on when killed or dead: None if it was on none (its jobs are all
        given to another worker)."""
        on = self.state[0]
        return next((a for a in self.assigned if a[0] == on), None)

    def stop(self, kill: bool) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _serve(conn, state, work: Callable[..., Any], prepare: Callable[[], None] | None,
           parent: int) -> None:
    """A worker: batches of jobs in, a batch of answers out, until told to stop."""
    tie_to_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    if prepare is not None:
        prepare()
    state[1], state[0] = time.monotonic_ns(), _IDLE
    while True:
        while not conn.poll(1.0):
            if parent_gone(parent):
                os._exit(1)
        batch = conn.recv()
        if batch is None:
            break
        answers = []
        for index, job, limit in batch:
            state[1], state[0] = time.monotonic_ns(), index  # the time first: read together
            answers.append((index, work(*job, limit)))
        state[1], state[0] = time.monotonic_ns(), _IDLE
        conn.send(answers)
    conn.close()
