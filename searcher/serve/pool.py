"""Searches on every core: worker processes, each with its own open index, fed from one
queue by the server's process.

A search holds one core for its few milliseconds and Python runs one thread's Python at a
time, so a second core serves a second search only from a second process. Several uvicorn
processes accepting from one socket would do it, but asyncio accepts every connection
waiting at once: a burst of keep-alive clients lands on one process and stays there, its
core busy while the other idles (measured: 80-92% of the work on one of two). Here one
process speaks HTTP and hands each request to whichever worker is free.

:class:`SearchPool` answers as :class:`searcher.live.SharedIndex` does (the same methods),
so the application takes either.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..live import SharedIndex

_SHARED: SharedIndex | None = None  # in each worker process


def _open(index: str) -> None:
    """A worker's start: its own index, warm, its directory made. Ctrl-C reaches the whole
    process group: the server, not the workers, decides when they stop."""
    global _SHARED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SHARED = SharedIndex(index)
    _SHARED.directory()


def _call(name: str, args: tuple, kwargs: dict) -> Any:
    assert _SHARED is not None
    return getattr(_SHARED, name)(*args, **kwargs)


def json_bytes(data: Any) -> bytes:
    """``data`` as the API sends it (as Starlette's JSONResponse encodes)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def _search_json(text: str, options: dict) -> bytes:
    assert _SHARED is not None
    return json_bytes(_SHARED.search(text, **options).to_dict())


def _started(pause: float) -> int:
    import os

    time.sleep(pause)  # held, so that the next task starts another process
    return os.getpid()


class SearchPool:
    """``workers`` processes answering for the index at ``index``."""

    def __init__(self, index: str | Path, workers: int):
        self.index, self.workers = str(index), workers
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_open, initargs=(self.index,))
        # Processes start as tasks find none idle: start them all now, warm.
        pids = {f.result() for f in [pool.submit(_started, 0.2) for _ in range(self.workers)]}
        if len(pids) < self.workers:  # one was quick enough to take two: ask again
            pids |= {f.result() for f in [pool.submit(_started, 1.0)
                                          for _ in range(self.workers)]}
        return pool

    def _submit(self, fn: Any, *args: Any) -> Any:
        pool = self._pool
        try:
            future: Future = pool.submit(fn, *args)
            return future.result()
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start new ones and ask once more.
            with self._lock:
                if self._pool is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._start()
            return self._pool.submit(fn, *args).result()

    def _run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._submit(_call, name, args, kwargs)

    def search_json(self, text: str, **options: Any) -> bytes:
        """The search's JSON, made in the worker (a page of hits travels as its JSON, not
        as its releases with every paragraph)."""
        return self._submit(_search_json, text, options)

    def search(self, text: str, **options: Any):
        return self._run("search", text, **options)

    def release(self, release_id: str):
        return self._run("release", release_id)

    def suggest(self, prefix: str, limit: int = 10):
        return self._run("suggest", prefix, limit)

    def person(self, key: str):
        return self._run("person", key)

    def highlight(self, query: str, texts: list[str]):
        return self._run("highlight", query, texts)

    def top(self, kind: str, limit: int = 10):
        return self._run("top", kind, limit)

    def stats(self) -> dict[str, Any]:
        return self._run("stats")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
