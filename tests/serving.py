"""What the serve tests share: a small corpus holding a hostile release, and a real
`searcher serve` process on a free loopback port."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .conftest import SEEDS

#: A release whose title (raw, from the front matter) and body (as HTML entities, which the
#: reader decodes) hold markup: it must show as text.
HOSTILE = """---
title: 'Readout of the Zanzibar <script>alert("title")</script> Meeting "><img src=x onerror=alert(1)>'
date: '2023-03-03'
source_url: 'javascript:alert(1)'
---

President Biden met the Zanzibar delegation &lt;script&gt;alert("body")&lt;/script&gt; to discuss
"&gt;&lt;img src=x onerror=alert(2)&gt; hostile markup.

The leaders agreed that Zanzibar matters.
"""
HOSTILE_ID = "zanzibar"


def make_documents(folder: Path) -> Path:
    """The five seeds and the hostile release in ``folder``."""
    shutil.copytree(SEEDS, folder)
    (folder / f"{HOSTILE_ID}.md").write_text(HOSTILE, "utf-8")
    return folder


class Server:
    """``searcher serve --port 0`` in its own process; ``url`` once it listens."""

    def __init__(self, index: Path, documents: Path, *extra: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # In a session of its own, as a command typed in a terminal is in a process group of
        # its own: Ctrl-C (interrupt) reaches the group, and nothing else here.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "searcher", "serve", "--port", "0", "--index", str(index),
             "--documents", str(documents), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            start_new_session=True)
        self.lines: list[str] = []
        self.url = ""
        listening = threading.Event()

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.lines.append(line)
                found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
                if found:
                    self.url = found.group(1)
                    listening.set()
            listening.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        if not listening.wait(60) or not self.url:
            self.stop()
            raise AssertionError("searcher serve did not start:\n" + "".join(self.lines))

    def output(self) -> str:
        return "".join(self.lines)

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C: SIGINT to the process group, as a terminal sends it; the exit status."""
        os.killpg(self.proc.pid, signal.SIGINT)
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_until(check, timeout: float = 30.0, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def descendants(pid: int) -> set[int]:
    """The processes started by ``pid``, and by them, that are running (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    found, grew = set(), True
    while grew:
        grew = False
        for child, parent in parents.items():
            if (parent == pid or parent in found) and child not in found:
                found.add(child)
                grew = True
    return found


def running(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (not gone, not a zombie)."""
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            continue
    return alive
