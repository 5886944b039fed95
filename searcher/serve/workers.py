"""Several uvicorn servers, one a process, each with its own index: the parent process
listens and hands each new connection to the worker holding the fewest.

A search holds one core for its milliseconds and Python runs one thread's Python at a
time, so a second core answers a second request only from a second process. Each worker
here is a whole server (uvicorn, the application, its own
:class:`searcher.live.SharedIndex`, which follows the index's commits by itself), so a
request never leaves the process that read it.

Who accepts a connection: when every worker accepts from one shared socket, asyncio (and
libuv) take every connection waiting when the kernel wakes them, and the first process
woken takes the whole burst; keep-alive clients then stay where they landed (measured
with tests/benchmarks/serve.py: 73-78% of the work on one of two processes at 4 clients,
80-93% at 16, in some rounds). Node's cluster
module hands connections round from its parent on Linux for that reason. Here the parent
accepts, and passes each connection (its file descriptor, over a Unix socket) to the
ready worker with the fewest open connections; then the connection is the worker's:
its requests do not pass through the parent.

Stopping: SIGINT or SIGTERM to the parent stops it accepting, sends SIGTERM to every
worker (uvicorn's graceful shutdown: requests in flight are answered) and waits for them.
A worker whose parent is gone (killed) sees its channel close and stops too, so no worker
outlives the server. A worker that dies is replaced.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import selectors
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from ..errors import SearcherError

#: Seconds a worker may take to open its index and become ready.
START_TIMEOUT = 300.0
#: A worker that dies sooner than this after starting is replaced only after as long.
RESTART_PAUSE = 5.0


# -- in each worker ------------------------------------------------------------------------

def _worker(index: str, channel: socket.socket, closed: Any, settings: dict[str, Any],
            synonyms: str | None) -> None:
    """A worker process: its own index and application, and a uvicorn server taking its
    connections from ``channel``; ``closed`` counts the connections it has closed."""
    from ..live import SharedIndex
    from .app import create_app

    def now(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C reaches the whole process group: while the index opens, stop at once.
    signal.signal(signal.SIGINT, now)
    signal.signal(signal.SIGTERM, now)
    shared = None
    try:
        shared = SharedIndex(index)
        app = create_app(shared, synonyms=synonyms)
        server = _Handed(uvicorn.Config(app, **settings), channel, closed)

        def later(signum: int, frame: object) -> None:
            server.should_exit = True

        # Once serving, uvicorn's own handlers take the signals (a graceful stop) and raise
        # the one that stopped it again when it has: these take it then.
        signal.signal(signal.SIGINT, later)
        signal.signal(signal.SIGTERM, later)
        server.run(sockets=[])
    except KeyboardInterrupt:
        pass
    except SearcherError as exc:
        print(f"searcher serve: {exc}", file=sys.stderr, flush=True)
        sys.exit(1)
    finally:
        if shared is not None:
            shared.close()


class _Handed(uvicorn.Server):
    """A uvicorn server listening on no socket of its own: its connections come from the
    parent, one file descriptor a message on ``channel``."""

    def __init__(self, config: Any, channel: socket.socket, closed: Any):
        super().__init__(config)
        self.channel, self.closed = channel, closed

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        if self.should_exit:
            return
        closed = self.closed

        class Counted(self.config.http_protocol_class):  # type: ignore[name-defined,misc]
            def connection_lost(self, exc: Exception | None) -> None:
                super().connection_lost(exc)
                closed.value += 1

        def protocol() -> asyncio.Protocol:
            return Counted(config=self.config, server_state=self.server_state,
                           app_state=self.lifespan.state)

        self._protocol = protocol
        self._loop = asyncio.get_running_loop()
        self.channel.setblocking(False)
        try:
            self.channel.send(b"ready")
        except OSError:  # the parent is gone already
            self.should_exit = True
            return
        self._loop.add_reader(self.channel.fileno(), self._receive)

    def _receive(self) -> None:
        try:
            message, fds, _, _ = socket.recv_fds(self.channel, 64, 64)
        except BlockingIOError:
            return
        except OSError:
            message, fds = b"", []
        if not message:  # the parent is gone: stop
            self._loop.remove_reader(self.channel.fileno())
            self.should_exit = True
            return
        for fd in fds:
            self._loop.create_task(self._take(socket.socket(fileno=fd)))

    async def _take(self, conn: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._protocol, conn)
        except OSError:  # gone before it was served
            conn.close()
            self.closed.value += 1

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if hasattr(self, "_loop"):
            self._loop.remove_reader(self.channel.fileno())
        await super().shutdown(sockets=sockets)


# -- in the parent -------------------------------------------------------------------------

@dataclass
class _Worker:
    slot: int
    process: Any  # multiprocessing.Process
    channel: socket.socket  # the parent's end
    closed: Any  # a shared counter the worker adds to
    started: float = field(default_factory=time.monotonic)
    sent: int = 0
    ready: bool = False

    @property
    def open(self) -> int:
        """Connections handed to it and not yet closed."""
        return self.sent - self.closed.value


class _Stop(BaseException):
    """SIGINT or SIGTERM reached the parent."""


class Workers:
    """``count`` worker processes serving ``index`` (with the synonym file ``synonyms``),
    each a uvicorn server configured by ``settings`` (:class:`uvicorn.Config`'s keywords,
    the application left out)."""

    def __init__(self, index: str, count: int, settings: dict[str, Any],
                 say: Callable[[str], None], synonyms: str | None = None):
        self.index, self.count, self.settings, self.say = index, count, settings, say
        self.synonyms = synonyms
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self._next = 0
        self._restarts: dict[int, float] = {}  # slot -> when to start it again

    def _spawn(self, slot: int) -> _Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        closed = self.context.RawValue("Q", 0)
        process = self.context.Process(
            target=_worker, name=f"searcher-serve-{slot + 1}", daemon=True,
            args=(self.index, theirs, closed, self.settings, self.synonyms))
        process.start()
        theirs.close()
        ours.setblocking(False)
        return _Worker(slot, process, ours, closed)

    def start(self) -> None:
        """Start every worker, and wait until each has opened its index and serves."""
        self.workers = [self._spawn(slot) for slot in range(self.count)]
        selector = selectors.DefaultSelector()
        for worker in self.workers:
            selector.register(worker.channel, selectors.EVENT_READ, worker)
            selector.register(worker.process.sentinel, selectors.EVENT_READ, worker)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while not all(w.ready for w in self.workers):
                events = selector.select(max(0.0, deadline - time.monotonic()))
                if not events:
                    raise SearcherError(f"the server processes did not start in "
                                        f"{START_TIMEOUT:.0f} s")
                for key, _ in events:
                    worker = key.data
                    if key.fileobj is worker.channel and self._heard_ready(worker):
                        selector.unregister(worker.channel)
                    elif key.fileobj == worker.process.sentinel and not worker.ready:
                        worker.process.join()
                        raise SearcherError(f"a server process ended as it started (exit "
                                            f"{worker.process.exitcode})")
        finally:
            selector.close()

    def _heard_ready(self, worker: _Worker) -> bool:
        try:
            worker.ready = worker.channel.recv(16) == b"ready"
        except BlockingIOError:
            pass
        return worker.ready

    def serve(self, listener: socket.socket) -> None:
        """Accept on ``listener`` and hand each connection to a worker, until SIGINT or
        SIGTERM; replace a worker that dies."""
        def stop(signum: int, frame: object) -> None:
            raise _Stop

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        listener.setblocking(False)
        selector = selectors.DefaultSelector()
        try:
            selector.register(listener, selectors.EVENT_READ)
            for worker in self.workers:
                selector.register(worker.process.sentinel, selectors.EVENT_READ, worker)
            while True:
                for key, _ in selector.select(1.0 if self._restarts else None):
                    if key.fileobj is listener:
                        self._accept(listener)
                    elif isinstance(key.fileobj, socket.socket):  # a new worker is ready
                        # (closed already if its end was handled first in this batch)
                        if key.fileobj.fileno() != -1 and self._heard_ready(key.data):
                            selector.unregister(key.fileobj)
                    else:
                        selector.unregister(key.fileobj)
                        if not key.data.ready:  # it died before it was ready
                            selector.unregister(key.data.channel)
                        self._ended(key.data)
                self._restart(selector)
        except _Stop:
            pass
        finally:
            selector.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _accept(self, listener: socket.socket) -> None:
        for _ in range(64):
            try:
                conn, _ = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors: the kernel keeps the rest
                self.say(f"cannot accept a connection: {exc.strerror or exc}")
                time.sleep(0.1)
                return
            try:
                # (asyncio would set it on a socket it accepted itself: each answer's body
                # must not wait behind its headers for the client's delayed ACK)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._hand(conn)
            except OSError:
                pass
            finally:
                conn.close()  # the worker holds its own copy

    def _hand(self, conn: socket.socket) -> None:
        """To the ready worker with the fewest open connections (in turn, when even)."""
        n = len(self.workers)
        ready = sorted((w for w in self.workers if w.ready),
                       key=lambda w: (w.open, (w.slot - self._next) % n))
        for worker in ready:
            try:
                socket.send_fds(worker.channel, [b"c"], [conn.fileno()])
            except OSError:  # its channel is full or gone: the next one
                continue
            worker.sent += 1
            self._next = worker.slot + 1
            return

    def _ended(self, worker: _Worker) -> None:
        worker.process.join()
        worker.ready = False
        worker.channel.close()
        lived = time.monotonic() - worker.started
        pause = RESTART_PAUSE if lived < RESTART_PAUSE else 0.0
        self.say(f"server process {worker.slot + 1} (pid {worker.process.pid}) ended "
                 f"(exit {worker.process.exitcode}); starting another"
                 + (f" in {pause:.0f} s" if pause else ""))
        self._restarts[worker.slot] = time.monotonic() + pause

    def _restart(self, selector: selectors.BaseSelector) -> None:
        for slot, when in list(self._restarts.items()):
            if time.monotonic() >= when:
                del self._restarts[slot]
                fresh = self._spawn(slot)
                self.workers[slot] = fresh
                selector.register(fresh.channel, selectors.EVENT_READ, fresh)
                selector.register(fresh.process.sentinel, selectors.EVENT_READ, fresh)

    def stop(self, timeout: float) -> None:
        """SIGTERM to every worker, then wait up to ``timeout`` seconds for them to finish
        what they are answering; any still running then is killed."""
        for worker in self.workers:
            if worker.process.is_alive():
                try:
                    os.kill(worker.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
            worker.channel.close()
