"""Running the application: one listening socket, uvicorn servers in ``workers`` processes
(:mod:`searcher.serve.workers`; one: in this process), and, with ``watch``, one more process
keeping the index current.

Each server process follows the index's commits by itself (see
:class:`searcher.live.SharedIndex`), so an update by ``searcher index``, ``searcher
watch`` or ``--watch`` is served from the next request on, with no restart.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..api import open_index
from ..errors import SearcherError

Notify = Callable[[str], None]
#: Connections served at once; more wait in the kernel's queue.
CONCURRENCY = 1024
#: Seconds to finish the answers in flight when told to stop.
GRACE = 10


def default_workers() -> int:
    """One server process a core (at most 4: each holds its own index and caches); one
    where connections cannot be handed between processes (not Unix)."""
    if not hasattr(socket, "send_fds"):
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets that say they
    # are TCP, and without it each answer's body waits 40 ms behind its headers (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SearcherError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    sock.listen(2048)
    return sock


def settings() -> dict[str, Any]:
    """uvicorn's settings for every server process. Its ``auto`` choices take httptools
    (HTTP parsing in C) and uvloop (the event loop on libuv) when installed, as they are
    with searcher; the access log is off (a line a request costs the answer time)."""
    return {"log_level": "warning", "access_log": False, "lifespan": "off",
            "server_header": False, "limit_concurrency": CONCURRENCY, "timeout_keep_alive": 5,
            "timeout_graceful_shutdown": GRACE}


def _watching(documents: str, index: str, stop: object, interval: float, parent: int) -> None:
    """The watcher process: Ctrl-C reaches the whole process group, but an update in
    progress is let finish; the server (``parent``) asks it to stop, or is gone: it stops
    too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .. import watch
    from ..output import format_report

    def told(message: str) -> None:
        print(f"searcher serve: {message}", file=sys.stderr, flush=True)

    def updated(report) -> None:
        if report.touched:
            told(f"index updated: {format_report(report)}")
        for error in report.failed:
            told(f"skipped {error}")

    def should_stop() -> bool:
        return stop.is_set() or os.getppid() != parent  # type: ignore[attr-defined]

    try:
        watch(documents=documents, index=index, interval=interval, on_update=updated, notify=told,
              should_stop=should_stop)
    except SearcherError as exc:
        told(f"watch stopped: {exc}")


def serve(index: str | Path = "index", documents: str | Path = "documents", *,
          host: str = "127.0.0.1", port: int = 8000, watch: bool = False,
          workers: int | None = None, interval: float = 2.0,
          synonyms: str | Path | None = None,
          notify: Notify | None = None, listening: Notify | None = None) -> None:
    """Serve ``index`` over HTTP at ``host``:``port`` (``port`` 0: any free one) until
    SIGINT or SIGTERM, from ``workers`` server processes (1: this one; by default one a
    core, at most 4). The index is built from ``documents`` first if there is none;
    ``watch``: follow ``documents`` and update the index when it changes (every
    ``interval`` seconds), in one process of its own; ``synonyms``: a synonym file
    replacing the shipped one for every search. ``notify`` hears where it listens (stderr
    by default), and ``listening`` gets the address alone."""
    import uvicorn

    from ..live import SharedIndex
    from .app import create_app
    from .workers import Workers

    def say(message: str) -> None:
        (notify or (lambda m: print(f"searcher: {m}", file=sys.stderr, flush=True)))(message)

    index, documents = Path(index).resolve(), Path(documents)
    open_index(index, documents=documents, notify=say).close()  # built on first use, as `query` does
    workers = workers or default_workers()
    if workers > 1 and not hasattr(socket, "send_fds"):  # handing connections needs Unix
        say("several server processes need a Unix system; serving from this one")
        workers = 1
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shared: SharedIndex | None = None
    pool: Workers | None = None
    watcher = None

    def stopping(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM ends as Ctrl-C does: cleanly

    previous = signal.signal(signal.SIGTERM, stopping)
    try:
        if workers > 1:
            pool = Workers(str(index), workers, settings(), say,
                           str(synonyms) if synonyms else None)
            pool.start()
        else:
            shared = SharedIndex(index)
            server = uvicorn.Server(uvicorn.Config(create_app(shared, synonyms=synonyms),
                                                   **settings()))
        if watch:
            context = multiprocessing.get_context("spawn")
            stop = context.Event()
            watcher = context.Process(target=_watching, name="searcher-watch",
                                      args=(str(documents), str(index), stop, interval,
                                            os.getpid()))
            watcher.start()
        url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/"
        say(f"serving {index} at {url} ({workers} server process"
            f"{'es' if workers > 1 else ''}{f', watching {documents}' if watch else ''}); "
            "Ctrl-C stops")
        if listening:
            listening(url)
        if pool is not None:
            pool.serve(sock)
        else:
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        if pool is not None:
            pool.stop(GRACE + 5)
        if watcher is not None:
            stop.set()
            watcher.join(30)
            if watcher.is_alive():
                watcher.terminate()
                watcher.join(5)
        if shared is not None:
            shared.close()
    say("stopped")
