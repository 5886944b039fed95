"""Files that took longer than their time to parse, remembered in the index so that the next
update does not spend that time on them again.

A file over its time limit (:func:`~searcher.ingest.readers.parse_seconds`: seconds, minutes
for a PDF that needs OCR) costs every run that reads it that long, and fails again. So each
run records its too-slow files (size and modification time when read, the limit, searcher's
version) in ``slow.json`` beside the manifest, and an update reports such a file as failing
again, without reading it, while it is unchanged by ``stat`` (``touch`` it to have it read),
its limit and searcher's version are as they were, and for at most
:data:`RETRY_AFTER_DAYS` (a file slow only under a load it met once is read again in time).
``searcher index --rebuild`` reads every file. Other failures are cheap to meet again (a
file that is not a PDF fails in milliseconds) or may pass next time (a file that cannot be
read now), so they are not remembered.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ..ingest.readers import parse_seconds
from .folder import same_stat
from .store import read_json, write_atomic

SLOW = "slow.json"
#: Added to the reason of a file reported from memory, not read.
NOT_AGAIN = "; not read again until it changes (touch it to retry)"
#: A too-slow file unchanged is read again after this many days all the same.
RETRY_AFTER_DAYS = 7


class TooSlow(ReadError):
    """A file that took longer than its time limit to parse: its name as scanned, its
    release id, and ``seen``: (size, modification time, when it was read, ns) of the bytes
    parsed, None if not known (its worker was killed)."""

    def __init__(self, name: str, reason: str, release_id: str,
                 seen: tuple[int, int, int] | None = None) -> None:
        super().__init__(name, reason)
        self.name, self.release_id, self.seen = name, release_id, seen

    def __reduce__(self):  # pickled whole, from the worker that parsed
        return type(self), (self.name, self.reason, self.release_id, self.seen)


@cache
def _version() -> str:
    """searcher's installed version: a new one may read what this one could not in time."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("searcher")
    except PackageNotFoundError:
        return "unknown"


def read_slow(gen: Path) -> dict[str, dict[str, Any]]:
    """Release id -> the record of its file's last too-slow parse."""
    found = read_json(gen / SLOW, {})
    return found if isinstance(found, dict) else {}


def still_too_slow(record: dict[str, Any] | None, entry) -> ReadError | None:
    """The failure to report for ``entry`` (a scanned file) without reading it, if its
    ``record`` says it was too slow as it is now; else None (read it)."""
    if not record or not same_stat(entry, record) or record.get("version") != _version() \
            or record.get("limit") != parse_seconds(entry.full) \
            or time.time_ns() - record.get("read_ns", 0) > RETRY_AFTER_DAYS * 86_400 * 10**9:
        return None
    return ReadError(entry.full, str(record.get("reason", "")) + NOT_AGAIN)


def write_slow(gen: Path, before: dict[str, dict[str, Any]], kept: dict[str, dict[str, Any]],
               failed: Iterable[ReadError], read_ns: int) -> None:
    """Record the run's too-slow files: ``kept`` (reported from memory) and the
    :class:`TooSlow` ones of ``failed`` (the run read from ``read_ns`` on); written only if
    it differs from ``before``."""
    records = dict(kept)
    for error in failed:
        if not isinstance(error, TooSlow):
            continue
        if error.seen is not None:
            size, mtime_ns, read = error.seen
        else:  # its worker was killed: the file as it is now, read when the run read
            try:
                st = os.stat(error.name)
            except OSError:
                continue
            # Written since read_ns, its time is not before the read's: same_stat then
            # says changed, and it is read again.
            size, mtime_ns, read = st.st_size, st.st_mtime_ns, read_ns
        records[error.release_id] = {
            "path": error.name, "size": size, "mtime_ns": mtime_ns, "read_ns": read,
            "limit": parse_seconds(error.name), "version": _version(), "reason": error.reason}
    if records != before:  # ASCII: a name that is not UTF-8 holds surrogates
        write_atomic(gen / SLOW, json.dumps(records))
