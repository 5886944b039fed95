"""A real `searcher serve` process on a free loopback port: it answers, picks up a commit
made by `searcher index` in another process while it is being queried, and one made by its
own --watch, and stops on Ctrl-C; its server processes share the connections, and none
outlives it, however it ends."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import searcher

from .serving import Server, descendants, make_documents, running, wait_until


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serves_follows_new_commits_and_stops_on_ctrl_c(tmp_path: Path):
    docs = make_documents(tmp_path / "documents")
    searcher.build_index(documents=docs, index=tmp_path / "index")[0].close()
    server = Server(tmp_path / "index", docs, "--workers", "2", "--watch")
    processes = descendants(server.proc.pid)
    try:
        assert server.url.startswith("http://127.0.0.1:")  # loopback unless told otherwise
        status, found = _get(server.url + "/api/search?q=ASEAN")
        assert status == 200 and found["total"] == 5
        # Slow clients (half a request each, never finished) do not hold up the others.
        port = int(server.url.rsplit(":", 1)[1])
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        for s in slow:
            s.sendall(b"GET /api/search?q=ASEAN HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert _get(server.url + "/api/search?q=Myanmar")[1]["total"] == 4
        assert time.monotonic() - started < 5
        for s in slow:
            s.close()
        assert _get(server.url + "/api/search?q=Quokka")[1]["total"] == 0

        failures: list[str] = []
        stop = threading.Event()

        def keep_asking() -> None:  # requests in flight while the index is updated
            while not stop.wait(0.02):
                code, data = _get(server.url + "/api/search?q=ASEAN&facets=1")
                if code != 200 or data["total"] != 5:
                    failures.append(f"{code} {data}")

        clients = [threading.Thread(target=keep_asking)]
        for c in clients:
            c.start()
        (docs / "quokka.txt").write_text(
            "Quokka Talks\n\nPhnom Penh, 3 March 2023\n\nThe quokka delegation met "
            "the Minister in Phnom Penh.\n", "utf-8")
        done = subprocess.run([sys.executable, "-m", "searcher", "index", "--index",
                               str(tmp_path / "index"), "--documents", str(docs)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        # Every worker answers from the new commit from its next request on.
        for _ in range(6):
            assert _get(server.url + "/api/search?q=Quokka")[1]["total"] == 1
        stop.set()
        for c in clients:
            c.join()
        assert failures == []
        assert _get(server.url + "/healthz")[1]["releases"] == 7
        # Its own --watch: a file added is indexed and served, with no command run.
        (docs / "wombat.txt").write_text(
            "Wombat Talks\n\nPhnom Penh, 4 March 2023\n\nThe wombat delegation met the "
            "Minister.\n", "utf-8")
        assert wait_until(lambda: _get(server.url + "/api/search?q=wombat")[1]["total"] == 1,
                          timeout=60, every=0.5)
    finally:
        code = server.interrupt()
    assert code == 0, server.output()
    assert "stopped" in server.output() and "Traceback" not in server.output()
    assert len(processes) >= 3  # two servers and the watcher (and multiprocessing's tracker)
    assert wait_until(lambda: not running(processes), timeout=10), _named(processes)


def _named(pids: set[int]) -> list[str]:
    """The command lines of those of ``pids`` still running."""
    return [Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ") for pid in running(pids)]


def _worker_pids(server: Server, workers: int) -> set[int]:
    """The pids answering, from /healthz on as many connections as there are workers
    (each connection is handed to the worker holding the fewest)."""
    port = int(server.url.rsplit(":", 1)[1])
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(workers)]
    pids = set()
    for conn in conns:
        conn.request("GET", "/healthz")
        pids.add(json.loads(conn.getresponse().read())["pid"])
    for conn in conns:
        conn.close()
    return pids


def test_a_dead_worker_is_replaced_sigterm_stops_every_process_and_a_killed_server_leaves_none(
        tmp_path: Path):
    docs = make_documents(tmp_path / "documents")
    searcher.build_index(documents=docs, index=tmp_path / "index")[0].close()
    server = Server(tmp_path / "index", docs, "--workers", "2", "--watch")
    try:
        children = descendants(server.proc.pid)
        answering = _worker_pids(server, 2)
        assert len(answering) == 2 and answering <= children
        # A worker killed: the other answers meanwhile, and another is started.
        os.kill(min(answering), signal.SIGKILL)
        assert wait_until(lambda: "ended (exit -9); starting another" in server.output())
        for _ in range(4):
            assert _get(server.url + "/api/search?q=ASEAN")[1]["total"] == 5
        children |= descendants(server.proc.pid)
        os.kill(server.proc.pid, signal.SIGTERM)  # to the server alone, as `kill` sends it
        assert server.proc.wait(30) == 0, server.output()
    finally:
        server.stop()
    assert "Traceback" not in server.output()
    assert wait_until(lambda: not running(children), timeout=10), _named(children)

    # Killed outright, it cannot tell its processes: they notice and stop by themselves.
    server = Server(tmp_path / "index", docs, "--workers", "2", "--watch")
    children = descendants(server.proc.pid)
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(10)
    assert wait_until(lambda: not running(children), timeout=30), _named(children)


def test_the_socket_says_it_is_tcp():
    """asyncio sets TCP_NODELAY only on sockets whose protocol is TCP: without it each
    answer's body waited 40 ms behind its headers (Nagle and delayed ACKs)."""
    from searcher.serve.server import _listen

    sock = _listen("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP and sock.getsockname()[1] > 0
    finally:
        sock.close()
