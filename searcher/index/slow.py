"""Files that took longer than their time to parse, remembered in the index so that the next
update does not spend that time on them again.

A file over its time limit (:func:`~searcher.ingest.readers.parse_seconds`: seconds, minutes
for a PDF that needs OCR) costs every run that reads it that long, and fails again. So each
run records its too-slow files (path, size, modification time, the limit, searcher's
version) in ``slow.json`` beside the manifest, and an update reports such a file as failing
again, without reading it, while it is unchanged by ``stat`` and its limit and searcher's
version are as they were. A changed file is read again; ``searcher index --rebuild`` reads
every file. Other failures are cheap to meet again (a file that is not a PDF fails in
milliseconds) or may pass next time (a file that cannot be read now), so they are not
remembered.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ReadError, path_text
from ..ingest.readers import parse_seconds
from .folder import same_stat
from .store import read_json, write_atomic

SLOW = "slow.json"
#: Added to the reason of a file reported from memory, not read.
NOT_AGAIN = "; not read again until it changes (searcher index --rebuild reads it)"


class TooSlow(ReadError):
    """A file that took longer than its time limit to parse."""


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
            or record.get("limit") != parse_seconds(entry.full):
        return None
    return ReadError(entry.full, str(record.get("reason", "")) + NOT_AGAIN)


def write_slow(gen: Path, before: dict[str, dict[str, Any]], kept: dict[str, dict[str, Any]],
               failed: Iterable[ReadError], jobs: Iterable[tuple[str, str]],
               read_ns: int) -> None:
    """Record the run's too-slow files: ``kept`` (reported from memory) and those of
    ``failed`` that are :class:`TooSlow`, among ``jobs`` (file name, release id) read from
    ``read_ns`` on; written only if it differs from ``before``."""
    slow = {e.path: e.reason for e in failed if isinstance(e, TooSlow)}
    records = dict(kept)
    for name, release_id in jobs if slow else ():
        if path_text(name) not in slow:
            continue
        try:
            st = os.stat(name)
        except OSError:
            continue
        # A file written after read_ns fails same_stat's check (its time is not before the
        # read), so a version changed since the parse is read again.
        records[release_id] = {"path": name, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                               "read_ns": read_ns, "limit": parse_seconds(name),
                               "version": _version(), "reason": slow[path_text(name)]}
    if records != before:
        write_atomic(gen / SLOW, json.dumps(records, ensure_ascii=False))

