"""Documents folder -> release files: scan, ids, fingerprints and change detection."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from ..ingest.readers import READERS


def content_hash(data: bytes) -> str:
    """What identifies a file's content for incremental updates."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileEntry(NamedTuple):
    """A release file found in a documents folder, with what ``stat`` says of it. (A tuple:
    a folder of many files makes many entries, and this is the cheapest to make.)"""

    full: str  # the file's path, as a string
    rel: str  # path under the folder, with "/"
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.full)


def scan(folder: str | Path, times: dict[str, int] | None = None) -> list[FileEntry]:
    """Every file under ``folder`` whose suffix a reader knows, sorted by path; hidden files
    and folders (".git", editors' ".swp") are not releases. One walk, stat included.

    ``times``, if given, receives each folder's modification time by its path under
    ``folder`` ("." for itself): adding, removing or renaming a file changes its folder's.
    Each is taken before the folder is listed: a file added meanwhile leaves it changed."""
    found: list[FileEntry] = []
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            if times is not None:
                times[prefix[:-1] or "."] = os.stat(path).st_mtime_ns
            listing = os.scandir(path)
        except OSError:
            continue
        with listing:
            for entry in listing:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((f"{prefix}{name}/", entry.path))
                        continue
                    dot = name.rfind(".")
                    if dot < 1 or name[dot:].lower() not in READERS:
                        continue
                    st = entry.stat()
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    found.append(FileEntry(entry.path, prefix + name, st.st_size,
                                           st.st_mtime_ns))
    found.sort(key=lambda e: e.rel)
    return found


def release_files(folder: str | Path) -> list[Path]:
    """The release files under ``folder``, in a stable order."""
    return [entry.path for entry in scan(folder)]


def release_ids(entries: Iterable[FileEntry]) -> dict[FileEntry, str]:
    """A stable id for each file: its path under the folder without the suffix
    ("2023/readout-x"); the seeds' ids are their stems. Files differing only by suffix keep
    it in the id of all but the first ("a", "a.html")."""
    ids: dict[FileEntry, str] = {}
    taken: set[str] = set()
    for entry in entries:
        stem = entry.rel.rpartition(".")[0]  # every entry has a reader's suffix
        release_id = entry.rel if stem in taken else stem
        taken.add(release_id)
        ids[entry] = release_id
    return ids


def fingerprint(entries: Iterable[FileEntry]) -> str:
    """A digest of the release files' names, sizes and modification times: when it differs
    from the index's, the documents changed since the last index run."""
    lines = "".join(f"{e.rel}\0{e.size}\0{e.mtime_ns}\n" for e in entries)
    return hashlib.blake2b(lines.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def folders_changed(folder: str | Path, times: dict[str, int]) -> bool:
    """Has any folder whose time :func:`scan` recorded changed or gone? Stats only those."""
    for rel, mtime_ns in times.items():
        try:
            if os.stat(os.path.join(str(folder), rel)).st_mtime_ns != mtime_ns:
                return True
        except OSError:
            return True
    return False


#: Above this many releases, a query's staleness check stats the folders, not every file.
QUICK_CHECK_FROM = 10_000

#: What the manifest records of the documents folder: the files' fingerprint, and each
#: folder's modification time.
State = dict[str, Any]


#: A file modified this close to when it was read may have changed again within the clock's
#: resolution: its content is hashed whatever its size and time say (git's "racy" files).
RACY_NS = 2_000_000_000


def same_stat(entry, source: dict[str, Any]) -> bool:
    """Is the file as it was when indexed, by path, size and modification time? Saves
    hashing the unchanged files of a large folder."""
    return (source.get("path") == entry.full
            and source.get("size") == entry.size
            and source.get("mtime_ns") == entry.mtime_ns
            and entry.mtime_ns < source.get("read_ns", 0) - RACY_NS)


def look(folder: Path) -> tuple[list, State]:
    """The folder's release files, and its state for the manifest. Each folder's time is
    taken before it is listed: a file added meanwhile leaves the index looking stale, never
    fresh."""
    folders: dict[str, int] = {}
    entries = scan(folder, folders)
    return entries, {"fingerprint": fingerprint(entries), "folders": folders}
